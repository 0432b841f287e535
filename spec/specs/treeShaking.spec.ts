/**
 * An app bundles JMESPath only when it asks for it: specs whose expressions are plain member
 * paths compile to accessors, and the full evaluator is reached only through useFullJmespath()
 * and search(). Checked on what esbuild bundles (minified, rxjs and the SDK external).
 */
import { join } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(__dirname, '..', '..');

/** The input files esbuild put in the bundle of an app made of `contents`. */
async function bundled(contents: string): Promise<string[]> {
  const result = await build({
    stdin: { contents, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: ['rxjs', 'rxjs/*', '@aws-sdk/*'],
  });
  // metafile.inputs lists every file read; those left in the output are the bundle.
  const [output] = Object.values(result.metafile.outputs);
  return Object.entries(output!.inputs)
    .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
    .map(([input]) => input);
}

const jmespathIn = (inputs: string[]) => inputs.some((input) => input.includes('@jmespath-community'));

describe('bundles', () => {
  it.each([
    ['paginate', "import { paginate } from './src'; console.log(paginate);"],
    ['paginate + waitFor', "import { paginate, waitFor } from './src'; console.log(paginate, waitFor);"],
    [
      'paginate + waitFor on DynamoDB Scan and TableExists',
      "import { paginate, waitFor } from './src'; import { Scan, TableExists } from './src/services/generated/dynamodb'; console.log(paginate, waitFor, Scan, TableExists);",
    ],
    [
      'fullResult, items, waitForAttempts',
      "import { fullResult, items, waitForAttempts } from './src'; console.log(fullResult, items, waitForAttempts);",
    ],
  ])('%s: without JMESPath', async (_, app) => {
    const inputs = await bundled(app);
    expect(inputs).toContain('src/specs/compileExpression.ts');
    expect(jmespathIn(inputs)).toBe(false);
  });

  it.each([
    ['search', "import { search } from './src'; console.log(search);"],
    ['useFullJmespath', "import { useFullJmespath } from './src'; useFullJmespath();"],
    // A shipped spec beyond plain member paths carries the evaluator, so using it brings JMESPath along.
    [
      'TableAndIndexesActive',
      "import { TableAndIndexesActive } from './src/services/generated/dynamodb'; console.log(TableAndIndexesActive);",
    ],
  ])('%s: with it', async (_, app) => {
    expect(jmespathIn(await bundled(app))).toBe(true);
  });
});

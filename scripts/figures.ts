/**
 * `npm run figures`: measures every figure the docs quote and writes it
 * between its markers, `<!-- figure:name -->…<!-- /figure -->`, in README.md,
 * CONTRIBUTING.md and docs/*.md. `npm run figures:check` (in `npm run check`)
 * writes nothing and fails when a document disagrees with the measurement,
 * or names a figure this script does not measure.
 *
 * What is measured: the catalogue (subpaths, paginators and waiters, from
 * the generated modules), the botocore waiters Step Functions can run (from
 * spec/stepFunctions/corpusReport.json, which its test checks), the package (`npm pack --dry-run --json`, which
 * builds first), and the bundle sizes an app adds (esbuild, minified, gzip
 * -9, rxjs and @aws-sdk external; bench/bundleSize.ts). Times are not
 * measured here: they depend on the machine and its load, and the docs
 * quote none.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { APPS, APP_EXTERNAL, bundleSize } from '../bench/bundleSize';

const ROOT = resolve(__dirname, '..');
const FIGURE = /<!-- figure:([a-z0-9-]+) -->([\s\S]*?)<!-- \/figure -->/g;

/**
 * The documents whose figures are kept: README, CONTRIBUTING, docs/ (not the generated docs/operations), and
 * the notes beside the data.
 */
function documents(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(ROOT, 'docs', name));
  const data = ['src/specs/data/botocore/README.md', 'src/specs/data/smithy/README.md'].map((path) => join(ROOT, path));
  return [join(ROOT, 'README.md'), join(ROOT, 'CONTRIBUTING.md'), ...docs, ...data].filter((path) => existsSync(path));
}

const count = (n: number) => n.toLocaleString('en-US');
const kib = (bytes: number) => `${(bytes / 1024).toFixed(2)} KiB`;
/** To 0.1 MB: the package holds README and the guides, so finer figures would drift with every edit of the prose. */
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** Counts of botocore's corpus, and of the generated catalogue: one subpath per directory, one bound spec per exported constant. */
function catalogue(): Record<string, string> {
  const generated = join(ROOT, 'src/services/generated');
  const subpaths = readdirSync(generated, { withFileTypes: true }).filter(
    (entry) => entry.isDirectory() && existsSync(join(generated, entry.name, 'index.ts')),
  );
  let paginators = 0;
  let waiters = 0;
  for (const { name } of subpaths) {
    const specs = join(generated, name, 'specs.ts');
    if (!existsSync(specs)) continue;
    const text = readFileSync(specs, 'utf8');
    paginators += text.match(/^export const \w+: BoundPaginator</gm)?.length ?? 0;
    waiters += text.match(/^export const \w+: BoundWaiter</gm)?.length ?? 0;
  }
  const { botocoreVersion } = JSON.parse(readFileSync(join(ROOT, 'src/services/codegen/services.json'), 'utf8')) as {
    botocoreVersion: string;
  };
  // The SDK packages are optional peers by peerDependenciesMeta alone (docs/package.md).
  const { peerDependenciesMeta } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    peerDependenciesMeta: Record<string, object>;
  };
  const corpus = Object.values(
    JSON.parse(readFileSync(join(ROOT, 'src/specs/data/botocore/corpus.json'), 'utf8')) as Record<
      string,
      { paginators?: object; waiters?: object }
    >,
  );
  const sum = (key: 'paginators' | 'waiters') => corpus.reduce((n, service) => n + Object.keys(service[key] ?? {}).length, 0);
  return {
    'corpus-versions': count(corpus.length),
    'corpus-paginators': count(sum('paginators')),
    'corpus-waiters': count(sum('waiters')),
    subpaths: count(subpaths.length),
    paginators: count(paginators),
    waiters: count(waiters),
    'botocore-version': botocoreVersion,
    'sdk-peers': count(Object.keys(peerDependenciesMeta).filter((name) => name.startsWith('@aws-sdk/')).length),
  };
}

/** Of botocore's waiters, those `toStateMachine` compiles on their own, and those refused only for want of a schema. */
function stateMachines(): Record<string, string> {
  const report = JSON.parse(readFileSync(join(ROOT, 'spec/stepFunctions/corpusReport.json'), 'utf8')) as {
    waiters: number;
    compile: number;
    refused: { gaps: { reason: string }[] }[];
  };
  const schemaOnly = report.refused.filter(({ gaps }) => gaps.every(({ reason }) => reason.includes('no schema shows')));
  return {
    'sfn-waiters': count(report.waiters),
    'sfn-compile': count(report.compile),
    'sfn-schema-only': count(schemaOnly.length),
  };
}

/** What `npm pack` would publish. It runs `prepack` (the build) first, as publishing does. */
function pack(): Record<string, string> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--loglevel=error'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // prepack's build prints before the JSON; the JSON is the last top-level array.
  const [info] = JSON.parse(out.slice(out.lastIndexOf('\n[') + 1)) as [
    { size: number; unpackedSize: number; entryCount: number },
  ];
  return { 'pack-size': mb(info.size), 'pack-unpacked': mb(info.unpackedSize), 'pack-files': count(info.entryCount) };
}

async function bundles(): Promise<Record<string, string>> {
  const size = async (app: string) => kib((await bundleSize(ROOT, app, APP_EXTERNAL)).gzip);
  return {
    'bundle-paginate': await size(APPS.paginateOnly),
    'bundle-waitfor': await size(APPS.waitForOnly),
    'bundle-both': await size(APPS.rxjsAws),
  };
}

/** Every figure's marker replaced by its measured value; the names no measurement has are returned. */
export function rewrite(text: string, figures: Readonly<Record<string, string>>): { text: string; unknown: string[] } {
  const unknown: string[] = [];
  const rewritten = text.replace(FIGURE, (whole, name: string) => {
    const value = figures[name];
    if (value === undefined) {
      unknown.push(name);
      return whole;
    }
    return `<!-- figure:${name} -->${value}<!-- /figure -->`;
  });
  return { text: rewritten, unknown };
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const figures = { ...catalogue(), ...stateMachines(), ...(await bundles()), ...pack() };
  const problems: string[] = [];
  for (const path of documents()) {
    const text = readFileSync(path, 'utf8');
    const { text: rewritten, unknown } = rewrite(text, figures);
    const name = relative(ROOT, path);
    for (const figure of unknown) problems.push(`${name}: no measurement named ${figure}`);
    if (rewritten === text) continue;
    if (check) {
      for (const match of text.matchAll(FIGURE)) {
        const value = figures[match[1]!];
        if (value !== undefined && value !== match[2]) problems.push(`${name}: ${match[1]} is ${match[2]}, measured ${value}`);
      }
    } else {
      writeFileSync(path, rewritten);
      console.log(`wrote ${name}`);
    }
  }
  for (const [name, value] of Object.entries(figures)) console.log(`${name}: ${value}`);
  if (problems.length > 0) {
    console.error(`${problems.join('\n')}\n${check ? 'Run `npm run figures` to write what was measured.' : ''}`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}

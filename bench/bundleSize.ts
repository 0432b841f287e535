/**
 * Bundle size of an app that uses rxjs-aws: esbuild bundle + minify, gzip
 * level 9. Shared by the cold-start worker (`npm run bench`, measurement 5b)
 * and `npm run figures`, which writes the sizes the docs quote.
 */
import { join } from 'path';
import { gzipSync } from 'zlib';
import { build, type Plugin } from 'esbuild';

/** Resolves `rxjs-aws` and `rxjs-aws/<subpath>` to src under `root`, as an app would get the package. */
function rxjsAwsFromSrc(root: string): Plugin {
  return {
    name: 'rxjs-aws-from-src',
    setup(b) {
      b.onResolve({ filter: /^rxjs-aws(\/.*)?$/ }, (args) => ({
        path:
          args.path === 'rxjs-aws'
            ? join(root, 'src', 'index.ts')
            : join(root, 'src', 'services', 'generated', args.path.slice('rxjs-aws/'.length), 'index.ts'),
      }));
    },
  };
}

/** App modules, each as small as the use it measures. */
export const APPS = {
  /** The baseline every DynamoDB app has: a client and the two commands. */
  base: `import { DynamoDBClient, ScanCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
export const client = new DynamoDBClient({});
export const scanPage = (TableName, ExclusiveStartKey) => client.send(new ScanCommand({ TableName, ExclusiveStartKey }));
export const describe = (TableName) => client.send(new DescribeTableCommand({ TableName }));`,
  paginateOnly: `import { paginate } from 'rxjs-aws';
import { Scan } from 'rxjs-aws/dynamodb';
export const scanAll = (client, TableName) => paginate(Scan, client, { TableName }, { pageSize: 100 });`,
  waitForOnly: `import { waitFor } from 'rxjs-aws';
import { TableExists } from 'rxjs-aws/dynamodb';
export const tableExists = (client, TableName) => waitFor(TableExists, client, { TableName }, { maxWaitTime: 300 });`,
  rxjsAws: `import { paginate, waitFor } from 'rxjs-aws';
import { Scan, TableExists } from 'rxjs-aws/dynamodb';
export const scanAll = (client, TableName) => paginate(Scan, client, { TableName }, { pageSize: 100 });
export const tableExists = (client, TableName) => waitFor(TableExists, client, { TableName }, { maxWaitTime: 300 });`,
  sdk: `import { paginateScan, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
export const scanAll = (client, TableName) => paginateScan({ client, pageSize: 100 }, { TableName });
export const tableExists = (client, TableName) => waitUntilTableExists({ client, maxWaitTime: 300 }, { TableName });`,
};

/** What an app already ships besides rxjs-aws: rxjs and its own AWS SDK client. rxjs-aws's own dependencies are bundled. */
export const APP_EXTERNAL = ['rxjs', 'rxjs/*', '@aws-sdk/*'];

export interface Size {
  readonly min: number;
  readonly gzip: number;
  /** Minified bytes each bundled module contributes, largest first. */
  readonly modules: Array<[string, number]>;
}

/**
 * Bundles `contents` (an app module importing `rxjs-aws`, resolved to the source under `root`) with
 * `external` left out, minified, and gzips it.
 * @example
 * const { gzip } = await bundleSize(ROOT, APPS.paginateOnly, APP_EXTERNAL);
 */
export async function bundleSize(root: string, contents: string, external: string[]): Promise<Size> {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts', sourcefile: 'app.ts' },
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // rxjs's ES2015 build (its default is ES5); the SDK and jmespath pick their ESM builds by themselves.
    conditions: ['es2015'],
    external,
    plugins: [rxjsAwsFromSrc(root)],
    metafile: true,
    logLevel: 'error',
  });
  const code = result.outputFiles[0]!.contents;
  const inputs = Object.values(result.metafile.outputs)[0]!.inputs;
  const modules = Object.entries(inputs)
    .map(([path, { bytesInOutput }]): [string, number] => [path, bytesInOutput])
    .filter(([, bytes]) => bytes > 0)
    .sort((a, b) => b[1] - a[1]);
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length, modules };
}

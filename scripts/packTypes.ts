/**
 * `npm run test:types`: the packed tarball's types, compiled by a consumer on
 * every TypeScript version README says is supported. npm packs rxjs-aws as it
 * would publish it (the prepack script builds), a scratch project installs the
 * tarball and each compiler under an npm alias (`typescript5_4@npm:typescript@~5.4.0`),
 * and each compiler checks one consumer program, with the library's .d.ts
 * files checked too (`skipLibCheck: false`), in every module set-up a user
 * picks: CommonJS and ES modules under `nodenext`, a bundler, and (TypeScript
 * 5, where it still exists) `node10`, which reads the subpaths from
 * `typesVersions`.
 *
 * `--versions 5.5,7` checks other versions; a version not supported should fail.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The oldest supported 5.x (5.4: the first with `NoInfer` and `module: preserve`), the latest 5.x, 6 and 7: README's "Supported versions". */
const SUPPORTED = ['~5.4.0', '~5.9.0', '^6', '^7'];

const ROOT = resolve(__dirname, '..');
const versionsArg = process.argv.indexOf('--versions');
const ranges =
  versionsArg > 0 ? process.argv[versionsArg + 1]!.split(',').map((v) => (/^\d+$/.test(v) ? `^${v}` : `~${v}.0`)) : SUPPORTED;

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

/** Compiled, not run: every call's types are what a user relies on, and each `@ts-expect-error` must be an error. */
const CONSUMER = `
import { DynamoDBClient, type AttributeValue, type DescribeTableCommandOutput, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { take, type Observable } from 'rxjs';
import {
  compilePaginator, fullResult, items, paginate, paginateIterable, resumeTokenOf, search, waitFor, waitForAttempts,
  PaginationError, SpecError, WaiterError, type AcceptedError, type FullResult, type PageIterator, type Send,
  type WaiterAttempt,
} from 'rxjs-aws';
import { ListTables, Scan, TableExists, TableNotExists, TableAndIndexesActive, parallelScan } from 'rxjs-aws/dynamodb';
import { DescribeInstances, InstanceRunning } from 'rxjs-aws/ec2';
import { hmacTokenSigner } from 'rxjs-aws/signing';

declare const client: DynamoDBClient;
declare const ec2: EC2Client;

export const pages: Observable<ScanCommandOutput> = paginate(Scan, client, { TableName: 'music' }, { pageSize: 100 });
export const item: Observable<Record<string, AttributeValue>> = pages.pipe(items(Scan), take(150));
export const ids: Observable<unknown> = paginate(DescribeInstances, ec2, {}).pipe(search('Reservations[].Instances[].InstanceId'));
export const counts: Observable<number> = pages.pipe(items(Scan, 'Count'));
export const table: Observable<DescribeTableCommandOutput> = waitFor(TableExists, client, { TableName: 'music' }, { delay: 1 });
export const gone: Observable<DescribeTableCommandOutput | AcceptedError<'ResourceNotFoundException'>> = waitFor(
  TableNotExists, client, { TableName: 'music' },
);
export const attempts = waitForAttempts(TableAndIndexesActive, client, { TableName: 'music' });
export const attempt: Observable<WaiterAttempt<unknown, DescribeTableCommandOutput>> = attempts;
export const running = waitFor(InstanceRunning, ec2, { InstanceIds: ['i-0123456789abcdef0'] }, { maxWaitTime: 600 });
export const whole: Observable<FullResult<ScanCommandOutput>> = fullResult(Scan, client, { TableName: 'music' }, {
  maxItems: 150,
  signer: hmacTokenSigner(['key']),
});
export const segments = parallelScan(client, { TableName: 'music' }, { totalSegments: 4, concurrency: 2 });

interface ListIn { Limit?: number; ExclusiveStartTableName?: string }
interface ListOut { TableNames?: string[]; LastEvaluatedTableName?: string }
const listTables = compilePaginator<ListIn, ListOut>({
  input_token: 'ExclusiveStartTableName', output_token: 'LastEvaluatedTableName', limit_key: 'Limit', result_key: 'TableNames',
});
declare const send: Send<ListIn, ListOut>;
export const names: Observable<string> = paginate(listTables, send, {}).pipe(items<string>(listTables));

export const iterator: PageIterator<ScanCommandOutput> = paginateIterable(Scan, client, { TableName: 'music' });
export const next: Promise<IteratorResult<ScanCommandOutput, undefined>> = iterator.next();

export async function pull(): Promise<number> {
  for await (const page of paginateIterable(Scan, client, { TableName: 'music' })) {
    if (page.Count !== undefined) return page.Count;
  }
  return 0;
}

export function describe(error: unknown): string {
  if (error instanceof WaiterError) return error.kind;
  if (error instanceof PaginationError) return String(resumeTokenOf(error));
  return error instanceof SpecError ? error.message : String(error);
}

// @ts-expect-error Scan's input needs TableName
paginate(Scan, client, { Table: 'music' });
// @ts-expect-error ListTables pages have none of Scan's result keys
paginate(ListTables, client, {}).pipe(items(Scan));
// @ts-expect-error TableExists succeeds only on responses
export const notAnError: Observable<AcceptedError> = table;
`;

interface Setup {
  name: string;
  type: 'commonjs' | 'module';
  compilerOptions: Record<string, string>;
  /** TypeScript 6 deprecates, and 7 removes, node10 resolution. */
  until?: number;
}

const SETUPS: Setup[] = [
  { name: 'nodenext-cjs', type: 'commonjs', compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' } },
  { name: 'nodenext-esm', type: 'module', compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' } },
  { name: 'bundler', type: 'module', compilerOptions: { module: 'preserve', moduleResolution: 'bundler' } },
  { name: 'node10', type: 'commonjs', compilerOptions: { module: 'commonjs', moduleResolution: 'node' }, until: 6 },
];

const work = mkdtempSync(join(tmpdir(), 'rxjs-aws-types-'));
let failed = 0;
try {
  const tarball = join(work, npm(['pack', '--silent', '--pack-destination', work], ROOT).trim().split('\n').pop()!);
  const aliases = ranges.map((range) => `typescript${range.replace(/[^0-9]+/g, '_').replace(/^_|_$/g, '')}`);
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'types-consumer', private: true }));
  npm(
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
      tarball,
      'rxjs@^7.8',
      '@aws-sdk/client-dynamodb@^3',
      '@aws-sdk/client-ec2@^3',
      '@types/node@^20',
      ...ranges.map((range, i) => `${aliases[i]}@npm:typescript@${range}`),
    ],
    work,
  );
  for (const [i, alias] of aliases.entries()) {
    const tsc = join(work, 'node_modules', alias, 'bin', 'tsc');
    const version = execFileSync(process.execPath, [tsc, '--version'], { encoding: 'utf8' }).trim();
    const major = Number(/(\d+)\./.exec(version)![1]);
    for (const setup of SETUPS.filter((s) => s.until === undefined || major < s.until)) {
      const dir = join(work, `${alias}-${setup.name}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type: setup.type }));
      writeFileSync(join(dir, 'consumer.ts'), CONSUMER);
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            ...setup.compilerOptions,
            target: 'es2022',
            lib: ['es2022'],
            types: ['node'],
            strict: true,
            noEmit: true,
            skipLibCheck: false,
            typeRoots: [join(work, 'node_modules', '@types')],
          },
          files: ['consumer.ts'],
        }),
      );
      try {
        execFileSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8', stdio: 'pipe' });
        console.log(`${version} (${ranges[i]}), ${setup.name}: ok`);
      } catch (error) {
        failed++;
        const output = (error as { stdout?: string }).stdout ?? String(error);
        console.error(`${version} (${ranges[i]}), ${setup.name}: FAILED\n${output}`);
      }
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (failed > 0) {
  console.error(`${failed} consumer set-ups failed to compile`);
  process.exit(1);
}

/**
 * `npm run test:pack`: packs rxjs-aws as npm would publish it, installs the
 * tarball into a scratch CommonJS project and a scratch ES module project, and
 * runs paginate and waitFor (and a bound DynamoDB spec) from each; imports a
 * sample of service subpaths (s3, sfn, cloudwatch-logs) and type-checks their
 * use with the tarball's own .d.ts files.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

const USE = `
const spec = { input_token: 'NextToken', output_token: 'NextToken', result_key: 'Items' };
const send = (input) => of({ Items: [Number(input.NextToken ?? 0)], ...(input.NextToken ? {} : { NextToken: '1' }) });
const waiter = { delay: 0, maxAttempts: 3, acceptors: [{ matcher: 'path', argument: 'Ready', expected: true, state: 'success' }] };
let polls = 0;
const pages = await lastValueFrom(paginate(spec, send, {}).pipe(toArray()));
const ready = await lastValueFrom(waitFor(waiter, () => of({ Ready: ++polls === 2 }), {}));
if (pages.length !== 2 || !ready.Ready || polls !== 2 || typeof Scan.command !== 'function') throw new Error('smoke test failed');
const bound = [ListObjectVersions, BucketExists, ListExecutions, GetLogEvents].map((b) => b.command.name).join(', ');
if (bound !== 'ListObjectVersionsCommand, HeadBucketCommand, ListExecutionsCommand, GetLogEventsCommand') throw new Error(bound);
console.log(\`\${kind}: \${pages.length} pages, ready after \${polls} polls, Scan bound to \${Scan.command.name}; \${bound}\`);
`;

/**
 * The CommonJS root loads its core as one file (scripts/bundleCommonJsCore.ts), and the JMESPath library only when an
 * expression needs it: a waiter of the dynamodb subpath that does, run through the root's `waitFor`.
 */
const CORE_LOADED = `
const loaded = Object.keys(require.cache).filter((file) => /[\\\\/]node_modules[\\\\/]rxjs-aws[\\\\/]/.test(file));
if (loaded.length > 2) throw new Error('require("rxjs-aws") read ' + loaded.length + ' files: ' + loaded.join(', '));
if (Object.keys(require.cache).some((file) => file.includes('jmespath'))) throw new Error('JMESPath loaded with the root');
`;
/** The subpaths take the root's modules from its core file, not each through its stub. */
const THROUGH_CORE = `
const stubs = Object.keys(require.cache).filter((file) =>
  /[\\\\/]node_modules[\\\\/]rxjs-aws[\\\\/]dist[\\\\/]cjs[\\\\/](?!index\\.js$)/.test(file) &&
  require('fs').readFileSync(file, 'utf8').startsWith('"use strict";\\nmodule.exports = require('));
if (stubs.length > 0) throw new Error('the subpaths read the core through stubs: ' + stubs.join(', '));
`;
const FULL_JMESPATH = `
const table = { Table: { StreamSpecification: { StreamEnabled: true }, LatestStreamArn: 'arn' } };
const streaming = await lastValueFrom(waitFor(TableStreamEnabled.spec, () => of(table), { TableName: 't' }));
if (streaming.Table.LatestStreamArn !== 'arn') throw new Error('TableStreamEnabled did not succeed');
console.log(\`CommonJS: the root read \${loaded.length} files; TableStreamEnabled (full JMESPath) succeeded\`);
`;

const SDK_PACKAGES = ['@aws-sdk/client-dynamodb', '@aws-sdk/client-s3', '@aws-sdk/client-sfn', '@aws-sdk/client-cloudwatch-logs'];

/** Type-checked against the tarball's .d.ts files: items are the client's types, and a wrong client is an error. */
const TYPED = `
import { S3Client, type ObjectVersion } from '@aws-sdk/client-s3';
import { SFNClient, type ExecutionListItem } from '@aws-sdk/client-sfn';
import { CloudWatchLogsClient, type OutputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { items, paginate, waitFor } from 'rxjs-aws';
import type { Observable } from 'rxjs';
import { ListObjectVersions, BucketExists } from 'rxjs-aws/s3';
import { ListExecutions } from 'rxjs-aws/sfn';
import { GetLogEvents } from 'rxjs-aws/cloudwatch-logs';
declare const s3: S3Client;
declare const sfn: SFNClient;
declare const logs: CloudWatchLogsClient;
export const versions: Observable<ObjectVersion> = paginate(ListObjectVersions, s3, { Bucket: 'b' }).pipe(items(ListObjectVersions));
export const executions: Observable<ExecutionListItem> = paginate(ListExecutions, sfn, {}).pipe(items(ListExecutions));
export const events: Observable<OutputLogEvent> = paginate(GetLogEvents, logs, { logGroupName: 'g', logStreamName: 's' }).pipe(items(GetLogEvents));
export const bucket = waitFor(BucketExists, s3, { Bucket: 'b' });
// @ts-expect-error an S3 waiter with a Step Functions client
export const wrong = waitFor(BucketExists, sfn, { Bucket: 'b' });
`;

const work = mkdtempSync(join(tmpdir(), 'rxjs-aws-pack-'));
try {
  const tarball = join(work, npm(['pack', '--silent', '--pack-destination', work], ROOT).trim().split('\n').pop()!);
  for (const kind of ['commonjs', 'module'] as const) {
    const dir = join(work, kind);
    execFileSync('mkdir', ['-p', dir]);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `smoke-${kind}`, private: true, type: kind }));
    npm(
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        tarball,
        'rxjs@^7.8',
        ...SDK_PACKAGES.map((p) => `${p}@^3`),
        'typescript@^5.9',
      ],
      dir,
    );
    const program =
      kind === 'commonjs'
        ? `const { lastValueFrom, of, toArray } = require('rxjs');
const { paginate, waitFor } = require('rxjs-aws');
${CORE_LOADED}
const { Scan, TableStreamEnabled } = require('rxjs-aws/dynamodb');
const { ListObjectVersions, BucketExists } = require('rxjs-aws/s3');
const { ListExecutions } = require('rxjs-aws/sfn');
const { GetLogEvents } = require('rxjs-aws/cloudwatch-logs');
${THROUGH_CORE}
const kind = 'CommonJS';
(async () => {${USE}${FULL_JMESPATH}})().catch((e) => { console.error(e); process.exit(1); });`
        : `import { lastValueFrom, of, toArray } from 'rxjs';
import { paginate, waitFor } from 'rxjs-aws';
import { Scan } from 'rxjs-aws/dynamodb';
import { ListObjectVersions, BucketExists } from 'rxjs-aws/s3';
import { ListExecutions } from 'rxjs-aws/sfn';
import { GetLogEvents } from 'rxjs-aws/cloudwatch-logs';
const kind = 'ES module';
${USE}`;
    writeFileSync(join(dir, 'main.js'), program);
    writeFileSync(join(dir, 'typed.ts'), TYPED);
    const moduleKind = kind === 'commonjs' ? 'commonjs' : 'nodenext';
    execFileSync(
      process.execPath,
      [
        join(dir, 'node_modules/typescript/bin/tsc'),
        '--noEmit',
        '--strict',
        '--skipLibCheck',
        '--module',
        moduleKind,
        '--moduleResolution',
        kind === 'commonjs' ? 'node10' : 'nodenext',
        '--target',
        'es2022',
        'typed.ts',
      ],
      { cwd: dir, stdio: 'inherit' },
    );
    process.stdout.write(`${kind}: types of rxjs-aws/s3, rxjs-aws/sfn, rxjs-aws/cloudwatch-logs check\n`);
    process.stdout.write(
      execFileSync(process.execPath, ['main.js'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      }),
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

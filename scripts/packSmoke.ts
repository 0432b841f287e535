/**
 * `npm run test:pack`: packs rxjs-aws as npm would publish it, installs the
 * tarball into a scratch CommonJS project and a scratch ES module project, and
 * runs paginate and waitFor (and a bound DynamoDB spec) from each.
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
console.log(\`\${kind}: \${pages.length} pages, ready after \${polls} polls, Scan bound to \${Scan.command.name}\`);
`;

const work = mkdtempSync(join(tmpdir(), 'rxjs-aws-pack-'));
try {
  const tarball = join(work, npm(['pack', '--silent', '--pack-destination', work], ROOT).trim().split('\n').pop()!);
  for (const kind of ['commonjs', 'module'] as const) {
    const dir = join(work, kind);
    execFileSync('mkdir', ['-p', dir]);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `smoke-${kind}`, private: true, type: kind }));
    npm(['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, 'rxjs@^7.8', '@aws-sdk/client-dynamodb@^3'], dir);
    const program =
      kind === 'commonjs'
        ? `const { lastValueFrom, of, toArray } = require('rxjs');
const { paginate, waitFor } = require('rxjs-aws');
const { Scan } = require('rxjs-aws/dynamodb');
const kind = 'CommonJS';
(async () => {${USE}})().catch((e) => { console.error(e); process.exit(1); });`
        : `import { lastValueFrom, of, toArray } from 'rxjs';
import { paginate, waitFor } from 'rxjs-aws';
import { Scan } from 'rxjs-aws/dynamodb';
const kind = 'ES module';
${USE}`;
    writeFileSync(join(dir, 'main.js'), program);
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

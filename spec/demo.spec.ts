/**
 * `npm start -- --endpoint URL`, run as README shows it, by someone with no AWS
 * set-up at all: no region, no credentials, no ~/.aws.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDynalite, type DynaliteServer } from './support/startDynalite';

const ROOT = resolve(__dirname, '..');

function runDemo(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'examples/demo.ts', ...args],
      { cwd: ROOT, env, timeout: 60_000 },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm start -- --endpoint', () => {
  let ddb: DynaliteServer;
  let home: string;
  beforeAll(async () => {
    ddb = await startDynalite();
    home = mkdtempSync(join(tmpdir(), 'rxjs-aws-demo-home-'));
  });
  afterAll(async () => {
    await ddb.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('runs against a local endpoint without a region or credentials, and explains the trailing empty page', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
    const { code, stdout, stderr } = await runDemo(['--endpoint', ddb.endpoint], {
      ...env,
      HOME: home,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(`DynamoDB: ${ddb.endpoint}`);
    expect(stdout).toMatch(/Summary: 16 pages, 3000 items, 16 Scan calls/);
    expect(stdout).toContain('the last page is empty');
    expect(ddb.requestsFor('Scan')).toHaveLength(16);
    // The wait given 0.3 s by AbortSignal.timeout ends with its reason, after a few polls of a table that never comes.
    expect(stdout).toMatch(/TableExists of a table that never comes, .*: TimeoutError after \d+ DescribeTable calls/);
    expect(ddb.requestsFor('DescribeTable').filter((r) => String(r.body?.TableName).endsWith('-never')).length).toBeGreaterThan(
      0,
    );
  }, 60_000);
});

/**
 * Runs moto's standalone server (`moto_server`, Python) as a child process for
 * integration tests against real AWS Query/XML protocols (EC2 etc.).
 *
 *   const moto = await startMoto();        // undefined when moto_server is not on PATH (outside CI)
 *   if (!moto) return;                     // or use describeIfMoto(...)
 *   const ec2 = moto.ec2Client();           // real EC2Client, maxAttempts 1
 *   await moto.reset();                     // wipe all moto state between tests
 *   await moto.stop();                      // SIGTERM (then SIGKILL) the process group
 *
 * Executable lookup: $MOTO_SERVER (explicit path) or `moto_server` on PATH.
 * When process.env.CI is set (and not "false"/"0") a missing moto is an error.
 *
 * moto changes EC2 instance/snapshot states instantly and does not page most
 * EC2 Describe* calls; use ./fakeEc2 for those behaviours.
 */
import { ec2Clients } from './ec2Clients';
import { ChildProcess, spawn } from 'child_process';
import { accessSync, constants, statSync } from 'fs';
import { request } from 'http';
import { createServer } from 'net';
import { delimiter, join } from 'path';
import { EC2Client } from '@aws-sdk/client-ec2';
import { silenceSdkNodeVersionWarning } from './httpTracking';

export interface MotoServer {
  endpoint: string;
  port: number;
  pid: number;
  /** Milliseconds from spawn until the server answered HTTP. */
  startupMs: number;
  /** A new real EC2Client pointed at moto (destroyed by stop()). */
  ec2Client(): EC2Client;
  /** Config for any SDK v3 client pointed at moto: endpoint, region, test credentials, one attempt, path-style S3. */
  clientConfig(): {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    maxAttempts: number;
    forcePathStyle: boolean;
  };
  /** POST /moto-api/reset: forget all resources in every moto backend. */
  reset(): Promise<void>;
  /** Last ~64 KiB of moto's stdout/stderr (request log), for debugging. */
  output(): string;
  /** Kills the moto process group and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
}

export interface StartMotoOptions {
  /** Give up if moto does not answer within this many ms (default 120000: a loaded 2-core machine starts it slowly). */
  startTimeoutMs?: number;
  /**
   * The port to try first, for a caller that must name the endpoint before moto
   * answers; moto is then spawned before `startMoto` returns its promise. A port
   * taken meanwhile is replaced by a free one, as always.
   * @default a free port
   */
  port?: number;
  /** Extra environment variables for moto (e.g. MOTO_ENABLE_AMI_VALIDATION). */
  env?: Record<string, string>;
}

export function isCI(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Absolute path of moto_server ($MOTO_SERVER, else PATH lookup), or undefined. */
export function findMotoServer(): string | undefined {
  const explicit = process.env.MOTO_SERVER;
  if (explicit) return isExecutable(explicit) ? explicit : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'moto_server');
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Why moto tests would be skipped, for skip messages. */
export const MOTO_MISSING_MESSAGE =
  'moto_server not found on PATH (pip install "moto[server]"); moto-backed tests skipped. Set CI=1 to make this an error.';

/**
 * `describe` when moto is available (or in CI, where startMoto will throw if it
 * is missing), otherwise `describe.skip` with the reason in the title.
 */
export function describeIfMoto(name: string, fn: () => void): void {
  if (findMotoServer() !== undefined || isCI()) {
    describe(name, fn);
  } else {
    describe.skip(`${name} [skipped: ${MOTO_MISSING_MESSAGE}]`, fn);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** One HTTP GET; resolves true on any HTTP response. */
function answersHttp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/moto-api/', method: 'GET', agent: false, timeout: 500 }, (res) => {
      res.resume();
      res.on('end', () => resolve(true));
      res.on('error', () => resolve(true));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

function httpPost(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

class StartFailed extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer | undefined> {
  const exe = findMotoServer();
  if (exe === undefined) {
    if (isCI()) {
      throw new Error(
        'moto is required in CI: moto_server was not found on PATH (or $MOTO_SERVER). Install it with pip install "moto[server]".',
      );
    }
    return undefined;
  }
  silenceSdkNodeVersionWarning();

  // The free port can be grabbed by someone else between probe and spawn; retry then.
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await launch(exe, options, attempt === 0 ? options.port : undefined);
    } catch (e) {
      lastError = e as Error;
      if (!(e instanceof StartFailed && e.retryable)) break;
    }
  }
  if (lastError instanceof StartFailed && /command not found|No module named/i.test(lastError.message) && !isCI()) {
    // e.g. a pyenv shim for a Python version that lacks moto: treat as absent.
    return undefined;
  }
  throw lastError;
}

async function launch(exe: string, options: StartMotoOptions, chosen: number | undefined): Promise<MotoServer> {
  const port = chosen ?? (await freePort());
  const started = Date.now();
  const child: ChildProcess = spawn(exe, ['-H', '127.0.0.1', '-p', String(port)], {
    // Own process group, so stop() can signal moto and anything a wrapper
    // script (pyenv shim, venv launcher) may have forked.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  if (child.pid === undefined) {
    // spawn failure is reported via 'error'
    const err = await new Promise<Error>((resolve) => child.once('error', resolve));
    throw new StartFailed(`could not spawn ${exe}: ${err.message}`, false);
  }
  const pid = child.pid;

  let out = '';
  const keep = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    if (out.length > 65536) out = out.slice(-65536);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);

  let exited = false;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  child.once('error', keep.bind(null, Buffer.from('spawn error\n')));

  // Safety net: never leave moto running after the jest worker exits.
  const killOnExit = () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  process.once('exit', killOnExit);

  const kill = async () => {
    process.removeListener('exit', killOnExit);
    if (!exited) {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        exitPromise.then(() => false),
        new Promise<boolean>((r) => (timer = setTimeout(() => r(true), 3000))),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
        await exitPromise;
      }
    }
    child.stdout?.destroy();
    child.stderr?.destroy();
  };

  const timeoutMs = options.startTimeoutMs ?? 120_000;
  const deadline = started + timeoutMs;
  // Event-based: probe when moto prints something (it logs when it starts listening) or after a quiet second.
  const output = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        child.stdout!.off('data', done);
        child.stderr!.off('data', done);
        resolve();
      };
      const timer = setTimeout(done, 1000);
      child.stdout!.once('data', done);
      child.stderr!.once('data', done);
      void exitPromise.then(done);
    });
  for (;;) {
    if (exited) {
      await kill();
      throw new StartFailed(
        `moto_server exited before answering on port ${port} (exit ${child.exitCode ?? child.signalCode}):\n${out}`,
        /address already in use/i.test(out),
      );
    }
    // Moto's own line, printed once it has bound the port: without it, an answer on the port may be another
    // server's that took the port between the probe and moto's start (moto then exits, address in use).
    if (out.includes(`Running on http://127.0.0.1:${port}`) && (await answersHttp(port))) break;
    if (Date.now() > deadline) {
      await kill();
      throw new StartFailed(`moto_server did not answer on port ${port} within ${timeoutMs} ms:\n${out}`, false);
    }
    await output();
  }
  const startupMs = Date.now() - started;

  const endpoint = `http://127.0.0.1:${port}`;
  const clients = ec2Clients(endpoint);
  let stopped: Promise<void> | undefined;

  return {
    endpoint,
    port,
    pid,
    startupMs,
    ec2Client: clients.make,
    clientConfig: () => ({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      forcePathStyle: true,
    }),
    async reset() {
      const status = await httpPost(port, '/moto-api/reset');
      if (status !== 200) throw new Error(`moto reset failed with HTTP ${status}`);
    },
    output: () => out,
    stop() {
      stopped ??= (async () => {
        clients.destroyAll();
        await kill();
      })();
      return stopped;
    },
  };
}

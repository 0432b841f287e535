/**
 * botocore 1.43.11 in a child Python process (botocore_side.py), pointed at the
 * same moto_server as the SDK clients: one process per test file, one JSON line
 * per batch each way.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import { join } from 'path';
import { createInterface } from 'readline';

/** One call of the set-up, run by boto3: `${name.Path}` strings read an earlier step's saved output. */
export interface SetUpStep {
  readonly service: string;
  readonly call: string;
  readonly params?: object;
  /** Keep the output under this name, for later steps and for the cases. */
  readonly save?: string;
  /** The error code this step is meant to fail with. */
  readonly expectError?: string;
}

export interface BotocorePaginateCase {
  readonly id: string;
  readonly kind: 'paginate';
  readonly service: string;
  readonly operation: string;
  readonly input: object;
  readonly pageSize?: number | string;
  readonly maxItems?: number;
  readonly startingToken?: string;
  readonly itemKey?: string;
  /** Also paginate again from the resume token, with the same page size. */
  readonly resume?: boolean;
}

export interface BotocoreWaitCase {
  readonly id: string;
  readonly kind: 'wait';
  readonly service: string;
  readonly waiter: string;
  /** A waiter of the case's own (waiters-2.json form); botocore's shipped one otherwise. */
  readonly spec?: object;
  readonly input: object;
  readonly delay: number;
  readonly maxAttempts: number;
}

export type BotocoreCase = BotocorePaginateCase | BotocoreWaitCase;

export interface BotocorePages {
  readonly pages: unknown[][];
  readonly resumeToken: string | null;
  readonly calls: number;
  /** With `resume`: the pages from the resume token on. */
  readonly resumed?: unknown[][];
}

export interface BotocoreWait {
  readonly outcome: 'success' | 'failure' | 'timeout' | 'error';
  readonly reason: string | null;
  readonly attempts: number;
  readonly lastCode: string | null;
}

export type BotocoreResult = { readonly id: string } & (BotocorePages | BotocoreWait | { readonly error: string });

export interface BotocoreSide {
  /** Loads these services' models, while moto is still starting. */
  preload(services: readonly string[]): Promise<void>;
  /** One read per service, so that moto loads their backends now. */
  warm(services: readonly string[]): Promise<void>;
  /** Points every later call at moto, once moto answers there. */
  connect(endpoint: string, region?: string): Promise<void>;
  setUp(steps: readonly SetUpStep[]): Promise<Record<string, unknown>>;
  run(cases: readonly BotocoreCase[]): Promise<Map<string, BotocoreResult>>;
  stop(): Promise<void>;
}

const SCRIPT = join(__dirname, 'botocore_side.py');

/** Starts the Python side; `connect` points it at moto. `$PYTHON` names the interpreter (default `python3`, which has moto's boto3). */
export function startBotocoreSide(): BotocoreSide {
  const child: ChildProcessWithoutNullStreams = spawn(process.env.PYTHON ?? 'python3', [SCRIPT], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-8192);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  let failure: Error | undefined;
  child.once('error', (error) => (failure = error));
  void exited.then(() => {
    failure ??= new Error(`botocore_side.py exited (${child.exitCode ?? child.signalCode}): ${stderr}`);
    for (const reject of waiting.splice(0)) reject('');
  });

  // Written at once (the child may work while this process loads modules); answers come back in order.
  const ask = <T>(request: object): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (failure) return reject(failure);
      waiting.push((line) => {
        if (!line) return reject(failure);
        const answer = JSON.parse(line) as T & { error?: string; trace?: string };
        if (answer.error !== undefined) reject(new Error(`botocore side: ${answer.error}\n${answer.trace ?? ''}`));
        else resolve(answer);
      });
      child.stdin.write(`${JSON.stringify(request)}\n`);
    });

  return {
    async preload(services) {
      await ask({ op: 'preload', services });
    },
    async warm(services) {
      await ask({ op: 'warm', services });
    },
    async connect(endpoint, region = 'us-east-1') {
      await ask({ op: 'connect', endpoint, region });
    },
    async setUp(steps) {
      return (await ask<{ saved: Record<string, unknown> }>({ op: 'setUp', steps })).saved;
    },
    async run(cases) {
      const { results } = await ask<{ results: BotocoreResult[] }>({ op: 'run', cases });
      return new Map(results.map((result) => [result.id, result]));
    },
    async stop() {
      child.stdin.end();
      // It may still be waiting for a moto that never came up.
      child.kill();
      await exited;
    },
  };
}

/**
 * Shared plumbing of the benchmark workers: reporting to the runner, forced-GC
 * heap readings, medians, and tinybench rounds that vary the task order.
 *
 * Every worker is bundled by bench/run.ts (esbuild, src included) and started
 * as `node --expose-gc bench/.build/<worker>.js`; it sends one WorkerReport to
 * the runner over IPC (or prints it when started by hand).
 */
import { Bench } from 'tinybench';

/** One printed line of a section: a measured value, and its ratio to the section's reference row. */
export interface Row {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** value / reference value, measured in the same process and run. */
  readonly ratio?: number;
  /** The row the ratio is taken against. */
  readonly ratioTo?: string;
  /** Lowest and highest ratio of a single round: how far the ratio moved during the run. */
  readonly ratioRange?: readonly [number, number];
  readonly note?: string;
}

export interface Section {
  readonly title: string;
  readonly rows: Row[];
  readonly notes?: string[];
}

export interface Goal {
  readonly id: string;
  readonly goal: string;
  /** The median: of the ratios of samples taken side by side, or of the samples themselves. */
  readonly measured: number;
  /** Lowest and highest value of a single round (or sample), beside the median. */
  readonly range?: readonly [number, number];
  readonly target: number;
  readonly unit: string;
  /** Goals are "measured < target" unless said otherwise. */
  readonly op?: '<' | '<=' | '>=';
  /** A goal that could not be measured this run (skipped measurement). */
  readonly skipped?: string;
  /** Context printed after the verdict, such as this run's noise floor. */
  readonly note?: string;
}

export interface WorkerReport {
  readonly sections: Section[];
  readonly goals: Goal[];
  /** Raw numbers for the results file: samples, counts, settings. */
  readonly details: Record<string, unknown>;
}

/** Hands the report to the runner (IPC), or prints it when run by hand. */
export async function report(result: WorkerReport): Promise<void> {
  if (process.send) {
    await new Promise<void>((resolve, reject) =>
      process.send!({ kind: 'report', result }, (error: Error | null) => (error ? reject(error) : resolve())),
    );
  } else {
    console.log(JSON.stringify(result, null, 2));
  }
}

/** Runs a worker's main: any failure is reported and exits non-zero. */
export function main(run: () => Promise<WorkerReport>): void {
  run()
    .then(report)
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}

/**
 * A progress line on stderr, prefixed with the worker's name. It also tells
 * the runner the worker is alive: the runner stops a worker only after a
 * long silence (a hang), never for being slow on a busy machine.
 */
export function progress(worker: string, message: string): void {
  process.stderr.write(`  [${worker}] ${message}\n`);
  alive();
}

/** Tells the runner the worker is still making progress (see {@link progress}). */
export function alive(): void {
  process.send?.({ kind: 'alive' });
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Retained heap in bytes after full, repeated garbage collection. Needs `node --expose-gc`. */
export function heapAfterGc(): number {
  if (!gc) throw new Error('run with node --expose-gc');
  // Several passes: weak maps, finalizers and the young generation settle over a few collections.
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}

/** Resolves after the current macrotask and all of its microtasks. */
export const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The lowest and highest value. */
export function range(values: readonly number[]): [number, number] {
  return [Math.min(...values), Math.max(...values)];
}

export const MB = 1024 * 1024;

export interface TaskDef {
  readonly name: string;
  readonly fn: () => unknown;
}

export interface AlternateOptions {
  /**
   * Benches of all tasks, each in another order (see {@link williamsOrder}).
   * A multiple of the task count (twice it for an odd count) balances every position and neighbour.
   */
  readonly rounds: number;
  /** Measured calls of each task per round. */
  readonly iterations: number;
  /** Unmeasured calls of each task before the first round. */
  readonly warmupIterations: number;
}

/** True while tinybench is in a measured phase (not warm-up): tasks use it to keep side measurements of measured calls only. */
export let measuring = false;

/** Samples (ms) of tasks run side by side, kept per round. */
export class Timings {
  constructor(private readonly byRound: Map<string, number[][]>) {}

  /** Every measured sample of a task. */
  samples(name: string): number[] {
    return this.get(name).flat();
  }

  /** The median of every measured sample of a task. */
  median(name: string): number {
    return median(this.samples(name));
  }

  /**
   * `name` relative to `to`: the median of the ratios of every sample of
   * `name` to every sample of `to` taken in the same round (a Hodges-Lehmann
   * style estimate). Comparing only within rounds cancels drift (a server
   * warming up, a neighbour's load); pooling all pairs uses every sample.
   */
  ratio(name: string, to: string): number {
    const a = this.get(name);
    const b = this.get(to);
    return median(a.flatMap((round, r) => round.flatMap((x) => b[r]!.map((y) => x / y))));
  }

  /** The lowest and highest ratio of `name` to `to` within one round (each the median of that round's pairs). */
  ratioRange(name: string, to: string): [number, number] {
    const a = this.get(name);
    const b = this.get(to);
    return range(a.map((round, r) => median(round.flatMap((x) => b[r]!.map((y) => x / y)))));
  }

  toJSON(): Record<string, number[][]> {
    return Object.fromEntries(this.byRound);
  }

  private get(name: string): number[][] {
    const rounds = this.byRound.get(name);
    if (!rounds) throw new Error(`no task named ${name}`);
    return rounds;
  }
}

/**
 * The task order of round `round` for `n` tasks: a Williams Latin square. Over
 * n rounds (2n for odd n) every task runs once in every position and follows
 * every other task once, so neither a position (first after a switch, last
 * before one) nor a neighbour's after-effects (GC debt, a cold cache) favours
 * one task. For two tasks: AB, BA.
 */
export function williamsOrder(n: number, round: number): number[] {
  const base: number[] = [];
  for (let i = 0, lo = 1, hi = n - 1; i < n; i++) base.push(i === 0 ? 0 : i % 2 === 1 ? lo++ : hi--);
  const row = base.map((k) => (k + round) % n);
  return n % 2 === 1 && Math.floor(round / n) % 2 === 1 ? row.reverse() : row;
}

/**
 * Runs the tasks side by side with tinybench: `rounds` benches, the order
 * changing every round (see {@link williamsOrder}), warm-up calls in the first
 * round only. Returns every measured sample (ms), per task and round.
 */
export async function alternate(tasks: readonly TaskDef[], options: AlternateOptions): Promise<Timings> {
  const samples = new Map<string, number[][]>(tasks.map((task) => [task.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    const warm = round === 0 && options.warmupIterations > 0;
    const bench = new Bench({
      name: `round ${round + 1}`,
      time: 0,
      iterations: options.iterations,
      warmup: warm,
      warmupIterations: warm ? options.warmupIterations : 0,
      warmupTime: 0,
      retainSamples: true,
      throws: true,
      timestampProvider: 'hrtimeNow',
    });
    const ordered = williamsOrder(tasks.length, round).map((i) => tasks[i]!);
    for (const task of ordered) {
      bench.add(task.name, task.fn, {
        async: true,
        beforeAll: (mode) => {
          measuring = mode === 'run';
        },
        afterAll: () => {
          measuring = false;
        },
      });
    }
    await bench.run();
    alive();
    for (const task of bench.tasks) {
      const { result } = task;
      if (result.state !== 'completed') {
        throw new Error(`task ${task.name}: ${result.state}${'error' in result ? `: ${result.error.message}` : ''}`);
      }
      // tinybench keeps samples sorted; their order within a round does not matter here.
      samples.get(task.name)!.push([...(result.latency.samples ?? [])]);
    }
  }
  return new Timings(samples);
}

/** A well-formed Scan page: one item, and a key to go on with unless it is the last page. */
export interface FakeScanPage {
  Items: Array<Record<string, { S: string } | { N: string }>>;
  Count: number;
  ScannedCount: number;
  LastEvaluatedKey?: Record<string, { S: string }>;
  $metadata: { httpStatusCode: number };
}

export const ONE_ITEM = [{ pk: { S: 'item' }, n: { N: '1' } }];

/** Page `index` (0-based) of `total`: tokens are distinct objects, as DynamoDB's `LastEvaluatedKey`. */
export function scanPage(index: number, total: number): FakeScanPage {
  return index + 1 < total
    ? {
        Items: ONE_ITEM,
        Count: 1,
        ScannedCount: 1,
        LastEvaluatedKey: { pk: { S: `k${index}` } },
        $metadata: { httpStatusCode: 200 },
      }
    : { Items: ONE_ITEM, Count: 1, ScannedCount: 1, $metadata: { httpStatusCode: 200 } };
}

/** The machine, for the header and the results file. */
export function machine(): Record<string, unknown> {
  const os = require('os') as typeof import('os');
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} (${os.platform()}/${os.arch()})`,
    cpu: cpus[0]?.model ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    v8: process.versions.v8,
    loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}

/**
 * What an SDK request does with its abort signal, for in-process sends that
 * answer at once: refuse when already aborted, listen for an abort while the
 * request is out, stop listening once it is answered (the SDK's HTTP handler
 * removes its listener when the request closes). Both sides of a comparison
 * pay it on every call, so a row without a signal never looks cheaper for
 * being unable to cancel.
 */
export function answerWithSignal<T>(page: T, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return Promise.resolve(page);
  if (signal.aborted) return Promise.reject(signal.reason);
  const onAbort = () => undefined;
  signal.addEventListener('abort', onAbort, { once: true });
  signal.removeEventListener('abort', onAbort);
  return Promise.resolve(page);
}

/** Fake, obviously local credentials: the SDK signs every request, no request leaves the process. */
export const fakeCredentials = () => ({ accessKeyId: 'AKIDBENCHFAKE0000000', secretAccessKey: 'bench-fake-secret' });

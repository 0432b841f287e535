/**
 * The engine's own cost against SDK v3's, side by side in one process, each
 * goal of issue 11 (sections 3 and 4) printed as a ratio with its median and
 * range over several rounds; the two sides alternate which goes first.
 *
 *  1. per page, instant in-process pages with object tokens (a DynamoDB
 *     table with a sort key): `createPaginator` (the engine of every SDK v3
 *     `paginateX`) given one `abortSignal`, against `paginate(spec, send)`,
 *     which hands a signal to each request; both sends read it. Goal <= 1.0.
 *  2. per page through the whole SDK (middleware, signing, JSON), canned HTTP
 *     handler that reads the signal: `paginateScan` against `paginate(Scan, client)`. Goal <= 1.02.
 *  3. CPU per poll: `waitFor(TableExists, client)` against `createWaiter` (the
 *     engine of `waitUntilTableExists`), given an abort signal, on an
 *     in-process client that reads it; many waits at once, 10 ms apart. Goal <= 1.0.
 *
 * Every figure is CPU time (user + system) per page or poll.
 *
 * Run: `npx ts-node --transpile-only bench/engineCost.ts [--quick]`, or with `--cpu-prof`
 * through `node -r ts-node/register/transpile-only`. Self-contained: no other bench file is used.
 */
import { Readable } from 'stream';
import * as os from 'os';
import { setMaxListeners } from 'events';
import { DynamoDBClient, DescribeTableCommand, paginateScan, type DescribeTableCommandInput } from '@aws-sdk/client-dynamodb';
import { createPaginator } from '@smithy/core';
import { createWaiter, WaiterState } from '@smithy/util-waiter';
import type { Observable } from 'rxjs';
import { compilePaginator, paginate, waitFor, type SdkClient } from '../src';
import { Scan, TableExists } from '../src/services/generated/dynamodb';

// The SDK's warning about this Node version says nothing about what is measured.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= '1';
const quick = process.argv.includes('--quick');
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const ROUNDS = quick ? 4 : 8;

// ---- measuring ----------------------------------------------------------------------------

interface Side {
  readonly name: string;
  /** Runs once; returns the units it did (pages, polls) and the measure per unit it took. */
  readonly run: () => Promise<number>;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

interface Comparison {
  readonly goal: string;
  readonly target: number;
  readonly unit: string;
  readonly ours: number[];
  readonly theirs: number[];
  readonly ratios: number[];
}

/** Rounds of both sides, alternating which goes first; a ratio per round, from the two runs of that round. */
async function compare(
  goal: string,
  target: number,
  unit: string,
  ours: Side,
  theirs: Side,
  rounds = ROUNDS,
): Promise<Comparison> {
  await ours.run(); // warm-up, unrecorded
  await theirs.run();
  const result: Comparison = { goal, target, unit, ours: [], theirs: [], ratios: [] };
  for (let round = 0; round < rounds; round++) {
    let a: number;
    let b: number;
    if (round % 2 === 0) {
      a = await ours.run();
      b = await theirs.run();
    } else {
      b = await theirs.run();
      a = await ours.run();
    }
    result.ours.push(a);
    result.theirs.push(b);
    result.ratios.push(a / b);
  }
  return result;
}

const results: Comparison[] = [];

function print(c: Comparison): void {
  results.push(c);
  const range = (values: number[]) => `${Math.min(...values).toFixed(2)}-${Math.max(...values).toFixed(2)}`;
  const ratio = median(c.ratios);
  console.log(
    `${c.goal}: ratio ${ratio.toFixed(3)} (range ${range(c.ratios)}, ${c.ratios.length} rounds) ` +
      `goal <= ${c.target} ${ratio <= c.target ? 'MET' : 'MISSED'}; ` +
      `rxjs-aws ${median(c.ours).toFixed(2)} ${c.unit} (${range(c.ours)}), SDK ${median(c.theirs).toFixed(2)} ${c.unit} (${range(c.theirs)}), ` +
      `ratio of medians ${(median(c.ours) / median(c.theirs)).toFixed(3)}`,
  );
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

// ---- 1. per page, in-process ----------------------------------------------------------------

const PAGES = quick ? 50_000 : 200_000;
const ITEMS = [{ pk: { S: 'p' }, sk: { S: 's' }, n: { N: '1' } }];

interface ScanInput {
  TableName: string;
  ExclusiveStartKey?: Record<string, { S: string }>;
  Limit?: number;
}
interface ScanPage {
  Items: typeof ITEMS;
  Count: number;
  LastEvaluatedKey?: Record<string, { S: string }>;
  $metadata: { httpStatusCode: number };
}

let served = 0;
let total = PAGES;
/** A fresh page each call, as a deserializer makes: its key an object, partition and sort key. */
function page(): ScanPage {
  const i = served++;
  return i + 1 < total
    ? { Items: ITEMS, Count: 1, LastEvaluatedKey: { pk: { S: 'p' }, sk: { S: `s${i}` } }, $metadata: { httpStatusCode: 200 } }
    : { Items: ITEMS, Count: 1, $metadata: { httpStatusCode: 200 } };
}

class Command {
  constructor(readonly input: ScanInput) {}
}
/** Answers at once; reads the signal as every real send does before it goes out. */
class InstantClient {
  send(_command: Command, options?: { abortSignal?: AbortSignal }): Promise<ScanPage> {
    if (options?.abortSignal?.aborted) return Promise.reject(new Error('aborted'));
    return Promise.resolve(page());
  }
}
const instant = new InstantClient();
const sdkPaginate = createPaginator<{ client: never }, ScanInput, ScanPage>(
  InstantClient as never,
  Command as never,
  'ExclusiveStartKey',
  'LastEvaluatedKey',
  'Limit',
);
const scanSpec = compilePaginator<ScanInput, ScanPage>(Scan.spec);

const drain = <T>(source: Observable<T>, onPage: (value: T) => void): Promise<void> =>
  new Promise((resolve, reject) => source.subscribe({ next: onPage, error: reject, complete: resolve }));

/**
 * CPU time (user + system, GC threads included) per page: on a machine shared with other work, wall time
 * mostly measures the wait for a core, and the two sides would not get the same share of it.
 */
const perPage = (started: NodeJS.CpuUsage, pages: number) => {
  const used = process.cpuUsage(started);
  return (used.user + used.system) / pages;
};

function checked(name: string, pages: number): void {
  if (pages !== total) throw new Error(`${name}: ${pages} pages, expected ${total}`);
}

const sdkInstant: Side = {
  name: 'createPaginator',
  run: async () => {
    served = 0;
    total = PAGES;
    await tick();
    const started = process.cpuUsage();
    let pages = 0;
    const controller = new AbortController();
    for await (const p of sdkPaginate({ client: instant as never }, { TableName: 'bench' }, { abortSignal: controller.signal })) {
      pages += p.Items.length;
    }
    const cost = perPage(started, pages);
    checked('createPaginator', pages);
    return cost;
  },
};

const oursInstant: Side = {
  name: 'paginate',
  run: async () => {
    served = 0;
    total = PAGES;
    await tick();
    const started = process.cpuUsage();
    let pages = 0;
    await drain(
      paginate(scanSpec, (input, { abortSignal }) => instant.send(new Command(input), { abortSignal }), { TableName: 'bench' }),
      (p) => (pages += p.Items.length),
    );
    const cost = perPage(started, pages);
    checked('paginate', pages);
    return cost;
  },
};

// ---- 2. through the whole SDK ----------------------------------------------------------------

const HTTP_PAGES = quick ? 300 : 2_000;

function cannedClient(): DynamoDBClient {
  const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'bench' };
  return new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDBENCHFAKE0000000', secretAccessKey: 'bench-fake-secret' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (_request: unknown, options?: { abortSignal?: AbortSignal }) => {
        if (options?.abortSignal?.aborted) throw new Error('aborted');
        const { $metadata, ...body } = page();
        void $metadata;
        const bytes = Buffer.from(JSON.stringify(body));
        return {
          response: {
            statusCode: 200,
            headers: { ...headers, 'content-length': String(bytes.length) },
            body: Readable.from(bytes),
          },
        };
      },
    } as never,
  });
}

const http = cannedClient();

const sdkHttp: Side = {
  name: 'paginateScan',
  run: async () => {
    served = 0;
    total = HTTP_PAGES;
    await tick();
    const started = process.cpuUsage();
    let pages = 0;
    const controller = new AbortController();
    for await (const p of paginateScan({ client: http }, { TableName: 'bench' }, { abortSignal: controller.signal })) {
      pages += p.Items!.length;
    }
    const cost = perPage(started, pages);
    checked('paginateScan', pages);
    return cost;
  },
};

const oursHttp: Side = {
  name: 'paginate(Scan, client)',
  run: async () => {
    served = 0;
    total = HTTP_PAGES;
    await tick();
    const started = process.cpuUsage();
    let pages = 0;
    await drain(paginate(Scan, http, { TableName: 'bench' }), (p) => (pages += p.Items!.length));
    const cost = perPage(started, pages);
    checked('paginate(Scan, client)', pages);
    return cost;
  },
};

// ---- 3. waiters: CPU per poll ------------------------------------------------------------------

const WAITERS = quick ? 2_000 : 5_000;
const POLLS = 5;
const inputs: DescribeTableCommandInput[] = Array.from({ length: WAITERS }, (_, i) => ({ TableName: `table-${i}` }));
const polls = new Map<string, number>();
let totalPolls = 0;

/** DescribeTable answered at once: CREATING until a table's 5th poll. Reads the signal, as a real send does. */
const waiterClient = {
  send(command: DescribeTableCommand, options?: { abortSignal?: AbortSignal }) {
    if (options?.abortSignal?.aborted) return Promise.reject(new Error('aborted'));
    const name = command.input.TableName!;
    const count = polls.get(name)! + 1;
    polls.set(name, count);
    totalPolls++;
    return Promise.resolve({
      Table: { TableName: name, TableStatus: count >= POLLS ? 'ACTIVE' : 'CREATING' },
      $metadata: { httpStatusCode: 200 },
    });
  },
};

/** TableExists' acceptors written for createWaiter, as SDK v3's generated waiters do. */
async function tableExistsCheck(client: typeof waiterClient, input: DescribeTableCommandInput) {
  try {
    const output = await client.send(new DescribeTableCommand(input));
    return { state: output.Table?.TableStatus === 'ACTIVE' ? WaiterState.SUCCESS : WaiterState.RETRY, reason: output };
  } catch (error) {
    if ((error as { name?: unknown }).name === 'ResourceNotFoundException') return { state: WaiterState.RETRY, reason: error };
    return { state: WaiterState.FAILURE, reason: error };
  }
}

type Start = (input: DescribeTableCommandInput, done: (error?: unknown) => void) => void;

/** Every wait of the SDK side can be cancelled, as an unsubscription cancels a waitFor: one signal for all (no controller per wait). */
const sdkAbort = new AbortController();
setMaxListeners(0, sdkAbort.signal); // one listener per wait, on purpose
const startSdk: Start = (input, done) => {
  createWaiter(
    { client: waiterClient as never, maxWaitTime: 60, minDelay: 0.01, maxDelay: 0.01, abortSignal: sdkAbort.signal },
    input,
    tableExistsCheck as never,
  ).then((result) => done(result.state === WaiterState.SUCCESS ? undefined : new Error(`waiter ended ${result.state}`)), done);
};
const startOurs: Start = (input, done) => {
  waitFor(TableExists, waiterClient as never as SdkClient & DynamoDBClient, input, { delay: 0.01, maxWaitTime: 60 }).subscribe({
    error: done,
    complete: () => done(),
  });
};

function waitSide(name: string, start: Start): Side {
  return {
    name,
    run: async () => {
      for (const input of inputs) polls.set(input.TableName!, 0);
      await tick();
      const before = totalPolls;
      const usage = process.cpuUsage();
      await new Promise<void>((resolve, reject) => {
        let pending = inputs.length;
        const done = (error?: unknown) => (error ? reject(error) : --pending === 0 && resolve());
        for (const input of inputs) start(input, done);
      });
      const used = process.cpuUsage(usage);
      const made = totalPolls - before;
      if (made !== WAITERS * POLLS) throw new Error(`${name}: ${made} polls, expected ${WAITERS * POLLS}`);
      return (used.user + used.system) / made;
    },
  };
}

// ---- main ----------------------------------------------------------------------------------------

async function mainRun(): Promise<void> {
  console.log(
    `engine cost: ${os.cpus()[0]?.model ?? 'cpu'} x${os.availableParallelism?.() ?? os.cpus().length}, node ${process.version}, ` +
      `load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}${quick ? ', quick' : ''}`,
  );
  if (!only || only === 'pages') {
    print(
      await compare(
        `per page vs createPaginator, ${PAGES.toLocaleString('en')} object-token pages`,
        1.0,
        'µs/page',
        oursInstant,
        sdkInstant,
      ),
    );
  }
  if (!only || only === 'sdk') {
    print(
      await compare(
        `per page vs paginateScan, whole SDK, ${HTTP_PAGES.toLocaleString('en')} pages`,
        1.02,
        'µs/page',
        oursHttp,
        sdkHttp,
        ROUNDS * 3,
      ),
    );
  }
  if (!only || only === 'wait') {
    print(
      await compare(
        `CPU per poll vs createWaiter, ${WAITERS.toLocaleString('en')} waits x ${POLLS} polls`,
        1.0,
        'µs/poll',
        waitSide('waitFor', startOurs),
        waitSide('createWaiter', startSdk),
      ),
    );
  }
  console.log(`load after: ${os.loadavg()[0]!.toFixed(2)}`);
  http.destroy();
  if (process.send) await reportToRunner();
}

/** Started by bench/run.ts as a worker: the same figures as its WorkerReport (sections, goals, details) over IPC. */
async function reportToRunner(): Promise<void> {
  const rows = results.flatMap((c) => [
    { name: `${c.goal}: SDK v3`, value: median(c.theirs), unit: c.unit },
    {
      name: `${c.goal}: rxjs-aws`,
      value: median(c.ours),
      unit: c.unit,
      ratio: median(c.ratios),
      ratioTo: `${c.goal}: SDK v3`,
      note: `ratio range ${Math.min(...c.ratios).toFixed(2)}-${Math.max(...c.ratios).toFixed(2)} over ${c.ratios.length} rounds`,
    },
  ]);
  const result = {
    sections: [{ title: 'Engine cost against SDK v3, side by side', rows }],
    goals: results.map((c, i) => ({
      id: `engine-${i + 1}`,
      goal: c.goal,
      measured: median(c.ratios),
      target: c.target,
      unit: 'x',
      op: '<=' as const,
      note: `range ${Math.min(...c.ratios).toFixed(2)}-${Math.max(...c.ratios).toFixed(2)}`,
    })),
    details: { comparisons: results, load: os.loadavg() },
  };
  await new Promise<void>((resolve, reject) =>
    process.send!({ kind: 'report', result }, (error: Error | null) => (error ? reject(error) : resolve())),
  );
}

mainRun()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });

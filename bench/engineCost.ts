/**
 * The engine's cost against SDK v3's, side by side in one process: the four
 * goals of issue 21, each printed as the median of per-round ratios with the
 * lowest and highest round beside it. The two sides alternate which goes
 * first; every figure is CPU time (user + system, GC included) per page or
 * poll, since on a shared machine wall time mostly measures the wait for a core.
 *
 * Both sides can always be cancelled, and every send reads its signal as the
 * SDK's HTTP handler does (`answerWithSignal`: refuse when aborted, listen
 * while the request is out, stop once answered):
 *  1. engine per page: `paginate(spec, send)` against `createPaginator` (the
 *     engine of every SDK v3 `paginateX`) given one `abortSignal`, on an
 *     in-process client answering at once, object tokens (a DynamoDB key with
 *     a sort key). Goal <= 1.0.
 *  2. engine per poll: `waitFor(TableExists, client)` against `createWaiter`
 *     (the engine of `waitUntilTableExists`), given an `abortSignal` of its own
 *     per wait (each wait can be cancelled alone, as an unsubscription cancels
 *     one waitFor), with the acceptors written as SDK v3's generated waiters
 *     write them, the check handing each request that signal (the generated
 *     waiters hand none); many waits at once, 10 ms apart. Goal <= 1.0.
 *  3. per page through the whole SDK (middleware, signing, JSON), a canned
 *     in-memory request handler: `paginate(Scan, client)` against
 *     `paginateScan` given an `abortSignal`. Goal <= 1.02.
 *  4. per poll through the whole SDK: `waitFor(TableExists, client)` against
 *     `waitUntilTableExists` given an `abortSignal` per wait. Goal <= 1.02.
 *
 * Run alone: `npx ts-node --transpile-only bench/engineCost.ts [--quick] [--only=page,poll,sdk-page,sdk-poll]`.
 */
import { Readable } from 'stream';
import {
  DescribeTableCommand,
  DynamoDBClient,
  paginateScan,
  waitUntilTableExists,
  type DescribeTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { createPaginator } from '@smithy/core';
import { createWaiter, WaiterState } from '@smithy/util-waiter';
import type { Observable } from 'rxjs';
import { compilePaginator, paginate, waitFor } from '../src';
import { Scan, TableExists } from '../src/services/generated/dynamodb';
import { answerWithSignal, fakeCredentials, main, median, progress, range, type Goal, type Row } from './common';

const quick = process.argv.includes('--quick');
const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const ROUNDS = quick ? 4 : 10;

// ---- measuring ----------------------------------------------------------------------------

interface Side {
  readonly name: string;
  /** Runs once; returns the CPU microseconds per unit (page, poll). */
  readonly run: () => Promise<number>;
}

interface Comparison {
  readonly id: string;
  readonly goal: string;
  readonly target: number;
  readonly unit: string;
  readonly ours: Side;
  readonly theirs: Side;
  readonly oursValues: number[];
  readonly theirsValues: number[];
  readonly ratios: number[];
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** CPU microseconds (user + system, GC threads included) per unit since `started`. */
const cpuPer = (started: NodeJS.CpuUsage, units: number) => {
  const used = process.cpuUsage(started);
  return (used.user + used.system) / units;
};

/** Rounds of both sides, alternating which goes first; a ratio per round, from the two runs of that round. */
async function compare(
  id: string,
  goal: string,
  target: number,
  unit: string,
  ours: Side,
  theirs: Side,
  rounds = ROUNDS,
): Promise<Comparison> {
  await ours.run(); // warm-up, unrecorded
  await theirs.run();
  const c: Comparison = { id, goal, target, unit, ours, theirs, oursValues: [], theirsValues: [], ratios: [] };
  for (let round = 0; round < rounds; round++) {
    let a: number;
    let b: number;
    if (round % 2 === 0) {
      b = await theirs.run();
      a = await ours.run();
    } else {
      a = await ours.run();
      b = await theirs.run();
    }
    c.oursValues.push(a);
    c.theirsValues.push(b);
    c.ratios.push(a / b);
    progress('engineCost', `${id} round ${round + 1}/${rounds}: ${(a / b).toFixed(3)}x`);
  }
  return c;
}

const drain = <T>(source: Observable<T>, onValue: (value: T) => void): Promise<void> =>
  new Promise((resolve, reject) => source.subscribe({ next: onValue, error: reject, complete: resolve }));

function expectCount(name: string, got: number, expected: number): void {
  if (got !== expected) throw new Error(`${name}: ${got}, expected ${expected}`);
}

// ---- 1. engine per page ---------------------------------------------------------------------

const PAGES = quick ? 20_000 : 100_000;
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
/** Answers at once, reading the signal as the SDK's HTTP handler does. */
class InstantClient {
  send(_command: Command, options?: { abortSignal?: AbortSignal }): Promise<ScanPage> {
    return answerWithSignal(page(), options?.abortSignal);
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

function pageSide(name: string, pages: () => Promise<number>): Side {
  return {
    name,
    run: async () => {
      served = 0;
      total = PAGES;
      await tick();
      const started = process.cpuUsage();
      const count = await pages();
      const cost = cpuPer(started, count);
      expectCount(name, count, PAGES);
      return cost;
    },
  };
}

const enginePages = {
  theirs: pageSide('createPaginator', async () => {
    let count = 0;
    const { signal } = new AbortController();
    for await (const p of sdkPaginate({ client: instant as never }, { TableName: 'bench' }, { abortSignal: signal })) {
      count += p.Items.length;
    }
    return count;
  }),
  ours: pageSide('paginate(spec, send)', async () => {
    let count = 0;
    await drain(
      paginate(scanSpec, (input, { abortSignal }) => instant.send(new Command(input), { abortSignal }), { TableName: 'bench' }),
      (p) => (count += p.Items.length),
    );
    return count;
  }),
};

// ---- 2. engine per poll ---------------------------------------------------------------------

const WAITERS = quick ? 1_000 : 5_000;
const POLLS = 5;
const inputs: DescribeTableCommandInput[] = Array.from({ length: WAITERS }, (_, i) => ({ TableName: `table-${i}` }));
const polls = new Map<string, number>();
let pollsMade = 0;

/** CREATING until a table's 5th poll, then ACTIVE. */
function describe(name: string) {
  const count = polls.get(name)! + 1;
  polls.set(name, count);
  pollsMade++;
  return { Table: { TableName: name, TableStatus: count >= POLLS ? 'ACTIVE' : 'CREATING' } };
}

/** DescribeTable answered at once, reading the signal as the SDK's HTTP handler does. */
const waiterClient = {
  send(command: DescribeTableCommand, options?: { abortSignal?: AbortSignal }) {
    return answerWithSignal({ ...describe(command.input.TableName!), $metadata: { httpStatusCode: 200 } }, options?.abortSignal);
  },
};

/**
 * TableExists' acceptors written for createWaiter, as SDK v3's generated waiters write them, but handing each
 * request the wait's signal (the generated ones hand none), so that both sides' sends read theirs.
 */
async function tableExistsCheck(client: typeof waiterClient, input: DescribeTableCommandInput, abortSignal: AbortSignal) {
  try {
    const output = await client.send(new DescribeTableCommand(input), { abortSignal });
    return { state: output.Table?.TableStatus === 'ACTIVE' ? WaiterState.SUCCESS : WaiterState.RETRY, reason: output };
  } catch (error) {
    if ((error as { name?: unknown }).name === 'ResourceNotFoundException') return { state: WaiterState.RETRY, reason: error };
    return { state: WaiterState.FAILURE, reason: error };
  }
}

type Start = (input: DescribeTableCommandInput, done: (error?: unknown) => void) => void;

function waitSide(name: string, waits: readonly DescribeTableCommandInput[], start: Start): Side {
  return {
    name,
    run: async () => {
      for (const input of waits) polls.set(input.TableName!, 0);
      await tick();
      const before = pollsMade;
      const started = process.cpuUsage();
      await new Promise<void>((resolve, reject) => {
        let pending = waits.length;
        const done = (error?: unknown) => (error ? reject(error) : --pending === 0 && resolve());
        for (const input of waits) start(input, done);
      });
      const made = pollsMade - before;
      const cost = cpuPer(started, made);
      expectCount(`${name} polls`, made, waits.length * POLLS);
      return cost;
    },
  };
}

const succeeded = (done: (error?: unknown) => void) => (result: { state: WaiterState }) =>
  done(result.state === WaiterState.SUCCESS ? undefined : new Error(`waiter ended ${result.state}`));

const enginePolls = {
  theirs: waitSide('createWaiter', inputs, (input, done) => {
    const { signal } = new AbortController();
    const options = { client: waiterClient as never, maxWaitTime: 60, minDelay: 0.01, maxDelay: 0.01, abortSignal: signal };
    const check = (client: typeof waiterClient, request: DescribeTableCommandInput) => tableExistsCheck(client, request, signal);
    createWaiter(options, input, check as never).then(succeeded(done), done);
  }),
  ours: waitSide('waitFor(TableExists, client)', inputs, (input, done) => {
    waitFor(TableExists, waiterClient as never as DynamoDBClient, input, { delay: 0.01, maxWaitTime: 60 }).subscribe({
      error: done,
      complete: () => done(),
    });
  }),
};

// ---- 3, 4. through the whole SDK ------------------------------------------------------------

const HTTP_PAGES = quick ? 200 : 500;
const HTTP_WAITERS = quick ? 40 : 100;
/** Through the SDK a round's ratio moves most (its garbage, a neighbour's load): shorter rounds, more of them. */
const HTTP_ROUNDS = quick ? 6 : 24;
const httpInputs = inputs.slice(0, HTTP_WAITERS);
const JSON_HEADERS = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'bench' };

/** A real DynamoDBClient whose request handler answers in memory: Scan pages and DescribeTable states. */
function cannedClient(): DynamoDBClient {
  return new DynamoDBClient({
    region: 'us-east-1',
    credentials: fakeCredentials(),
    maxAttempts: 1,
    requestHandler: {
      handle: async (
        request: { headers: Record<string, string>; body: string | Uint8Array },
        options?: { abortSignal?: AbortSignal },
      ) => {
        const target = request.headers['x-amz-target'] ?? '';
        let body: object;
        if (target.endsWith('.Scan')) {
          const { $metadata, ...scanned } = page();
          void $metadata;
          body = scanned;
        } else {
          const text = typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body);
          body = describe((JSON.parse(text) as DescribeTableCommandInput).TableName!);
        }
        const bytes = Buffer.from(JSON.stringify(body));
        await answerWithSignal(undefined, options?.abortSignal);
        return {
          response: {
            statusCode: 200,
            headers: { ...JSON_HEADERS, 'content-length': String(bytes.length) },
            body: Readable.from(bytes),
          },
        };
      },
    } as never,
  });
}
const http = cannedClient();

const sdkPages = {
  theirs: {
    name: 'paginateScan',
    run: async () => {
      served = 0;
      total = HTTP_PAGES;
      await tick();
      const started = process.cpuUsage();
      let count = 0;
      const { signal } = new AbortController();
      for await (const p of paginateScan({ client: http }, { TableName: 'bench' }, { abortSignal: signal }))
        count += p.Items!.length;
      const cost = cpuPer(started, count);
      expectCount('paginateScan', count, HTTP_PAGES);
      return cost;
    },
  },
  ours: {
    name: 'paginate(Scan, client)',
    run: async () => {
      served = 0;
      total = HTTP_PAGES;
      await tick();
      const started = process.cpuUsage();
      let count = 0;
      await drain(paginate(Scan, http, { TableName: 'bench' }), (p) => (count += p.Items!.length));
      const cost = cpuPer(started, count);
      expectCount('paginate(Scan, client)', count, HTTP_PAGES);
      return cost;
    },
  },
};

const sdkPolls = {
  theirs: waitSide('waitUntilTableExists', httpInputs, (input, done) => {
    const { signal } = new AbortController();
    waitUntilTableExists({ client: http, maxWaitTime: 60, minDelay: 0.01, maxDelay: 0.01, abortSignal: signal }, input).then(
      succeeded(done),
      done,
    );
  }),
  ours: waitSide('waitFor(TableExists, client)', httpInputs, (input, done) => {
    waitFor(TableExists, http, input, { delay: 0.01, maxWaitTime: 60 }).subscribe({ error: done, complete: () => done() });
  }),
};

// ---- main ------------------------------------------------------------------------------------

const PLAN = [
  ['page', `engine per page vs createPaginator, ${PAGES.toLocaleString('en')} object-token pages`, 1.0, 'µs/page', enginePages],
  [
    'poll',
    `engine CPU per poll vs createWaiter, ${WAITERS.toLocaleString('en')} waits x ${POLLS} polls`,
    1.0,
    'µs/poll',
    enginePolls,
  ],
  [
    'sdk-page',
    `per page through the whole SDK vs paginateScan, ${HTTP_PAGES.toLocaleString('en')} pages`,
    1.02,
    'µs/page',
    sdkPages,
  ],
  [
    'sdk-poll',
    `per poll through the whole SDK vs waitUntilTableExists, ${HTTP_WAITERS} waits x ${POLLS} polls`,
    1.02,
    'µs/poll',
    sdkPolls,
  ],
] as const;

main(async () => {
  const comparisons: Comparison[] = [];
  for (const [id, goal, target, unit, sides] of PLAN) {
    if (only && !only.includes(id)) continue;
    progress('engineCost', goal);
    const rounds = id.startsWith('sdk') ? HTTP_ROUNDS : ROUNDS;
    comparisons.push(await compare(id, goal, target, unit, sides.ours, sides.theirs, rounds));
  }
  http.destroy();
  const span = (values: number[]) =>
    range(values)
      .map((v) => v.toFixed(2))
      .join('-');
  const rows: Row[] = comparisons.flatMap((c) => [
    { name: `${c.id}: ${c.theirs.name}`, value: median(c.theirsValues), unit: c.unit, note: `range ${span(c.theirsValues)}` },
    {
      name: `${c.id}: ${c.ours.name}`,
      value: median(c.oursValues),
      unit: c.unit,
      ratio: median(c.ratios),
      ratioTo: `${c.id}: ${c.theirs.name}`,
      ratioRange: range(c.ratios),
      note: `range ${span(c.oursValues)}; ${c.ratios.length} rounds`,
    },
  ]);
  const goals: Goal[] = comparisons.map((c) => ({
    id: `engine-${c.id}`,
    goal: c.goal,
    measured: median(c.ratios),
    range: range(c.ratios),
    target: c.target,
    unit: 'x',
    op: '<=',
  }));
  return {
    sections: [
      {
        title: '8. Engine cost against SDK v3, side by side (CPU per page or poll)',
        rows,
        notes: [
          'Every send reads its abort signal as the SDK HTTP handler does; every side can be cancelled (SDK: abortSignal).',
          'Ratio: median of per-round ratios, [lowest-highest round]; the sides alternate which goes first.',
        ],
      },
    ],
    goals,
    details: {
      comparisons: comparisons.map(({ ours, theirs, ...c }) => ({ ...c, ours: ours.name, theirs: theirs.name })),
    },
  };
});

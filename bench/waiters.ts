/**
 * Measurement 4, many waiters: 10,000 concurrent waits for a DynamoDB table
 * in one process, `waitFor(TableExists, client)` against SDK v3's
 * `createWaiter` (@smithy/util-waiter, the engine of `waitUntilTableExists`)
 * with the same acceptors, on the same in-process client: `send` answers at
 * once (a resolved Promise) with CREATING until a table's Nth poll, then ACTIVE.
 *
 *  - memory per waiter: retained heap (forced GC) with all 10,000 parked in
 *    their delay after the first poll, minus the heap before they started;
 *    and what is left once they have all succeeded.
 *  - CPU per poll: process CPU time (user + system) of 10,000 waits of 5
 *    polls, 10 ms apart, divided by the polls made; and their wall time.
 */
import {
  DescribeTableCommand,
  type DescribeTableCommandInput,
  type DescribeTableCommandOutput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { createWaiter, WaiterState } from '@smithy/util-waiter';
import { waitFor } from '../src';
import { TableExists } from '../src/services/generated/dynamodb';
import {
  alive,
  alternate,
  heapAfterGc,
  main,
  measuring,
  median,
  nextTick,
  progress,
  range,
  type Row,
  type WorkerReport,
} from './common';

const quick = process.argv.includes('--quick');
const WAITERS = quick ? 2_000 : 10_000;
const MAX_WAIT = 60; // seconds, for both

// ---- the in-process service ----------------------------------------------------------

const polls = new Map<string, number>();
let totalPolls = 0;
let flipAfter = 5;
const inputs: DescribeTableCommandInput[] = Array.from({ length: WAITERS }, (_, i) => ({ TableName: `table-${i}` }));

function resetService(after: number): void {
  flipAfter = after;
  for (const input of inputs) polls.set(input.TableName!, 0); // same keys every time: the map does not grow
}

/** An SDK-shaped client: `send(new DescribeTableCommand(input))` resolves at once. */
const client = {
  send(command: DescribeTableCommand): Promise<DescribeTableCommandOutput> {
    const name = command.input.TableName!;
    const count = polls.get(name)! + 1;
    polls.set(name, count);
    totalPolls++;
    return Promise.resolve({
      Table: { TableName: name, TableStatus: count >= flipAfter ? 'ACTIVE' : 'CREATING' },
      $metadata: { httpStatusCode: 200 },
    });
  },
};

// ---- the two waiters -------------------------------------------------------------------

/** TableExists' acceptors written for createWaiter, as SDK v3's generated waiters do: ACTIVE succeeds, ResourceNotFoundException retries. */
async function tableExistsCheck(
  sdk: typeof client,
  input: DescribeTableCommandInput,
): Promise<{ state: WaiterState; reason?: unknown }> {
  try {
    const output = await sdk.send(new DescribeTableCommand(input));
    return { state: output.Table?.TableStatus === 'ACTIVE' ? WaiterState.SUCCESS : WaiterState.RETRY, reason: output };
  } catch (error) {
    if ((error as { name?: unknown }).name === 'ResourceNotFoundException') return { state: WaiterState.RETRY, reason: error };
    return { state: WaiterState.FAILURE, reason: error };
  }
}

type Start = (input: DescribeTableCommandInput, delay: number, done: (error?: unknown) => void) => void;

const startRxjsAws: Start = (input, delay, done) => {
  waitFor(TableExists, client as unknown as DynamoDBClient, input, { delay, maxWaitTime: MAX_WAIT }).subscribe({
    error: done,
    complete: () => done(),
  });
};

/** The same wait with a send function that never reads the abort signal: what the AbortController per poll costs. */
const startRxjsAwsSend: Start = (input, delay, done) => {
  waitFor(TableExists.spec, (request: DescribeTableCommandInput) => client.send(new DescribeTableCommand(request)), input, {
    delay,
    maxWaitTime: MAX_WAIT,
  }).subscribe({
    error: done,
    complete: () => done(),
  });
};

const startSdk: Start = (input, delay, done) => {
  createWaiter(
    { client: client as never, maxWaitTime: MAX_WAIT, minDelay: delay, maxDelay: delay },
    input,
    tableExistsCheck as never,
  ).then((result) => done(result.state === WaiterState.SUCCESS ? undefined : new Error(`waiter ended ${result.state}`)), done);
};

/** Starts every waiter; resolves when all have succeeded. */
function startAll(start: Start, delay: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let pending = inputs.length;
    const done = (error?: unknown) => {
      if (error) reject(error);
      else if (--pending === 0) resolve();
    };
    for (const input of inputs) start(input, delay, done);
  });
}

interface MemoryReading {
  perWaiter: number;
  leftAfter: number;
}

/** Heap per parked waiter (delay 1 s, success on the 2nd poll), and what stays once all succeeded. */
async function memory(start: Start): Promise<MemoryReading> {
  resetService(2);
  await nextTick();
  const before = heapAfterGc();
  const all = startAll(start, 1);
  await nextTick(); // every first poll answered and judged: all waiters now sleep their delay
  const parked = heapAfterGc();
  const firstPolls = polled();
  if (firstPolls !== WAITERS) throw new Error(`expected ${WAITERS} first polls while parked, saw ${firstPolls}`);
  await all;
  await nextTick();
  const after = heapAfterGc();
  return { perWaiter: (parked - before) / WAITERS, leftAfter: after - before };
}

/** Polls made since the last resetService. */
const polled = () => [...polls.values()].reduce((a, b) => a + b, 0);

main(async (): Promise<WorkerReport> => {
  // ---- memory: alternate order, two readings each ----
  progress('waiters', `memory: ${WAITERS.toLocaleString('en')} waiters parked in a 1 s delay`);
  const mem = { rxjsAws: [] as MemoryReading[], sdk: [] as MemoryReading[] };
  await memory(startRxjsAws); // warm-up of both, unrecorded
  await memory(startSdk);
  for (const [name, start] of [
    ['rxjsAws', startRxjsAws],
    ['sdk', startSdk],
    ['sdk', startSdk],
    ['rxjsAws', startRxjsAws],
  ] as const) {
    mem[name].push(await memory(start));
    alive();
  }

  // ---- CPU per poll ----
  progress('waiters', `CPU: ${WAITERS.toLocaleString('en')} waiters × 5 polls, 10 ms apart`);
  const cpu = {
    'waitFor(TableExists, client)': [] as number[],
    'createWaiter (SDK v3)': [] as number[],
    'waitFor(spec, send), signal unread': [] as number[],
  };
  const pollsPerRun: number[] = [];
  const timed = (name: keyof typeof cpu, start: Start) => async () => {
    resetService(5);
    const pollsBefore = totalPolls;
    const usage = process.cpuUsage();
    await startAll(start, 0.01);
    const used = process.cpuUsage(usage);
    if (measuring) {
      const made = totalPolls - pollsBefore;
      cpu[name].push((used.user + used.system) / made);
      pollsPerRun.push(made);
    }
  };
  const wall = await alternate(
    [
      { name: 'createWaiter (SDK v3)', fn: timed('createWaiter (SDK v3)', startSdk) },
      { name: 'waitFor(TableExists, client)', fn: timed('waitFor(TableExists, client)', startRxjsAws) },
      { name: 'waitFor(spec, send), signal unread', fn: timed('waitFor(spec, send), signal unread', startRxjsAwsSend) },
    ],
    { rounds: 6, iterations: 1, warmupIterations: 1 },
  );

  const kb = (bytes: number) => bytes / 1024;
  const memRx = median(mem.rxjsAws.map((m) => m.perWaiter));
  const memSdk = median(mem.sdk.map((m) => m.perWaiter));
  const cpuRx = median(cpu['waitFor(TableExists, client)']);
  const cpuSdk = median(cpu['createWaiter (SDK v3)']);
  // One CPU reading of each waiter per round, taken side by side: the ratio per round, then its median and range.
  const cpuRatios = (name: keyof typeof cpu) => cpu[name].map((us, round) => us / cpu['createWaiter (SDK v3)'][round]!);
  const wallRx = wall.median('waitFor(TableExists, client)');
  const wallSdk = wall.median('createWaiter (SDK v3)');
  const rows: Row[] = [
    {
      name: 'memory per waiter, createWaiter (SDK v3)',
      value: kb(memSdk),
      unit: 'KB',
      note: 'retained while parked in the delay',
    },
    { name: 'memory per waiter, waitFor', value: kb(memRx), unit: 'KB', ratio: memRx / memSdk, ratioTo: 'createWaiter (SDK v3)' },
    {
      name: 'left after all succeeded, createWaiter',
      value: kb(median(mem.sdk.map((m) => m.leftAfter))),
      unit: 'KB',
      note: `all ${WAITERS.toLocaleString('en')} together`,
    },
    {
      name: 'left after all succeeded, waitFor',
      value: kb(median(mem.rxjsAws.map((m) => m.leftAfter))),
      unit: 'KB',
      note: `all ${WAITERS.toLocaleString('en')} together`,
    },
    { name: 'CPU per poll, createWaiter (SDK v3)', value: cpuSdk, unit: 'µs', note: 'user + system, GC included' },
    {
      name: 'CPU per poll, waitFor',
      value: cpuRx,
      unit: 'µs',
      ratio: median(cpuRatios('waitFor(TableExists, client)')),
      ratioTo: 'createWaiter (SDK v3)',
      ratioRange: range(cpuRatios('waitFor(TableExists, client)')),
    },
    {
      name: 'CPU per poll, waitFor(spec, send), signal unread',
      value: median(cpu['waitFor(spec, send), signal unread']),
      unit: 'µs',
      ratio: median(cpuRatios('waitFor(spec, send), signal unread')),
      ratioTo: 'createWaiter (SDK v3)',
      ratioRange: range(cpuRatios('waitFor(spec, send), signal unread')),
      note: 'no AbortController made',
    },
    {
      name: `wall time, ${WAITERS.toLocaleString('en')} × 5 polls, createWaiter`,
      value: wallSdk,
      unit: 'ms',
      note: `median of ${wall.samples('createWaiter (SDK v3)').length}; 4 delays of 10 ms are the floor`,
    },
    {
      name: `wall time, ${WAITERS.toLocaleString('en')} × 5 polls, waitFor`,
      value: wallRx,
      unit: 'ms',
      ratio: wall.ratio('waitFor(TableExists, client)', 'createWaiter (SDK v3)'),
      ratioTo: 'createWaiter (SDK v3)',
      ratioRange: wall.ratioRange('waitFor(TableExists, client)', 'createWaiter (SDK v3)'),
    },
  ];
  return {
    sections: [
      {
        title: `4. Many waiters: ${WAITERS.toLocaleString('en')} concurrent waits on one in-process client (TableExists acceptors)`,
        rows,
        notes: [
          `polls per CPU run: ${[...new Set(pollsPerRun)].join('/')} (5 per waiter); both waiters get maxWaitTime ${MAX_WAIT} s and a fixed delay (SDK: minDelay = maxDelay).`,
          'waitFor hands every call the abort signal of its wait (one AbortController per wait) and keeps a deadline timer; createWaiter passes no signal here.',
          'The CPU goal is judged in section 8 (engineCost), where every send reads its signal and createWaiter gets one per wait.',
        ],
      },
    ],
    goals: [],
    details: { waiters: WAITERS, memory: mem, cpuMicrosPerPoll: cpu, wallMsPerRound: wall.toJSON(), pollsPerRun },
  };
});

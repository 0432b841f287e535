/**
 * Leaks under churn: 100,000 subscribe/unsubscribe cycles of paginate,
 * fullResult, paginateIterable, waitFor and waitForAttempts, each ended at a
 * random moment (at once, after a few microtasks, after a few milliseconds,
 * after k pages or attempts), against sends that answer at once, on a
 * microtask, a little later, as an Observable, or never. Then a few thousand
 * more through the real DynamoDBClient against dynalite.
 *
 * Afterwards: no timers, sockets or other handles beyond the baseline
 * (`process.getActiveResourcesInfo()`); no listener left on any AbortSignal
 * handed to send (the sends here remove their own, as the SDK does, so what
 * is left would be the library's); every request in flight when its
 * subscriber left was aborted (a send that reads the signal late still sees
 * the abort); every Observable a send returned was unsubscribed; and the
 * heap after GC grew by less than 5 MB.
 *
 * Not in `npm test`: `npm run test:stress` (jest.stress.config.js), with
 * `node --expose-gc` (without it the test exposes GC itself through v8 flags).
 * STRESS_CYCLES=1000000 npm run test:stress  # longer (~40 s); STRESS_HTTP_CYCLES likewise
 * STRESS_ONLY=retrying npm run test:stress     # one kind of cycle (paginate, retrying, demand,
 *                                              # fullResult, iterable, waitFor, smithy, attempts)
 *
 * The heap check's sensitivity: 5 MB over 100,000 cycles is 50 bytes a cycle.
 */
import { getEventListeners } from 'events';
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';
import {
  DynamoDBClient,
  ScanCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type ScanCommandOutput,
  type DescribeTableCommandOutput,
  type DescribeTimeToLiveCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { Observable, Subject, take, type Subscription } from 'rxjs';
import {
  fullResult,
  paginate,
  paginateIterable,
  waitFor,
  waitForAttempts,
  type Send,
  type SmithyWaiterSpec,
  type WaiterSpec,
} from '../../src';
import { fakeCredentials } from '../support/httpTracking';
import { createTable, putItems, startDynalite } from '../support/startDynalite';
import { until } from '../support/until';

const CYCLES = Number(process.env.STRESS_CYCLES ?? 100_000);
const HTTP_CYCLES = Number(process.env.STRESS_HTTP_CYCLES ?? 5_000);
const WARM_UP = 5_000;
const BATCH = 500;
const HTTP_BATCH = 200;
/** Longer than the test: a request the server never answers. */
const NEVER_ANSWERED_MS = 600_000;
const HEAP_LIMIT = 5 * 1024 * 1024;
/** STRESS_ONLY=waitFor etc.: one kind of cycle only, to tell which one leaks. */
const ONLY = process.env.STRESS_ONLY as (typeof KINDS)[number] | undefined;
const SAMPLE = process.env.STRESS_SAMPLE !== '0';

const collectGarbage: () => void =
  (globalThis as { gc?: () => void }).gc ?? (setFlagsFromString('--expose-gc'), runInNewContext('gc'));

/** mulberry32: the same run every time. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(20250613);
const pick = <T>(options: readonly T[]): T => options[Math.floor(random() * options.length)]!;
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Lets every timer of up to `ms` fire and every promise settle. */
async function settle(ms = 50): Promise<void> {
  await sleep(ms);
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/**
 * Resources once the test's own short timers (sends answering within a few ms,
 * `sleep`s) have run out, or after 2 s: the library's timers would outlive that
 * (a leaked wait keeps polling every millisecond; a Smithy deadline is 60 s),
 * so waiting hides no leak, only a busy machine's slowness.
 */
async function resourcesSettled(before: Record<string, number>): Promise<Record<string, number>> {
  for (let i = 0; i < 40; i++) {
    const now = resources();
    if (Object.entries(now).every(([type, n]) => n <= (before[type] ?? 0))) return now;
    await sleep(50);
  }
  return resources();
}

/** Back to the baseline: no kind of resource more numerous than before. */
function expectNoMoreThan(after: Record<string, number>, before: Record<string, number>): void {
  const grown = Object.entries(after).filter(([type, n]) => n > (before[type] ?? 0));
  expect(Object.fromEntries(grown)).toEqual({});
}

function heapAfterGc(): number {
  for (let i = 0; i < 4; i++) collectGarbage();
  return process.memoryUsage().heapUsed;
}

// ---- what is counted --------------------------------------------------------

const stats = {
  cycles: 0,
  requests: 0,
  signalsRead: 0,
  abortedInFlight: 0,
  settled: 0,
  observablesTornDown: 0,
  /** Violations: all must stay 0. */
  listenersLeft: 0,
  inFlightNotAborted: 0,
  lateReadNotAborted: 0,
  observablesLeftSubscribed: 0,
  unexpectedErrors: 0,
};
const firstViolations: string[] = [];
function violation(kind: keyof typeof stats, detail: string): void {
  stats[kind]++;
  if (firstViolations.length < 10) firstViolations.push(`${kind}: ${detail}`);
}

/** Every 100th signal, kept to the end of the run (preallocated, so the heap baseline already holds the array). */
const sampledSignals: (AbortSignal | undefined)[] = new Array(Math.ceil((CYCLES + WARM_UP) / 10)).fill(undefined);
let sampled = 0;
function sample(signal: AbortSignal): void {
  if (SAMPLE && stats.signalsRead % 100 === 0 && sampled < sampledSignals.length) sampledSignals[sampled++] = signal;
}

/** One cycle: the requests it sent, and whether its subscriber has left. */
interface Cycle {
  left: boolean;
  /** Requests still in flight: settled or aborted ones remove themselves. */
  readonly inFlight: Set<Request>;
  /** Observables returned by send and not yet completed or torn down. */
  readonly openObservables: Set<object>;
  /** Called when both sets are empty. */
  drained?: () => void;
}

function maybeDrained(cycle: Cycle): void {
  if (cycle.inFlight.size === 0 && cycle.openObservables.size === 0) cycle.drained?.();
}

interface Request {
  signal?: AbortSignal;
  done: boolean;
}

/** After its own listener is gone, the signal must have none: the rest would be the library's. */
function checkListeners(signal: AbortSignal, when: string): void {
  const left = getEventListeners(signal, 'abort').length;
  if (left !== 0) violation('listenersLeft', `${left} abort listener(s) left on a signal ${when}`);
}

type Behaviour = 'sync' | 'microtask' | 'later' | 'never' | 'lateReader' | 'observable' | 'fail';

/**
 * A send with the given habits. Promise sends listen to the signal as the SDK
 * does: add a listener while in flight, remove it when the answer comes or
 * the abort does.
 */
function makeSend<O>(
  cycle: Cycle,
  behaviour: () => Behaviour,
  answer: (input: Record<string, unknown>) => O,
): Send<Record<string, unknown>, O> {
  return (input, context) => {
    stats.requests++;
    const kind = behaviour();
    const output = answer(input);
    if (kind === 'sync') {
      stats.settled++;
      return [output]; // never looks at the signal
    }
    if (kind === 'observable') {
      return new Observable<O>((subscriber) => {
        const token = {};
        cycle.openObservables.add(token);
        const timer = setTimeout(
          () => {
            cycle.openObservables.delete(token);
            stats.settled++;
            subscriber.next(output);
            subscriber.complete();
            maybeDrained(cycle);
          },
          int(0, 2),
        );
        return () => {
          if (cycle.openObservables.delete(token)) stats.observablesTornDown++;
          clearTimeout(timer);
          maybeDrained(cycle);
        };
      });
    }
    const request: Request = { done: false };
    cycle.inFlight.add(request);
    return new Promise<O>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = () => {
        request.done = true;
        cycle.inFlight.delete(request);
        if (timer) clearTimeout(timer);
        if (request.signal) {
          request.signal.removeEventListener('abort', onAbort);
          checkListeners(request.signal, request.signal.aborted ? 'after its request was aborted' : 'after its request settled');
        }
        maybeDrained(cycle);
      };
      const onAbort = () => {
        stats.abortedInFlight++;
        finish();
        reject(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }));
      };
      const succeed = () => {
        stats.settled++;
        finish();
        resolve(output);
      };
      const listen = () => {
        const signal = (request.signal = context.abortSignal);
        stats.signalsRead++;
        sample(signal);
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        if (cycle.left) violation('inFlightNotAborted', 'a signal read after its subscriber left was not aborted');
      };
      if (kind === 'lateReader') {
        // Reads the signal only later, as the SDK does after its middleware: an earlier abort must show.
        timer = setTimeout(
          () => {
            timer = undefined;
            if (cycle.left && !context.abortSignal.aborted)
              violation('lateReadNotAborted', 'read late, after the subscriber left');
            listen();
            if (!request.done) timer = setTimeout(succeed, int(0, 2));
          },
          int(0, 2),
        );
        return;
      }
      listen();
      if (request.done) return;
      if (kind === 'microtask') queueMicrotask(succeed);
      else if (kind === 'later') timer = setTimeout(succeed, int(0, 3));
      else if (kind === 'fail') {
        timer = setTimeout(
          () => {
            finish();
            reject(
              Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }),
            );
          },
          int(0, 1),
        );
      }
      // 'never': only an abort ends it.
    });
  };
}

// ---- the cycles ---------------------------------------------------------------

type Page = { Items: number[]; NextToken?: string };
const spec = { input_token: 'NextToken', output_token: 'NextToken', limit_key: 'Limit', result_key: 'Items' };
/** Pages forever: nothing ends but the subscriber leaving. */
const endless = (input: Record<string, unknown>): Page => {
  const n = Number(input.NextToken ?? 0);
  return { Items: [n], NextToken: String(n + 1) };
};
const pending: WaiterSpec = {
  delay: 0.001,
  maxAttempts: 1_000_000,
  acceptors: [{ matcher: 'path', argument: 'Status', expected: 'DONE', state: 'success' }],
};
const smithyPending: SmithyWaiterSpec = {
  minDelay: 1,
  maxDelay: 3,
  acceptors: [{ state: 'success', matcher: { output: { path: 'Status', expected: 'DONE', comparator: 'stringEquals' } } }],
};

/** What a cycle subscribes to; paginate twice as often as the others. */
const KINDS = ['paginate', 'paginate', 'retrying', 'demand', 'fullResult', 'iterable', 'waitFor', 'smithy', 'attempts'] as const;

type Moment = 'sync' | 'microtasks' | 'timer' | 'count';
const MOMENTS: readonly Moment[] = ['sync', 'microtasks', 'timer', 'timer', 'count'];
const BEHAVIOURS: readonly Behaviour[] = ['sync', 'microtask', 'later', 'later', 'never', 'lateReader', 'observable'];

/** Subscribes, leaves at `moment`, and checks what was in flight then. */
async function cycle(): Promise<void> {
  stats.cycles++;
  const c: Cycle = { left: false, inFlight: new Set(), openObservables: new Set() };
  const moment = pick(MOMENTS);
  const count = int(1, 4);
  const what = ONLY ?? pick(KINDS);
  const behaviour = what === 'retrying' ? () => pick(['fail', 'fail', 'later'] as const) : () => pick(BEHAVIOURS);
  const waiting = what === 'waitFor' || what === 'smithy' || what === 'attempts';
  const send = makeSend<unknown>(c, behaviour, waiting ? () => ({ Status: 'PENDING' }) : endless) as Send<
    Record<string, unknown>,
    Page
  >;

  let ended!: () => void;
  const end = new Promise<void>((resolve) => (ended = resolve));
  const observer = {
    error: (error: unknown) => {
      violation('unexpectedErrors', String(error));
      ended();
    },
    complete: () => ended(),
  };

  let subscription: Subscription | undefined;
  let iterator: AsyncIterableIterator<unknown> | undefined;
  const counted = what === 'paginate' || what === 'attempts';
  switch (what) {
    case 'paginate':
      subscription = paginate(spec, send, {}, { pageSize: 10 })
        .pipe(take(moment === 'count' ? count : Infinity))
        .subscribe(observer);
      break;
    case 'retrying':
      // A failed page waits for its retry on a timer: leaving then must clear it.
      subscription = paginate(spec, send, {}, { retry: { retries: 1_000_000, delay: () => 0.001 * int(0, 3) } }).subscribe(
        observer,
      );
      break;
    case 'demand': {
      // One page allowed, then no more: the subscriber leaves an idle stream.
      const demand = new Subject<void>();
      subscription = paginate(spec, send, {}, { demand }).subscribe(observer);
      demand.next();
      break;
    }
    case 'fullResult':
      subscription = fullResult(spec, send, {}).subscribe(observer);
      break;
    case 'iterable':
      iterator = paginateIterable(spec, send, {});
      void iterator.next().catch(() => undefined);
      break;
    case 'waitFor':
      subscription = waitFor(pending, send, {}).subscribe(observer);
      break;
    case 'smithy':
      // A deadline timer too.
      subscription = waitFor(smithyPending, send, {}, { delay: 0.001, maxDelay: 0.003, maxWaitTime: 60 }).subscribe(observer);
      break;
    case 'attempts':
      subscription = waitForAttempts(pending, send, {})
        .pipe(take(moment === 'count' ? count : Infinity))
        .subscribe(observer);
      break;
  }

  if (moment === 'count' && counted) {
    // take(count) leaves by itself; a send that never answers gets no count, so leave after 10 ms then.
    await Promise.race([end, sleep(10)]);
    subscription?.unsubscribe();
  } else {
    if (moment === 'microtasks') for (let i = 0; i < count; i++) await Promise.resolve();
    else if (moment === 'timer' || moment === 'count') await sleep(int(0, 4));
    subscription?.unsubscribe();
    await iterator?.return?.();
  }
  c.left = true;
  // Every request still in flight must have been aborted: its listener has run and removed it.
  for (const request of c.inFlight) {
    if (request.signal)
      violation('inFlightNotAborted', `a request in flight when its subscriber left (${what}, ${moment}) was not aborted`);
  }
  // Late readers have not read yet; they check when they do. Wait for them (a busy event loop
  // delays their timers), and for Observables' timers.
  if (c.inFlight.size > 0 || c.openObservables.size > 0) {
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      c.drained = resolve;
      timer = setTimeout(resolve, 1000);
    });
    clearTimeout(timer);
  }
  if (c.inFlight.size > 0)
    violation(
      'inFlightNotAborted',
      `${c.inFlight.size} request(s) of ${what} (${moment}) still in flight 1 s after its subscriber left`,
    );
  if (c.openObservables.size > 0)
    violation(
      'observablesLeftSubscribed',
      `${c.openObservables.size} Observable(s) of ${what} still subscribed 1 s after it left`,
    );
}

async function run(cycles: number, one: () => Promise<void>, batch = BATCH): Promise<void> {
  for (let done = 0; done < cycles; done += batch) {
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`a batch of cycles did not finish within 10 s, after ${done} cycles`)), 10_000);
    });
    await Promise.race([Promise.all(Array.from({ length: Math.min(batch, cycles - done) }, one)), hung]);
    clearTimeout(timer);
  }
}

// ---- the tests ----------------------------------------------------------------

const figures: Record<string, unknown> = {};
afterAll(() => {
  console.log(JSON.stringify({ ...figures, firstViolations }, null, 1));
});

test(`${CYCLES.toLocaleString('en')} subscribe/unsubscribe cycles leave no timer, listener, subscription or heap behind`, async () => {
  await run(WARM_UP, cycle);
  await settle();
  const resourcesBefore = resources();
  const heapBefore = heapAfterGc();
  const started = Date.now();
  await run(CYCLES, cycle);
  const elapsed = Date.now() - started;
  await settle();
  let sampledWithListeners = 0;
  for (let i = 0; i < sampled; i++) if (getEventListeners(sampledSignals[i]!, 'abort').length > 0) sampledWithListeners++;
  // An aborted signal holds its reason, a DOMException with its stack: some KB each. Let them go before weighing.
  sampledSignals.fill(undefined);
  const heapAfter = heapAfterGc();
  const resourcesAfter = await resourcesSettled(resourcesBefore);

  Object.assign(figures, {
    cycles: CYCLES,
    warmUp: WARM_UP,
    elapsedMs: elapsed,
    stats: { ...stats },
    sampledSignals: sampled,
    sampledWithListeners,
    heapBeforeMB: +(heapBefore / 2 ** 20).toFixed(2),
    heapAfterMB: +(heapAfter / 2 ** 20).toFixed(2),
    heapGrowthMB: +((heapAfter - heapBefore) / 2 ** 20).toFixed(2),
    resourcesBefore,
    resourcesAfter,
  });

  expect(firstViolations).toEqual([]);
  if (!ONLY) {
    // The churn did hit requests in flight, and Observables returned by send.
    expect(stats.abortedInFlight).toBeGreaterThan(CYCLES / 10);
    expect(stats.observablesTornDown).toBeGreaterThan(CYCLES / 100);
  }
  expect(sampledWithListeners).toBe(0);
  expectNoMoreThan(resourcesAfter, resourcesBefore);
  expect(heapAfter - heapBefore).toBeLessThan(HEAP_LIMIT);
}, 150_000);

test(`${HTTP_CYCLES.toLocaleString('en')} cycles through the real DynamoDBClient against dynalite leave no socket or timer behind`, async () => {
  await settle();
  const resourcesBefore = resources();
  const ddb = await startDynalite();
  const setup = ddb.client();
  await createTable(setup, 'Items', { waitForActive: true });
  await putItems(setup, 'Items', 200);
  // A socket for every cycle of a batch: requests do not wait in the agent's queue, they reach the server.
  const client = new DynamoDBClient({
    endpoint: ddb.endpoint,
    region: 'us-east-1',
    credentials: fakeCredentials(),
    maxAttempts: 1,
    requestHandler: { httpAgent: { maxSockets: HTTP_BATCH } },
  });

  // Half the answers are held back 20-40 ms, so that some random aborts reach requests the server holds.
  // Whether one does depends on the machine's speed, so the count the test relies on comes from the
  // held cycles below: the server never answers their DescribeTimeToLive, and each unsubscribes once
  // the server has its request, so its abort must reach the server (the SDK then destroys the socket).
  ddb.setResponseDelay((operation) =>
    operation === 'DescribeTimeToLive' ? NEVER_ANSWERED_MS : random() < 0.5 ? int(20, 40) : 0,
  );
  let sdkSignals = 0;
  let sdkListenersPiled = 0;
  let sdkAborted = 0;
  // Every signal a request was given. The requests of one pagination share a signal, so the test is that
  // listeners never pile up on a signal while requests run (the SDK removes its own as each request
  // closes), and that none is left on any signal once every pagination has ended.
  const signals = new Set<AbortSignal>();
  // The SDK's own listeners: added per request, removed when its request closes.
  const watched =
    <O>(send: (signal: AbortSignal) => Promise<O>) =>
    (signal: AbortSignal) => {
      sdkSignals++;
      signals.add(signal);
      const promise = send(signal);
      const check = () =>
        setImmediate(() => {
          if (signal.aborted) sdkAborted++;
          // At most the listener of the next request, sent when this one's page was delivered.
          if (getEventListeners(signal, 'abort').length > 1) sdkListenersPiled++;
        });
      promise.then(check, check);
      return promise;
    };
  const scanSend: Send<{ ExclusiveStartKey?: ScanCommandOutput['LastEvaluatedKey'] }, ScanCommandOutput> = (
    input,
    { abortSignal },
  ) =>
    watched((signal) => client.send(new ScanCommand({ TableName: 'Items', Limit: 20, ...input }), { abortSignal: signal }))(
      abortSignal,
    );
  const describe: Send<object, DescribeTableCommandOutput> = (_, { abortSignal }) =>
    watched((signal) => client.send(new DescribeTableCommand({ TableName: 'Missing' }), { abortSignal: signal }))(abortSignal);
  const describeTtl: Send<{ TableName: string }, DescribeTimeToLiveCommandOutput> = (input, { abortSignal }) =>
    watched((signal) => client.send(new DescribeTimeToLiveCommand(input), { abortSignal: signal }))(abortSignal);
  const arrived = (TableName: string) =>
    ddb.requestsFor('DescribeTimeToLive').some((request) => request.body?.TableName === TableName);
  const scanSpec = { input_token: 'ExclusiveStartKey', output_token: 'LastEvaluatedKey', result_key: 'Items' };
  const notThere: WaiterSpec = {
    delay: 0.002,
    maxAttempts: 1_000_000,
    acceptors: [
      { matcher: 'error', expected: 'ResourceNotFoundException', state: 'retry' },
      { matcher: 'path', argument: 'Table.TableStatus', expected: 'ACTIVE', state: 'success' },
    ],
  };

  const started = Date.now();
  let unexpected = 0;
  let held = 0;
  await run(
    HTTP_CYCLES,
    async () => {
      if (random() < 0.05) {
        const TableName = `held-${++held}`;
        const subscription = waitFor(notThere, describeTtl, { TableName }).subscribe({ error: () => unexpected++ });
        await until(() => arrived(TableName), `${TableName}'s request to reach the server`);
        subscription.unsubscribe();
        return;
      }
      const moment = pick(['sync', 'timer', 'timer', 'take'] as const);
      const waiting = random() < 0.4;
      let done!: () => void;
      const end = new Promise<void>((resolve) => (done = resolve));
      const observer = { error: () => (unexpected++, done()), complete: () => done() };
      const subscription = waiting
        ? waitFor(notThere, describe, {}).subscribe(observer)
        : paginate(scanSpec, scanSend, {})
            .pipe(take(moment === 'take' ? int(1, 5) : Infinity))
            .subscribe(observer);
      if (moment === 'take' && !waiting) return end;
      if (moment !== 'sync') await sleep(int(0, 50));
      subscription.unsubscribe();
    },
    HTTP_BATCH,
  );
  const elapsed = Date.now() - started;
  await until(() => ddb.closedSockets() >= held, 'every held request to close its socket at the server');
  await settle(100);
  const sdkListenersLeft = [...signals].filter((signal) => getEventListeners(signal, 'abort').length > 0).length;
  const scans = ddb.requestsFor('Scan').length;
  const describes = ddb.requestsFor('DescribeTable').length;
  const aborted = ddb.closedSockets();
  client.destroy();
  await ddb.stop();
  await settle(100);
  const resourcesAfter = await resourcesSettled(resourcesBefore);

  figures.http = {
    cycles: HTTP_CYCLES,
    elapsedMs: elapsed,
    scans,
    describes,
    requestsAbortedAtServer: aborted,
    heldCycles: held,
    sdkSignals,
    sdkAborted,
    sdkListenersPiled,
    sdkListenersLeft,
    unexpected,
    resourcesBefore,
    resourcesAfter,
  };
  expect(unexpected).toBe(0);
  expect(sdkAborted).toBeGreaterThan(HTTP_CYCLES / 10);
  expect(held).toBeGreaterThan(HTTP_CYCLES / 50);
  expect(aborted).toBeGreaterThanOrEqual(held);
  expect(sdkListenersPiled).toBe(0);
  expect(sdkListenersLeft).toBe(0);
  expectNoMoreThan(resourcesAfter, resourcesBefore);
}, 120_000);

test(`${CYCLES.toLocaleString('en')} runs given one long-lived abortSignal leave no listener on it, and no heap`, async () => {
  const { signal } = new AbortController();
  const waiter: WaiterSpec = {
    delay: 0,
    maxAttempts: 3,
    acceptors: [{ matcher: 'path', argument: 'Status', expected: 'DONE', state: 'success' }],
  };
  const pages = (last: number) => (input: Record<string, unknown>) => {
    const n = Number(input.NextToken ?? 0);
    return [{ Items: [n], ...(n < last && { NextToken: String(n + 1) }) }];
  };
  let count = 0;
  /** One run, ended by completing, by an error, by take(1) or by unsubscribing while a request is in flight. */
  const once = async () => {
    const options = { abortSignal: signal };
    switch (count++ % 6) {
      case 0:
        await lastValueOf(paginate(spec, pages(2), {}, options));
        break;
      case 1:
        await lastValueOf(paginate(spec, pages(9), {}, options).pipe(take(1)));
        break;
      case 2:
        await lastValueOf(fullResult(spec, () => Promise.reject(new Error('down')), {}, options)).catch(() => undefined);
        break;
      case 3: {
        const iterator = paginateIterable(spec, pages(9), {}, options);
        await iterator.next();
        await iterator.return();
        break;
      }
      case 4:
        await lastValueOf(waitFor(waiter, () => [{ Status: 'DONE' }], {}, options));
        break;
      case 5:
        paginate(spec, () => new Promise<never>(() => {}), {}, options)
          .subscribe()
          .unsubscribe();
        break;
    }
  };
  await run(WARM_UP, once);
  const heapBefore = heapAfterGc();
  await run(CYCLES, once);
  await settle();
  const heapAfter = heapAfterGc();
  figures.longLivedSignal = {
    runs: CYCLES,
    listenersLeft: getEventListeners(signal, 'abort').length,
    heapGrowthMB: +((heapAfter - heapBefore) / 2 ** 20).toFixed(2),
  };
  expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  expect(heapAfter - heapBefore).toBeLessThan(HEAP_LIMIT);
}, 120_000);

/** The last value, or undefined for a stream that completes empty. */
function lastValueOf<T>(source: Observable<T>): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    let last: T | undefined;
    source.subscribe({ next: (value) => (last = value), error: reject, complete: () => resolve(last) });
  });
}

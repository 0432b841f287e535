/**
 * Faults of a real server under a real SDK client: dynalite on a persistent
 * LevelDB store is stopped in the middle of a Scan (server closed, sockets
 * destroyed, a request in flight) and started again on the same data; the
 * error that reached the subscriber says where to resume, and the two runs
 * together read every item exactly once. Then one Scan request's connection
 * is dropped: per-page retry sends that page again; without retry the error
 * carries the resume token.
 *
 * RELIABILITY_RUNS=200 npx jest spec/reliability/faults  # more stop points than npm test's
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DynamoDBClient, ScanCommand, type ScanCommandInput, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { BehaviorSubject, lastValueFrom, toArray } from 'rxjs';
import { paginate, PaginationError, resumeTokenOf, type Send } from '../../src';
import { Scan } from '../../src/services/generated/dynamodb';
import { fakeCredentials } from '../support/httpTracking';
import { createTable, putItems, startDynalite, type DynaliteServer, type StartDynaliteOptions } from '../support/startDynalite';

const SEED = 20250611;
const RUNS = Number(process.env.RELIABILITY_RUNS ?? 16);
const TABLE = 'Items';
const N = 5000;
const PAGE_SIZE = 100;
/** 5,000 items in pages of 100: 50 full pages, and a 51st, empty one (the 50th still has a LastEvaluatedKey). */
const PAGES = N / PAGE_SIZE + 1;
const ALL = Array.from({ length: N }, (_, i) => `item-${String(i).padStart(5, '0')}`);

let dir: string;

/** A client that is not the server's: a crash does not destroy it. maxAttempts 1: the SDK does not retry. */
function clientFor(ddb: DynaliteServer): DynamoDBClient {
  return new DynamoDBClient({ endpoint: ddb.endpoint, region: 'us-east-1', credentials: fakeCredentials(), maxAttempts: 1 });
}

const keysOf = (pages: readonly ScanCommandOutput[]) => pages.flatMap((page) => (page.Items ?? []).map((item) => item.pk!.S!));

/** Exactly once: every item, no item twice. */
function expectEveryItemOnce(keys: readonly string[]): void {
  expect(keys).toHaveLength(N);
  expect([...keys].sort()).toEqual(ALL);
}

/** Connection failures as node and the SDK report them: the server vanished. */
function isConnectionError(error: unknown): boolean {
  const { code, name, message } = (error ?? {}) as { code?: unknown; name?: unknown; message?: unknown };
  return (
    ['ECONNRESET', 'ECONNREFUSED', 'EPIPE'].includes(code as string) ||
    name === 'TimeoutError' ||
    /socket hang up|ECONNRESET|ECONNREFUSED|EPIPE/.test(String(message))
  );
}

interface Outcome {
  pages: ScanCommandOutput[];
  error?: unknown;
  completed: boolean;
}

/** Subscribes and collects pages until the stream ends; a stream that never ends fails the run. */
function run(
  subscribe: (observer: { next: (page: ScanCommandOutput) => void; error: (e: unknown) => void; complete: () => void }) => {
    unsubscribe(): void;
  },
  onPage?: (count: number) => void,
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const outcome: Outcome = { pages: [], completed: false };
    // Only a hang takes this long: one stream is about 50 requests to a local server.
    const watchdog = setTimeout(() => {
      subscription.unsubscribe();
      reject(new Error(`the stream neither errored nor completed within 120 s, after ${outcome.pages.length} pages`));
    }, 120_000);
    const subscription = subscribe({
      next: (page) => {
        outcome.pages.push(page);
        onPage?.(outcome.pages.length);
      },
      error: (error) => {
        clearTimeout(watchdog);
        resolve({ ...outcome, error });
      },
      complete: () => {
        clearTimeout(watchdog);
        resolve({ ...outcome, completed: true });
      },
    });
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rxjs-aws-faults-'));
  const ddb = await startDynalite({ path: dir });
  try {
    const client = ddb.client();
    await createTable(client, TABLE, { waitForActive: true });
    await putItems(client, TABLE, N);
  } finally {
    await ddb.stop();
  }
});
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

/**
 * Where the server dies, counted in Scan requests (1 = the first):
 * - `arrival`: as request k arrives, before dynalite reads it;
 * - `held`: dynalite answered request k, the answer is held back, then the server dies;
 * - `afterPage`: `ms` milliseconds after page k reached the subscriber (0: at once, inside `next`),
 *   wherever the next request then is (being sent, in flight, its answer on the way);
 * - `idle`: after page k, while the consumer asks for no more (`demand`), and no request is in
 *   flight; the next one finds no server.
 */
type StopPoint = { mode: 'arrival' | 'held' | 'idle'; k: number } | { mode: 'afterPage'; k: number; ms: number };

const stopPoint: fc.Arbitrary<StopPoint> = fc.oneof(
  fc.record({ mode: fc.constantFrom('arrival' as const, 'held' as const), k: fc.integer({ min: 1, max: PAGES }) }),
  fc.record({
    mode: fc.constant('afterPage' as const),
    k: fc.integer({ min: 1, max: PAGES - 1 }),
    ms: fc.integer({ min: 0, max: 3 }),
  }),
  fc.record({ mode: fc.constant('idle' as const), k: fc.integer({ min: 1, max: PAGES - 1 }) }),
);

const figures = {
  runs: 0,
  crashAfterEnd: 0,
  resumedFromStart: 0,
  pagesBeforeStop: [] as number[],
  errors: new Map<string, number>(),
  ms: [] as number[],
};

describe('a server that dies in the middle of a Scan (dynalite, persistent store, real DynamoDBClient)', () => {
  test(`every item exactly once across the crash and the resumed Scan (fast-check, ${RUNS} stop points)`, async () => {
    await fc.assert(
      fc.asyncProperty(stopPoint, async (point) => {
        const started = Date.now();
        let scans = 0;
        let crash: Promise<void> | undefined;
        const options: StartDynaliteOptions = { path: dir };
        if (point.mode === 'arrival') {
          options.interceptRequest = (_req, _res, record) => {
            if (record.operation !== 'Scan' || ++scans !== point.k) return false;
            crash = first.stop();
            return true;
          };
        } else if (point.mode === 'held') {
          options.responseDelayMs = (operation) => {
            if (operation !== 'Scan' || ++scans !== point.k) return 0;
            // Once the answer's timer exists, so that stop() clears it: the answer never leaves.
            crash = Promise.resolve().then(() => first.stop());
            return 60_000;
          };
        }
        const first = await startDynalite(options);
        const client = clientFor(first);
        let before: Outcome;
        try {
          const demand = new BehaviorSubject<void>(undefined);
          before = await run(
            (observer) =>
              paginate(
                Scan,
                client,
                { TableName: TABLE },
                { pageSize: PAGE_SIZE, ...(point.mode === 'idle' && { demand }) },
              ).subscribe(observer),
            (count) => {
              if (point.mode === 'idle') {
                if (count === point.k) void (crash = first.stop()).then(() => demand.next());
                else demand.next();
              }
              if (point.mode !== 'afterPage' || count !== point.k) return;
              if (point.ms === 0) crash = first.stop();
              else setTimeout(() => (crash = first.stop()), point.ms);
            },
          );
        } finally {
          await first.stop();
          await crash;
          client.destroy();
        }

        if (before.completed) {
          // A crash timed for a few ms after page k can come after the last page: nothing to resume.
          expect(point.mode === 'afterPage' && point.ms > 0).toBe(true);
          expectEveryItemOnce(keysOf(before.pages));
          figures.crashAfterEnd++;
          return;
        }
        // The crash was seen: an error, and it is the network's error, not the library's.
        expect(before.error).toBeDefined();
        expect(before.error).not.toBeInstanceOf(PaginationError);
        expect(isConnectionError(before.error)).toBe(true);
        if (point.mode === 'idle') expect(before.pages).toHaveLength(point.k);
        else if (point.mode !== 'afterPage') expect(before.pages).toHaveLength(point.k - 1);
        // The token on the error resumes after the last page delivered (none delivered: start again).
        const token = resumeTokenOf(before.error);
        if (before.pages.length === 0) expect(token).toBeUndefined();
        else {
          expect(typeof token).toBe('string');
          expect(token).toBe(resumeTokenOf(before.pages[before.pages.length - 1]));
        }

        const second = await startDynalite({ path: dir });
        const resumedClient = clientFor(second);
        let after: Outcome;
        try {
          after = await run((observer) =>
            paginate(
              Scan,
              resumedClient,
              { TableName: TABLE },
              { pageSize: PAGE_SIZE, ...(token !== undefined && { startingToken: token }) },
            ).subscribe(observer),
          );
        } finally {
          resumedClient.destroy();
          await second.stop();
        }
        expect(after.error).toBeUndefined();
        expect(after.completed).toBe(true);
        expectEveryItemOnce([...keysOf(before.pages), ...keysOf(after.pages)]);

        figures.runs++;
        if (token === undefined) figures.resumedFromStart++;
        figures.pagesBeforeStop.push(before.pages.length);
        const kind = String((before.error as Error).message).replace(/ 127\.0\.0\.1:\d+$/, '');
        figures.errors.set(kind, (figures.errors.get(kind) ?? 0) + 1);
        figures.ms.push(Date.now() - started);
      }),
      {
        seed: SEED,
        numRuns: RUNS,
        endOnFailure: true,
        // The edges, every time: nothing delivered yet; the last (empty) page lost; a crash inside `next`.
        examples: [[{ mode: 'arrival', k: 1 }], [{ mode: 'held', k: PAGES }], [{ mode: 'afterPage', k: 1, ms: 0 }]],
      },
    );
    if (process.env.RELIABILITY_FIGURES) {
      const ms = figures.ms.sort((a, b) => a - b);
      console.log(
        JSON.stringify({
          runs: figures.runs,
          crashAfterEnd: figures.crashAfterEnd,
          resumedFromStart: figures.resumedFromStart,
          pagesBeforeStop: [Math.min(...figures.pagesBeforeStop), Math.max(...figures.pagesBeforeStop)],
          errors: Object.fromEntries(figures.errors),
          msPerRun: { median: ms[ms.length >> 1], max: ms[ms.length - 1] },
        }),
      );
    }
    // The whole file took 18 s at a load average of 12 and 60 s at 14: this limit only catches a hang.
  }, 900_000);
});

describe('one Scan request whose connection is dropped (dynalite, real DynamoDBClient)', () => {
  /** A server on the data that destroys the socket of Scan request `drop` (1 = the first), once, after reading its body. */
  async function dropping(drop: number) {
    let scans = 0;
    const ddb = await startDynalite({
      path: dir,
      interceptRequest: (req, _res, record) => {
        if (record.operation !== 'Scan' || ++scans !== drop) return false;
        // The recording listener saw the body first; now the connection goes, no answer.
        req.on('end', () => req.socket.destroy());
        req.resume();
        return true;
      },
    });
    return ddb;
  }

  const dropAt = fc.integer({ min: 1, max: PAGES });

  test('with retry: the page request is sent again, and the stream completes with every item once', async () => {
    await fc.assert(
      fc.asyncProperty(dropAt, async (drop) => {
        const ddb = await dropping(drop);
        const client = clientFor(ddb);
        try {
          const outcome = await run((observer) =>
            paginate(
              Scan,
              client,
              { TableName: TABLE },
              { pageSize: PAGE_SIZE, retry: { retries: 2, delay: () => 0.005 } },
            ).subscribe(observer),
          );
          expect(outcome.error).toBeUndefined();
          expect(outcome.completed).toBe(true);
          expectEveryItemOnce(keysOf(outcome.pages));
          const scans = ddb.requestsFor('Scan');
          expect(scans).toHaveLength(PAGES + 1);
          // The dropped request and the one after it asked for the same page.
          expect(scans[drop]!.body).toEqual(scans[drop - 1]!.body);
          expect(scans[drop - 1]!.body).toMatchObject({ TableName: TABLE, Limit: PAGE_SIZE });
          expect(ddb.closedSockets()).toBe(1);
        } finally {
          client.destroy();
          await ddb.stop();
        }
      }),
      { seed: SEED, numRuns: 4, endOnFailure: true },
    );
  });

  test('without retry: the stream errors with the resume token, and resuming reads the rest exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(dropAt, async (drop) => {
        const ddb = await dropping(drop);
        const client = clientFor(ddb);
        try {
          const input = { TableName: TABLE };
          const before = await run((observer) => paginate(Scan, client, input, { pageSize: PAGE_SIZE }).subscribe(observer));
          expect(before.completed).toBe(false);
          expect(isConnectionError(before.error)).toBe(true);
          expect(before.pages).toHaveLength(drop - 1);
          expect(ddb.requestsFor('Scan')).toHaveLength(drop);
          const token = resumeTokenOf(before.error);
          if (drop === 1) expect(token).toBeUndefined();
          else expect(token).toBe(resumeTokenOf(before.pages[drop - 2]));
          const rest = await lastValueFrom(
            paginate(Scan, client, input, { pageSize: PAGE_SIZE, ...(token !== undefined && { startingToken: token }) }).pipe(
              toArray(),
            ),
          );
          expectEveryItemOnce([...keysOf(before.pages), ...keysOf(rest)]);
        } finally {
          client.destroy();
          await ddb.stop();
        }
      }),
      { seed: SEED, numRuns: 4, endOnFailure: true },
    );
  });
});

describe('per-page retry of connection errors as the SDK reports them under jest', () => {
  // Under jest, node's errors come from another realm than the SDK's `Error`, so the SDK wraps
  // them: 'AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:port', a plain Error
  // with the message only (no `code`, no `name`); the retry policy must still know them.
  test('a refused connection, as the SDK wraps it, is retried', async () => {
    const gone = await startDynalite();
    await gone.stop(); // nothing listens on its port now
    const client = clientFor(gone);
    let sends = 0;
    const send: Send<ScanCommandInput, ScanCommandOutput> = (input, { abortSignal }) => {
      sends++;
      return client.send(new ScanCommand(input), { abortSignal });
    };
    try {
      const error = await lastValueFrom(
        paginate(Scan.spec, send, { TableName: TABLE }, { retry: { retries: 2, delay: () => 0 } }),
      ).catch((e: unknown) => e);
      expect(String((error as Error).message)).toMatch(/ECONNREFUSED/);
      expect(sends).toBe(3); // fails: 1, the error was not taken for a transient one
    } finally {
      client.destroy();
    }
  });
});

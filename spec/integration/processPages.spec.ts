/**
 * Backpressure end to end: `processPages` on `paginate(Scan, client)` against
 * dynalite through the real @aws-sdk/client-dynamodb, with a slow warehouse
 * write driven by the test (each write finishes when the test releases it),
 * so the counts below do not depend on how fast the machine is.
 */
import { concatMap, lastValueFrom, NEVER, type Observable, type OperatorFunction } from 'rxjs';
import type { DynamoDBClient, ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { paginate, processPages, resumeTokenOf, type ProcessPagesOptions } from '../../src';
import { Scan } from '../../src/services/generated/dynamodb';
import { createTable, putItems, startDynalite, type DynaliteServer } from '../support/startDynalite';

const TABLE = 'Source';
const N = 1000;
const PAGE_SIZE = 100;
const key = (i: number) => `item-${String(i).padStart(5, '0')}`;

interface Write {
  readonly page: ScanCommandOutput;
  release(): void;
  fail(error: Error): void;
}

/**
 * A warehouse whose writes finish only when the test says so: `next()`
 * resolves with the oldest write waiting, or undefined once the stream ended.
 * Items are counted on release, so a failed write writes nothing.
 */
function slowWarehouse() {
  const written = new Map<string, number>();
  const waiting: Write[] = [];
  let wake: (() => void) | undefined;
  let completedPages = 0;
  let running = 0;
  const write = (page: ScanCommandOutput): Promise<number> =>
    new Promise<number>((resolve, reject) => {
      running++;
      waiting.push({
        page,
        release: () => {
          for (const item of page.Items ?? []) written.set(item.pk!.S!, (written.get(item.pk!.S!) ?? 0) + 1);
          running--;
          completedPages++;
          resolve(page.Items?.length ?? 0);
        },
        fail: (error) => {
          running--;
          reject(error);
        },
      });
      wake?.();
    });
  const next = async (ended: Promise<unknown>, isOver: () => boolean): Promise<Write | undefined> => {
    while (waiting.length === 0 && !isOver()) {
      await Promise.race([new Promise<void>((resolve) => (wake = resolve)), ended.catch(() => undefined)]);
    }
    if (!isOver()) return waiting.shift();
    // Writes still waiting when the stream ended were cancelled (unsubscribed): they never happen.
    waiting.length = 0;
    return undefined;
  };
  return { written, write, next, completedPages: () => completedPages, running: () => running };
}

describe('processPages against dynalite', () => {
  let ddb: DynaliteServer;
  let client: DynamoDBClient;
  // Called by the server for every Scan as it arrives: the moment a read happens.
  let onScan: () => void = () => undefined;
  // Set to make the next Scan fail with a (non-retryable) service error, once.
  let failNextScan = false;
  // Runs on every Scan after drive()'s own bookkeeping: a test's fault injection.
  let onScanExtra: () => void = () => undefined;

  beforeAll(async () => {
    ddb = await startDynalite({
      interceptRequest: (req, res, record) => {
        if (record.operation !== 'Scan') return false;
        onScan();
        if (!failNextScan) return false;
        failNextScan = false;
        req.resume();
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ __type: 'com.amazon.coral.validate#ValidationException', message: 'injected read failure' }));
        return true;
      },
    });
    client = ddb.client();
    await createTable(client, TABLE, { waitForActive: true });
    await putItems(client, TABLE, N);
  });
  afterAll(() => ddb?.stop());

  // The client as paginate sees it, knowing whether a request is in flight, so the test can let
  // every read that is allowed happen before it releases the next write.
  let reading: Promise<unknown> | undefined;
  // Typed as the client it wraps, so that bound specs take it; it has no config, so no service check applies.
  const watched = {
    send: (command: object, options?: { abortSignal?: AbortSignal }) => {
      const sent = client.send(command as never, options);
      reading = sent.finally(() => (reading = undefined));
      return sent;
    },
  } as unknown as DynamoDBClient;
  /** Until no read is in flight, one event-loop turn after the last answer (the next request goes out at once if allowed). */
  const readsSettled = async () => {
    do {
      await reading?.catch(() => undefined);
      await new Promise((resolve) => setImmediate(resolve));
    } while (reading);
  };

  /**
   * Runs the pipeline, releasing the oldest write each time one waits (failing the one
   * numbered `failAt`), and records the most Scan calls there ever were beyond the pages written.
   */
  async function drive(
    pipeline: (warehouse: ReturnType<typeof slowWarehouse>) => Observable<unknown>,
    warehouse: ReturnType<typeof slowWarehouse>,
    failAt?: number,
  ): Promise<{ mostAhead: number; error?: unknown }> {
    const scansBefore = ddb.requestsFor('Scan').length;
    let mostAhead = 0;
    onScan = () => {
      const scans = ddb.requestsFor('Scan').length - scansBefore;
      mostAhead = Math.max(mostAhead, scans - warehouse.completedPages());
      onScanExtra();
    };
    const ended = lastValueFrom(pipeline(warehouse), { defaultValue: undefined });
    let error: unknown;
    let over = false;
    ended.then(
      () => (over = true),
      (e: unknown) => {
        over = true;
        error = e;
      },
    );
    for (let n = 0; ; n++) {
      await readsSettled();
      const write = await warehouse.next(ended, () => over);
      if (!write) break;
      if (n === failAt) write.fail(new Error(`warehouse rejected page ${n}`));
      else write.release();
    }
    await ended.catch(() => undefined);
    return { mostAhead, ...(error !== undefined && { error }) };
  }

  const expectEveryItemOnce = (written: Map<string, number>) => {
    expect(written.size).toBe(N);
    expect([...written.values()].every((count) => count === 1)).toBe(true);
    expect([...written.keys()].sort()).toEqual(Array.from({ length: N }, (_, i) => key(i)));
  };

  test('concatMap reads the table ahead of a slow write (the problem)', async () => {
    const warehouse = slowWarehouse();
    const write: OperatorFunction<ScanCommandOutput, number> = concatMap(warehouse.write);
    const { mostAhead } = await drive(
      () => paginate(Scan, watched, { TableName: TABLE }, { pageSize: PAGE_SIZE }).pipe(write),
      warehouse,
    );
    expect(mostAhead).toBeGreaterThanOrEqual(N / PAGE_SIZE);
    expectEveryItemOnce(warehouse.written);
  });

  test.each([
    { concurrency: 1, prefetch: 0 },
    { concurrency: 1, prefetch: 1 },
    { concurrency: 3, prefetch: 2 },
  ])('with %o, reads follow the writes: Scan calls stay within concurrency + prefetch of the pages written', async (options) => {
    const warehouse = slowWarehouse();
    let mostRunning = 0;
    const { mostAhead } = await drive(
      (w) =>
        processPages(
          Scan,
          watched,
          { TableName: TABLE },
          (page) => {
            const written = w.write(page);
            mostRunning = Math.max(mostRunning, w.running());
            return written;
          },
          { pageSize: PAGE_SIZE, ...options },
        ),
      warehouse,
    );
    expect(mostAhead).toBe(options.concurrency + options.prefetch);
    expect(mostRunning).toBe(options.concurrency);
    expectEveryItemOnce(warehouse.written);
  });

  test('a stuck write stops the reads: with pages of one item, 2 + 1 Scans, and 1,000 pages behind them', async () => {
    const scansBefore = ddb.requestsFor('Scan').length;
    let written = 0;
    const stuck = processPages(
      Scan,
      watched,
      { TableName: TABLE },
      (_page, { index }) => (index === 0 ? NEVER : Promise.resolve(written++)),
      { pageSize: 1, concurrency: 2, prefetch: 1 },
    ).subscribe();
    // Page 1's write ends and page 2 is read ahead; then nothing more is read, however long page 0 takes.
    while (written < 1) await readsSettled();
    await readsSettled();
    expect(ddb.requestsFor('Scan').length - scansBefore).toBe(3);
    stuck.unsubscribe();
  });

  const scan =
    (warehouse: ReturnType<typeof slowWarehouse>, options: ProcessPagesOptions) =>
    (startingToken?: string): Observable<number> =>
      processPages(Scan, watched, { TableName: TABLE }, warehouse.write, {
        pageSize: PAGE_SIZE,
        ...options,
        ...(startingToken && { startingToken }),
      });

  test.each([
    { concurrency: 1, prefetch: 1 },
    { concurrency: 3, prefetch: 2 },
  ])('with %o, a failed write and a resume from resumeTokenOf(error) write every item exactly once', async (options) => {
    const warehouse = slowWarehouse();
    const run = scan(warehouse, options);
    const first = await drive(() => run(), warehouse, 4);
    expect(first.error).toBeInstanceOf(Error);
    // Pages 0..3 were written, page 4 was not; the writes in flight with it were waited for and are written.
    expect(warehouse.written.size).toBe((4 + options.concurrency - 1) * PAGE_SIZE);
    expect([...warehouse.written.values()].every((count) => count === 1)).toBe(true);
    const token = resumeTokenOf(first.error);
    expect(token).toBeDefined();
    const second = await drive(() => run(token), warehouse);
    expect(second.error).toBeUndefined();
    expect(second.mostAhead).toBeLessThanOrEqual(options.concurrency + options.prefetch);
    // The pages written after the failed one are read again for their tokens, and not written again.
    expectEveryItemOnce(warehouse.written);
  });

  test('a failed read waits for the writes in flight, and resumes after every page written: every item exactly once', async () => {
    const warehouse = slowWarehouse();
    const run = scan(warehouse, { concurrency: 2, prefetch: 2 });
    let reads = 0;
    const first = await drive(() => {
      // The sixth read fails: pages up to 4 were read by then, fewer written.
      onScanExtra = () => (failNextScan = ++reads === 6);
      return run();
    }, warehouse);
    onScanExtra = () => undefined;
    expect((first.error as Error).name).toBe('ValidationException');
    expect(warehouse.written.size).toBeLessThan(6 * PAGE_SIZE);
    const second = await drive(() => run(resumeTokenOf(first.error)), warehouse);
    expect(second.error).toBeUndefined();
    expectEveryItemOnce(warehouse.written);
  });
});

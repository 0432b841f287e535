/**
 * The governor against a real throttling component: dynalite behind a proxy
 * that answers DynamoDB's own throttling error above N requests a second
 * (spec/support/throttlingProxy.ts). Assertions are on what the proxy
 * counted and logged on its own clock, with bounds wide enough for a busy
 * machine: a slow machine sends less, never more.
 */
import { DescribeTableCommand, type DynamoDBClient, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { lastValueFrom, merge, toArray } from 'rxjs';
import { createGovernor, paginate, waitFor, WaiterError } from '../../src';
import { parallelScan, Scan, TableExists } from '../../src/services/generated/dynamodb';
import { createTable, putItems, startDynalite, type DynaliteServer } from '../support/startDynalite';
import { mostInWindow, startThrottlingProxy, type ThrottlingProxy } from '../support/throttlingProxy';

let ddb: DynaliteServer;
let proxy: ThrottlingProxy | undefined;
const ITEMS = 240;

beforeAll(async () => {
  ddb = await startDynalite();
  const setup = ddb.client();
  await createTable(setup, 'music');
  await putItems(setup, 'music', ITEMS, (i) => ({
    pk: { S: `item-${String(i).padStart(5, '0')}` },
    n: { N: String(i) },
    // About 1 KB, so that a page of ten costs a known read capacity (2.5 KB → 1.5 units, eventually consistent).
    body: { S: 'x'.repeat(1000) },
  }));
});

afterEach(async () => {
  await proxy?.stop();
  proxy = undefined;
});

afterAll(() => ddb.stop());

/** A client that goes through a new throttling proxy: one attempt per request, as the governor wants it. */
async function throttled(rate: number, options: { operations?: string[]; burst?: number } = {}): Promise<DynamoDBClient> {
  proxy = await startThrottlingProxy({ target: ddb.endpoint, rate, operations: ['Scan'], ...options });
  return ddb.client({ endpoint: proxy.endpoint });
}

const itemsOf = (pages: ReadonlyArray<{ page: ScanCommandOutput }>) => pages.flatMap(({ page }) => page.Items ?? []);
const numbers = (items: ReturnType<typeof itemsOf>) => items.map((item) => Number(item['n']!.N)).sort((a, b) => a - b);
const EVERY_ITEM = Array.from({ length: ITEMS }, (_, i) => i);

describe('a governor shared by 8 parallelScan segments, against a throttling DynamoDB', () => {
  // 5 a second, 2 at once: below what any machine sends (a lane starts at 10 a second), so throttling is met.
  const LIMIT = { rate: 5, burst: 2 };

  it('reads every item once, slowing down to the rate the table allows', async () => {
    const client = await throttled(LIMIT.rate, LIMIT);
    const governor = createGovernor();
    const pages = await lastValueFrom(
      parallelScan(client, { TableName: 'music' }, { totalSegments: 8, pageSize: 10, governor }).pipe(toArray()),
    );
    expect(numbers(itemsOf(pages))).toEqual(EVERY_ITEM);
    const { throttled: refused, forwarded, log } = proxy!;
    const lane = governor.stats().lanes['DynamoDB.Scan']!;
    // What the governor sent is what the proxy saw; each throttled request was sent again.
    expect(lane.sent).toBe(forwarded + refused);
    expect(lane.throttled).toBe(refused);
    expect(forwarded).toBe(pages.length);
    expect(refused).toBeGreaterThan(0);
    // Throttles stay few: without a governor, a client retrying on its own meets one request in three or more.
    expect(refused / (forwarded + refused)).toBeLessThan(0.25);
    // A second after the first throttle, requests arrive within half again the allowed rate, plus its burst.
    const firstThrottle = log.find((entry) => entry.throttled)!.at;
    const after = log.filter((entry) => entry.at > firstThrottle + 1000);
    expect(mostInWindow(after, 2)).toBeLessThanOrEqual(2 * LIMIT.rate * 1.5 + LIMIT.burst);
  });

  it('without one, the first throttle ends the scan', async () => {
    const client = await throttled(LIMIT.rate, LIMIT);
    const scan = lastValueFrom(parallelScan(client, { TableName: 'music' }, { totalSegments: 8, pageSize: 10 }).pipe(toArray()));
    await expect(scan).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
  });

  it('never sends above the rate given, across segments and paginations', async () => {
    const client = await throttled(1000);
    const governor = createGovernor({ rate: { 'DynamoDB.Scan': 10 } });
    await lastValueFrom(
      merge(
        parallelScan(client, { TableName: 'music' }, { totalSegments: 4, pageSize: 12, governor }),
        paginate(Scan, client, { TableName: 'music' }, { pageSize: 12, governor }),
      ).pipe(toArray()),
    );
    const { log, throttled: refused } = proxy!;
    expect(refused).toBe(0);
    expect(log.length).toBeGreaterThan(40);
    // 10 a second, one at once after a pause; 4 more for the time between the governor's clock and the proxy's
    // on a busy machine (a client that is not paced sends 20 a second or more here).
    expect(mostInWindow(log, 1)).toBeLessThanOrEqual(10 + 1 + 4);
  });
});

describe('waits sharing a governor', () => {
  it('poll within what the service allows, where each alone fails on a throttled poll', async () => {
    const describes = { operations: ['DescribeTable'], rate: 4, burst: 2 };
    const setup = ddb.client();
    const created = (name: string) => {
      ddb.setTableTimings({ createTableMs: 1500 });
      return createTable(setup, name).finally(() => ddb.setTableTimings({ createTableMs: 0 }));
    };
    const waits = (client: DynamoDBClient, tables: string[], governor?: ReturnType<typeof createGovernor>) =>
      Promise.allSettled(
        tables.map((TableName) =>
          lastValueFrom(waitFor(TableExists, client, { TableName }, { delay: 0.1, maxWaitTime: 20, governor })),
        ),
      );

    const alone = ['alone-1', 'alone-2', 'alone-3', 'alone-4', 'alone-5'];
    for (const table of alone) await created(table);
    const ungoverned = await waits(await throttled(describes.rate, describes), alone);
    const failed = ungoverned.filter((result) => result.status === 'rejected');
    expect(failed.length).toBeGreaterThan(0);
    expect((failed[0] as PromiseRejectedResult).reason).toBeInstanceOf(WaiterError);
    await proxy!.stop();

    const shared = ['shared-1', 'shared-2', 'shared-3', 'shared-4', 'shared-5'];
    for (const table of shared) await created(table);
    const governor = createGovernor();
    const governed = await waits(await throttled(describes.rate, describes), shared, governor);
    expect(governed.map((result) => result.status)).toEqual(shared.map(() => 'fulfilled'));
    expect(governor.stats().lanes['DynamoDB.DescribeTable']!.sent).toBe(proxy!.forwarded + proxy!.throttled);
  });
});

describe('DynamoDB read capacity', () => {
  it('keeps what the reads consume under the share of the table given, counted from ConsumedCapacity', async () => {
    const client = await throttled(1000);
    const governor = createGovernor({ rate: 1000, readCapacity: { music: 8 }, readShare: 0.5 });
    ddb.clearRequests();
    const scan = (input: object, options: object) =>
      lastValueFrom(
        paginate(Scan, client, { TableName: 'music', ...input }, { pageSize: 10, maxItems: 120, ...options }).pipe(toArray()),
      );
    const pages = await scan({}, { governor });
    expect(pages.flatMap((page) => page.Items ?? [])).toHaveLength(120);
    // Asked of DynamoDB, taken out of the pages: the caller did not ask for it.
    expect(ddb.requestsFor('Scan').every((request) => request.body.ReturnConsumedCapacity === 'TOTAL')).toBe(true);
    expect(pages.every((page) => !('ConsumedCapacity' in page))).toBe(true);
    const { log } = proxy!;
    const consumed = log.reduce((sum, entry) => sum + (entry.consumed ?? 0), 0);
    expect(consumed).toBeGreaterThan(12);
    expect(governor.stats().tables['music']).toEqual({ unitsPerSecond: 4, consumed });
    // 4 units a second, 4 more from a full bucket at the start, and a page's worth of estimate error, twice.
    const perPage = consumed / log.length;
    const bound = 4 + 4 + 2 * perPage;
    expect(mostInWindow(log, 1, (entry) => entry.consumed ?? 0)).toBeLessThanOrEqual(bound);
    // Without the share, the same reads consume it much faster.
    const before = log.length;
    await scan({ ReturnConsumedCapacity: 'TOTAL' }, {});
    expect(mostInWindow(log.slice(before), 1, (entry) => entry.consumed ?? 0)).toBeGreaterThan(bound);
  });

  it('keeps the ConsumedCapacity a request asked for itself', async () => {
    const client = await throttled(1000);
    const governor = createGovernor({ readCapacity: 1000 });
    const [page] = await lastValueFrom(
      paginate(
        Scan,
        client,
        { TableName: 'music', ReturnConsumedCapacity: 'INDEXES' },
        { pageSize: 10, maxItems: 10, governor },
      ).pipe(toArray()),
    );
    expect(page!.ConsumedCapacity).toMatchObject({ TableName: 'music', CapacityUnits: expect.any(Number) });
  });
});

describe('an SDK client that retries on its own', () => {
  it('has its retries counted as requests and as throttling', async () => {
    proxy = await startThrottlingProxy({ target: ddb.endpoint, rate: 3, burst: 1, operations: ['DescribeTable'] });
    // The SDK's standard retry strategy: up to 3 attempts, out of the governor's sight.
    const client = ddb.client({ endpoint: proxy.endpoint, maxAttempts: 3 });
    const governor = createGovernor({ rate: 1000 });
    await Promise.all(
      Array.from({ length: 4 }, () =>
        lastValueFrom(waitFor(TableExists, client, { TableName: 'music' }, { delay: 0.1, governor })).catch(() => undefined),
      ),
    );
    const lane = governor.stats().lanes['DynamoDB.DescribeTable']!;
    expect(proxy.throttled).toBeGreaterThan(0);
    expect(lane.sent).toBe(proxy.forwarded + proxy.throttled);
    expect(lane.throttled).toBeGreaterThan(0);
  });
});

it('the throttling proxy answers as DynamoDB does', async () => {
  const client = await throttled(1, { operations: ['DescribeTable'], burst: 1 });
  await client.send(new DescribeTableCommand({ TableName: 'music' }));
  const refused = client.send(new DescribeTableCommand({ TableName: 'music' }));
  await expect(refused).rejects.toMatchObject({
    name: 'ProvisionedThroughputExceededException',
    $metadata: { httpStatusCode: 400 },
  });
  expect(proxy!.log.map(({ throttled: refusedHere }) => refusedHere)).toEqual([false, true]);
});

/**
 * Many streams at once through one real DynamoDBClient against one dynalite:
 * 1,000 paginations (each over one of ten tables, each with its own page
 * size) and 1,000 waiters (TableExists on tables being created,
 * TableNotExists on tables being deleted), all subscribed together.
 *
 * Nothing here waits for a time: each waiter ends on the transition it waits
 * for (dynalite's CREATING and DELETING windows), not on a deadline, and how
 * long the 8,000 requests take depends on the machine, so the only limit is
 * jest's, set far beyond any machine that works.
 *
 * RELIABILITY_FIGURES=1 npx jest spec/reliability/concurrency  # prints the figures
 */
import type { DynamoDBClient, DescribeTableCommandOutput, ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { lastValueFrom, merge, toArray, map, type Observable } from 'rxjs';
import { paginate, waitFor } from '../../src';
import { Scan, TableExists, TableNotExists } from '../../src/services/generated/dynamodb';
import { createTable, putItems, startDynalite, type DynaliteServer } from '../support/startDynalite';

const PAGINATIONS = 1000;
const WAITERS = 1000;
/** Items per data table: ten tables, from 7 to 75 items. */
const SIZES = [7, 19, 23, 31, 40, 47, 52, 60, 66, 75];
/** Tables created (for TableExists) and deleted (for TableNotExists) as the waiters start. */
const WAIT_TABLES = 10;
const TRANSITION_MS = 1500;
const MAX_SOCKETS = 256;
/** 14 s on an idle 2-core machine, 86 s beside two CPU burners (load average 11): only a broken run takes 600 s. */
const PATIENCE_MS = 600_000;

const dataTable = (t: number) => `Data${t}`;
const key = (t: number, i: number) => `t${t}-${String(i).padStart(3, '0')}`;

describe('1,000 paginations and 1,000 waiters at once (dynalite, one real DynamoDBClient)', () => {
  let ddb: DynaliteServer;
  let client: DynamoDBClient;

  beforeAll(async () => {
    ddb = await startDynalite({ createTableMs: TRANSITION_MS, deleteTableMs: TRANSITION_MS });
    // The SDK's default is 50 sockets. Not one per stream (2,048) either: that many connections at
    // once overflow the server's listen backlog (511 by default in node), SYNs are dropped and
    // retried after 1, 3, 7... s, and the run slowed to a crawl. With 256, requests queue for a
    // socket (so the SDK's warning about the queue is put off).
    client = ddb.client({
      requestHandler: { httpAgent: { maxSockets: MAX_SOCKETS }, socketAcquisitionWarningTimeout: PATIENCE_MS },
    });
    const setup = ddb.client();
    await Promise.all([
      ...SIZES.map(async (size, t) => {
        await createTable(setup, dataTable(t), { waitForActive: true });
        await putItems(setup, dataTable(t), size, (i) => ({ pk: { S: key(t, i) }, n: { N: String(i) } }));
      }),
      // ACTIVE before the test deletes them.
      ...Array.from({ length: WAIT_TABLES }, (_, w) => createTable(setup, `Doomed${w}`, { waitForActive: true })),
    ]);
  }, PATIENCE_MS);
  afterAll(() => ddb?.stop());

  test('every pagination sees its table exactly once; every waiter succeeds', async () => {
    ddb.clearRequests();
    const started = performance.now();
    // The transitions the waiters wait for, begun just before they subscribe.
    await Promise.all(
      Array.from({ length: WAIT_TABLES }, (_, w) => [
        createTable(client, `Born${w}`),
        client.send(new DeleteTableCommand({ TableName: `Doomed${w}` })),
      ]).flat(),
    );

    type Result =
      { kind: 'pages'; table: number; pages: ScanCommandOutput[] } | { kind: 'exists' | 'gone'; table: string; value: unknown };
    const paginations$: Observable<Result>[] = [];
    const waiters$: Observable<Result>[] = [];
    for (let p = 0; p < PAGINATIONS; p++) {
      const table = p % SIZES.length;
      const pageSize = 3 + (p % 11); // 3..13 items a page
      paginations$.push(
        paginate(Scan, client, { TableName: dataTable(table) }, { pageSize }).pipe(
          toArray(),
          map((pages) => ({ kind: 'pages' as const, table, pages })),
        ),
      );
    }
    for (let w = 0; w < WAITERS; w++) {
      const born = w % 2 === 0;
      const table = `${born ? 'Born' : 'Doomed'}${(w >> 1) % WAIT_TABLES}`;
      // The spec's own delay is 20 s; here 0.2 s. No maxWaitTime: a deadline in wall-clock time
      // fails a correct waiter on a slow machine. The table's transition ends the wait, and
      // maxAttempts (a count) stays far above the polls that fit in the transition window.
      const options = { delay: 0.2, maxAttempts: 500 };
      waiters$.push(
        waitFor(born ? TableExists : TableNotExists, client, { TableName: table }, options).pipe(
          map((value) => ({ kind: born ? ('exists' as const) : ('gone' as const), table, value })),
        ),
      );
    }

    // Subscribed alternately, so that waiters' and paginations' requests mix from the start.
    const streams = paginations$.flatMap((pagination, i) => [pagination, waiters$[i]!]);
    let peakSockets = 0;
    const sampler = setInterval(() => (peakSockets = Math.max(peakSockets, ddb.openSockets())), 5);
    const results = await lastValueFrom(merge(...streams).pipe(toArray())).finally(() => clearInterval(sampler));
    const elapsed = Math.round(performance.now() - started);

    expect(results).toHaveLength(PAGINATIONS + WAITERS);
    const paginations = results.filter((r): r is Extract<Result, { kind: 'pages' }> => r.kind === 'pages');
    expect(paginations).toHaveLength(PAGINATIONS);
    for (const { table, pages } of paginations) {
      const keys = pages.flatMap((page) => page.Items!.map((item) => item.pk!.S!));
      expect(keys.sort()).toEqual(Array.from({ length: SIZES[table]! }, (_, i) => key(table, i)));
    }
    type Waited = Extract<Result, { kind: 'exists' | 'gone' }>;
    const exists = results.filter((r): r is Waited => r.kind === 'exists');
    const gone = results.filter((r): r is Waited => r.kind === 'gone');
    expect(exists).toHaveLength(WAITERS / 2);
    expect(gone).toHaveLength(WAITERS / 2);
    for (const { value } of exists) expect((value as DescribeTableCommandOutput).Table!.TableStatus).toBe('ACTIVE');
    // TableNotExists succeeds on the error; waitFor emits it.
    for (const { value } of gone) expect((value as Error).name).toBe('ResourceNotFoundException');

    const scans = ddb.requestsFor('Scan').length;
    const describes = ddb.requestsFor('DescribeTable').length;
    // One Scan per page: nothing sent twice, nothing lost. At least one DescribeTable per waiter.
    expect(scans).toBe(paginations.reduce((n, { pages }) => n + pages.length, 0));
    expect(describes).toBeGreaterThanOrEqual(WAITERS);
    if (process.env.RELIABILITY_FIGURES) {
      const attempts = describes / WAITERS;
      console.log(
        JSON.stringify({
          paginations: PAGINATIONS,
          waiters: WAITERS,
          scans,
          describes,
          attemptsPerWaiter: attempts,
          peakSockets,
          elapsedMs: elapsed,
          requestsPerSecond: Math.round(((scans + describes) * 1000) / elapsed),
        }),
      );
    }
  }, 600_000); // PATIENCE_MS, written out so that the test keeps its layout
});

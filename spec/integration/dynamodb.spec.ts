/**
 * End-to-end: botocore DynamoDB paginator/waiter specs driven through the real
 * @aws-sdk/client-dynamodb against an in-process dynalite.
 */
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import {
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTableCommandInput,
  DescribeTableCommandOutput,
  DynamoDBClient,
  ListTablesCommand,
  ListTablesCommandInput,
  ListTablesCommandOutput,
  QueryCommand,
  QueryCommandInput,
  QueryCommandOutput,
  ScanCommand,
  ScanCommandInput,
  ScanCommandOutput,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import {
  fullResult,
  items,
  paginate,
  waitFor,
  waitForAttempts,
  type PaginatorSpec,
  type Send,
  type WaiterAttempt,
  type WaiterSpec,
} from '../../src';
import { loadCorpus } from '../support/corpus';
import { createTable, DynaliteServer, putItems, startDynalite } from '../support/startDynalite';
import { settled, until } from '../support/until';

const corpus = loadCorpus()['dynamodb/2012-08-10']!;
const paginator = (name: string) => corpus.paginators![name] as PaginatorSpec;
const waiter = (name: string) => corpus.waiters![name] as WaiterSpec;

const DATA = 'Data';
const N = 1000;
const item = (i: number): Record<string, AttributeValue> => ({
  pk: { S: 'part' },
  sk: { S: `item-${String(i).padStart(5, '0')}` },
  n: { N: String(i) },
});

/**
 * How long the tables a waiter watches stay CREATING or DELETING: the waiter's first
 * look must land inside the window on a loaded machine; its end is the event waited for.
 */
const WATCHED_MS = 2000;
/** A response held back this long never comes during a test: only an abort ends the request. */
const NEVER_MS = 600_000;

describe('DynamoDB (dynalite)', () => {
  let ddb: DynaliteServer;
  let client: DynamoDBClient;
  let scan: Send<ScanCommandInput, ScanCommandOutput>;
  let query: Send<QueryCommandInput, QueryCommandOutput>;
  let listTables: Send<ListTablesCommandInput, ListTablesCommandOutput>;
  let describeTable: Send<DescribeTableCommandInput, DescribeTableCommandOutput>;

  beforeAll(async () => {
    ddb = await startDynalite();
    client = ddb.client();
    scan = (input, { abortSignal }) => client.send(new ScanCommand(input), { abortSignal });
    query = (input, { abortSignal }) => client.send(new QueryCommand(input), { abortSignal });
    listTables = (input, { abortSignal }) => client.send(new ListTablesCommand(input), { abortSignal });
    describeTable = (input, { abortSignal }) => client.send(new DescribeTableCommand(input), { abortSignal });

    await createTable(client, DATA, { rangeKey: 'sk', waitForActive: true });
    await putItems(client, DATA, N, item);
  });
  afterAll(() => ddb?.stop());
  beforeEach(() => {
    ddb.setResponseDelay(undefined);
    ddb.setTableTimings({ createTableMs: 0, deleteTableMs: 0 });
  });

  const keysOf = (list: Array<Record<string, AttributeValue>>) => list.map((it) => it.sk!.S!);
  const expectAllOnce = (keys: string[]) => {
    expect(keys).toHaveLength(N);
    expect(new Set(keys).size).toBe(N);
    expect([...keys].sort()).toEqual(Array.from({ length: N }, (_, i) => item(i).sk!.S!));
  };

  test('TableExists waiter observes CREATING then ACTIVE', async () => {
    ddb.setTableTimings({ createTableMs: WATCHED_MS });
    await createTable(client, 'Waited');
    const attempts: Array<WaiterAttempt<DescribeTableCommandInput, DescribeTableCommandOutput>> = await lastValueFrom(
      waitForAttempts(waiter('TableExists'), describeTable, { TableName: 'Waited' }, { delay: 0.1 }).pipe(toArray()),
    );
    const statuses = attempts.map((a) => (a.response.ok ? a.response.output.Table?.TableStatus : 'error'));
    expect(statuses[0]).toBe('CREATING');
    expect(statuses[statuses.length - 1]).toBe('ACTIVE');
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts.slice(0, -1).every((a) => a.state === 'retry')).toBe(true);
    expect(attempts[attempts.length - 1]!.state).toBe('success');
    expect(attempts.map((a) => a.attempt)).toEqual(attempts.map((_, i) => i + 1));
    expect(ddb.requestsFor('DescribeTable').filter((r) => r.body?.TableName === 'Waited')).toHaveLength(attempts.length);
  });

  test('Scan with pageSize 100 sees all 1,000 items exactly once in 10 or 11 calls', async () => {
    ddb.clearRequests();
    const pages = await lastValueFrom(paginate(paginator('Scan'), scan, { TableName: DATA }, { pageSize: 100 }).pipe(toArray()));
    const calls = ddb.requestsFor('Scan');
    expect([10, 11]).toContain(calls.length);
    expect(pages).toHaveLength(calls.length);
    expect(calls.every((c) => c.body.Limit === 100)).toBe(true);
    expect(calls[0]!.body.ExclusiveStartKey).toBeUndefined();
    expect(calls.slice(1).every((c) => c.body.ExclusiveStartKey !== undefined)).toBe(true);
    expect(pages.every((p) => (p.Items?.length ?? 0) <= 100)).toBe(true);
    expectAllOnce(keysOf(pages.flatMap((p) => p.Items ?? [])));
  });

  test('Query with pageSize 100 sees all 1,000 items exactly once, in key order, via items()', async () => {
    ddb.clearRequests();
    const spec = paginator('Query');
    const found = await lastValueFrom(
      paginate(
        spec,
        query,
        { TableName: DATA, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'part' } } },
        { pageSize: 100 },
      ).pipe(items<Record<string, AttributeValue>>(spec), toArray()),
    );
    expect([10, 11]).toContain(ddb.requestsFor('Query').length);
    const keys = keysOf(found);
    expectAllOnce(keys);
    expect(keys).toEqual([...keys].sort());
  });

  test('ListTables with pageSize 5 lists every table exactly once', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `lt-${String(i).padStart(2, '0')}`);
    await Promise.all(names.map((n) => createTable(client, n)));
    const all = (await client.send(new ListTablesCommand({}))).TableNames!;
    expect(all).toEqual(expect.arrayContaining(names));

    ddb.clearRequests();
    const listed = await lastValueFrom(
      paginate(paginator('ListTables'), listTables, {}, { pageSize: 5 }).pipe(items<string>(paginator('ListTables')), toArray()),
    );
    expect(listed).toEqual(all);
    expect(new Set(listed).size).toBe(listed.length);
    const calls = ddb.requestsFor('ListTables');
    expect([Math.ceil(all.length / 5), Math.ceil(all.length / 5) + 1]).toContain(calls.length);
    expect(calls.every((c) => c.body.Limit === 5)).toBe(true);
  });

  test('take(2) makes exactly 2 Scan calls', async () => {
    ddb.clearRequests();
    let sent = 0;
    const counted: Send<ScanCommandInput, ScanCommandOutput> = (input, ctx) => {
      sent++;
      return scan(input, ctx);
    };
    const pages = await lastValueFrom(
      paginate(paginator('Scan'), counted, { TableName: DATA }, { pageSize: 100 }).pipe(take(2), toArray()),
    );
    expect(pages).toHaveLength(2);
    // Counted as the library sends, so a stray third request shows without waiting for the network.
    await settled();
    expect(sent).toBe(2);
    await until(() => ddb.requestsFor('Scan').length === sent, 'every Scan sent to reach the server');
    expect(ddb.requestsFor('Scan')).toHaveLength(2);
  });

  test('unsubscribing during a slow Scan aborts the request and closes its socket', async () => {
    ddb.clearRequests();
    ddb.setResponseDelay((op) => (op === 'Scan' ? NEVER_MS : 0));
    const signals: AbortSignal[] = [];
    const tracked: Send<ScanCommandInput, ScanCommandOutput> = (input, ctx) => {
      signals.push(ctx.abortSignal);
      return scan(input, ctx);
    };
    const closedBefore = ddb.closedSockets();
    const events: string[] = [];
    const sub = paginate(paginator('Scan'), tracked, { TableName: DATA }, { pageSize: 100 }).subscribe({
      next: () => events.push('next'),
      error: (e) => events.push(`error ${String(e)}`),
      complete: () => events.push('complete'),
    });
    await until(() => ddb.requestsFor('Scan').length === 1, 'the Scan to reach the server');
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(false);
    sub.unsubscribe();
    expect(signals[0]!.aborted).toBe(true);
    // The response is held back for good: only the abort can close this socket.
    await until(() => ddb.closedSockets() > closedBefore, 'the aborted Scan to close its socket');
    expect(ddb.closedSockets()).toBe(closedBefore + 1);
    expect(events).toEqual([]);
    expect(ddb.requestsFor('Scan')).toHaveLength(1);
  });

  test('TableNotExists succeeds after DeleteTable, observing DELETING first', async () => {
    await createTable(client, 'Doomed', { waitForActive: true });
    ddb.setTableTimings({ deleteTableMs: WATCHED_MS });
    await client.send(new DeleteTableCommand({ TableName: 'Doomed' }));
    const attempts = await lastValueFrom(
      waitForAttempts(waiter('TableNotExists'), describeTable, { TableName: 'Doomed' }, { delay: 0.1 }).pipe(toArray()),
    );
    const first = attempts[0]!;
    expect(first.response.ok && first.response.output.Table?.TableStatus).toBe('DELETING');
    expect(first.state).toBe('retry');
    const last = attempts[attempts.length - 1]!;
    expect(last.state).toBe('success');
    expect(last.response.ok).toBe(false);
    expect(!last.response.ok && (last.response.error as Error).name).toBe('ResourceNotFoundException');

    // waitFor emits the final (error) response as its value
    const final = await firstValueFrom(
      waitFor(waiter('TableNotExists'), describeTable, { TableName: 'Doomed' }, { delay: 0.05 }),
    );
    expect((final as unknown as Error).name).toBe('ResourceNotFoundException');
  });

  test('fullResult with maxItems 250, then resuming from NextToken, gives the rest exactly once', async () => {
    ddb.clearRequests();
    const first = await firstValueFrom(
      fullResult(paginator('Scan'), scan, { TableName: DATA }, { pageSize: 100, maxItems: 250 }),
    );
    expect(first.Items).toHaveLength(250);
    expect(typeof first.NextToken).toBe('string');
    expect(ddb.requestsFor('Scan')).toHaveLength(3);

    const rest = await firstValueFrom(
      fullResult(paginator('Scan'), scan, { TableName: DATA }, { pageSize: 100, startingToken: first.NextToken }),
    );
    expect(rest.NextToken).toBeUndefined();
    expect(rest.Items).toHaveLength(N - 250);
    expectAllOnce([...keysOf(first.Items!), ...keysOf(rest.Items!)]);
  });
});

/**
 * The abortSignal option through the real DynamoDB client against dynalite (issue 20): a signal aborted
 * before subscription sends nothing; one aborted mid-way aborts the SDK request in flight (its socket
 * closes) and errors with the signal's reason, never an EmptyError; resuming from the reason reads the
 * rest exactly once; and the listener is gone from a long-lived signal once the work ends.
 */
import { getEventListeners } from 'node:events';
import { lastValueFrom, toArray } from 'rxjs';
import type { AttributeValue, DynamoDBClient, ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { fullResult, paginate, paginateIterable, resumeTokenOf, waitFor } from '../../src';
import { Scan, TableExists } from '../../src/services/generated/dynamodb';
import { createTable, putItems, startDynalite, type DynaliteServer } from '../support/startDynalite';
import { until } from '../support/until';

const TABLE = 'Aborted';
const N = 50;
const item = (i: number): Record<string, AttributeValue> => ({ pk: { S: `item-${String(i).padStart(3, '0')}` } });
/** A response held back this long never comes during a test: only an abort ends the request. */
const NEVER_MS = 600_000;
const isAbortError = (error: unknown) => (error as { name?: unknown } | undefined)?.name === 'AbortError';

describe('abortSignal through the real DynamoDB client (dynalite)', () => {
  let ddb: DynaliteServer;
  let client: DynamoDBClient;

  beforeAll(async () => {
    ddb = await startDynalite();
    client = ddb.client();
    await createTable(client, TABLE, { waitForActive: true });
    await putItems(client, TABLE, N, item);
  });
  afterAll(() => ddb?.stop());
  beforeEach(() => {
    ddb.setResponseDelay(undefined);
    ddb.clearRequests();
  });

  test('a signal aborted already: no request is sent, and each function rejects with its reason', async () => {
    const signal = AbortSignal.abort();
    const options = { abortSignal: signal };
    for (const run of [
      () => lastValueFrom(paginate(Scan, client, { TableName: TABLE }, options)),
      () => lastValueFrom(fullResult(Scan, client, { TableName: TABLE }, options)),
      () => paginateIterable(Scan, client, { TableName: TABLE }, options).next(),
      () => lastValueFrom(waitFor(TableExists, client, { TableName: TABLE }, options)),
    ]) {
      await expect(run()).rejects.toBe(signal.reason);
    }
    expect(ddb.requests).toHaveLength(0);
  });

  test('aborted mid-scan: the Scan in flight is aborted (its socket closes), the error is the reason, and it resumes', async () => {
    // The third Scan is held back: only the abort can end it.
    let scans = 0;
    ddb.setResponseDelay((op) => (op === 'Scan' && ++scans === 3 ? NEVER_MS : 0));
    const controller = new AbortController();
    const closedBefore = ddb.closedSockets();
    const pages: ScanCommandOutput[] = [];
    const ended = new Promise<unknown>((resolve) =>
      paginate(Scan, client, { TableName: TABLE }, { pageSize: 10, abortSignal: controller.signal }).subscribe({
        next: (page) => pages.push(page),
        error: resolve,
        complete: () => resolve('completed'),
      }),
    );
    await until(() => ddb.requestsFor('Scan').length === 3, 'the third Scan to reach the server');
    controller.abort();
    const error = await ended;
    expect(isAbortError(error)).toBe(true);
    expect(error).toBe(controller.signal.reason);
    await until(() => ddb.closedSockets() > closedBefore, 'the aborted Scan to close its socket');
    expect(pages).toHaveLength(2);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);

    const rest = await lastValueFrom(
      paginate(Scan, client, { TableName: TABLE }, { pageSize: 10, startingToken: resumeTokenOf(error) }).pipe(toArray()),
    );
    const keys = [...pages, ...rest].flatMap((page) => (page.Items ?? []).map((it) => it.pk!.S!));
    expect(new Set(keys).size).toBe(N);
    expect(keys).toHaveLength(N);
  });

  test('aborted mid-wait: the DescribeTable in flight is aborted, and lastValueFrom rejects with the reason', async () => {
    ddb.setResponseDelay((op) => (op === 'DescribeTable' ? NEVER_MS : 0));
    const controller = new AbortController();
    const closedBefore = ddb.closedSockets();
    const waited = lastValueFrom(waitFor(TableExists, client, { TableName: TABLE }, { abortSignal: controller.signal }));
    await until(() => ddb.requestsFor('DescribeTable').length === 1, 'the DescribeTable to reach the server');
    const reason = new Error('the user went away');
    controller.abort(reason);
    await expect(waited).rejects.toBe(reason);
    await until(() => ddb.closedSockets() > closedBefore, 'the aborted DescribeTable to close its socket');
  });

  test('a long-lived signal given to many paginations and waits keeps no listener once they end', async () => {
    const { signal } = new AbortController();
    for (let i = 0; i < 20; i++) {
      await lastValueFrom(paginate(Scan, client, { TableName: TABLE }, { pageSize: 25, abortSignal: signal }));
      await lastValueFrom(waitFor(TableExists, client, { TableName: TABLE }, { abortSignal: signal }));
    }
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });
});

/**
 * GET /tables/:name/count (SSE) and GET /governor: a parallelScan whose
 * progress events reach the client as `progress` events, cancelled by an
 * AbortSignal (a deadline, the app shutting down), paced by the app's one
 * governor together with every other endpoint; against dynalite.
 */
import request from 'supertest';
import { createGovernor } from 'rxjs-aws';
import { createTable, putItems } from '../../../spec/support/startDynalite';
import { GOVERNOR } from '../src/config';
import { TablesService } from '../src/tables.service';
import { SseClient } from './support/sse';
import { startTestApp, until, type TestApp } from './support/testApp';

const SONGS = 90;
/** A response held back this long never comes during a test: only an abort ends the request. */
const NEVER_MS = 600_000;

describe('GET /tables/:name/count (SSE)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ wait: { delay: 0.05, maxWaitTime: 1 } });
    await createTable(t.client, 'songs', { waitForActive: true });
    await putItems(t.client, 'songs', SONGS);
  });
  afterAll(() => t.stop());
  beforeEach(() => {
    t.dynamo.setResponseDelay(undefined);
    t.dynamo.clearRequests();
  });

  it('sends the running totals after every page, tallied from the progress events, then the totals', async () => {
    const sse = await SseClient.open(`${t.url}/tables/songs/count?segments=3`);
    const events = await sse.all();

    expect(events[0]).toMatchObject({ type: 'start', data: { segments: 3, timeout: 30 } });
    const progress = events.filter((e) => e.type === 'progress');
    const scans = t.dynamo.requestsFor('Scan');
    expect(scans.map((s) => [s.body.Segment, s.body.TotalSegments, s.body.Select]).sort()).toEqual([
      [0, 3, 'COUNT'],
      [1, 3, 'COUNT'],
      [2, 3, 'COUNT'],
    ]);
    expect(progress).toHaveLength(3);
    expect(progress.map((e) => e.data.pages)).toEqual([1, 2, 3]);
    expect(progress.map((e) => e.data.segment).sort()).toEqual([0, 1, 2]);
    expect(progress.at(-1)!.data).toMatchObject({ count: SONGS, requests: 3, retries: 0, throttled: 0 });
    expect(progress.every((e) => e.data.latency >= 0.001)).toBe(true);
    expect(events.at(-1)).toMatchObject({
      type: 'done',
      data: { count: SONGS, pages: 3, requests: 3, throttled: 0, seconds: expect.any(Number) },
    });
  });

  it('aborts the Scans in flight at the deadline (?timeout=), and ends with an aborted event', async () => {
    t.dynamo.setResponseDelay((operation) => (operation === 'Scan' ? NEVER_MS : 0));
    const closedBefore = t.dynamo.closedSockets();
    const sse = await SseClient.open(`${t.url}/tables/songs/count?segments=2&timeout=0.3`);
    const events = await sse.all();

    expect(events).toEqual([
      { type: 'start', id: expect.any(String), data: { segments: 2, timeout: 0.3 } },
      {
        type: 'aborted',
        id: '',
        data: {
          statusCode: 504,
          error: 'Gateway Timeout',
          kind: 'aborted',
          message: 'no answer within the deadline of 0.3 s',
        },
      },
    ]);
    expect(t.dynamo.requestsFor('Scan')).toHaveLength(2);
    // The responses are held back for good: only the aborts close these sockets.
    await until(() => t.dynamo.closedSockets() === closedBefore + 2, 'both Scans to be aborted');
  });

  it('a deadline that passes before the first page is an aborted event too', async () => {
    t.dynamo.setResponseDelay((operation) => (operation === 'Scan' ? NEVER_MS : 0));
    const sse = await SseClient.open(`${t.url}/tables/songs/count?timeout=0.001`);
    expect(sse.status).toBe(200);
    expect(await sse.all()).toMatchObject([{ type: 'start' }, { type: 'aborted', data: { statusCode: 504 } }]);
  });

  it('closing the connection aborts the Scans in flight', async () => {
    t.dynamo.setResponseDelay((operation) => (operation === 'Scan' ? NEVER_MS : 0));
    const closedBefore = t.dynamo.closedSockets();
    const sse = await SseClient.open(`${t.url}/tables/songs/count?segments=2`);
    await until(() => t.dynamo.requestsFor('Scan').length === 2, 'both Scans to reach DynamoDB');
    sse.close();
    await until(() => t.dynamo.closedSockets() === closedBefore + 2, 'both Scans to be aborted');
  });

  it('answers 400 for a bad segments or timeout, before any Scan; a missing table ends the stream with a 404 error event', async () => {
    await request(t.url).get('/tables/songs/count?segments=0').expect(400);
    await request(t.url).get('/tables/songs/count?segments=17').expect(400);
    await request(t.url).get('/tables/songs/count?timeout=0').expect(400);
    await request(t.url).get('/tables/songs/count?timeout=soon').expect(400);
    expect(t.dynamo.requestsFor('Scan')).toHaveLength(0);
    const events = await (await SseClient.open(`${t.url}/tables/no-such-table/count`)).all();
    expect(events).toMatchObject([{ type: 'start' }, { type: 'error', data: { statusCode: 404 } }]);
  });
});

describe('the app shutting down', () => {
  it('aborts every DynamoDB request in flight, and the streams end with an aborted event (503)', async () => {
    const t = await startTestApp({ wait: { delay: 0.05, maxWaitTime: 60 } });
    try {
      await createTable(t.client, 'songs', { waitForActive: true });
      t.dynamo.setResponseDelay((operation) => (operation === 'Scan' || operation === 'DescribeTable' ? NEVER_MS : 0));
      t.dynamo.clearRequests();
      const closedBefore = t.dynamo.closedSockets();
      const count = await SseClient.open(`${t.url}/tables/songs/count?segments=2`);
      const events = await SseClient.open(`${t.url}/tables/songs/events`);
      await until(
        () => t.dynamo.requestsFor('Scan').length === 2 && t.dynamo.requestsFor('DescribeTable').length === 1,
        'two Scans and a DescribeTable in flight',
      );

      await t.app.close();

      const aborted = { type: 'aborted', data: { statusCode: 503, kind: 'aborted', message: 'the app is shutting down' } };
      expect(await count.all()).toMatchObject([{ type: 'start' }, aborted]);
      expect(await events.all()).toMatchObject([aborted]);
      await until(() => t.dynamo.closedSockets() === closedBefore + 3, 'the three requests to be aborted');
    } finally {
      await t.stop();
    }
  });
});

describe('one governor for the whole app', () => {
  it('is one instance, given to every endpoint: GET /governor counts all their requests in the same lanes', async () => {
    const t = await startTestApp({ wait: { delay: 0.05, maxWaitTime: 1 } });
    try {
      await createTable(t.client, 'songs', { waitForActive: true });
      await putItems(t.client, 'songs', SONGS);
      t.dynamo.clearRequests();
      const governor = t.app.get(GOVERNOR);
      expect(t.app.get(TablesService)['governor']).toBe(governor);

      await request(t.url).get('/tables/songs/ready').expect(200);
      await request(t.url).get('/tables/songs/items?limit=40').expect(200);
      await (await SseClient.open(`${t.url}/tables/songs/scan?pageSize=50`)).all();
      await (await SseClient.open(`${t.url}/tables/songs/count?segments=4`)).all();

      const { body } = await request(t.url).get('/governor').expect(200);
      expect(body.lanes['DynamoDB.Scan']).toMatchObject({ sent: t.dynamo.requestsFor('Scan').length, throttled: 0, waiting: 0 });
      expect(body.lanes['DynamoDB.DescribeTable']).toMatchObject({ sent: t.dynamo.requestsFor('DescribeTable').length });
      // /items (1 Scan), /scan (2 pages and the empty last) and /count (4 segments).
      expect(t.dynamo.requestsFor('Scan').length).toBeGreaterThanOrEqual(1 + 2 + 4);
      expect(governor.stats()).toEqual(body);
    } finally {
      await t.stop();
    }
  });

  it('paces concurrent requests together: two counts of 4 segments at 10 Scans a second take 0.7 s or more', async () => {
    const governor = createGovernor({ rate: { 'DynamoDB.Scan': 10 } });
    const t = await startTestApp({ wait: { delay: 0.05, maxWaitTime: 1 }, governor });
    try {
      await createTable(t.client, 'songs', { waitForActive: true });
      await putItems(t.client, 'songs', SONGS);
      t.dynamo.clearRequests();
      const started = performance.now();
      const [one, two] = await Promise.all(
        [1, 2].map(async () => (await SseClient.open(`${t.url}/tables/songs/count?segments=4`)).all()),
      );
      const seconds = (performance.now() - started) / 1000;

      // Eight Scans in one lane of 10 a second (a burst of one): the first at once, then one every 0.1 s.
      expect(t.dynamo.requestsFor('Scan')).toHaveLength(8);
      expect(seconds).toBeGreaterThanOrEqual(0.7 - 0.02);
      expect(governor.stats().lanes['DynamoDB.Scan']).toMatchObject({ rate: 10, sent: 8, throttled: 0 });
      // Each stream saw its Scans wait their turn behind the other's.
      for (const events of [one!, two!]) {
        expect(events.at(-1)).toMatchObject({ type: 'done', data: { count: SONGS, requests: 4 } });
        expect(events.at(-1)!.data.queued).toBeGreaterThan(0);
      }
    } finally {
      await t.stop();
    }
  });
});

/**
 * GET /tables/:name/ready and the SSE stream /tables/:name/events: the
 * TableExists waiter of rxjs-aws over HTTP, against dynalite, whose tables
 * stay CREATING for 300 ms.
 */
import request from 'supertest';
import { createTable } from '../../../spec/support/startDynalite';
import { SseClient } from './support/sse';
import { sleep, startTestApp, until, type TestApp } from './support/testApp';

const CREATE_TABLE_MS = 300;
const DELAY = 0.05;

describe('a wait that times out after 0.4 s', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ wait: { delay: DELAY, maxWaitTime: 0.4 }, dynalite: { createTableMs: CREATE_TABLE_MS } });
  });
  afterAll(() => t.stop());

  describe('GET /tables/:name/ready', () => {
    it('answers with the table description once DescribeTable says ACTIVE', async () => {
      await createTable(t.client, 'ready-table');
      t.dynamo.clearRequests();
      const response = await request(t.url).get('/tables/ready-table/ready').expect(200);
      expect(response.body).toMatchObject({ TableName: 'ready-table', TableStatus: 'ACTIVE' });
      // It polled while the table was CREATING: the first attempt was not the last.
      expect(t.dynamo.requestsFor('DescribeTable').length).toBeGreaterThan(1);
    });

    it("answers 504 with the waiter's reason when the wait times out", async () => {
      t.dynamo.clearRequests();
      const response = await request(t.url).get('/tables/no-such-table/ready').expect(504);
      expect(response.body).toMatchObject({
        statusCode: 504,
        error: 'Gateway Timeout',
        kind: 'timeout',
        message: expect.stringMatching(
          /^Max wait time of 0\.4s exceeded\. Previously accepted state: .*ResourceNotFoundException/,
        ),
      });
      expect(response.body.attempts).toBe(t.dynamo.requestsFor('DescribeTable').length);
      expect(response.body.attempts).toBeGreaterThanOrEqual(3);
    });

    it('answers 400 for a name DynamoDB refuses, with the reason', async () => {
      const response = await request(t.url).get('/tables/ab/ready').expect(400);
      expect(response.body).toMatchObject({ kind: 'error', message: expect.stringContaining('ValidationException') });
    });
  });

  describe('GET /tables/:name/events', () => {
    it('sends every attempt, then ends after the one that found the table ACTIVE', async () => {
      await createTable(t.client, 'events-table');
      const sse = await SseClient.open(`${t.url}/tables/events-table/events`);
      expect(sse.status).toBe(200);
      expect(sse.response.headers['content-type']).toMatch(/^text\/event-stream/);
      const events = await sse.all();

      expect(events.every((e) => e.type === 'attempt')).toBe(true);
      const attempts = events.map((e) => e.data);
      expect(attempts.map((a) => a.attempt)).toEqual(attempts.map((_, i) => i + 1));
      expect(attempts.length).toBeGreaterThan(1);
      expect(attempts.slice(0, -1).every((a) => a.state === 'retry' && a.status === 'CREATING' && a.nextDelay === DELAY)).toBe(
        true,
      );
      expect(attempts.at(-1)).toMatchObject({ state: 'success', status: 'ACTIVE' });
      expect(attempts.at(-1)).not.toHaveProperty('nextDelay');
      const elapsed = attempts.map((a) => a.elapsed);
      expect([...elapsed].sort((a, b) => a - b)).toEqual(elapsed);
    });

    it('ends with a timeout event carrying the reason when the wait times out', async () => {
      const sse = await SseClient.open(`${t.url}/tables/missing-table/events`);
      const events = await sse.all();
      const last = events.at(-1)!;
      expect(last.type).toBe('timeout');
      expect(last.data).toMatchObject({
        statusCode: 504,
        kind: 'timeout',
        message: expect.stringMatching(/^Max wait time of 0\.4s exceeded/),
      });
      const attempts = events.slice(0, -1);
      expect(attempts.length).toBe(last.data.attempts);
      expect(
        attempts.every((e) => e.type === 'attempt' && e.data.state === 'retry' && e.data.status === 'ResourceNotFoundException'),
      ).toBe(true);
    });
  });
});

describe('a client that hangs up during a wait of up to 60 s', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ wait: { delay: DELAY, maxWaitTime: 60 } });
  });
  afterAll(() => t.stop());

  /** DescribeTable calls that reach dynalite, by table. */
  const describeCalls = (table: string) =>
    t.dynamo.requestsFor('DescribeTable').filter((r) => r.body?.TableName === table).length;

  /** Connections to the app that are still open on its side. */
  const openConnections = () =>
    new Promise<number>((resolve, reject) =>
      t.app.getHttpServer().getConnections((error, count) => (error ? reject(error) : resolve(count))),
    );

  /**
   * Hangs up once `hangUp` resolves; once the app has seen the connection
   * close, checks over 10 waiter delays that no DescribeTable call for
   * `table` reaches dynalite anymore.
   */
  async function expectPollingStopsAfter(table: string, hangUp: () => Promise<void>): Promise<void> {
    await hangUp();
    const atHangUp = describeCalls(table);
    await until(async () => (await openConnections()) === 0, 'the app to see the connection close');
    const afterClose = describeCalls(table);
    // At most the poll that was on its way as the client hung up.
    expect(afterClose).toBeLessThanOrEqual(atHangUp + 1);
    await sleep(10 * DELAY * 1000);
    expect(describeCalls(table)).toBe(afterClose);
  }

  it('GET /events: closing the connection unsubscribes, and polling stops', async () => {
    const sse = await SseClient.open(`${t.url}/tables/never-created/events`);
    await expectPollingStopsAfter('never-created', async () => {
      await sse.waitFor((events) => events.length >= 3, '3 attempts');
      expect(describeCalls('never-created')).toBeGreaterThanOrEqual(3);
      sse.close();
    });
    expect(sse.events.every((e) => e.type === 'attempt' && e.data.state === 'retry')).toBe(true);
  });

  it('GET /ready: a client that hangs up stops the wait too', async () => {
    const aborted = new AbortController();
    const answer = fetch(`${t.url}/tables/also-never-created/ready`, { signal: aborted.signal }).catch((error: Error) => error);
    await expectPollingStopsAfter('also-never-created', async () => {
      await until(() => describeCalls('also-never-created') >= 3, '3 attempts');
      aborted.abort();
    });
    expect(await answer).toMatchObject({ name: 'AbortError' });
  });
});

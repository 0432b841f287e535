/**
 * The SSE stream /tables/:name/scan: Scan pages of rxjs-aws's paginate(),
 * each read only once the one before it went out through the response.
 */
import request from 'supertest';
import { createTable, defaultItem, putItems } from '../../../spec/support/startDynalite';
import { pacedWriterCapacity, plateau } from './support/socketCapacity';
import { SseClient, type SseEvent } from './support/sse';
import { sleep, startTestApp, until, type TestApp } from './support/testApp';
import { botocoreToken, SEALED_TOKEN, tampered, unseal } from './support/tokens';

const SONGS = 57;
/** 240 items of 40 kB: 24 pages of about 400 kB at pageSize=10, 9.6 MB in all, more than twice what the socket buffers hold. */
const BIG_ITEMS = 240;
const BIG_PAGE = 10;
const PAYLOAD = 'x'.repeat(40_000);
/** What the app's signer says of a token it did not seal for the query (a PaginationError). */
const REFUSED_BY_SIGNER = /^Bad starting token: (it is not a signed token|its signature does not match)/;

describe('GET /tables/:name/scan (SSE)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ wait: { delay: 0.05, maxWaitTime: 1 } });
    await createTable(t.client, 'songs', { waitForActive: true });
    await putItems(t.client, 'songs', SONGS);
    await createTable(t.client, 'big', { waitForActive: true });
    await putItems(t.client, 'big', BIG_ITEMS, (i) => ({ ...defaultItem(i), payload: { S: PAYLOAD } }));
  });
  afterAll(() => t.stop());

  const keysOf = (events: readonly SseEvent[]) =>
    events.filter((e) => e.type === 'page').flatMap((e) => e.data.items.map((item: { pk: { S: string } }) => item.pk.S));
  const sorted = (keys: string[]) => [...keys].sort();
  const allKeys = (n: number) => Array.from({ length: n }, (_, i) => defaultItem(i).pk!.S!);
  /** Scan calls that reached dynalite, for one table or all. */
  const scans = (table?: string) =>
    t.dynamo.requestsFor('Scan').filter((r) => table === undefined || r.body?.TableName === table).length;

  it('sends every item once, a page per event with its resume token as id, then an end event', async () => {
    t.dynamo.clearRequests();
    const sse = await SseClient.open(`${t.url}/tables/songs/scan?pageSize=10`);
    expect(sse.status).toBe(200);
    const events = await sse.all();

    expect(events.map((e) => e.type)).toEqual([...Array(6).fill('page'), 'end']);
    expect(events.slice(0, -1).map((e) => e.data.count)).toEqual([10, 10, 10, 10, 10, 7]);
    expect(sorted(keysOf(events))).toEqual(allKeys(SONGS));
    expect(events.at(-1)!.data).toEqual({ pages: 6, items: SONGS });
    for (const [i, page] of events.slice(0, -1).entries()) {
      expect(page.data.page).toBe(i + 1);
      expect(page.id).toBe(page.data.resumeToken ?? '');
      // Sealed, around botocore's token of the page's last item.
      if (page.data.resumeToken !== null) {
        expect(page.id).toMatch(SEALED_TOKEN);
        expect(unseal(page.id!).inner).toEqual({ ExclusiveStartKey: { pk: page.data.items.at(-1).pk } });
      }
    }
    expect(events.at(-2)!.data.resumeToken).toBeNull();
    expect(t.dynamo.requestsFor('Scan').map((r) => r.body.Limit)).toEqual(Array(6).fill(10));
  });

  it('starts after the page of a signed ?token=, and an EventSource reconnecting with a signed Last-Event-ID carries on after the last page it got', async () => {
    const first = await SseClient.open(`${t.url}/tables/songs/scan?pageSize=10`);
    await first.waitFor((events) => events.length >= 1, 'a page');
    first.close();
    const [page1] = first.events;

    // As an EventSource does: the same URL again, with the id of the last event it got.
    const url = `${t.url}/tables/songs/scan?pageSize=10&token=${encodeURIComponent(page1!.id!)}`;
    const second = await SseClient.open(url);
    await second.waitFor((events) => events.length >= 2, 'two pages');
    second.close();
    const [page2, page3] = second.events;
    expect(page2!.data.page).toBe(1);

    expect(page3!.id).toMatch(SEALED_TOKEN);
    t.dynamo.clearRequests();
    const third = await SseClient.open(url, { headers: { 'last-event-id': page3!.id! } });
    const rest = await third.all();
    // DynamoDB got the key inside the Last-Event-ID.
    expect(t.dynamo.requestsFor('Scan')[0]!.body.ExclusiveStartKey).toEqual({ pk: page3!.data.items.at(-1).pk });
    expect(rest.at(-1)).toMatchObject({ type: 'end', data: { pages: 3, items: SONGS - 30 } });
    expect(sorted([...keysOf([page1!, page2!, page3!]), ...keysOf(rest)])).toEqual(allKeys(SONGS));
  });

  it('answers 400, not an event stream, to a bad pageSize, or a token or Last-Event-ID it did not seal for this table', async () => {
    // Tokens handed out for songs (by /items: the same Scan, so good for /scan of songs too) and for big.
    const { body: songs } = await request(t.url).get('/tables/songs/items?limit=10').expect(200);
    const { body: big } = await request(t.url).get('/tables/big/items?limit=10').expect(200);
    const { inner } = unseal(songs.nextToken);
    const badTokens = {
      'not a token': 'nope',
      'an unsigned botocore token': botocoreToken(inner),
      'a token that does not fit the Scan, unsigned': botocoreToken({ LastEvaluatedKey: {} }),
      'a tampered token': tampered(songs.nextToken, { ExclusiveStartKey: { pk: { S: 'item-00050' } } }),
      "another table's token": big.nextToken,
    };
    t.dynamo.clearRequests();
    for (const query of ['pageSize=0', 'pageSize=1001', 'pageSize=x']) {
      const response = await request(t.url).get(`/tables/songs/scan?${query}`).expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
    }
    for (const [what, token] of Object.entries(badTokens)) {
      for (const response of [
        await request(t.url).get(`/tables/songs/scan?token=${encodeURIComponent(token)}`),
        await request(t.url).get('/tables/songs/scan').set('last-event-id', token),
        // A Last-Event-ID wins over ?token=: a good token does not save a bad Last-Event-ID.
        await request(t.url).get(`/tables/songs/scan?token=${songs.nextToken}`).set('last-event-id', token),
      ]) {
        expect({ what, status: response.status }).toEqual({ what, status: 400 });
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        expect(response.body).toMatchObject({ kind: 'pagination', message: expect.stringMatching(REFUSED_BY_SIGNER) });
      }
    }
    expect(scans()).toBe(0);

    // The token of /items for songs starts the stream after its page.
    const sse = await SseClient.open(`${t.url}/tables/songs/scan?pageSize=10&token=${songs.nextToken}`);
    const events = await sse.all();
    expect(events.at(-1)).toMatchObject({ type: 'end', data: { items: SONGS - 10 } });
    expect(sorted([...songs.items.map((item: { pk: { S: string } }) => item.pk.S), ...keysOf(events)])).toEqual(allKeys(SONGS));
  });

  it('stops reading when the client hangs up: the Scan in flight is aborted, none follows', async () => {
    t.dynamo.clearRequests();
    t.dynamo.setResponseDelay((operation) => (operation === 'Scan' ? 150 : 0));
    const sse = await SseClient.open(`${t.url}/tables/songs/scan?pageSize=5`);
    try {
      await sse.waitFor((events) => events.length >= 1, 'the first page');
      // The second Scan goes out once the first page is written; dynalite holds its answer for 150 ms.
      await until(() => scans() === 2, 'the second Scan');
      const abortedBefore = t.dynamo.closedSockets();
      sse.close();
      await until(() => t.dynamo.closedSockets() > abortedBefore, 'the Scan in flight to be aborted');
      await sleep(300);
      expect(scans()).toBe(2);
      expect(t.dynamo.closedSockets()).toBe(abortedBefore + 1);
      expect(sse.events).toHaveLength(1);
    } finally {
      sse.close();
      t.dynamo.setResponseDelay(undefined);
    }
  });

  it('reads no further ahead of a client that stopped reading than the socket buffers hold, then goes on when it reads', async () => {
    const pages = BIG_ITEMS / BIG_PAGE + 1; // the last full page still has a LastEvaluatedKey: one more, empty, Scan
    t.dynamo.clearRequests();
    const sse = await SseClient.open(`${t.url}/tables/big/scan?pageSize=${BIG_PAGE}`, { paused: true });

    const readAhead = await plateau(() => scans('big'));
    expect(readAhead).toBeGreaterThan(1);
    expect(readAhead).toBeLessThan(pages / 2);

    sse.resume();
    const events = await sse.all(10_000);
    expect(events.at(-1)).toMatchObject({ type: 'end', data: { pages, items: BIG_ITEMS } });
    expect(sorted(keysOf(events))).toEqual(allKeys(BIG_ITEMS));
    expect(scans('big')).toBe(pages);

    // The bound, measured on this machine: what a plain write()/'drain' loop gets into the same kind
    // of socket, in chunks the size of these page events, plus one for the SSE stream in between.
    const capacity = await pacedWriterCapacity(Math.ceil(sse.received / pages));
    expect(readAhead).toBeLessThanOrEqual(capacity + 1);
  });
});

/**
 * GET /tables/:name/items?limit=&token=: a web API of pages, built on
 * rxjs-aws's fullResult, whose nextToken the client hands back.
 */
import request from 'supertest';
import { createTable, putItems } from '../../../spec/support/startDynalite';
import { startTestApp, type TestApp } from './support/testApp';

const ITEMS = 57;
const TABLE = 'items-table';

describe('GET /tables/:name/items', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ wait: { delay: 0.05, maxWaitTime: 1 } });
    await createTable(t.client, TABLE, { waitForActive: true });
    await putItems(t.client, TABLE, ITEMS);
  });
  afterAll(() => t.stop());

  const token = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

  /** Follows nextToken from the first page to the last, with `limits[i]` for request i (the last one repeated). */
  async function listAll(limits: number[]): Promise<{ keys: string[]; pages: number[] }> {
    const keys: string[] = [];
    const pages: number[] = [];
    let nextToken: string | null = null;
    do {
      const limit = limits[Math.min(pages.length, limits.length - 1)]!;
      const query: Record<string, string | number> = nextToken ? { limit, token: nextToken } : { limit };
      const { body } = await request(t.url).get(`/tables/${TABLE}/items`).query(query).expect(200);
      expect(body.items.length).toBeLessThanOrEqual(limit);
      keys.push(...body.items.map((item: { pk: { S: string } }) => item.pk.S));
      pages.push(body.items.length);
      nextToken = body.nextToken;
      expect(pages.length).toBeLessThan(ITEMS + 5);
    } while (nextToken !== null);
    return { keys, pages };
  }

  const everyItem = Array.from({ length: ITEMS }, (_, i) => `item-${String(i).padStart(5, '0')}`);

  it('hands out pages of `limit` items; following nextToken lists every item exactly once', async () => {
    t.dynamo.clearRequests();
    const { keys, pages } = await listAll([10]);
    expect(pages).toEqual([10, 10, 10, 10, 10, 7]);
    expect([...keys].sort()).toEqual(everyItem);
    // One Scan of `limit` items per request: fullResult stops at maxItems, on a page boundary here.
    expect(t.dynamo.requestsFor('Scan').map((r) => r.body.Limit)).toEqual([10, 10, 10, 10, 10, 10]);
  });

  it('lists every item exactly once when the client changes limit between requests', async () => {
    const { keys, pages } = await listAll([1, 7, 13, 2, 25, 3, 1000]);
    expect(pages).toEqual([1, 7, 13, 2, 25, 3, 6]);
    expect(keys.length).toBe(ITEMS);
    expect([...keys].sort()).toEqual(everyItem);
  });

  it('a page that ends where the table ends may still have a nextToken; the next page is empty', async () => {
    const { pages } = await listAll([19]);
    expect(pages).toEqual([19, 19, 19, 0]);
  });

  it('resumes mid-page from a botocore token with a truncation, made with the same limit', async () => {
    // This API never cuts a page (the Scan's page size is the limit), but botocore and the AWS CLI make such tokens.
    const { body: all } = await request(t.url).get(`/tables/${TABLE}/items`).query({ limit: 1000 }).expect(200);
    const resumed = token({ ExclusiveStartKey: null, boto_truncate_amount: 4 });
    const { body } = await request(t.url).get(`/tables/${TABLE}/items`).query({ limit: 10, token: resumed }).expect(200);
    expect(body.items).toEqual(all.items.slice(4, 14));
    expect(JSON.parse(Buffer.from(body.nextToken, 'base64').toString())).toEqual({
      ExclusiveStartKey: { pk: all.items[9].pk },
      boto_truncate_amount: 4,
    });
    const { body: next } = await request(t.url).get(`/tables/${TABLE}/items`).query({ limit: 10, token: body.nextToken }).expect(200);
    expect(next.items).toEqual(all.items.slice(14, 24));
  });

  it('takes 25 items when no limit is given', async () => {
    const { body } = await request(t.url).get(`/tables/${TABLE}/items`).expect(200);
    expect(body.items).toHaveLength(25);
  });

  it.each(['0', '1001', '-1', '1.5', '1e2', 'ten', ' 5'])('answers 400 to limit=%j', async (limit) => {
    t.dynamo.clearRequests();
    const { body } = await request(t.url).get(`/tables/${TABLE}/items`).query({ limit }).expect(400);
    expect(body.message).toMatch(/^limit must be a whole number from 1 to 1000/);
    expect(t.dynamo.requestsFor('Scan')).toHaveLength(0);
  });

  it('answers 400 to a token that is not one of its tokens, before DynamoDB sees it', async () => {
    t.dynamo.clearRequests();
    for (const bad of ['not-a-token', token(['a list']), 'eyJ', '%%%']) {
      const { body } = await request(t.url).get(`/tables/${TABLE}/items`).query({ token: bad }).expect(400);
      expect(body.message).toBe('token is not a resume token of this API');
    }
    expect(t.dynamo.requests).toHaveLength(0);
  });

  it("answers 400 with the PaginationError's message to a token that does not fit the Scan paginator", async () => {
    t.dynamo.clearRequests();
    for (const bad of [token({ NextToken: 'x' }), token({ ExclusiveStartKey: null, boto_truncate_amount: 'x' })]) {
      const { body } = await request(t.url).get(`/tables/${TABLE}/items`).query({ token: bad }).expect(400);
      expect(body).toMatchObject({ kind: 'pagination', message: expect.stringMatching(/starting token/i) });
    }
    expect(t.dynamo.requests).toHaveLength(0);
  });

  it('answers 400 to a token whose key DynamoDB refuses', async () => {
    const { body } = await request(t.url)
      .get(`/tables/${TABLE}/items`)
      .query({ token: token({ ExclusiveStartKey: { nope: { S: 'x' } } }) })
      .expect(400);
    expect(body.message).toMatch(/^ValidationException: The provided starting key is invalid/);
  });

  it('answers 404 for a table that does not exist', async () => {
    const { body } = await request(t.url).get('/tables/no-such-table/items').expect(404);
    expect(body.message).toMatch(/^ResourceNotFoundException/);
  });
});

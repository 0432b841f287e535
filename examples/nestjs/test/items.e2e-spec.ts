/**
 * GET /tables/:name/items?limit=&token=: a web API of pages, built on
 * rxjs-aws's fullResult, whose nextToken the client hands back. The tokens
 * are sealed by the app's signer: the client can hand them back, not edit
 * them, forge them, or use them on another table.
 */
import request from 'supertest';
import { lastValueFrom } from 'rxjs';
import { fullResult } from 'rxjs-aws';
import { Scan } from 'rxjs-aws/dynamodb';
import { hmacTokenSigner } from 'rxjs-aws/signing';
import { createTable, putItems } from '../../../spec/support/startDynalite';
import { startTestApp, TEST_TOKEN_KEYS, type TestApp } from './support/testApp';
import { botocoreToken, SEALED_TOKEN, sealedForScan, tampered, unseal } from './support/tokens';

const ITEMS = 57;
const TABLE = 'items-table';
/** Another table with the same key schema and the same keys: a key of one is a valid ExclusiveStartKey for the other. */
const OTHER_TABLE = 'other-tenant-table';

/** What the signer says of a token it refuses. */
const NOT_SIGNED = /^Bad starting token: it is not a signed token/;
const BAD_SIGNATURE = /^Bad starting token: its signature does not match/;

describe('GET /tables/:name/items', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ wait: { delay: 0.05, maxWaitTime: 1 } });
    for (const table of [TABLE, OTHER_TABLE]) {
      await createTable(t.client, table, { waitForActive: true });
      await putItems(t.client, table, ITEMS);
    }
  });
  afterAll(() => t.stop());

  type Page = { items: { pk: { S: string } }[]; nextToken: string | null };

  const getPage = (query: Record<string, string | number>, table = TABLE, url = t.url) =>
    request(url).get(`/tables/${table}/items`).query(query);

  /** Follows nextToken from the first page to the last, with `limits[i]` for request i (the last one repeated). */
  async function listAll(limits: number[]): Promise<{ keys: string[]; pages: number[]; tokens: string[] }> {
    const keys: string[] = [];
    const pages: number[] = [];
    const tokens: string[] = [];
    let nextToken: string | null = null;
    do {
      const limit = limits[Math.min(pages.length, limits.length - 1)]!;
      const { body } = (await getPage(nextToken ? { limit, token: nextToken } : { limit }).expect(200)) as { body: Page };
      expect(body.items.length).toBeLessThanOrEqual(limit);
      keys.push(...body.items.map((item) => item.pk.S));
      pages.push(body.items.length);
      nextToken = body.nextToken;
      if (nextToken !== null) {
        // Sealed, around botocore's token of the last item handed out.
        expect(nextToken).toMatch(SEALED_TOKEN);
        expect(unseal(nextToken).inner).toEqual({ ExclusiveStartKey: { pk: body.items.at(-1)!.pk } });
        tokens.push(nextToken);
      }
      expect(pages.length).toBeLessThan(ITEMS + 5);
    } while (nextToken !== null);
    return { keys, pages, tokens };
  }

  const everyItem = Array.from({ length: ITEMS }, (_, i) => `item-${String(i).padStart(5, '0')}`);

  it('hands out pages of `limit` items; following the sealed nextToken lists every item exactly once', async () => {
    t.dynamo.clearRequests();
    const { keys, pages } = await listAll([10]);
    expect(pages).toEqual([10, 10, 10, 10, 10, 7]);
    expect([...keys].sort()).toEqual(everyItem);
    // One Scan of `limit` items per request: fullResult stops at maxItems, on a page boundary here.
    const scans = t.dynamo.requestsFor('Scan');
    expect(scans.map((r) => r.body.Limit)).toEqual([10, 10, 10, 10, 10, 10]);
    // DynamoDB gets the key inside the token, not the sealed token.
    expect(scans[1]!.body.ExclusiveStartKey).toEqual({ pk: { S: keys[9] } });
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

  it('hands out the same token for the same place, and a token stays good: a client may retry a page', async () => {
    const { tokens: first } = await listAll([10]);
    const { tokens: second } = await listAll([10]);
    expect(second).toEqual(first);
    const { body: once } = await getPage({ limit: 10, token: first[2]! }).expect(200);
    const { body: twice } = await getPage({ limit: 10, token: first[2]! }).expect(200);
    expect(twice).toEqual(once);
  });

  it('resumes mid-page from a sealed token with a truncation, made with the same limit and key', async () => {
    // This API never cuts a page (the Scan's page size is the limit), but a server that reads Scan pages of 10
    // and stops after 4 items, with the same keys, hands out such a token: sealed for the same Scan.
    const { body: all } = await getPage({ limit: 1000 }).expect(200);
    const signer = hmacTokenSigner(TEST_TOKEN_KEYS);
    const { NextToken } = await lastValueFrom(
      fullResult(Scan, t.client, { TableName: TABLE }, { maxItems: 4, pageSize: 10, signer }),
    );
    // A cut page's token records the page size it was cut at (Limit), so a resume at another size repeats nothing.
    expect(unseal(NextToken!).inner).toEqual({ ExclusiveStartKey: null, boto_truncate_amount: 4, Limit: 10 });

    const { body } = await getPage({ limit: 10, token: NextToken! }).expect(200);
    expect(body.items).toEqual(all.items.slice(4, 14));
    expect(body.nextToken).toMatch(SEALED_TOKEN);
    expect(unseal(body.nextToken).inner).toEqual({
      ExclusiveStartKey: { pk: all.items[9].pk },
      boto_truncate_amount: 4,
      Limit: 10,
    });
    const { body: next } = await getPage({ limit: 10, token: body.nextToken }).expect(200);
    expect(next.items).toEqual(all.items.slice(14, 24));
  });

  it('takes 25 items when no limit is given', async () => {
    const { body } = await getPage({}).expect(200);
    expect(body.items).toHaveLength(25);
  });

  it.each(['0', '1001', '-1', '1.5', '1e2', 'ten', ' 5'])('answers 400 to limit=%j', async (limit) => {
    t.dynamo.clearRequests();
    const { body } = await getPage({ limit }).expect(400);
    expect(body.message).toMatch(/^limit must be a whole number from 1 to 1000/);
    expect(t.dynamo.requestsFor('Scan')).toHaveLength(0);
  });

  it('answers 400 to an unsigned botocore token, though its key is in the table, before DynamoDB sees it', async () => {
    t.dynamo.clearRequests();
    // What this API handed out before its tokens were signed, and what botocore and the AWS CLI make.
    const unsigned = botocoreToken({ ExclusiveStartKey: { pk: { S: 'item-00010' } } });
    const { body } = await getPage({ limit: 10, token: unsigned }).expect(400);
    expect(body).toMatchObject({ statusCode: 400, kind: 'pagination', message: expect.stringMatching(NOT_SIGNED) });
    expect(t.dynamo.requests).toHaveLength(0);
  });

  it('answers 400 to anything else that is not one of its tokens, before DynamoDB sees it', async () => {
    const { body: page } = await getPage({ limit: 10 }).expect(200);
    const { mac } = unseal(page.nextToken);
    const notSigned = [
      'not-a-token',
      botocoreToken(['a list']),
      'eyJ',
      '%%%',
      'rxaws1.',
      'rxaws1.a.b.c',
      page.nextToken.slice(7),
    ];
    const badMac = [
      `${page.nextToken}x`,
      page.nextToken.replace(mac, mac.slice(0, -4)),
      `rxaws1.${botocoreToken({}).replace(/=+$/, '')}.${mac}`,
    ];
    t.dynamo.clearRequests();
    for (const bad of notSigned) {
      const { body } = await getPage({ token: bad }).expect(400);
      expect(body).toMatchObject({ kind: 'pagination', message: expect.stringMatching(NOT_SIGNED) });
    }
    for (const bad of badMac) {
      const { body } = await getPage({ token: bad }).expect(400);
      expect(body).toMatchObject({ kind: 'pagination', message: expect.stringMatching(BAD_SIGNATURE) });
    }
    const { body } = await request(t.url)
      .get(`/tables/${TABLE}/items?token=${page.nextToken}&token=${page.nextToken}`)
      .expect(400);
    expect(body.message).toBe('give at most one token');
    expect(t.dynamo.requests).toHaveLength(0);
  });

  it('answers 400 to a token whose key was edited, its mac kept, and DynamoDB never sees a Scan', async () => {
    const { body: all } = await getPage({ limit: 1000 }).expect(200);
    const { body: page } = await getPage({ limit: 10 }).expect(200);
    const { inner } = unseal(page.nextToken);
    expect(inner.ExclusiveStartKey.pk).toEqual(all.items[9].pk);
    const elsewhere = { ExclusiveStartKey: { pk: all.items[40].pk } };
    const forgeries = [
      // Pointed at another item: a key DynamoDB would take (see below).
      tampered(page.nextToken, elsewhere),
      // The same key, with a truncation it never had.
      tampered(page.nextToken, { ...inner, boto_truncate_amount: 3 }),
    ];
    t.dynamo.clearRequests();
    for (const forged of forgeries) {
      const { body } = await getPage({ limit: 10, token: forged }).expect(400);
      expect(body).toMatchObject({ statusCode: 400, kind: 'pagination', message: expect.stringMatching(BAD_SIGNATURE) });
    }
    expect(t.dynamo.requestsFor('Scan')).toHaveLength(0);

    // Only the seal stops it: the same token sealed by the app's key is a page after item 40.
    const sealedElsewhere = await sealedForScan(TEST_TOKEN_KEYS, TABLE, elsewhere);
    expect(unseal(sealedElsewhere).inner).toEqual(elsewhere);
    const { body: there } = await getPage({ limit: 10, token: sealedElsewhere }).expect(200);
    expect(there.items).toEqual(all.items.slice(41, 51));
    // And the token as it was handed out still works.
    const { body: next } = await getPage({ limit: 10, token: page.nextToken }).expect(200);
    expect(next.items).toEqual(all.items.slice(10, 20));
  });

  it('answers 400 to a token of one table replayed against another, before DynamoDB sees it', async () => {
    const { body: ofTable } = await getPage({ limit: 10 }, TABLE).expect(200);
    const { body: ofOther } = await getPage({ limit: 10 }, OTHER_TABLE).expect(200);
    // Both tables hold the same keys: only the seal tells the tokens apart.
    expect(unseal(ofOther.nextToken).inner).toEqual(unseal(ofTable.nextToken).inner);
    expect(ofOther.nextToken).not.toBe(ofTable.nextToken);

    t.dynamo.clearRequests();
    const { body } = await getPage({ limit: 10, token: ofTable.nextToken }, OTHER_TABLE).expect(400);
    expect(body).toMatchObject({ kind: 'pagination', message: expect.stringMatching(BAD_SIGNATURE) });
    await getPage({ limit: 10, token: ofOther.nextToken }, TABLE).expect(400);
    expect(t.dynamo.requests).toHaveLength(0);
    // Each on its own table: the next page.
    await getPage({ limit: 10, token: ofOther.nextToken }, OTHER_TABLE).expect(200);
  });

  it("answers 400 with the PaginationError's message to a sealed token that does not fit the Scan paginator", async () => {
    t.dynamo.clearRequests();
    for (const inner of [{ NextToken: 'x' }, { ExclusiveStartKey: null, boto_truncate_amount: 'x' }]) {
      const bad = await sealedForScan(TEST_TOKEN_KEYS, TABLE, inner);
      const { body } = await getPage({ token: bad }).expect(400);
      expect(body).toMatchObject({ kind: 'pagination', message: expect.stringMatching(/starting token/i) });
      expect(body.message).not.toMatch(/sign/);
    }
    expect(t.dynamo.requests).toHaveLength(0);
  });

  it('answers 400 to a sealed token whose key DynamoDB refuses (e.g. the table was re-created with another key)', async () => {
    const sealed = await sealedForScan(TEST_TOKEN_KEYS, TABLE, { ExclusiveStartKey: { nope: { S: 'x' } } });
    const { body } = await getPage({ token: sealed }).expect(400);
    expect(body.message).toMatch(/^ValidationException: The provided starting key is invalid/);
  });

  it('answers 404 for a table that does not exist', async () => {
    const { body } = await request(t.url).get('/tables/no-such-table/items').expect(404);
    expect(body.message).toMatch(/^ResourceNotFoundException/);
  });

  describe('key rotation', () => {
    const OLD = 'the old key, which signed the tokens out there';
    const NEW = Buffer.from('a new key of 32 random bytes, or so it says');

    it('accepts a token signed with the old key while the app has [new, old], and refuses it with [new] only', async () => {
      const before = await t.startApp([OLD]);
      const rotated = await t.startApp([NEW, OLD]);
      const after = await t.startApp([NEW]);

      const { body: first } = await getPage({ limit: 10 }, TABLE, before.url).expect(200);
      const { body: second } = await getPage({ limit: 10, token: first.nextToken }, TABLE, before.url).expect(200);

      // The old key's token, across the rotation: the same page as before it.
      t.dynamo.clearRequests();
      const { body: resumed } = await getPage({ limit: 10, token: first.nextToken }, TABLE, rotated.url).expect(200);
      expect(resumed.items).toEqual(second.items);
      // What the rotated app hands out is signed with the new key: the app with the old key alone refuses it.
      expect(unseal(resumed.nextToken).inner).toEqual(unseal(second.nextToken).inner);
      expect(resumed.nextToken).not.toBe(second.nextToken);
      await getPage({ limit: 10, token: resumed.nextToken }, TABLE, after.url).expect(200);
      await getPage({ limit: 10, token: resumed.nextToken }, TABLE, before.url).expect(400);
      expect(t.dynamo.requestsFor('Scan')).toHaveLength(2);

      // Once the old key is dropped, its tokens are refused before DynamoDB sees them.
      t.dynamo.clearRequests();
      const { body } = await getPage({ limit: 10, token: first.nextToken }, TABLE, after.url).expect(400);
      expect(body).toMatchObject({ kind: 'pagination', message: expect.stringMatching(BAD_SIGNATURE) });
      // And the test app's own key was never one of them.
      await getPage({ limit: 10, token: first.nextToken }, TABLE, t.url).expect(400);
      expect(t.dynamo.requests).toHaveLength(0);
    });
  });
});

import { lastValueFrom, toArray } from 'rxjs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { items, paginate, resumeTokenOf } from '../../../src';
import { parallelScan, Query, Scan } from '../../../src/services/generated/lib-dynamodb';
import { createTable, type DynaliteServer, startDynalite } from '../../support/startDynalite';

const TABLE = 'songs';
const N = 25;

describe('rxjs-aws/lib-dynamodb (dynalite)', () => {
  let ddb: DynaliteServer;
  let client: DynamoDBClient;
  let docClient: DynamoDBDocumentClient;

  beforeAll(async () => {
    ddb = await startDynalite();
    client = ddb.client();
    docClient = DynamoDBDocumentClient.from(client);
    await createTable(client, TABLE, { hashKey: 'artist', rangeKey: { name: 'n', type: 'N' }, waitForActive: true });
    const songs = Array.from({ length: N }, (_, n) => ({ artist: n % 2 ? 'Nina' : 'Ella', n, tags: ['jazz', `t${n}`] }));
    for (let i = 0; i < songs.length; i += 25) {
      await docClient.send(
        new BatchWriteCommand({ RequestItems: { [TABLE]: songs.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }),
      );
    }
  });
  afterAll(() => ddb?.stop());

  test('Scan pages plain JavaScript items, each once, and resumes from a native key', async () => {
    const pages = await lastValueFrom(paginate(Scan, docClient, { TableName: TABLE }, { pageSize: 4 }).pipe(toArray()));
    const songs = pages.flatMap((p) => p.Items ?? []);
    expect(songs).toHaveLength(N);
    expect(new Set(songs.map((s) => `${s['artist']}/${s['n']}`)).size).toBe(N);
    expect(songs[0]).toEqual({ artist: expect.any(String), n: expect.any(Number), tags: ['jazz', `t${songs[0]!['n']}`] });
    const rest = await lastValueFrom(
      paginate(Scan, docClient, { TableName: TABLE }, { pageSize: 4, startingToken: resumeTokenOf(pages[1]!)! }).pipe(
        items(Scan),
        toArray(),
      ),
    );
    expect(rest).toEqual(songs.slice(8));
  });

  test('Query pages plain items with plain expression values', async () => {
    const nina = await lastValueFrom(
      paginate(
        Query,
        docClient,
        { TableName: TABLE, KeyConditionExpression: 'artist = :a', ExpressionAttributeValues: { ':a': 'Nina' } },
        { pageSize: 3 },
      ).pipe(items(Query), toArray()),
    );
    expect(nina.map((s) => s['n'])).toEqual(Array.from({ length: 12 }, (_, i) => 2 * i + 1));
  });

  test('parallelScan through the document client: every item once, native', async () => {
    const pages = await lastValueFrom(
      parallelScan(docClient, { TableName: TABLE }, { totalSegments: 3, pageSize: 5 }).pipe(toArray()),
    );
    const songs = pages.flatMap(({ page }) => page.Items ?? []);
    expect(songs.map((s) => `${s['artist']}/${s['n']}`).sort()).toHaveLength(N);
    expect(new Set(songs.map((s) => `${s['artist']}/${s['n']}`)).size).toBe(N);
    expect(typeof songs[0]!['n']).toBe('number');
  });
});

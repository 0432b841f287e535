/**
 * Compile-time tests of processPages, processItems and search: `tsc --noEmit`
 * (run first by `npm test`) fails when a type here is wrong or an
 * `@ts-expect-error` is no longer an error. Nothing is sent: nothing is subscribed.
 */
import type { Observable } from 'rxjs';
import {
  DynamoDBClient,
  type AttributeValue,
  type DescribeTableCommandOutput,
  type ScanCommandOutput,
  type TableStatus,
} from '@aws-sdk/client-dynamodb';
import { paginate, processItems, processPages, search, type SearchResult, type WorkContext } from '../../../src';
import * as dynamodb from '../../../src/services/generated/dynamodb';

/** `true` only when A and B are the same type (not merely mutually assignable). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Item = Record<string, AttributeValue>;

const client = new DynamoDBClient({
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});
const describePages = paginate(
  { input_token: 'NextToken', output_token: 'NextToken' },
  (): Promise<DescribeTableCommandOutput> => Promise.resolve({ $metadata: {} }),
  {},
);
const scanPages = paginate(dynamodb.Scan, client, { TableName: 't' });

// search: typed for a plain dotted member path, from the pages it is piped onto.
const statuses = describePages.pipe(search('Table.TableStatus'));
const rows = scanPages.pipe(search('Items'));
const count = scanPages.pipe(search('Count'));
const nested = describePages.pipe(search('Table.KeySchema'));
const projected = scanPages.pipe(search('Items[].pk'));
const unknownMember = describePages.pipe(search('Table.NoSuchMember'));
const throughList = describePages.pipe(search('Table.KeySchema.AttributeName'));
const named = scanPages.pipe(search<string>('Items[].pk.S'));
const untyped = search('Table.TableStatus');

// processPages and processItems: pages and items typed by the bound spec, what the work returns by the work.
const written = processPages(dynamodb.Scan, client, { TableName: 't' }, (page, context) => {
  const typedPage: Equal<typeof page, ScanCommandOutput> = true;
  const typedContext: Equal<typeof context, WorkContext> = true;
  return Promise.resolve(typedPage && typedContext ? (page.Count ?? context.index) : 0);
});
const notified = processItems(
  dynamodb.Scan,
  client,
  { TableName: 't' },
  (item) => {
    const typedItem: Equal<typeof item, Item> = true;
    return Promise.resolve(typedItem ? Object.keys(item).join() : 'not sent');
  },
  { resumeAfter: (item) => ({ ExclusiveStartKey: { pk: item['pk']! } }), onCheckpoint: () => undefined },
);

const checks = [
  true satisfies Equal<typeof statuses, Observable<TableStatus | null>>,
  true satisfies Equal<typeof rows, Observable<Item | null>>,
  true satisfies Equal<typeof count, Observable<number | null>>,
  true satisfies Equal<
    typeof nested,
    Observable<NonNullable<NonNullable<DescribeTableCommandOutput['Table']>['KeySchema']>[number] | null>
  >,
  true satisfies Equal<typeof projected, Observable<unknown>>,
  true satisfies Equal<typeof unknownMember, Observable<unknown>>,
  // JMESPath does not step into a list without a projection: `KeySchema.AttributeName` is null.
  true satisfies Equal<typeof throughList, Observable<null>>,
  true satisfies Equal<typeof named, Observable<string>>,
  true satisfies Equal<SearchResult<unknown, 'Table.TableStatus'>, unknown>,
  true satisfies Equal<SearchResult<DescribeTableCommandOutput, string>, unknown>,
  true satisfies Equal<typeof written, Observable<number>>,
  true satisfies Equal<typeof notified, Observable<string>>,
];

// Misuses are compile errors. Never called.
function misuses(): unknown[] {
  return [
    // @ts-expect-error processPages is no operator: it pages through the API itself, so that its reads follow the work
    scanPages.pipe(processPages((page: ScanCommandOutput) => Promise.resolve(page))),
    // @ts-expect-error a Scan page has no TableNames
    processPages(dynamodb.Scan, client, { TableName: 't' }, (page) => Promise.resolve(page.TableNames)),
    // @ts-expect-error demand is not an option: the work meters the reads
    processPages(dynamodb.Scan, client, { TableName: 't' }, () => Promise.resolve(), { demand: scanPages }),
    processItems(dynamodb.Scan, client, { TableName: 't' }, () => Promise.resolve(), {
      // @ts-expect-error resumeAfter takes an item of the first result key, not a page
      resumeAfter: (item: ScanCommandOutput) => item,
    }),
    // @ts-expect-error resumeAfter is processItems': processPages' checkpoints are at page boundaries
    processPages(dynamodb.Scan, client, { TableName: 't' }, () => Promise.resolve(), { resumeAfter: () => ({}) }),
  ];
}

describe('types of processPages, processItems and search', () => {
  it('type-checks (see tsc) and builds observables without sending anything', () => {
    expect(checks.every((ok) => ok)).toBe(true);
    for (const observable of [statuses, rows, count, nested, projected, unknownMember, throughList, named, written, notified]) {
      expect(typeof observable.subscribe).toBe('function');
    }
    expect(typeof misuses).toBe('function');
    expect(typeof untyped).toBe('function');
    client.destroy();
  });
});

/**
 * Compile-time tests of the generated service modules: `tsc --noEmit -p .`
 * (run first by `npm test`) fails when a type here is wrong or an
 * `@ts-expect-error` is no longer an error. Nothing is sent: no observable is subscribed.
 */
import { map, type Observable, type OperatorFunction } from 'rxjs';
import {
  DynamoDBClient,
  type AttributeValue,
  ListTagsOfResourceCommand,
  type DescribeTableCommandInput,
  type Tag,
  type DescribeTableCommandOutput,
  type ScanCommandInput,
  type ScanCommandOutput,
  type TableStatus,
} from '@aws-sdk/client-dynamodb';
import {
  EC2Client,
  type DescribeInstancesCommandInput,
  type DescribeInstancesCommandOutput,
  type Reservation,
} from '@aws-sdk/client-ec2';
import {
  bindPaginator,
  items,
  paginate,
  waitFor,
  type AcceptedError,
  type BoundPaginator,
  type BoundWaiter,
  type PageWith,
} from '../src';
import * as dynamodb from '../src/services/generated/dynamodb';
import * as ec2 from '../src/services/generated/ec2';

/** `true` only when A and B are the same type (not merely mutually assignable). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const dynamoClient = new DynamoDBClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials });
const ec2Client = new EC2Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials });

// Never subscribed: building these sends nothing.
const _scanItemsOperator = items(dynamodb.Scan);
const scanPages = paginate(dynamodb.Scan, dynamoClient, { TableName: 't' });
const scanItems = paginate(dynamodb.Scan, dynamoClient, { TableName: 't' }, { pageSize: 10 }).pipe(items(dynamodb.Scan));
const tableNames = paginate(dynamodb.ListTables, dynamoClient, {}).pipe(items(dynamodb.ListTables));
const tableExists = waitFor(dynamodb.TableExists, dynamoClient, { TableName: 't' }, { maxWaitTime: 60 });
const tableNotExists = waitFor(dynamodb.TableNotExists, dynamoClient, { TableName: 't' });
const scanCounts = paginate(dynamodb.Scan, dynamoClient, { TableName: 't' }).pipe(items(dynamodb.Scan, 'Count'));
const scanRows = paginate(dynamodb.Scan, dynamoClient, { TableName: 't' }).pipe(items(dynamodb.Scan, 'Items'));
const queryPagesOfScan = paginate(dynamodb.Query, dynamoClient, { TableName: 't' }).pipe(items(dynamodb.Scan));
// A spec bound by the user carries its result keys too.
const ListTags = bindPaginator(
  { input_token: 'NextToken', output_token: 'NextToken', result_key: ['Tags'] },
  ListTagsOfResourceCommand,
  DynamoDBClient,
);
const userTags = paginate(ListTags, dynamoClient, { ResourceArn: 'arn' }).pipe(items(ListTags, 'Tags'));
const gone = tableNotExists.pipe(
  // The error is told from a response without a cast.
  map((result) => (result instanceof Error ? result.name : result.Table?.TableStatus)),
);
const instancePages = paginate(ec2.DescribeInstances, ec2Client, { InstanceIds: ['i-1'] });
const reservations = paginate(ec2.DescribeInstances, ec2Client, {}).pipe(items(ec2.DescribeInstances));
const running = waitFor(ec2.InstanceRunning, ec2Client, { InstanceIds: ['i-1'] });

const scanPagesOk: Equal<typeof scanPages, Observable<ScanCommandOutput>> = true;
const scanItemsOperatorOk: Equal<
  typeof _scanItemsOperator,
  OperatorFunction<PageWith<ScanCommandOutput, 'Items' | 'Count' | 'ScannedCount'>, Record<string, AttributeValue>>
> = true;
const scanCountsOk: Equal<typeof scanCounts, Observable<number>> = true;
const scanRowsOk: Equal<typeof scanRows, Observable<Record<string, AttributeValue>>> = true;
// Query pages have Scan's result keys: Scan's items of them are their items.
const queryPagesOfScanOk: Equal<typeof queryPagesOfScan, Observable<Record<string, AttributeValue>>> = true;
const userTagsOk: Equal<typeof userTags, Observable<Tag>> = true;
const goneOk: Equal<typeof gone, Observable<'ResourceNotFoundException' | TableStatus | undefined>> = true;
const scanItemsOk: Equal<typeof scanItems, Observable<Record<string, AttributeValue>>> = true;
const scanBoundOk: Equal<
  typeof dynamodb.Scan,
  BoundPaginator<
    ScanCommandInput,
    ScanCommandOutput,
    Record<string, AttributeValue>,
    DynamoDBClient,
    'Items' | 'Count' | 'ScannedCount'
  >
> = true;
const tableNamesOk: Equal<typeof tableNames, Observable<string>> = true;
const tableExistsOk: Equal<typeof tableExists, Observable<DescribeTableCommandOutput>> = true;
// TableNotExists succeeds on DescribeTable's ResourceNotFoundException, and emits it.
const tableNotExistsOk: Equal<
  typeof tableNotExists,
  Observable<DescribeTableCommandOutput | AcceptedError<'ResourceNotFoundException'>>
> = true;
const tableNotExistsSpecOk: Equal<
  typeof dynamodb.TableNotExists,
  BoundWaiter<DescribeTableCommandInput, DescribeTableCommandOutput, DynamoDBClient, 'ResourceNotFoundException'>
> = true;
const instancePagesOk: Equal<typeof instancePages, Observable<DescribeInstancesCommandOutput>> = true;
const reservationsOk: Equal<typeof reservations, Observable<Reservation>> = true;
const runningOk: Equal<typeof running, Observable<DescribeInstancesCommandOutput>> = true;
const runningSpecOk: Equal<
  typeof ec2.InstanceRunning,
  BoundWaiter<DescribeInstancesCommandInput, DescribeInstancesCommandOutput, EC2Client>
> = true;
const typeChecks = [
  scanPagesOk,
  scanItemsOperatorOk,
  scanItemsOk,
  scanBoundOk,
  tableNamesOk,
  tableExistsOk,
  tableNotExistsOk,
  tableNotExistsSpecOk,
  scanCountsOk,
  scanRowsOk,
  queryPagesOfScanOk,
  goneOk,
  userTagsOk,
  instancePagesOk,
  reservationsOk,
  runningOk,
  runningSpecOk,
];

// The Equal helper itself tells types apart.
const notEqual: Equal<string, string | undefined> = false;
const notEqualAny: Equal<unknown, any> = false;

// Wrong inputs are compile errors. Never called: some would also throw when run
// (specs are compiled eagerly), and none may send anything.
function wrongInputs(): Observable<unknown>[] {
  // @ts-expect-error misspelt member
  paginate(dynamodb.Scan, dynamoClient, { TableNam: 't' });
  // @ts-expect-error TableName is required
  paginate(dynamodb.Scan, dynamoClient, {});
  // @ts-expect-error Limit is a number
  paginate(dynamodb.Scan, dynamoClient, { TableName: 't', Limit: 'x' });
  // @ts-expect-error misspelt member
  waitFor(dynamodb.TableExists, dynamoClient, { TableNam: 't' });
  // @ts-expect-error TableName is required
  waitFor(dynamodb.TableExists, dynamoClient, {});
  // @ts-expect-error InstanceIds is a list
  paginate(ec2.DescribeInstances, ec2Client, { InstanceIds: 'i-1' });
  // @ts-expect-error MaxResults is a number
  waitFor(ec2.InstanceRunning, ec2Client, { MaxResults: '5' });
  // @ts-expect-error a paginator is not a waiter
  waitFor(dynamodb.Scan, dynamoClient, { TableName: 't' });
  // @ts-expect-error a waiter is not a paginator
  paginate(dynamodb.TableExists, dynamoClient, { TableName: 't' });
  // @ts-expect-error the client is not a send function for an unbound spec
  paginate(dynamodb.Scan.spec, dynamoClient, { TableName: 't' });
  // @ts-expect-error an EC2 paginator is not sent through a DynamoDB client
  paginate(ec2.DescribeInstances, dynamoClient, {});
  // @ts-expect-error a DynamoDB waiter is not sent through an EC2 client
  waitFor(dynamodb.TableExists, ec2Client, { TableName: 't' });
  // @ts-expect-error items of Scan are records, not strings
  const wrongItems: Observable<string> = scanPages.pipe(items(dynamodb.Scan));
  // @ts-expect-error Scan's counts are numbers
  const wrongCounts: Observable<string> = scanPages.pipe(items(dynamodb.Scan, 'Count'));
  // @ts-expect-error TableNames is not a result key of Scan
  items(dynamodb.Scan, 'TableNames');
  // @ts-expect-error ListTables pages have none of Scan's result keys: items(Scan) would yield nothing
  paginate(dynamodb.ListTables, dynamoClient, {}).pipe(items(dynamodb.Scan));
  // @ts-expect-error nor do they have its Count
  paginate(dynamodb.ListTables, dynamoClient, {}).pipe(items(dynamodb.Scan, 'Count'));
  // @ts-expect-error Items is not a result key of the user's ListTags
  items(ListTags, 'Items');
  // @ts-expect-error TableExists succeeds only on responses: it emits no error
  const notAnError: Observable<AcceptedError> = tableExists;
  return [wrongItems, wrongCounts, notAnError];
}

describe('generated module types', () => {
  it('type-checks (see tsc) and builds observables without sending anything', () => {
    expect(typeChecks.every((ok) => ok === true)).toBe(true);
    expect([notEqual, notEqualAny]).toEqual([false, false]);
    expect(typeof wrongInputs).toBe('function');
    for (const observable of [
      scanPages,
      scanItems,
      tableNames,
      tableExists,
      tableNotExists,
      scanCounts,
      scanRows,
      queryPagesOfScan,
      gone,
      userTags,
      instancePages,
      reservations,
      running,
    ]) {
      expect(typeof observable.subscribe).toBe('function');
    }
    dynamoClient.destroy();
    ec2Client.destroy();
  });
});

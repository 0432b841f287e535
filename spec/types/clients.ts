/**
 * Type tests run by scripts/typeTests.ts with TypeScript 5.4, 5.9, 6 and 7 (and by the root `tsc`): the client is
 * part of a bound spec's type, items are typed from the client package, and every `@ts-expect-error` must still be
 * an error. Nothing here runs.
 */
import type { Observable, OperatorFunction } from 'rxjs';
import {
  DynamoDBClient,
  type AttributeValue,
  type DescribeTableCommandOutput,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import {
  S3Client,
  type HeadBucketCommandOutput,
  type HeadObjectCommandOutput,
  type MultipartUpload,
  type ObjectVersion,
  type _Object,
} from '@aws-sdk/client-s3';
import { CloudWatchLogsClient, type LogGroup } from '@aws-sdk/client-cloudwatch-logs';
import { SFNClient, type DescribeExecutionCommandOutput, type StateMachineListItem } from '@aws-sdk/client-sfn';
import { Route53Client, type ResourceRecordSet } from '@aws-sdk/client-route-53';
import { DynamoDBDocumentClient, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import {
  fullResult,
  items,
  paginate,
  paginateIterable,
  waitFor,
  waitForAttempts,
  type AcceptedError,
  type PageIterator,
  type PageWith,
} from '../../src';
import * as dynamodb from '../../src/services/generated/dynamodb';
import * as ec2 from '../../src/services/generated/ec2';
import * as s3 from '../../src/services/generated/s3';
import * as logs from '../../src/services/generated/cloudwatch-logs';
import * as sfn from '../../src/services/generated/sfn';
import * as route53 from '../../src/services/generated/route-53';
import * as documents from '../../src/services/generated/lib-dynamodb';

/** `true` only when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

declare const dynamoClient: DynamoDBClient;
declare const ec2Client: EC2Client;
declare const s3Client: S3Client;
declare const logsClient: CloudWatchLogsClient;
declare const sfnClient: SFNClient;
declare const route53Client: Route53Client;
declare const docClient: DynamoDBDocumentClient;

export const versions = paginate(s3.ListObjectVersions, s3Client, { Bucket: 'b' }).pipe(items(s3.ListObjectVersions));
export const uploads = paginate(s3.ListMultipartUploads, s3Client, { Bucket: 'b' }).pipe(items(s3.ListMultipartUploads));
export const objects = paginate(s3.ListObjectsV2, s3Client, { Bucket: 'b' }).pipe(items(s3.ListObjectsV2));
export const groups = paginate(logs.DescribeLogGroups, logsClient, {}).pipe(items(logs.DescribeLogGroups));
export const machines = paginate(sfn.ListStateMachines, sfnClient, {}).pipe(items(sfn.ListStateMachines));
export const records = paginate(route53.ListResourceRecordSets, route53Client, { HostedZoneId: 'Z1' }).pipe(
  items(route53.ListResourceRecordSets),
);
export const songs = paginate(documents.Scan, docClient, { TableName: 't' }).pipe(items(documents.Scan));
export const raw = paginate(dynamodb.Scan, dynamoClient, { TableName: 't' }).pipe(items(dynamodb.Scan));
export const bucket = waitFor(s3.BucketExists, s3Client, { Bucket: 'b' });
export const counts = paginate(dynamodb.Scan, dynamoClient, { TableName: 't' }).pipe(items(dynamodb.Scan, 'Count'));
export const scanned = paginate(dynamodb.Query, dynamoClient, { TableName: 't' }).pipe(items(dynamodb.Query, 'ScannedCount'));
export const rowsOperator = items(dynamodb.Scan);
export const tableGone = waitFor(dynamodb.TableNotExists, dynamoClient, { TableName: 't' });
export const tableThere = waitFor(dynamodb.TableExists, dynamoClient, { TableName: 't' });
export const objectGone = waitFor(s3.ObjectNotExists, s3Client, { Bucket: 'b', Key: 'k' });
export const objectThere = waitFor(s3.ObjectExists, s3Client, { Bucket: 'b', Key: 'k' });
export const pageIterator = paginateIterable(dynamodb.Scan, dynamoClient, { TableName: 't' });
export const nextPage = pageIterator.next();
export const endPages = pageIterator.return();

export const checks: true[] = [
  true satisfies Equal<typeof versions, Observable<ObjectVersion>>,
  true satisfies Equal<typeof uploads, Observable<MultipartUpload>>,
  true satisfies Equal<typeof objects, Observable<_Object>>,
  true satisfies Equal<typeof groups, Observable<LogGroup>>,
  true satisfies Equal<typeof machines, Observable<StateMachineListItem>>,
  true satisfies Equal<typeof records, Observable<ResourceRecordSet>>,
  true satisfies Equal<typeof raw, Observable<Record<string, AttributeValue>>>,
  true satisfies Equal<typeof counts, Observable<number>>,
  true satisfies Equal<typeof scanned, Observable<number>>,
  true satisfies Equal<
    typeof rowsOperator,
    OperatorFunction<PageWith<ScanCommandOutput, 'Items' | 'Count' | 'ScannedCount'>, Record<string, AttributeValue>>
  >,
  // Waiters that succeed on an error emit it; the others emit responses only.
  true satisfies Equal<typeof tableGone, Observable<DescribeTableCommandOutput | AcceptedError<'ResourceNotFoundException'>>>,
  true satisfies Equal<typeof tableThere, Observable<DescribeTableCommandOutput>>,
  // S3's ObjectNotExists succeeds on a 404, an error whatever its code; BucketExists on a 403 too.
  true satisfies Equal<typeof objectGone, Observable<HeadObjectCommandOutput | AcceptedError>>,
  true satisfies Equal<typeof objectThere, Observable<HeadObjectCommandOutput>>,
  true satisfies Equal<typeof bucket, Observable<HeadBucketCommandOutput | AcceptedError>>,
  true satisfies Equal<typeof pageIterator, PageIterator<ScanCommandOutput>>,
  true satisfies Equal<typeof nextPage, Promise<IteratorResult<ScanCommandOutput, undefined>>>,
  true satisfies Equal<typeof endPages, Promise<IteratorResult<ScanCommandOutput, undefined>>>,
];

export function wrongClients(): unknown[] {
  return [
    // @ts-expect-error an EC2 paginator with a DynamoDB client
    paginate(ec2.DescribeInstances, dynamoClient, {}),
    // @ts-expect-error a DynamoDB waiter with an EC2 client
    waitFor(dynamodb.TableExists, ec2Client, { TableName: 't' }),
    // @ts-expect-error an S3 paginator with a CloudWatch Logs client
    fullResult(s3.ListObjectsV2, logsClient, { Bucket: 'b' }),
    // @ts-expect-error a Step Functions waiter-less paginator with an S3 client
    paginateIterable(sfn.ListExecutions, s3Client, {}),
    // @ts-expect-error a DynamoDB waiter with an S3 client
    waitForAttempts(dynamodb.TableExists, s3Client, { TableName: 't' }),
    // @ts-expect-error misspelt member
    paginate(dynamodb.Scan, dynamoClient, { TableNam: 't' }),
    // @ts-expect-error ListTables pages have none of Scan's result keys
    paginate(dynamodb.ListTables, dynamoClient, {}).pipe(items(dynamodb.Scan)),
    // @ts-expect-error nor its Count
    paginate(dynamodb.ListTables, dynamoClient, {}).pipe(items(dynamodb.Scan, 'Count')),
    // @ts-expect-error not a result key of Scan
    items(dynamodb.Scan, 'TableNames'),
  ];
}

// The document client's items are plain values (lib-dynamodb types them as NativeAttributeValue, which is `any`).
export const nativeSongs: Observable<Record<string, NativeAttributeValue>> = songs;
export type Unused = DescribeExecutionCommandOutput;

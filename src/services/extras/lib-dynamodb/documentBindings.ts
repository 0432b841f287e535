import {
  QueryCommand,
  ScanCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type QueryCommandOutput,
  type ScanCommandInput,
  type ScanCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import type { BoundPaginator, ItemOf, ServiceBinding } from '../../../specs/bound';
import { Query as QuerySpec, Scan as ScanSpec } from '../../generated/dynamodb/specs';

/** The document client: it reports DynamoDB's service id, and marshals items itself. */
const service: ServiceBinding = { serviceId: 'DynamoDB', client: 'DynamoDBDocumentClient', package: '@aws-sdk/lib-dynamodb' };

/**
 * botocore's DynamoDB Scan paginator bound to the document client's `ScanCommand`: items are plain JavaScript
 * values (`{ id: 1, tags: ['a'] }`), and so are `ExclusiveStartKey` and resume tokens' keys.
 * @example
 * ```ts
 * const docClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));
 * paginate(Scan, docClient, { TableName: 'music' }).pipe(items(Scan)).subscribe((song) => console.log(song.title));
 * ```
 */
export const Scan: BoundPaginator<
  ScanCommandInput,
  ScanCommandOutput,
  ItemOf<ScanCommandOutput, 'Items'>,
  DynamoDBDocumentClient
> = { spec: ScanSpec.spec, command: ScanCommand, service };

/**
 * botocore's DynamoDB Query paginator bound to the document client's `QueryCommand`, with plain JavaScript items.
 * @example
 * ```ts
 * paginate(Query, docClient, { TableName: 'music', KeyConditionExpression: 'artist = :a', ExpressionAttributeValues: { ':a': 'Nina' } })
 *   .pipe(items(Query))
 *   .subscribe((song) => console.log(song.title));
 * ```
 */
export const Query: BoundPaginator<
  QueryCommandInput,
  QueryCommandOutput,
  ItemOf<QueryCommandOutput, 'Items'>,
  DynamoDBDocumentClient
> = { spec: QuerySpec.spec, command: QueryCommand, service };

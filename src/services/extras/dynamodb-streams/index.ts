/**
 * `rxjs-aws/dynamodb-streams`: paginators and waiters for DynamoDB Streams, which AWS does not ship (neither botocore
 * nor the SDK's model has a paginator or a waiter for it, aws/aws-sdk#273): `ListStreams`, `DescribeStream` (a
 * stream's shards), `StreamEnabled`, and `tableStreamReady` for a table's stream from start to `ENABLED`.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
 * import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
 * import { tableStreamReady } from 'rxjs-aws/dynamodb-streams';
 *
 * tableStreamReady(new DynamoDBClient({}), new DynamoDBStreamsClient({}), 'music').subscribe(({ StreamDescription }) =>
 *   console.log(StreamDescription?.StreamArn),
 * );
 * ```
 * @packageDocumentation
 */
export { DescribeStream } from './DescribeStream';
export { ListStreams } from './ListStreams';
export { StreamEnabled } from './StreamEnabled';
export { tableStreamReady } from './tableStreamReady';

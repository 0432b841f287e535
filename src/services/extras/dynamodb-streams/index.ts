/**
 * `rxjs-aws/dynamodb-streams`: waiters for DynamoDB Streams, which AWS does not ship (botocore has no paginator or
 * waiter for it): `StreamEnabled`, and `tableStreamReady` for a table's stream from start to `ENABLED`.
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
export { StreamEnabled } from './StreamEnabled';
export { tableStreamReady } from './tableStreamReady';

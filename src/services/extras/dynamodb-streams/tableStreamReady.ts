import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DescribeStreamCommandOutput, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { switchMap, type Observable } from 'rxjs';
import { waitFor } from '../../../operators/wait/waitFor';
import type { WaitForOptions } from '../../../operators/wait/WaitForOptions';
import { TableStreamEnabled } from '../dynamodb/TableStreamEnabled';
import { StreamEnabled } from './StreamEnabled';

/**
 * Waits until a table's stream can be read: first the table has its stream enabled with an ARN
 * (`TableStreamEnabled`, DynamoDB), then that stream is `ENABLED` (`StreamEnabled`, DynamoDB Streams).
 * Emits the stream's description and completes; the options apply to each step.
 * @example
 * ```ts
 * tableStreamReady(new DynamoDBClient({}), new DynamoDBStreamsClient({}), 'music').subscribe(({ StreamDescription }) =>
 *   console.log(StreamDescription?.StreamArn),
 * );
 * ```
 */
export function tableStreamReady(
  dynamodb: DynamoDBClient,
  streams: DynamoDBStreamsClient,
  tableName: string,
  options?: WaitForOptions,
): Observable<DescribeStreamCommandOutput> {
  return waitFor(TableStreamEnabled, dynamodb, { TableName: tableName }, options).pipe(
    switchMap(({ Table }) => waitFor(StreamEnabled, streams, { StreamArn: Table!.LatestStreamArn! }, options)),
  );
}

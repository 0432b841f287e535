import {
  DescribeStreamCommand,
  type DescribeStreamCommandInput,
  type DescribeStreamCommandOutput,
  type DynamoDBStreamsClient,
} from '@aws-sdk/client-dynamodb-streams';
import type { BoundWaiter } from '../../../specs/bound';

/**
 * Waits until a DynamoDB stream is `ENABLED` (AWS ships no DynamoDB Streams waiter: aws/aws-sdk#273). A stream
 * that is `DISABLING` or `DISABLED` is a failure; `ENABLING` is retried. Every 5 s, 60 attempts.
 * @example
 * ```ts
 * waitFor(StreamEnabled, streamsClient, { StreamArn: arn }).subscribe(({ StreamDescription }) =>
 *   console.log(StreamDescription?.Shards?.length),
 * );
 * ```
 */
export const StreamEnabled: BoundWaiter<DescribeStreamCommandInput, DescribeStreamCommandOutput, DynamoDBStreamsClient> = {
  spec: {
    operation: 'DescribeStream',
    delay: 5,
    maxAttempts: 60,
    acceptors: [
      { matcher: 'path', argument: 'StreamDescription.StreamStatus', expected: 'ENABLED', state: 'success' },
      { matcher: 'path', argument: 'StreamDescription.StreamStatus', expected: 'DISABLING', state: 'failure' },
      { matcher: 'path', argument: 'StreamDescription.StreamStatus', expected: 'DISABLED', state: 'failure' },
    ],
  },
  command: DescribeStreamCommand,
  service: { serviceId: 'DynamoDB Streams', client: 'DynamoDBStreamsClient', package: '@aws-sdk/client-dynamodb-streams' },
};

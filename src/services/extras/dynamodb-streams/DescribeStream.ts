import {
  DescribeStreamCommand,
  type DescribeStreamCommandInput,
  type DescribeStreamCommandOutput,
  type DynamoDBStreamsClient,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { BoundPaginator } from '../../../specs/bound';

/**
 * Pages through a stream's shards: `DescribeStream` answers at most `Limit` of them, and
 * `StreamDescription.LastEvaluatedShardId` while there are more, to be sent back as `ExclusiveStartShardId`
 * (aws/aws-sdk#273: neither botocore nor the SDK's model has this paginator). The stream's other members
 * (`StreamStatus`, `KeySchema`, ...) are the same on every page: `fullResult` keeps them beside all the shards.
 * @example
 * ```ts
 * paginate(DescribeStream, streamsClient, { StreamArn: arn }).pipe(items(DescribeStream)).subscribe((shard) =>
 *   console.log(shard.ShardId, shard.SequenceNumberRange?.EndingSequenceNumber ?? 'open'),
 * );
 * ```
 */
export const DescribeStream: BoundPaginator<
  DescribeStreamCommandInput,
  DescribeStreamCommandOutput,
  Shard,
  DynamoDBStreamsClient,
  'StreamDescription.Shards'
> = {
  spec: {
    input_token: 'ExclusiveStartShardId',
    output_token: 'StreamDescription.LastEvaluatedShardId',
    limit_key: 'Limit',
    result_key: 'StreamDescription.Shards',
    non_aggregate_keys: [
      'StreamDescription.StreamArn',
      'StreamDescription.StreamLabel',
      'StreamDescription.StreamStatus',
      'StreamDescription.StreamViewType',
      'StreamDescription.CreationRequestDateTime',
      'StreamDescription.TableName',
      'StreamDescription.KeySchema',
    ],
  },
  command: DescribeStreamCommand,
  operation: 'dynamodb-streams.DescribeStream',
  service: { serviceId: 'DynamoDB Streams', client: 'DynamoDBStreamsClient', package: '@aws-sdk/client-dynamodb-streams' },
};

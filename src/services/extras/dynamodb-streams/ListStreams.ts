import {
  ListStreamsCommand,
  type ListStreamsCommandInput,
  type ListStreamsCommandOutput,
  type DynamoDBStreamsClient,
  type _Stream,
} from '@aws-sdk/client-dynamodb-streams';
import type { BoundPaginator } from '../../../specs/bound';

/**
 * Pages through the streams of an account, or of one table (`TableName`): neither botocore nor the SDK's model
 * has a DynamoDB Streams paginator (aws/aws-sdk#273). `ListStreams` answers `LastEvaluatedStreamArn` while there are
 * more, to be sent back as `ExclusiveStartStreamArn`; `Limit` is the page size.
 * @example
 * ```ts
 * paginate(ListStreams, streamsClient, { TableName: 'music' }).pipe(items(ListStreams)).subscribe((stream) =>
 *   console.log(stream.StreamArn),
 * );
 * ```
 */
export const ListStreams: BoundPaginator<
  ListStreamsCommandInput,
  ListStreamsCommandOutput,
  _Stream,
  DynamoDBStreamsClient,
  'Streams'
> = {
  spec: {
    input_token: 'ExclusiveStartStreamArn',
    output_token: 'LastEvaluatedStreamArn',
    limit_key: 'Limit',
    result_key: 'Streams',
  },
  command: ListStreamsCommand,
  operation: 'dynamodb-streams.ListStreams',
  service: { serviceId: 'DynamoDB Streams', client: 'DynamoDBStreamsClient', package: '@aws-sdk/client-dynamodb-streams' },
};

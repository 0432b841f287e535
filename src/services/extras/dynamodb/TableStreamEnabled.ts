import {
  DescribeTableCommand,
  type DescribeTableCommandInput,
  type DescribeTableCommandOutput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { BoundWaiter } from '../../../specs/bound';
import { withFullJmespath } from '../../../specs/fullJmespath';

/**
 * Waits until a DynamoDB table has its stream enabled and `LatestStreamArn` set (aws/aws-sdk#273): after
 * `UpdateTable` with a `StreamSpecification`, or creating a table with one. The ARN is ready for
 * `rxjs-aws/dynamodb-streams`' `StreamEnabled`, or use its `tableStreamReady` for both steps.
 * Same pace as TableExists (every 20 s, 25 attempts); a table whose stream is switched off is a failure.
 *
 * @example
 * ```ts
 * waitFor(TableStreamEnabled, client, { TableName: 'music' }).subscribe(({ Table }) => console.log(Table?.LatestStreamArn));
 * ```
 */
export const TableStreamEnabled: BoundWaiter<DescribeTableCommandInput, DescribeTableCommandOutput, DynamoDBClient> = {
  spec: /* @__PURE__ */ withFullJmespath({
    operation: 'DescribeTable',
    delay: 20,
    maxAttempts: 25,
    acceptors: [
      {
        matcher: 'path',
        argument: 'Table.StreamSpecification.StreamEnabled == `true` && Table.LatestStreamArn != null',
        expected: true,
        state: 'success',
      },
      { matcher: 'path', argument: 'Table.StreamSpecification.StreamEnabled', expected: false, state: 'failure' },
      { matcher: 'error', expected: 'ResourceNotFoundException', state: 'retry' },
    ],
  }),
  command: DescribeTableCommand,
  service: { serviceId: 'DynamoDB', client: 'DynamoDBClient', package: '@aws-sdk/client-dynamodb' },
};

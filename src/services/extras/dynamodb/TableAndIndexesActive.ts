import {
  DescribeTableCommand,
  type DescribeTableCommandInput,
  type DescribeTableCommandOutput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { BoundWaiter } from '../../../specs/bound';
import { withFullJmespath } from '../../../specs/fullJmespath';

/**
 * Waits until a DynamoDB table *and every global secondary index on it* are
 * ACTIVE. botocore's TableExists looks at `TableStatus` only, so writes that
 * follow it can still fail on an index that is CREATING or backfilling.
 * Same pace as TableExists (every 20 s, 25 attempts).
 *
 * @example
 * ```ts
 * import { TableAndIndexesActive } from 'rxjs-aws/dynamodb';
 * waitFor(TableAndIndexesActive, client, { TableName: 'music' }).subscribe(({ Table }) =>
 *   console.log(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexStatus)),
 * );
 * ```
 */
export const TableAndIndexesActive: BoundWaiter<DescribeTableCommandInput, DescribeTableCommandOutput, DynamoDBClient> = {
  spec: /* @__PURE__ */ withFullJmespath({
    operation: 'DescribeTable',
    delay: 20,
    maxAttempts: 25,
    acceptors: [
      {
        matcher: 'path',
        // A table without indexes has no GlobalSecondaryIndexes member: `|| []` makes that "none pending".
        argument:
          "Table.TableStatus == 'ACTIVE' && length(Table.GlobalSecondaryIndexes[?IndexStatus != 'ACTIVE' || Backfilling] || `[]`) == `0`",
        expected: true,
        state: 'success',
      },
      { matcher: 'error', expected: 'ResourceNotFoundException', state: 'retry' },
    ],
  }),
  command: DescribeTableCommand,
  service: { serviceId: 'DynamoDB', client: 'DynamoDBClient', package: '@aws-sdk/client-dynamodb' },
};

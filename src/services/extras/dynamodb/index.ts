/**
 * `rxjs-aws/dynamodb`: every botocore paginator and waiter of DynamoDB bound
 * to its `@aws-sdk/client-dynamodb` command, plus what botocore lacks.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
 * import { paginate, items, waitFor } from 'rxjs-aws';
 * import { Scan, TableExists } from 'rxjs-aws/dynamodb';
 *
 * const client = new DynamoDBClient({});
 * waitFor(TableExists, client, { TableName: 'music' }).subscribe();
 * paginate(Scan, client, { TableName: 'music' }, { pageSize: 100 }).pipe(items(Scan)).subscribe(console.log);
 * ```
 * @packageDocumentation
 */
export { TableAndIndexesActive } from './TableAndIndexesActive';
export { TableStreamEnabled } from './TableStreamEnabled';
export { parallelScan, type ParallelScanOptions, type ParallelScanPage } from './parallelScan';

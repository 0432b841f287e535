/**
 * `rxjs-aws/lib-dynamodb`: DynamoDB's Scan and Query paginators and `parallelScan` for the document client
 * (`@aws-sdk/lib-dynamodb`), whose items are plain JavaScript values instead of attribute values.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
 * import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
 * import { paginate, items } from 'rxjs-aws';
 * import { Scan } from 'rxjs-aws/lib-dynamodb';
 *
 * const docClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));
 * paginate(Scan, docClient, { TableName: 'music' }, { pageSize: 100 }).pipe(items(Scan)).subscribe((song) => console.log(song));
 * ```
 * @packageDocumentation
 */
export { Query, Scan } from './documentBindings';
export { parallelScan } from './parallelScan';
export type { ParallelScanOptions, ParallelScanPage } from '../dynamodb/parallelScan';

import type { DynamoDBDocumentClient, ScanCommandInput, ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Observable } from 'rxjs';
import { parallelScanOf, type ParallelScanOptions, type ParallelScanPage } from '../dynamodb/parallelScan';
import { Scan } from './documentBindings';

/**
 * `rxjs-aws/dynamodb`'s `parallelScan` through a document client: the same segments, limits and
 * resume tokens, with plain JavaScript items.
 * @example
 * ```ts
 * const docClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));
 * parallelScan(docClient, { TableName: 'music' }, { totalSegments: 4 })
 *   .subscribe(({ page }) => page.Items?.forEach((song) => console.log(song.title)));
 * ```
 */
export function parallelScan(
  client: DynamoDBDocumentClient,
  input: ScanCommandInput,
  options: ParallelScanOptions,
): Observable<ParallelScanPage<ScanCommandOutput>> {
  return parallelScanOf(Scan, client, input, options);
}

import { PaginationError } from '../errors/PaginationError';
import type { TokenSigner } from '../tokens/TokenSigner';
import { sealShard, type ShardWorkItem } from './ShardWorkItem';

/**
 * Options of {@link planShards}.
 * @example
 * ```ts
 * const options: PlanShardsOptions = { totalSegments: 64, signer: hmacTokenSigner([key]) };
 * ```
 */
export interface PlanShardsOptions {
  /** Segments the scan is split into (DynamoDB's `TotalSegments`, 1..1,000,000). Required. */
  readonly totalSegments: number;
  /** Seals each item's token to the query (`hmacTokenSigner` in `rxjs-aws/signing`). Required. */
  readonly signer: TokenSigner;
}

const MAX_SEGMENTS = 1_000_000;

/**
 * Splits a Scan (any query that takes `Segment` / `TotalSegments`, as
 * `parallelScan` does) into one work item per segment, for a Distributed
 * Map: `JSON.stringify` the list to S3 and point the Map's ItemReader at it
 * (`ReaderConfig.InputType: JSON`). Each item is read by {@link shardWorker}.
 *
 * @param query The Scan request, without `Segment`, `TotalSegments` or `ExclusiveStartKey`.
 * @throws {PaginationError} for a bad `totalSegments` or a query that already sets them.
 * @example
 * ```ts
 * const items = planShards({ TableName: 'music' }, { totalSegments: 16, signer });
 * await s3.send(new PutObjectCommand({ Bucket: 'jobs', Key: 'music/shards.json', Body: JSON.stringify(items) }));
 * ```
 */
export function planShards(query: object, options: PlanShardsOptions): ShardWorkItem[] {
  const { totalSegments, signer } = options;
  if (!Number.isSafeInteger(totalSegments) || totalSegments < 1 || totalSegments > MAX_SEGMENTS) {
    throw new PaginationError(`totalSegments must be a whole number from 1 to ${MAX_SEGMENTS}, got ${String(totalSegments)}`);
  }
  for (const member of ['Segment', 'TotalSegments', 'ExclusiveStartKey']) {
    if (member in query) throw new PaginationError(`the query must not have ${member}: the shards set it`);
  }
  return Array.from({ length: totalSegments }, (_, segment) =>
    sealShard({ segment, totalSegments, sequence: 0, resume: null }, query, signer),
  );
}

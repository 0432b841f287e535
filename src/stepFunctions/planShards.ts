import { SpecError } from '../errors/SpecError';
import type { TokenSigner } from '../tokens/TokenSigner';
import { withMethods } from '../util/callable';
import { describeValue } from '../util/describeValue';
import { isPlainRecord } from '../util/isPlainRecord';
import { optionsRecord } from '../util/optionsRecord';
import { wholeNumber } from '../util/wholeNumber';
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

const OPTIONS = ['totalSegments', 'signer'] as const;
const MAX_SEGMENTS = 1_000_000;
// The members each shard sets: a query that sets them itself would be overridden.
const SHARD_MEMBERS = ['Segment', 'TotalSegments', 'ExclusiveStartKey'] as const;

/**
 * Splits a Scan (any query that takes `Segment` / `TotalSegments`, as
 * `parallelScan` does) into one work item per segment, for a Distributed
 * Map: `JSON.stringify` the list to S3 and point the Map's ItemReader at it
 * (`ReaderConfig.InputType: JSON`). Each item is read by {@link shardWorker}.
 *
 * @param query The Scan request, without `Segment`, `TotalSegments` or `ExclusiveStartKey`.
 * @throws {SpecError} for a query that is no request object or sets those members (`query.Segment`), or a bad or
 * unknown option (`options.totalSegments`).
 * @example
 * ```ts
 * const items = planShards({ TableName: 'music' }, { totalSegments: 16, signer });
 * await s3.send(new PutObjectCommand({ Bucket: 'jobs', Key: 'music/shards.json', Body: JSON.stringify(items) }));
 * ```
 */
export function planShards(query: object, options: PlanShardsOptions): ShardWorkItem[] {
  const given = optionsRecord(options, 'options', OPTIONS);
  const totalSegments = wholeNumber(given['totalSegments'], 'options.totalSegments', { min: 1, max: MAX_SEGMENTS });
  const signer = withMethods(given['signer'] as TokenSigner, 'options.signer', 'a TokenSigner', ['sign', 'verify']);
  if (!isPlainRecord(query)) throw new SpecError('query', `expected a request object, got ${describeValue(query)}`);
  for (const member of SHARD_MEMBERS) {
    if (query[member] !== undefined) throw new SpecError(`query.${member}`, 'must not be set: each shard sets it');
  }
  return Array.from({ length: totalSegments }, (_, segment) =>
    sealShard({ segment, totalSegments, sequence: 0, resume: null }, query, signer),
  );
}

import { firstValueFrom, take } from 'rxjs';
import type { BoundPaginator } from '../specs/bound';
import type { SdkClient } from '../transport/Send';
import type { TokenSigner } from '../tokens/TokenSigner';
import { paginate } from '../operators/paginate/paginate';
import { resumeTokenOf } from '../tokens/resumeTokenOf';
import { PaginationError } from '../errors/PaginationError';
import { openShard, sealShard, type ShardWorkItem } from './ShardWorkItem';

/**
 * Which page a {@link shardWorker}'s work is given: the same page always has
 * the same key, however often it is delivered (at least once).
 * @example
 * ```ts
 * const key: PageKey = { segment: 3, totalSegments: 16, sequence: 7, idempotencyKey: '3/16/7' };
 * ```
 */
export interface PageKey {
  readonly segment: number;
  readonly totalSegments: number;
  /** 0 for the first page of the segment. */
  readonly sequence: number;
  /** `segment/totalSegments/sequence`: record it with the page's effects to skip a page delivered again. */
  readonly idempotencyKey: string;
}

/**
 * What a {@link shardWorker} returns to the Map: the segment is done, or
 * `next` continues it (a Choice state loops back with it).
 * @example
 * ```ts
 * const more: ShardResult = { done: false, segment: 3, pages: 4, next: { segment: 3, totalSegments: 16, sequence: 11, token } };
 * ```
 */
export type ShardResult =
  | { readonly done: true; readonly segment: number; readonly pages: number }
  | { readonly done: false; readonly segment: number; readonly pages: number; readonly next: ShardWorkItem };

/**
 * The part of a Lambda context a worker reads.
 * @example
 * ```ts
 * const clock: DeadlineContext = { getRemainingTimeInMillis: () => deadline - Date.now() };
 * ```
 */
export interface DeadlineContext {
  getRemainingTimeInMillis(): number;
}

/**
 * Options of {@link shardWorker}.
 * @example
 * ```ts
 * const options: ShardWorkerOptions<ScanCommandInput, ScanCommandOutput> = {
 *   paginator: Scan, client, query: { TableName: 'music' }, signer, pageSize: 500, marginMs: 60_000,
 *   work: async (page, key) => { await commit(page.Items ?? [], key.idempotencyKey); },
 * };
 * ```
 */
export interface ShardWorkerOptions<I, O> {
  /** A paginator whose requests take `Segment` / `TotalSegments`: `Scan` of `rxjs-aws/dynamodb`. */
  readonly paginator: BoundPaginator<I, O>;
  readonly client: SdkClient;
  /** The query the items were planned for (as given to {@link planShards}). */
  readonly query: I;
  /** The signer the items were sealed with. */
  readonly signer: TokenSigner;
  /** Runs once per page delivered; the page counts as done when it resolves. Must be idempotent per `key`. */
  readonly work: (page: O, key: PageKey) => unknown;
  /**
   * `Limit` of every request.
   * @default undefined (the service's own page size)
   */
  readonly pageSize?: number;
  /**
   * Milliseconds kept back from the deadline: no page is started with less
   * left than this, so it must cover one page and its work.
   * @default 30000
   */
  readonly marginMs?: number;
}

/**
 * A Lambda handler body for one Distributed Map item: reads the item's
 * segment page by page, runs `work` on each page, and stops before the
 * deadline (the Lambda's remaining time minus `marginMs`), returning either
 * `done` or the `next` item, which a Choice state feeds back to the worker.
 *
 * Delivery is at least once per page: a worker that dies after `work` but
 * before it returns is re-run by the Map's retry from the same item, and
 * delivers those pages again with the same {@link PageKey}. Make `work`
 * idempotent: conditional writes per item, or a record of `idempotencyKey`
 * written with the page's effects.
 *
 * @throws {PaginationError} for an item not sealed for this query, or a margin that leaves no time for a page.
 * @example
 * ```ts
 * const read = shardWorker({ paginator: Scan, client, query: { TableName: 'music' }, signer, work });
 * export const handler = (item: ShardWorkItem, context: Context) => read(item, context);
 * ```
 */
export function shardWorker<I, O>(
  options: ShardWorkerOptions<I, O>,
): (item: ShardWorkItem, context: DeadlineContext) => Promise<ShardResult> {
  const { paginator, client, query, signer, work, pageSize, marginMs = 30_000 } = options;
  return async (item, context) => {
    const start = openShard(item, query, signer);
    const { segment, totalSegments } = start;
    let { sequence, resume } = start;
    let pages = 0;
    for (;;) {
      if (context.getRemainingTimeInMillis() - marginMs <= 0) {
        if (pages === 0) {
          throw new PaginationError(`no time for a page of segment ${segment}: less than marginMs (${marginMs} ms) left`);
        }
        return { done: false, segment, pages, next: sealShard({ segment, totalSegments, sequence, resume }, query, signer) };
      }
      const request = { ...query, Segment: segment, TotalSegments: totalSegments } as I;
      const page = await firstValueFrom(
        paginate(paginator, client, request, { pageSize, startingToken: resume ?? undefined }).pipe(take(1)),
      );
      await work(page, { segment, totalSegments, sequence, idempotencyKey: `${segment}/${totalSegments}/${sequence}` });
      pages++;
      sequence++;
      const next = resumeTokenOf(page);
      if (next === undefined) return { done: true, segment, pages };
      resume = next;
    }
  };
}

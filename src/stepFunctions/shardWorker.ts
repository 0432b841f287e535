import { createHash } from 'node:crypto';
import { firstValueFrom, take } from 'rxjs';
import { isBound, type BoundPaginator } from '../specs/bound';
import { compilePaginator } from '../specs/compilePaginator';
import type { SdkClient } from '../transport/Send';
import type { TokenSigner } from '../tokens/TokenSigner';
import { canonicalJson } from '../tokens/canonicalJson';
import { paginateBound } from '../operators/paginate/paginate';
import { resumeTokenOf } from '../tokens/resumeTokenOf';
import { PaginationError } from '../errors/PaginationError';
import { SpecError } from '../errors/SpecError';
import { callable, withMethods } from '../util/callable';
import { describeValue } from '../util/describeValue';
import { isPlainRecord } from '../util/isPlainRecord';
import { optionsRecord } from '../util/optionsRecord';
import { seconds } from '../util/seconds';
import { wholeNumber } from '../util/wholeNumber';
import { openShard, sealShard, type ShardWorkItem } from './ShardWorkItem';

/**
 * Which page a {@link shardWorker}'s work is given. `idempotencyKey` names
 * the page by what it holds, not where it is: the same page delivered again
 * has the same key, and a page whose items changed between deliveries (an
 * item deleted, a different `pageSize`) has another, so a record of keys
 * never skips an item it has not seen.
 * @example
 * ```ts
 * const key: PageKey = { segment: 3, totalSegments: 16, sequence: 7, idempotencyKey: '3/16/n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg' };
 * ```
 */
export interface PageKey {
  readonly segment: number;
  readonly totalSegments: number;
  /** The page's place in the segment, 0 for its first page: for logs, not for deduplication (it is a position). */
  readonly sequence: number;
  /**
   * `segment/totalSegments/digest`, the digest (SHA-256, base64url) of the token the page was requested with
   * and the page's items: record it with the page's effects to skip a page delivered again.
   */
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
 * Options of {@link shardWorker}. They are checked when `shardWorker` is
 * called: a bad or unknown one throws a `SpecError` naming it (`options.margin`).
 * @example
 * ```ts
 * const options: ShardWorkerOptions<ScanCommandInput, ScanCommandOutput> = {
 *   paginator: Scan, client, query: { TableName: 'music' }, signer, pageSize: 500, margin: 60,
 *   work: async (page, key) => { await commit(page.Items ?? [], key.idempotencyKey); },
 * };
 * ```
 */
export interface ShardWorkerOptions<I, O> {
  /** A paginator whose requests take `Segment` / `TotalSegments`: `Scan` of `rxjs-aws/dynamodb`. Required. */
  readonly paginator: BoundPaginator<I, O>;
  /** Required. */
  readonly client: SdkClient;
  /** The query the items were planned for (as given to {@link planShards}). Required. */
  readonly query: I;
  /** The signer the items were sealed with. Required. */
  readonly signer: TokenSigner;
  /** Runs once per page delivered; the page counts as done when it resolves. Must be idempotent per `key`. Required. */
  readonly work: (page: O, key: PageKey) => unknown;
  /**
   * `Limit` of every request.
   * @default undefined (the service's own page size)
   */
  readonly pageSize?: number;
  /**
   * Seconds kept back from the deadline: no page is started with less left
   * than this, so it must cover one page and its work.
   * @default 30
   */
  readonly margin?: number;
}

const OPTIONS = ['paginator', 'client', 'query', 'signer', 'work', 'pageSize', 'margin'] as const;

/**
 * A Lambda handler body for one Distributed Map item: reads the item's
 * segment page by page, runs `work` on each page, and stops before the
 * deadline (the Lambda's remaining time minus `margin` seconds), returning
 * either `done` or the `next` item, which a Choice state feeds back to the worker.
 *
 * Delivery is at least once per page: a worker that dies after `work` but
 * before it returns is re-run by the Map's retry from the same item, and
 * delivers those pages again. Make `work` idempotent: conditional writes per
 * item, or a record of the page's {@link PageKey} `idempotencyKey` written with
 * its effects (a page whose items changed since has a new key, and is done again).
 *
 * @throws {SpecError} for a bad or unknown option, when called.
 * @throws {PaginationError} (from the handler) for an item not sealed for this query, or when less than
 * `margin` seconds are left for the first page.
 * @example
 * ```ts
 * const read = shardWorker({ paginator: Scan, client, query: { TableName: 'music' }, signer, work });
 * export const handler = (item: ShardWorkItem, context: Context) => read(item, context);
 * ```
 */
export function shardWorker<I, O>(
  options: ShardWorkerOptions<I, O>,
): (item: ShardWorkItem, context: DeadlineContext) => Promise<ShardResult> {
  const given = optionsRecord(options, 'options', OPTIONS);
  const paginator = given['paginator'];
  if (!isPlainRecord(paginator) || !isBound(paginator)) {
    throw new SpecError(
      'options.paginator',
      `expected a bound paginator (Scan of rxjs-aws/dynamodb), got ${describeValue(paginator)}`,
    );
  }
  const client = withMethods(given['client'] as SdkClient, 'options.client', 'an SDK client', ['send']);
  const query = given['query'];
  if (!isPlainRecord(query)) throw new SpecError('options.query', `expected a request object, got ${describeValue(query)}`);
  const signer = withMethods(given['signer'] as TokenSigner, 'options.signer', 'a TokenSigner', ['sign', 'verify']);
  const work = callable(given['work'] as ShardWorkerOptions<I, O>['work'], 'options.work');
  const pageSize = given['pageSize'] === undefined ? undefined : wholeNumber(given['pageSize'], 'options.pageSize', { min: 1 });
  const margin = given['margin'] === undefined ? 30 : seconds(given['margin'], 'options.margin', { min: 0 });
  const [items] = compilePaginator(paginator as BoundPaginator<I, O>).resultKeys;
  if (items === undefined) throw new SpecError('options.paginator', 'has no result_key: a page is keyed by its items');
  return async (item, context) => {
    const start = openShard(item, query, signer);
    const { segment, totalSegments } = start;
    let { sequence, resume } = start;
    let pages = 0;
    for (;;) {
      // Not `remaining - margin <= 0`: a clock answering NaN must stop the worker, not let it read on.
      if (!(context.getRemainingTimeInMillis() / 1000 > margin)) {
        if (pages === 0) {
          throw new PaginationError(`no time for a page of segment ${segment}: less than options.margin (${margin} s) left`);
        }
        return { done: false, segment, pages, next: sealShard({ segment, totalSegments, sequence, resume }, query, signer) };
      }
      const request = { ...query, Segment: segment, TotalSegments: totalSegments } as I;
      const page = await firstValueFrom(
        paginateBound(paginator as BoundPaginator<I, O>, client, request, {
          ...(pageSize !== undefined && { pageSize }),
          ...(resume !== null && { startingToken: resume }),
        }).pipe(take(1)),
      );
      const digest = createHash('sha256')
        .update(canonicalJson({ from: resume, items: items.search(page) }, 'The page'))
        .digest('base64url');
      await work(page, { segment, totalSegments, sequence, idempotencyKey: `${segment}/${totalSegments}/${digest}` });
      pages++;
      sequence++;
      const next = resumeTokenOf(page);
      if (next === undefined) return { done: true, segment, pages };
      resume = next;
    }
  };
}

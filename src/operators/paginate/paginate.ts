import { defer, type Observable, type SchedulerLike } from 'rxjs';
import { compilePaginator, type CompiledPaginator } from '../../specs/compilePaginator';
import { type BoundPaginator } from '../../specs/bound';
import { resolveSend, type SdkClient } from '../../transport/Send';
import type { PaginatorSpec } from '../../specs/types';
import { pageSteps } from './pageSteps';
import { sealing } from '../../tokens/sealing';
import type { PageRetryOptions } from './pageRetry';
import type { TokenSigner } from '../../tokens/TokenSigner';
import { PaginationError } from '../../errors/PaginationError';
import { rememberResumePoint } from '../../tokens/resumeTokenOf';
import type { Send } from '../../transport/Send';

/**
 * Options of {@link paginate}, {@link fullResult} and {@link paginateIterable}.
 * @example
 * ```ts
 * const options: PaginateOptions = { pageSize: 100, maxItems: 250, startingToken: previous.NextToken };
 * ```
 */
export interface PaginateOptions {
  /**
   * Written to the paginator's `limit_key` on every request, as given (a
   * number, or a string for services whose limit member is a string).
   * An error for paginators without a `limit_key`.
   * @default undefined (the service's own page size)
   */
  readonly pageSize?: number | string;
  /**
   * Stop after this many items of the first result key, cutting the last page
   * if needed; the cut page's resume token points into it.
   * @default undefined (no limit)
   */
  readonly maxItems?: number;
  /**
   * Resume where a previous pagination stopped: a token from
   * {@link resumeTokenOf}, `fullResult`'s `NextToken`, botocore or the AWS
   * CLI, or a raw token the service itself returned.
   * @default undefined (start at the first page)
   */
  readonly startingToken?: string;
  /**
   * Meters requests: each emission allows one more page; none is requested
   * beyond what was allowed. When it completes, pagination completes after the
   * pages already allowed.
   * @default undefined (request pages as fast as they are delivered)
   */
  readonly demand?: Observable<unknown>;
  /**
   * Retry a failed page request alone, with backoff, instead of failing the
   * stream (see {@link PageRetryOptions}). Don't put `retry()` on the
   * Observable for this: it resubscribes and delivers every page again.
   * @default undefined (an error ends the stream; the SDK client's own retries still apply)
   */
  readonly retry?: PageRetryOptions;
  /**
   * Where retry delays are timed; pass a `TestScheduler` for virtual time.
   * @default asyncScheduler
   */
  readonly scheduler?: SchedulerLike;
  /**
   * Seals every resume token this pagination hands out and accepts only
   * sealed starting tokens, bound to this query (see `hmacTokenSigner` in
   * `rxjs-aws/signing`): for tokens that travel through a browser.
   * @default undefined (plain botocore-format tokens)
   */
  readonly signer?: TokenSigner;
}

/**
 * Pages through an API with a botocore paginator spec: one emission per page.
 *
 * Nothing is sent before subscription. At most one request is in flight, and
 * the next is sent only after its page was delivered, so `take(n)` makes
 * exactly `n` calls; unsubscribing aborts the request in flight through the
 * `abortSignal` given to `send`. The caller's input is never modified, and
 * every subscription starts again from it.
 *
 * The second argument sends one request (see {@link Send}); with a bound spec
 * from a service module (`dynamodb.Scan`) it is an SDK v3 client instead.
 *
 * @param spec A `paginators-1.json` entry, its compiled form, or a bound spec from a service module.
 * @param input The request without pagination tokens.
 *
 * @example
 * ```ts
 * const send: Send<ScanCommandInput, ScanCommandOutput> = (input, { abortSignal }) =>
 *   client.send(new ScanCommand(input), { abortSignal });
 * paginate({ input_token: 'ExclusiveStartKey', output_token: 'LastEvaluatedKey', limit_key: 'Limit', result_key: 'Items' },
 *   send, { TableName: 'music' }, { pageSize: 100 })
 *   .subscribe((page) => console.log(page.Items?.length));
 * ```
 */
export function paginate<I, O>(
  spec: PaginatorSpec | CompiledPaginator<I, O>,
  send: Send<I, O>,
  input: I,
  options?: PaginateOptions,
): Observable<O>;
export function paginate<I, O, C>(
  spec: BoundPaginator<I, O, unknown, C>,
  client: SdkClient & NoInfer<C>,
  input: NoInfer<I>,
  options?: PaginateOptions,
): Observable<O>;
export function paginate<I, O>(
  spec: PaginatorSpec | CompiledPaginator<I, O> | BoundPaginator<I, O, unknown>,
  sendOrClient: Send<I, O> | SdkClient,
  input: I,
  options: PaginateOptions = {},
): Observable<O> {
  const paginator = compilePaginator<I, O>(spec);
  const send = resolveSend<I, O>(spec, sendOrClient);
  return defer(() => {
    checkOptions(paginator, options);
    const sealed = sealing(paginator, input, options.signer);
    return pageSteps(paginator, send, input, options, sealed, (step) => {
      rememberResumePoint(step.page, step.resumePoint, sealed.seal);
      return step.page;
    });
  });
}

/** Rejects options botocore rejects, and numbers it would misread. @internal */
export function checkOptions(paginator: CompiledPaginator<unknown, unknown>, options: PaginateOptions): void {
  const { pageSize, maxItems } = options;
  if (pageSize !== undefined) {
    if (paginator.limitKey === undefined) {
      throw new PaginationError('PageSize parameter is not supported for the pagination interface for this operation.');
    }
    if (typeof pageSize === 'number' ? !Number.isSafeInteger(pageSize) || pageSize < 1 : typeof pageSize !== 'string') {
      throw new PaginationError(`pageSize must be a whole number of at least 1, got ${String(pageSize)}`);
    }
  }
  if (maxItems !== undefined && (!Number.isSafeInteger(maxItems) || maxItems < 0)) {
    throw new PaginationError(`maxItems must be a whole number of at least 0, got ${String(maxItems)}`);
  }
}

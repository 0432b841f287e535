import { asyncScheduler, type Observable, type SchedulerLike } from 'rxjs';
import type { CompiledPaginator } from '../../specs/compilePaginator';
import { PaginationError } from '../../errors/PaginationError';
import { SpecError } from '../../errors/SpecError';
import { decodeStartingToken } from '../../tokens/resumeToken';
import { sealing, type Sealing } from '../../tokens/sealing';
import type { TokenSigner } from '../../tokens/TokenSigner';
import { callable, withMethods } from '../../util/callable';
import { describeValue } from '../../util/describeValue';
import { optionsRecord } from '../../util/optionsRecord';
import { wholeNumber } from '../../util/wholeNumber';
import { isTransient } from './pageRetry';
import type { Governor } from '../../governor/Governor';
import type { ProgressHook } from '../../progress/ProgressEvent';
import { instrumentationOf, type Instrumentation } from '../instrument/Instrumentation';
import { abortSignalOption } from '../../transport/RequestSignal';

/**
 * Options of {@link paginate}, {@link fullResult} and {@link paginateIterable}.
 * They are checked when the function is called: a bad or unknown one throws a
 * `SpecError` whose `field` is its path (`options.pageSize`).
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
   * if needed; the cut page's resume token points into it, and records the
   * page size it was cut at (under the `limit_key`): resuming asks for that
   * page again at that size, so no item repeats whatever `pageSize` the
   * resume uses (botocore ignores the member; it repeats items there).
   * An error for paginators without a `result_key`.
   * @default undefined (no limit)
   */
  readonly maxItems?: number;
  /**
   * Resume where a previous pagination stopped: a token from
   * {@link resumeTokenOf}, `fullResult`'s `NextToken`, botocore or the AWS
   * CLI, or a raw token the service itself returned. A token is data, not an
   * option: one that does not fit the paginator (or its signer) errors the
   * Observable with a `PaginationError` on subscription.
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
   * Read-ahead: pages fetched beyond the ones the subscriber takes, so that
   * the next request overlaps the work on a page. A token chain is serial,
   * so one request is still in flight at most; fetched pages wait in a
   * buffer of at most this many pages until `demand` allows them (without
   * `demand`, the next request is sent before a page is delivered instead of
   * after). `processPages` meters its work the same way.
   * @default 0 (the next request is sent once its page was delivered and allowed)
   */
  readonly prefetch?: number;
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
  /**
   * Paces the requests, with every other pagination, wait and scan segment
   * given the same governor (see {@link createGovernor}); a throttled request
   * is sent again when the governor lets it.
   * @default undefined (requests go as fast as pages are taken)
   */
  readonly governor?: Governor;
  /**
   * Called with every request, answer, page delivered and retry (see
   * {@link ProgressEvent}); a throw errors the Observable with what was thrown.
   * @default undefined
   */
  readonly progress?: ProgressHook;
  /**
   * Cancels the pagination: when it aborts, the request in flight is aborted
   * and the Observable errors with the signal's `reason` (an `AbortError`
   * `DOMException` unless `abort(reason)` gave another), never completes
   * empty, so `lastValueFrom` rejects with that reason, not an `EmptyError`.
   * Already aborted, nothing is sent. It composes with unsubscribing, and
   * its listener is removed when the pagination ends, so one long-lived
   * signal can serve any number of paginations. `resumeTokenOf(reason)` says
   * where to resume, as for any error, unless the signal ended several
   * paginations (then each one's last page does).
   * @default undefined (unsubscribing is the way to cancel)
   */
  readonly abortSignal?: AbortSignal;
}

/**
 * Retrying one failed page request, so that a throttled or dropped request
 * does not restart the whole stream (`retry()` on the Observable would
 * resubscribe from the first page and deliver every page again).
 *
 * @example
 * ```ts
 * paginate(Scan, client, { TableName: 'music' }, { retry: { retries: 5, delay: (n) => 0.2 * 2 ** n } });
 * ```
 */
export interface PageRetryOptions {
  /**
   * Retries of one page request before its error is passed on; the count
   * starts again after every page that arrives.
   * @default 3
   */
  readonly retries?: number;
  /**
   * Seconds before retry `n` (1, 2, ...). A result that is not a number of
   * seconds errors the Observable with a `SpecError` naming `options.retry.delay`;
   * a throw errors it with what was thrown. Any length works: delays past
   * a timer's limit (2^31 ms) are waited out in several timers.
   * @default full jitter: a random time up to 0.1 * 2^n seconds, at most 20
   */
  readonly delay?: (retry: number, error: unknown) => number;
  /**
   * Which errors are worth another try. A throw (`e.$metadata.httpStatusCode`
   * on an error without `$metadata`) errors the Observable with what was thrown.
   * @default throttling and server-side errors (HTTP 429 and 5xx, ThrottlingException,
   * ProvisionedThroughputExceededException, RequestLimitExceeded, ...) and dropped
   * connections (ECONNRESET, ECONNREFUSED, EPIPE, ETIMEDOUT, socket hang up)
   */
  readonly retryable?: (error: unknown) => boolean;
}

/** The retry policy with its defaults filled in. @internal */
export interface PageRetry {
  readonly retries: number;
  /** Seconds before retry `retry`; throws a SpecError if the caller's `delay` returns no number of seconds. */
  delay(retry: number, error: unknown): number;
  retryable(error: unknown): boolean;
}

/**
 * Where pagination starts when a starting token was given: the token opened
 * (its seal checked) and decoded, or why that failed. A bad token is data, not
 * a bad option, so its error is emitted on subscription rather than thrown.
 * @internal
 */
export type PageStart =
  | {
      readonly ok: true;
      readonly tokens: Readonly<Record<string, unknown>>;
      /** Items of the first page's primary result key already delivered. */
      readonly truncate: number;
      /**
       * The page size of the request whose page the token cuts, when the token
       * records it: the first request asks for it again, so that the items
       * skipped are the ones delivered, whatever `pageSize` is now.
       */
      readonly limit?: number | string;
    }
  | { readonly ok: false; readonly error: unknown };

/**
 * One pagination's options, checked, defaulted and decoded: the only view of
 * the options the engine ({@link pageSteps}, {@link PageCursor}) sees.
 * @internal
 */
export interface PagePlan<I = unknown> {
  readonly input: I;
  /** The member and value written to every request, from `pageSize`. */
  readonly limit?: { readonly key: string; readonly value: number | string };
  readonly maxItems?: number;
  readonly start?: PageStart;
  readonly demand?: Observable<unknown>;
  /** Pages fetched beyond those allowed, from `prefetch`. */
  readonly prefetch: number;
  readonly retry?: PageRetry;
  readonly scheduler: SchedulerLike;
  /** Seals tokens handed out; undefined without a signer. */
  readonly seal?: (token: string) => string;
  /** The governor and progress hook, when either is given. */
  readonly instrumentation?: Instrumentation;
  /**
   * The starting token as the caller gave it, when it opened and decoded: where to resume when
   * nothing was delivered.
   */
  readonly startingToken?: string;
  readonly abortSignal?: AbortSignal;
}

const OPTIONS = [
  'pageSize',
  'maxItems',
  'startingToken',
  'demand',
  'prefetch',
  'retry',
  'scheduler',
  'signer',
  'governor',
  'progress',
  'abortSignal',
] as const;
// paginateIterable meters its own requests: one per next().
const ITERABLE_OPTIONS = OPTIONS.filter((name) => name !== 'demand');
const RETRY_OPTIONS = ['retries', 'delay', 'retryable'] as const;

/**
 * Checks, defaults and decodes the options of one pagination, once, when
 * `paginate`, `fullResult` or `paginateIterable` is called.
 * @param demand paginateIterable's own demand; `options.demand` is then not an option.
 * @param spec The spec as given (bound or not): it names the operation for the governor and progress events.
 * @throws {SpecError} naming the option at fault (`options.pageSize`, `options.retry.retries`).
 * @example
 * ```ts
 * const plan = pagePlan(compilePaginator(spec), { TableName: 'music' }, { pageSize: 100 });
 * pageSteps(paginator, send, plan, (step) => step.page);
 * ```
 * @internal
 */
export function pagePlan<I>(
  paginator: CompiledPaginator<I, unknown>,
  input: I,
  given: PaginateOptions | undefined,
  demand?: Observable<unknown>,
  spec?: unknown,
): PagePlan<I> {
  const options: PaginateOptions = optionsRecord(given, 'options', demand ? ITERABLE_OPTIONS : OPTIONS);
  const { pageSize, maxItems, startingToken, signer } = options;
  const metered = demand ?? options.demand;
  const checkedSigner =
    signer === undefined ? undefined : withMethods(signer, 'options.signer', 'a TokenSigner', ['sign', 'verify']);
  let sealed: Sealing;
  // An input that cannot be a signed token's scope is data, like a bad starting token: emitted on subscription.
  let refused: PageStart | undefined;
  let start: PageStart | undefined;
  try {
    sealed = sealing(paginator, input, checkedSigner);
  } catch (error) {
    if (!(error instanceof PaginationError)) throw error;
    sealed = sealing(paginator, input, undefined);
    refused = { ok: false, error };
  }
  if (refused !== undefined) start = refused;
  else if (startingToken !== undefined) start = startOf(paginator, startingToken, sealed.open);
  const scheduler =
    options.scheduler === undefined
      ? asyncScheduler
      : withMethods(options.scheduler, 'options.scheduler', 'a scheduler', ['schedule', 'now']);
  // Members set to undefined rather than spread in when present: V8 (Node 20) takes a slow path (about 2 µs) for
  // each spread into an object literal with more members after it, which a pagination per item would feel.
  return {
    input: sealed.input as I, // with a signer, the copy its tokens' scope was computed from
    limit: pageSize === undefined ? undefined : limitOf(paginator, pageSize),
    maxItems: maxItems === undefined ? undefined : maxItemsOf(paginator, maxItems),
    start,
    startingToken: start?.ok ? startingToken : undefined,
    demand: metered === undefined ? undefined : withMethods(metered, 'options.demand', 'an Observable', ['subscribe']),
    prefetch: options.prefetch === undefined ? 0 : wholeNumber(options.prefetch, 'options.prefetch', { min: 0 }),
    retry: options.retry === undefined ? undefined : retryOf(options.retry),
    scheduler,
    seal: sealed.seal,
    abortSignal: options.abortSignal === undefined ? undefined : abortSignalOption(options.abortSignal, 'options.abortSignal'),
    instrumentation: instrumentationOf(
      options.governor,
      options.progress,
      spec,
      { pages: (page) => itemsIn(paginator, page) },
      options.scheduler === undefined ? () => performance.now() : () => scheduler.now(),
    ),
  };
}

/** Items of the first result key in a page, as `maxItems` counts them. */
function itemsIn(paginator: CompiledPaginator<unknown, unknown>, page: unknown): number {
  const found: unknown = paginator.resultKeys[0]?.search(page);
  return Array.isArray(found) ? found.length : 0;
}

/** A value a limit key takes: a whole number of at least 1, or a string for services whose limit member is one. */
function isPageSize(value: unknown): value is number | string {
  return typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1);
}

/** Checks `pageSize` against the paginator: a whole number of at least 1, or a string for services whose limit member is one. */
function limitOf(paginator: CompiledPaginator<unknown, unknown>, pageSize: unknown): NonNullable<PagePlan['limit']> {
  if (paginator.limitKey === undefined) {
    throw new SpecError('options.pageSize', 'is not supported for the pagination interface for this operation (no limit_key)');
  }
  if (!isPageSize(pageSize)) {
    throw new SpecError('options.pageSize', `expected a whole number of at least 1 or a string, got ${describeValue(pageSize)}`);
  }
  return { key: paginator.limitKey, value: pageSize };
}

function startOf(
  paginator: CompiledPaginator<unknown, unknown>,
  startingToken: unknown,
  open: (token: string) => string,
): PageStart {
  if (typeof startingToken !== 'string') {
    throw new SpecError('options.startingToken', `expected a token string, got ${describeValue(startingToken)}`);
  }
  try {
    return { ok: true, ...decodeWithLimit(open(startingToken), paginator) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Counted in items of the first result key: an error for paginators without a `result_key`, as `pageSize` is without a `limit_key`. */
function maxItemsOf(paginator: CompiledPaginator<unknown, unknown>, maxItems: unknown): number {
  if (paginator.resultKeys.length === 0) {
    throw new SpecError('options.maxItems', 'is not supported for the pagination interface for this operation (no result_key)');
  }
  return wholeNumber(maxItems, 'options.maxItems', { min: 0 });
}

/**
 * A token decoded, with the page size it records under the paginator's
 * `limit_key` (a token cut by `maxItems` does), taken out of its tokens.
 * Tried without that key first: an old `a___b___5` token must not read its
 * truncation as a page size.
 */
function decodeWithLimit(
  token: string,
  paginator: CompiledPaginator<unknown, unknown>,
): { tokens: Readonly<Record<string, unknown>>; truncate: number; limit?: number | string } {
  const { limitKey, inputTokens } = paginator;
  try {
    return decodeStartingToken(token, inputTokens);
  } catch (error) {
    if (limitKey === undefined || inputTokens.includes(limitKey)) throw error;
    let decoded: ReturnType<typeof decodeStartingToken>;
    try {
      decoded = decodeStartingToken(token, [...inputTokens, limitKey]);
    } catch {
      throw error;
    }
    const { [limitKey]: limit, ...tokens } = decoded.tokens;
    if (limit === null) throw error;
    if (!isPageSize(limit)) {
      throw new PaginationError(`Bad starting token: its page size ${limitKey} must be a whole number of at least 1 or a string`);
    }
    return { tokens, truncate: decoded.truncate, limit };
  }
}

function retryOf(given: PageRetryOptions): PageRetry {
  const options: PageRetryOptions = optionsRecord(given, 'options.retry', RETRY_OPTIONS);
  const retries = options.retries === undefined ? 3 : wholeNumber(options.retries, 'options.retry.retries', { min: 0 });
  const delay =
    options.delay === undefined
      ? (retry: number) => Math.random() * Math.min(20, 0.1 * 2 ** retry)
      : callable(options.delay, 'options.retry.delay');
  return {
    retries,
    retryable: options.retryable === undefined ? isTransient : callable(options.retryable, 'options.retry.retryable'),
    delay(retry, error) {
      const seconds = delay(retry, error);
      if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
        throw new SpecError(
          'options.retry.delay',
          `returned ${describeValue(seconds)} for retry ${retry}; expected a number of seconds of at least 0`,
        );
      }
      return seconds;
    },
  };
}

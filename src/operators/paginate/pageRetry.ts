import { errorCodeOf, statusOf } from '../../specs/WaiterResponse';
import { SpecError } from '../../errors/SpecError';

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
   * Seconds before retry `n` (1, 2, ...).
   * @default full jitter: a random time up to 0.1 * 2^n seconds, at most 20
   */
  readonly delay?: (retry: number, error: unknown) => number;
  /**
   * Which errors are worth another try.
   * @default throttling and server-side errors (HTTP 429 and 5xx, ThrottlingException,
   * ProvisionedThroughputExceededException, RequestLimitExceeded, ...) and dropped
   * connections (ECONNRESET, ECONNREFUSED, EPIPE, ETIMEDOUT, socket hang up)
   */
  readonly retryable?: (error: unknown) => boolean;
}

const TRANSIENT_CODES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'SlowDown',
  'PriorRequestNotComplete',
  'InternalError',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'TransactionInProgressException',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'TimeoutError',
  'RequestTimeout',
]);

/** The default test: throttling, server errors and dropped connections. @internal */
export function isTransient(error: unknown): boolean {
  const status = statusOf({ ok: false, input: undefined, error });
  if (status === 429 || (status !== undefined && status >= 500)) return true;
  const code = errorCodeOf(error);
  if (code !== undefined && TRANSIENT_CODES.has(code)) return true;
  const nodeCode = (error as { code?: unknown } | null)?.code;
  if (typeof nodeCode === 'string' && TRANSIENT_CODES.has(nodeCode)) return true;
  // The SDK wraps node's network errors ("AWS SDK error wrapper for Error: connect ECONNREFUSED ...") without their code.
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && /socket hang up|\b(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN)\b/.test(message);
}

/** The retry policy with its defaults filled in, checked. @internal */
export interface PageRetry {
  readonly retries: number;
  delay(retry: number, error: unknown): number;
  retryable(error: unknown): boolean;
}

/** Fills in and checks the options; SpecError names the one at fault. @internal */
export function pageRetry(options: PageRetryOptions | undefined): PageRetry | undefined {
  if (options === undefined) return undefined;
  const retries = options.retries ?? 3;
  if (!Number.isSafeInteger(retries) || retries < 0) {
    throw new SpecError('retry.retries', `expected a whole number of at least 0, got ${String(retries)}`);
  }
  const delay = options.delay ?? ((retry: number) => Math.random() * Math.min(20, 0.1 * 2 ** retry));
  return {
    retries,
    retryable: options.retryable ?? isTransient,
    delay(retry, error) {
      const seconds = delay(retry, error);
      if (!Number.isFinite(seconds) || seconds < 0) {
        throw new SpecError('retry.delay', `returned ${seconds} for retry ${retry}; expected seconds, at least 0`);
      }
      return seconds;
    },
  };
}

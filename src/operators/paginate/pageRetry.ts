import { errorCodesOf, statusOf } from '../../specs/WaiterResponse';

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

/**
 * The default test: throttling, server errors and dropped connections. False,
 * never a throw, for an error whose members cannot be read (a revoked Proxy).
 * @internal
 */
export function isTransient(error: unknown): boolean {
  try {
    return looksTransient(error);
  } catch {
    return false;
  }
}

function looksTransient(error: unknown): boolean {
  const status = statusOf({ ok: false, input: undefined, error });
  if (status === 429 || (status !== undefined && status >= 500)) return true;
  if (errorCodesOf(error).some((code) => TRANSIENT_CODES.has(code))) return true;
  const nodeCode = (error as { code?: unknown } | null)?.code;
  if (typeof nodeCode === 'string' && TRANSIENT_CODES.has(nodeCode)) return true;
  // The SDK wraps node's network errors ("AWS SDK error wrapper for Error: connect ECONNREFUSED ...") without their code.
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && /socket hang up|\b(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN)\b/.test(message);
}

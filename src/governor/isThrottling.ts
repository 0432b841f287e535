/** The codes AWS services throttle with, as the SDK v3 retry strategy classifies them. */
const THROTTLING_CODES = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);

/**
 * Whether a service said "too fast": a throttling error code (`name`, or the
 * `Code`/`code` of errors that carry it there), HTTP 429, or an SDK v3
 * exception marked `$retryable.throttling`. False, never a throw, for an
 * error whose members cannot be read.
 * @example
 * ```ts
 * isThrottling(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} })); // true
 * ```
 * @internal
 */
export function isThrottling(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  try {
    const { name, Code, code, $metadata, $retryable } = error as Record<string, unknown>;
    if ([name, Code, code].some((value) => typeof value === 'string' && THROTTLING_CODES.has(value))) return true;
    if (typeof $metadata === 'object' && $metadata !== null && ($metadata as { httpStatusCode?: unknown }).httpStatusCode === 429)
      return true;
    return typeof $retryable === 'object' && $retryable !== null && ($retryable as { throttling?: unknown }).throttling === true;
  } catch {
    return false;
  }
}

/**
 * How many attempts the SDK made for this answer (its `$metadata.attempts`):
 * those beyond the first were sent by its own retry strategy, out of the
 * governor's sight. 1 for anything that does not say.
 * @internal
 */
export function attemptsOf(answer: unknown): number {
  if (typeof answer !== 'object' || answer === null) return 1;
  try {
    const attempts = ((answer as { $metadata?: { attempts?: unknown } }).$metadata ?? {}).attempts;
    return typeof attempts === 'number' && Number.isSafeInteger(attempts) && attempts > 1 ? attempts : 1;
  } catch {
    return 1;
  }
}

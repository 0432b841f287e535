import type { CompiledWaiter } from '../../specs/compileWaiter';
import { SpecError } from '../../errors/SpecError';
import { exponentialBackoff } from './exponentialBackoff';
import type { WaitForOptions } from './WaitForOptions';

/** The limits and delays of one wait, from the spec and the caller's options. @internal */
export interface WaitPlan {
  readonly maxAttempts?: number;
  readonly maxWaitTime?: number;
  readonly minDelay: number;
  /** Seconds to wait after `attempt` when `remaining` seconds are left before the deadline. */
  delayAfter(attempt: number, remaining: number): number;
}

/**
 * Checks the options and settles the schedule. Throws a SpecError naming the
 * option at fault, so a wait that could never end is refused before it starts.
 * @internal
 */
export function waitPlan(waiter: CompiledWaiter<unknown, unknown>, options: WaitForOptions): WaitPlan {
  const minDelay = seconds(options.delay, 'delay') ?? waiter.minDelay;
  // botocore specs have no maxDelay: exponential backoff chosen for one grows to Smithy's default.
  const maxDelay =
    seconds(options.maxDelay, 'maxDelay') ?? Math.max(waiter.backoff === 'exponential' ? waiter.maxDelay : 120, minDelay);
  const maxWaitTime = seconds(options.maxWaitTime, 'maxWaitTime');
  const maxAttempts = options.maxAttempts ?? waiter.maxAttempts;
  if (maxAttempts !== undefined && (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1)) {
    throw new SpecError('maxAttempts', `expected a whole number of at least 1, got ${String(maxAttempts)}`);
  }
  if (maxAttempts === undefined && maxWaitTime === undefined) {
    throw new SpecError('maxWaitTime', 'is required: this waiter has no maxAttempts, so nothing else would end the wait');
  }
  const backoff = options.backoff ?? waiter.backoff;
  let next: (attempt: number) => number;
  if (typeof backoff === 'function') next = backoff;
  else if (backoff === 'fixed') next = () => minDelay;
  else if (backoff === 'exponential') {
    if (minDelay <= 0 || minDelay > maxDelay) {
      throw new SpecError('delay', `exponential backoff needs 0 < delay <= maxDelay, got ${minDelay} and ${maxDelay}`);
    }
    next = exponentialBackoff(minDelay, maxDelay, options.random ?? Math.random);
  } else throw new SpecError('backoff', `expected 'fixed', 'exponential' or a function, got ${String(backoff)}`);
  return {
    ...(maxAttempts !== undefined && { maxAttempts }),
    ...(maxWaitTime !== undefined && { maxWaitTime }),
    minDelay,
    delayAfter(attempt, remaining) {
      const delay = next(attempt);
      if (!Number.isFinite(delay) || delay < 0) {
        throw new SpecError('backoff', `returned ${delay} for attempt ${attempt}; expected seconds, at least 0`);
      }
      // Smithy: rather than time out early, stretch or cut the last delay to land on the deadline.
      return remaining - delay <= minDelay ? remaining : delay;
    },
  };
}

function seconds(value: number | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new SpecError(field, `expected a number of seconds, at least 0, got ${String(value)}`);
  }
  return value;
}

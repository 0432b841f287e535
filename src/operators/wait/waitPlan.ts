import type { CompiledWaiter } from '../../specs/compileWaiter';
import { SpecError } from '../../errors/SpecError';
import { callable } from '../../util/callable';
import { describeValue } from '../../util/describeValue';
import { optionsRecord } from '../../util/optionsRecord';
import { seconds } from '../../util/seconds';
import { wholeNumber } from '../../util/wholeNumber';
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

const OPTIONS = ['delay', 'maxDelay', 'maxAttempts', 'maxWaitTime', 'backoff', 'random', 'scheduler'] as const;

/**
 * Checks the options and settles the schedule. Throws a SpecError naming the
 * option at fault (`options.delay`), so a wait that could never end is refused before it starts.
 * @internal
 */
export function waitPlan(waiter: CompiledWaiter<unknown, unknown>, given: WaitForOptions | undefined): WaitPlan {
  const options: WaitForOptions = optionsRecord(given, 'options', OPTIONS);
  const minDelay = options.delay === undefined ? waiter.minDelay : seconds(options.delay, 'options.delay', { min: 0 });
  let maxDelay: number;
  if (options.maxDelay === undefined) {
    // botocore specs have no maxDelay: exponential backoff chosen for one grows to Smithy's default.
    maxDelay = Math.max(waiter.backoff === 'exponential' ? waiter.maxDelay : 120, minDelay);
  } else {
    maxDelay = seconds(options.maxDelay, 'options.maxDelay', { min: 0 });
    if (maxDelay < minDelay) throw new SpecError('options.maxDelay', `${maxDelay} is less than the delay, ${minDelay}`);
  }
  const maxWaitTime =
    options.maxWaitTime === undefined ? undefined : seconds(options.maxWaitTime, 'options.maxWaitTime', { min: 0 });
  const maxAttempts =
    options.maxAttempts === undefined ? waiter.maxAttempts : wholeNumber(options.maxAttempts, 'options.maxAttempts', { min: 1 });
  if (maxAttempts === undefined && maxWaitTime === undefined) {
    throw new SpecError('options.maxWaitTime', 'is required: this waiter has no maxAttempts, so nothing else would end the wait');
  }
  const backoff = options.backoff ?? waiter.backoff;
  const random = options.random === undefined ? Math.random : callable(options.random, 'options.random');
  let next: (attempt: number) => number;
  if (typeof backoff === 'function') next = backoff;
  else if (backoff === 'fixed') next = () => minDelay;
  else if (backoff === 'exponential') {
    if (minDelay <= 0) throw new SpecError('options.delay', 'exponential backoff needs a delay above 0, got 0');
    next = exponentialBackoff(minDelay, maxDelay, random);
  } else throw new SpecError('options.backoff', `expected 'fixed', 'exponential' or a function, got ${describeValue(backoff)}`);
  return {
    ...(maxAttempts !== undefined && { maxAttempts }),
    ...(maxWaitTime !== undefined && { maxWaitTime }),
    minDelay,
    delayAfter(attempt, remaining) {
      const delay = next(attempt);
      if (typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0) {
        throw new SpecError(
          'options.backoff',
          `returned ${describeValue(delay)} for attempt ${attempt}; expected a number of seconds of at least 0`,
        );
      }
      // Smithy: rather than time out early, stretch or cut the last delay to land on the deadline.
      return remaining - delay <= minDelay ? remaining : delay;
    },
  };
}

import type { SchedulerLike } from 'rxjs';
import type { Governor } from '../../governor/Governor';
import type { ProgressHook } from '../../progress/ProgressEvent';

/**
 * Options of {@link waitFor} and {@link waitForAttempts}. Times are in seconds.
 * They are checked when the function is called: a bad or unknown one throws a
 * `SpecError` whose `field` is its path (`options.maxWaitTime`).
 * @example
 * ```ts
 * const options: WaitForOptions = { backoff: 'exponential', delay: 2, maxDelay: 30, maxWaitTime: 600 };
 * ```
 */
export interface WaitForOptions {
  /**
   * Seconds between the end of an attempt and the start of the next (fixed
   * backoff), or the least delay (exponential backoff).
   * @default the spec's `delay` (botocore) or `minDelay` (Smithy)
   */
  readonly delay?: number;
  /**
   * The greatest delay of the exponential backoff; at least `delay`.
   * @default the spec's `maxDelay` (Smithy), or 120
   */
  readonly maxDelay?: number;
  /**
   * Attempts before the wait times out.
   * @default the spec's `maxAttempts` (botocore); none for Smithy waiters
   */
  readonly maxAttempts?: number;
  /**
   * A hard deadline from subscription: a request still in flight when it
   * passes is aborted. The delay before the last attempt is stretched or cut so
   * that it is sent at the deadline; that attempt is given `delay` seconds to answer.
   * `0` makes the first attempt the final one: one call, which gets its answer
   * (within `delay` seconds), so a resource already in its wanted state succeeds.
   * Required for Smithy waiters, which have no `maxAttempts`. Measured on a
   * monotonic clock (a step of the wall clock moves it neither way), or on
   * the `scheduler`'s own `now()` when one is given; any length works.
   * @default undefined (no deadline)
   */
  readonly maxWaitTime?: number;
  /**
   * `fixed` (botocore), `exponential` (Smithy: doubling with jitter between
   * `delay` and `maxDelay`), or a function from the attempt just made (1, 2, ...)
   * to the seconds before the next.
   * @default 'fixed' for botocore specs, 'exponential' for Smithy specs
   */
  readonly backoff?: 'fixed' | 'exponential' | ((attempt: number) => number);
  /**
   * The source of jitter, like `Math.random`: a number in [0, 1).
   * @default Math.random
   */
  readonly random?: () => number;
  /**
   * Where timers run, and whose `now()` the deadline is measured on; pass a
   * `TestScheduler` for virtual time.
   * @default asyncScheduler, with elapsed time from `performance.now()`
   */
  readonly scheduler?: SchedulerLike;
  /**
   * Paces the polls, with every other wait, pagination and scan segment
   * given the same governor (see {@link createGovernor}); a throttled poll is
   * sent again when the governor lets it, instead of ending the wait.
   * @default undefined
   */
  readonly governor?: Governor;
  /**
   * Called with every request, answer and sleep between attempts (see
   * {@link ProgressEvent}); a throw errors the Observable with what was thrown.
   * @default undefined
   */
  readonly progress?: ProgressHook;
  /**
   * Seconds to wait before the first attempt, for a resource that cannot be
   * ready at once (a table just created, an instance just launched): the
   * wait is counted from subscription, so this time counts within
   * `maxWaitTime`, which it may not exceed (equal, the first attempt is the
   * final one, sent at the deadline). botocore and SDK v3 send the first
   * attempt at once.
   * @default 0 (the first attempt goes out at once)
   */
  readonly initialDelay?: number;
  /**
   * Cancels the wait: when it aborts, the request in flight is aborted, every
   * timer is cleared, and the Observable errors with the signal's `reason`
   * (an `AbortError` `DOMException` unless `abort(reason)` gave another),
   * never completes empty, so `lastValueFrom` rejects with that reason, not
   * an `EmptyError`. Already aborted, nothing is sent. It composes with
   * unsubscribing, and its listener is removed when the wait ends.
   * @default undefined (unsubscribing is the way to cancel)
   */
  readonly abortSignal?: AbortSignal;
}

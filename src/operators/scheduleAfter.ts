import { Subscription, type SchedulerLike } from 'rxjs';

/**
 * The longest delay a timer can be given: `setTimeout` (behind `asyncScheduler`)
 * takes a signed 32-bit number of milliseconds, and fires after 1 ms for more.
 */
export const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * `scheduler.schedule(work, delayMs)` for delays of any length: one longer
 * than a timer can hold (about 24.8 days) is waited out as a chain of timers,
 * instead of overflowing into a timer that fires at once.
 * @returns the subscription that cancels whichever timer of the chain is pending.
 * @example
 * ```ts
 * const timer = scheduleAfter(asyncScheduler, () => poll(), 30 * 24 * 3600 * 1000); // 30 days
 * timer.unsubscribe();
 * ```
 * @internal
 */
export function scheduleAfter(scheduler: SchedulerLike, work: () => void, delayMs: number): Subscription {
  if (delayMs <= LONGEST_TIMER_MS) return scheduler.schedule(work, delayMs);
  const chain = new Subscription();
  const wait = (remaining: number) => {
    const step = Math.min(remaining, LONGEST_TIMER_MS);
    chain.add(scheduler.schedule(() => (remaining > step ? wait(remaining - step) : work()), step));
  };
  wait(delayMs);
  return chain;
}

/**
 * What a governor keeps time with: milliseconds from `now()`, and timers.
 * RxJS's `SchedulerLike` fits (a `TestScheduler` for virtual time), and so
 * does anything with these two methods; the governor itself needs no RxJS.
 * @example
 * ```ts
 * const governor = createGovernor({ rate: 5, scheduler: testScheduler });
 * ```
 */
export interface GovernorScheduler {
  /** The time in milliseconds; only differences are used. */
  now(): number;
  /** Runs `work` once after `delay` milliseconds; unsubscribing cancels it. */
  schedule(work: () => void, delay?: number): { unsubscribe(): void };
}

/**
 * The default: a monotonic clock (`performance.now()`, which a step of the
 * wall clock does not move) and `setTimeout`.
 * @internal
 */
export const systemScheduler: GovernorScheduler = {
  now: () => performance.now(),
  schedule(work, delay = 0) {
    const timer = setTimeout(work, delay);
    return { unsubscribe: () => clearTimeout(timer) };
  },
};

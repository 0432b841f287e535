import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { CompiledWaiter } from '../../specs/compileWaiter';
import { SpecError } from '../../errors/SpecError';
import { callable, withMethods } from '../../util/callable';
import { describeValue } from '../../util/describeValue';
import { optionsRecord } from '../../util/optionsRecord';
import { seconds } from '../../util/seconds';
import { wholeNumber } from '../../util/wholeNumber';
import { exponentialBackoff } from './exponentialBackoff';
import { abortSignalOption } from '../../transport/RequestSignal';
import type { WaitForOptions } from './WaitForOptions';
import { instrumentationOf, type Instrumentation } from '../instrument/Instrumentation';

/**
 * The limits and delays of one wait, from the spec and the caller's options,
 * in seconds as the options give them; {@link WaitPlan.start} turns them into
 * the milliseconds of a scheduler, the one place where units cross.
 * @internal
 */
export interface WaitPlan {
  readonly maxAttempts?: number;
  readonly maxWaitTime?: number;
  readonly minDelay: number;
  readonly scheduler: SchedulerLike;
  readonly abortSignal?: AbortSignal;
  /**
   * The time in milliseconds that deadlines are measured on: the scheduler's
   * own `now()` when the caller gave one (virtual time), else a monotonic
   * clock, which a step of the wall clock neither stretches nor cuts short.
   */
  now(): number;
  /** Seconds to wait after `attempt` when `remaining` seconds are left before the deadline. */
  delayAfter(attempt: number, remaining: number): number;
  /** The clock of one wait (one subscription) that starts at `now`, a scheduler time in milliseconds. */
  start(now: number): WaitClock;
  /** The governor and progress hook, when either is given. */
  readonly instrumentation?: Instrumentation;
}

/**
 * One wait's deadline and schedule, in scheduler milliseconds: the engine asks
 * it what follows an attempt and only schedules what it is told.
 * @internal
 */
export interface WaitClock {
  /** When the wait times out; Infinity without a maxWaitTime. */
  readonly deadline: number;
  /** Milliseconds before the first attempt: the initial delay. */
  readonly firstDelayMs: number;
  /** The first attempt is also the last: a maxWaitTime of 0 (or an initial delay as long) still gets its one answer. */
  readonly firstIsFinal: boolean;
  /** How long the final attempt, sent at the deadline, is given to answer: the delay. */
  readonly graceMs: number;
  /** The timeout reason when the deadline passes. */
  readonly outOfTime: string;
  /** Seconds from the start to `now`. */
  elapsed(now: number): number;
  /** What follows `attempt` (1, 2, ...), judged at `now`: the next attempt, or a timeout and its reason. */
  next(attempt: number, now: number): NextAttempt;
}

/** The next attempt, after `delayMs` (`delay` seconds), and whether it is the one at the deadline; or a timeout. @internal */
export type NextAttempt =
  { readonly delayMs: number; readonly delay: number; readonly final: boolean } | { readonly timeout: string };

const OPTIONS = [
  'delay',
  'maxDelay',
  'maxAttempts',
  'maxWaitTime',
  'backoff',
  'random',
  'scheduler',
  'governor',
  'progress',
  'initialDelay',
  'abortSignal',
] as const;

/**
 * Checks the options and settles the schedule. Throws a SpecError naming the
 * option at fault (`options.delay`), so a wait that could never end is refused before it starts.
 * @param spec The spec as given (bound or not): it names the operation for the governor and progress events.
 * @internal
 */
export function waitPlan(waiter: CompiledWaiter<unknown, unknown>, given: WaitForOptions | undefined, spec?: unknown): WaitPlan {
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
  const initialDelay = options.initialDelay === undefined ? 0 : seconds(options.initialDelay, 'options.initialDelay', { min: 0 });
  if (maxWaitTime !== undefined && initialDelay > maxWaitTime) {
    throw new SpecError(
      'options.initialDelay',
      `${initialDelay} is longer than the maxWaitTime, ${maxWaitTime}: the first attempt would come after the deadline`,
    );
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
  const scheduler =
    options.scheduler === undefined
      ? asyncScheduler
      : withMethods(options.scheduler, 'options.scheduler', 'a scheduler', ['schedule', 'now']);
  const outOfTime = `Max wait time of ${maxWaitTime}s exceeded`;
  const now = options.scheduler === undefined ? monotonicNow : () => scheduler.now();
  // Members set to undefined, not spread in when present: one plan per wait, and V8 (Node 20) takes a slow
  // path (about 2 µs) for each spread into an object literal that has more members after it.
  const plan: WaitPlan = {
    maxAttempts,
    maxWaitTime,
    minDelay,
    scheduler,
    now,
    abortSignal: options.abortSignal === undefined ? undefined : abortSignalOption(options.abortSignal, 'options.abortSignal'),
    instrumentation: instrumentationOf(options.governor, options.progress, spec ?? waiter, 'attempts', now),
    start(start) {
      const deadline = maxWaitTime === undefined ? Infinity : start + maxWaitTime * 1000;
      return {
        deadline,
        firstDelayMs: initialDelay * 1000,
        firstIsFinal: deadline <= start + initialDelay * 1000,
        graceMs: minDelay * 1000,
        outOfTime,
        elapsed: (now) => (now - start) / 1000,
        next(attempt, now) {
          if (attempt >= (maxAttempts ?? Infinity)) return { timeout: 'Max attempts exceeded' };
          if (now >= deadline) return { timeout: outOfTime };
          const remaining = (deadline - now) / 1000;
          const delay = plan.delayAfter(attempt, remaining);
          // Decided here, not from the clock at send time: rounding must not make the last attempt land a hair early.
          return { delayMs: delay * 1000, delay, final: delay >= remaining };
        },
      };
    },
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
  return plan;
}

/**
 * `performance.now()`: `asyncScheduler.now()` is `Date.now()`, the wall clock,
 * which NTP or a user may step back (the wait would poll past its deadline) or
 * forward (it would end early). While a `TestScheduler` runs (`run()`), the
 * default scheduler tells virtual time, far from the wall clock: that is taken.
 */
function monotonicNow(): number {
  const scheduled = asyncScheduler.now();
  return Math.abs(scheduled - Date.now()) > 1000 ? scheduled : performance.now();
}

/**
 * waitPlan: settles limits and delays from a compiled waiter and the caller's
 * options, refusing (with a SpecError naming the option) a wait that is malformed
 * or could never end.
 */
import { asyncScheduler } from 'rxjs';
import { waitPlan } from '../../../src/operators/wait/waitPlan';
import type { WaitForOptions } from '../../../src/operators/wait/WaitForOptions';
import { compileWaiter } from '../../../src/specs/compileWaiter';
import { SpecError } from '../../../src/errors/SpecError';
import type { SmithyWaiterSpec, WaiterSpec } from '../../../src/specs/types';

const botocore = compileWaiter({
  operation: 'DescribeTable',
  delay: 20,
  maxAttempts: 25,
  acceptors: [{ matcher: 'path', argument: 'Table.TableStatus', expected: 'ACTIVE', state: 'success' }],
} satisfies WaiterSpec);

const smithySpec: SmithyWaiterSpec = { acceptors: [{ state: 'success', matcher: { success: true } }] };
const smithy = compileWaiter(smithySpec);
const smithy5to40 = compileWaiter({ ...smithySpec, minDelay: 5, maxDelay: 40 });

const TOP = 1 - Number.EPSILON / 2;

function refusal(waiter: Parameters<typeof waitPlan>[0], options: WaitForOptions): SpecError {
  try {
    waitPlan(waiter, options);
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    return error as SpecError;
  }
  throw new Error(`expected ${JSON.stringify(options)} to be refused`);
}

describe('waitPlan: botocore waiters', () => {
  test('take delay and maxAttempts from the spec, with no deadline', () => {
    const plan = waitPlan(botocore, {});
    expect(plan).toMatchObject({ maxAttempts: 25, minDelay: 20 });
    expect(plan.maxWaitTime).toBeUndefined();
    expect([1, 2, 24].map((n) => plan.delayAfter(n, Infinity))).toEqual([20, 20, 20]);
  });

  test('options override delay, maxAttempts and add a deadline', () => {
    const plan = waitPlan(botocore, { delay: 3, maxAttempts: 7, maxWaitTime: 60 });
    expect(plan).toMatchObject({ maxAttempts: 7, maxWaitTime: 60, minDelay: 3 });
    expect(plan.delayAfter(1, 50)).toBe(3);
  });

  test('delay 0 is allowed with fixed backoff', () => {
    const plan = waitPlan(botocore, { delay: 0 });
    expect(plan.minDelay).toBe(0);
    expect(plan.delayAfter(1, Infinity)).toBe(0);
  });

  test('maxWaitTime 0 is allowed: the first attempt is the final one, given the delay to answer', () => {
    const plan = waitPlan(botocore, { maxWaitTime: 0 });
    expect(plan.maxWaitTime).toBe(0);
    const clock = plan.start(1_000);
    expect(clock).toMatchObject({ deadline: 1_000, firstIsFinal: true, graceMs: 20_000 });
    expect(clock.next(1, 1_500)).toEqual({ timeout: 'Max wait time of 0s exceeded' });
  });

  test("`backoff: 'exponential'` grows from `delay` up to `maxDelay`", () => {
    const plan = waitPlan(botocore, { backoff: 'exponential', delay: 1, maxDelay: 8, random: () => TOP });
    expect([1, 2, 3, 4, 5].map((n) => plan.delayAfter(n, Infinity))).toEqual([1, 2, 4, 8, 8]);
  });
});

describe('waitPlan: Smithy waiters', () => {
  test('require maxWaitTime, since they have no maxAttempts', () => {
    const error = refusal(smithy, {});
    expect(error.field).toBe('options.maxWaitTime');
    expect(error.message).toMatch(/^options.maxWaitTime: is required/);
  });

  test('accept maxAttempts instead of maxWaitTime', () => {
    const plan = waitPlan(smithy, { maxAttempts: 4 });
    expect(plan.maxAttempts).toBe(4);
    expect(plan.maxWaitTime).toBeUndefined();
  });

  test("back off exponentially between the spec's minDelay and maxDelay", () => {
    const plan = waitPlan(smithy5to40, { maxWaitTime: 10_000, random: () => TOP });
    expect(plan).toMatchObject({ minDelay: 5, maxWaitTime: 10_000 });
    expect(plan.maxAttempts).toBeUndefined();
    expect([1, 2, 3, 4, 5, 6].map((n) => plan.delayAfter(n, Infinity))).toEqual([5, 10, 20, 40, 40, 40]);
  });

  test('default to minDelay 2 and maxDelay 120', () => {
    const plan = waitPlan(smithy, { maxWaitTime: 10_000, random: () => TOP });
    expect(plan.minDelay).toBe(2);
    expect([1, 6, 7, 50].map((n) => plan.delayAfter(n, Infinity))).toEqual([2, 64, 120, 120]);
  });

  test('use Math.random when no random is given', () => {
    const spy = jest.spyOn(Math, 'random').mockReturnValue(TOP);
    try {
      const plan = waitPlan(smithy, { maxWaitTime: 10_000 });
      expect(plan.delayAfter(3, Infinity)).toBe(8);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  test("a delay option above the spec's maxDelay raises maxDelay with it", () => {
    const plan = waitPlan(smithy5to40, { maxWaitTime: 10_000, delay: 60, random: () => TOP });
    expect([1, 2, 9].map((n) => plan.delayAfter(n, Infinity))).toEqual([60, 60, 60]);
  });

  test("`backoff: 'fixed'` polls at minDelay", () => {
    const plan = waitPlan(smithy5to40, { maxWaitTime: 10_000, backoff: 'fixed' });
    expect([1, 2, 9].map((n) => plan.delayAfter(n, Infinity))).toEqual([5, 5, 5]);
  });
});

describe('waitPlan: the last delay lands on the deadline', () => {
  const plan = waitPlan(botocore, { delay: 5, maxWaitTime: 100 });

  test('a delay that leaves more than minDelay before the deadline is kept', () => {
    expect(plan.delayAfter(1, 100)).toBe(5);
    expect(plan.delayAfter(1, 10.001)).toBe(5);
  });

  test('a delay that would leave minDelay or less is stretched to the deadline', () => {
    expect(plan.delayAfter(1, 10)).toBe(10);
    expect(plan.delayAfter(1, 7)).toBe(7);
  });

  test('a delay past the deadline is cut to it', () => {
    expect(plan.delayAfter(1, 3)).toBe(3);
    expect(plan.delayAfter(1, 0.5)).toBe(0.5);
  });

  test('with exponential backoff the drawn delay is cut the same way', () => {
    const exp = waitPlan(smithy, { maxWaitTime: 300, random: () => TOP });
    expect(exp.delayAfter(9, 61)).toBe(61); // 120 drawn, 61s left
    expect(exp.delayAfter(3, 20)).toBe(8);
    expect(exp.delayAfter(3, 10)).toBe(10); // 8 would leave 2 = minDelay
  });
});

describe('waitPlan: custom backoff', () => {
  test('gets the attempt just made and returns its seconds', () => {
    const backoff = jest.fn((attempt: number) => attempt * 2);
    const plan = waitPlan(botocore, { backoff });
    expect(plan.delayAfter(1, Infinity)).toBe(2);
    expect(plan.delayAfter(4, Infinity)).toBe(8);
    expect(backoff.mock.calls).toEqual([[1], [4]]);
  });

  test('may return 0', () => {
    expect(waitPlan(botocore, { backoff: () => 0 }).delayAfter(1, Infinity)).toBe(0);
  });

  test.each([Number.NaN, -0.5, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    'returning %p throws a SpecError naming options.backoff',
    (bad) => {
      const plan = waitPlan(botocore, { backoff: () => bad });
      let error: unknown;
      try {
        plan.delayAfter(3, Infinity);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SpecError);
      expect((error as SpecError).field).toBe('options.backoff');
      expect((error as SpecError).problem).toContain('attempt 3');
    },
  );

  test('is not called when the plan is made', () => {
    const backoff = jest.fn(() => 1);
    waitPlan(botocore, { backoff });
    expect(backoff).not.toHaveBeenCalled();
  });
});

describe('waitPlan: refused options', () => {
  test.each<[WaitForOptions, string]>([
    [{ delay: -1 }, 'options.delay'],
    [{ delay: Number.NaN }, 'options.delay'],
    [{ delay: Number.POSITIVE_INFINITY }, 'options.delay'],
    [{ delay: '5' as never }, 'options.delay'],
    [{ maxDelay: -1 }, 'options.maxDelay'],
    [{ maxDelay: Number.NaN }, 'options.maxDelay'],
    [{ maxWaitTime: -1 }, 'options.maxWaitTime'],
    [{ maxWaitTime: Number.NaN }, 'options.maxWaitTime'],
    [{ maxWaitTime: Number.POSITIVE_INFINITY }, 'options.maxWaitTime'],
    [{ maxAttempts: 0 }, 'options.maxAttempts'],
    [{ maxAttempts: -3 }, 'options.maxAttempts'],
    [{ maxAttempts: 1.5 }, 'options.maxAttempts'],
    [{ maxAttempts: Number.NaN }, 'options.maxAttempts'],
    [{ maxAttempts: Number.POSITIVE_INFINITY }, 'options.maxAttempts'],
    [{ maxAttempts: '3' as never }, 'options.maxAttempts'],
    [{ backoff: 'linear' as never }, 'options.backoff'],
    [{ backoff: 42 as never }, 'options.backoff'],
    [{ backoff: 'exponential', delay: 0 }, 'options.delay'],
    [{ backoff: 'exponential', delay: 10, maxDelay: 5 }, 'options.maxDelay'],
    [{ delay: 10, maxDelay: 5 }, 'options.maxDelay'],
    [{ random: 0.5 as never }, 'options.random'],
  ])('%j is refused, naming %s', (options, field) => {
    const error = refusal(botocore, options);
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
  });

  test('a bad option is refused even for a Smithy waiter', () => {
    expect(refusal(smithy, { maxWaitTime: 60, delay: -2 }).field).toBe('options.delay');
    expect(refusal(smithy, { maxWaitTime: 60, maxAttempts: 0 }).field).toBe('options.maxAttempts');
  });
});

describe('waitPlan: the clock of one wait, in scheduler milliseconds', () => {
  test('start(now) sets the deadline maxWaitTime seconds later; without one there is none', () => {
    expect(waitPlan(botocore, { maxWaitTime: 60 }).start(5_000)).toMatchObject({
      deadline: 65_000,
      firstIsFinal: false,
      graceMs: 20_000,
      outOfTime: 'Max wait time of 60s exceeded',
    });
    expect(waitPlan(botocore, {}).start(5_000).deadline).toBe(Infinity);
  });

  test('initialDelay puts off the first attempt, within the deadline: as long as maxWaitTime, that attempt is the final one', () => {
    expect(waitPlan(botocore, {}).start(5_000)).toMatchObject({ firstDelayMs: 0, firstIsFinal: false });
    expect(waitPlan(botocore, { initialDelay: 2.5, maxWaitTime: 60 }).start(5_000)).toMatchObject({
      firstDelayMs: 2_500,
      firstIsFinal: false,
      deadline: 65_000,
    });
    expect(waitPlan(botocore, { initialDelay: 60, maxWaitTime: 60 }).start(0)).toMatchObject({ firstIsFinal: true });
    expect(waitPlan(botocore, { initialDelay: 3_600 }).start(0)).toMatchObject({ firstDelayMs: 3_600_000, firstIsFinal: false });
  });

  test('elapsed is in seconds from the start', () => {
    expect(waitPlan(botocore, {}).start(5_000).elapsed(7_500)).toBe(2.5);
  });

  test('next(attempt, now) is the delay in both units, and whether that attempt lands on the deadline', () => {
    const clock = waitPlan(botocore, { delay: 5, maxWaitTime: 25 }).start(0);
    expect(clock.next(1, 0)).toEqual({ delayMs: 5_000, delay: 5, final: false });
    expect(clock.next(2, 15_000)).toEqual({ delayMs: 10_000, delay: 10, final: true }); // 10 - 5 <= 5: stretched to the deadline
  });

  test('next is a timeout once the attempts are used up, or at the deadline', () => {
    const clock = waitPlan(botocore, { maxAttempts: 2, maxWaitTime: 100 }).start(0);
    expect(clock.next(2, 0)).toEqual({ timeout: 'Max attempts exceeded' });
    expect(clock.next(1, 100_000)).toEqual({ timeout: 'Max wait time of 100s exceeded' });
  });

  test('each start is its own wait: the plan keeps no clock', () => {
    const plan = waitPlan(botocore, { maxWaitTime: 10 });
    expect(plan.start(0).deadline).toBe(10_000);
    expect(plan.start(50_000).deadline).toBe(60_000);
  });

  test('the scheduler defaults to asyncScheduler, and a given one is checked', () => {
    expect(waitPlan(botocore, {}).scheduler).toBe(asyncScheduler);
    expect(refusal(botocore, { scheduler: {} as never }).field).toBe('options.scheduler');
  });
});

describe('waitPlan: the clock deadlines are measured on', () => {
  test('a scheduler given in the options tells the time: its own now() (virtual time)', () => {
    const scheduler = { now: () => 42_000, schedule: asyncScheduler.schedule.bind(asyncScheduler) };
    expect(waitPlan(botocore, { scheduler }).now()).toBe(42_000);
  });

  test('without one, a monotonic clock: performance.now, not the wall clock', () => {
    const wall = jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2030, 0, 1));
    const monotonic = jest.spyOn(performance, 'now').mockReturnValue(1234.5);
    try {
      expect(waitPlan(botocore, {}).now()).toBe(1234.5);
    } finally {
      wall.mockRestore();
      monotonic.mockRestore();
    }
  });
});

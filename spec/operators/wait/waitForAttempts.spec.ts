/**
 * waitForAttempts in virtual time: one emission per attempt, with its number,
 * state, matching acceptor, response, elapsed seconds and the next delay.
 */
import { map, NEVER, Observable, type ObservableInput, of, take, throwError, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { compileWaiter, SpecError, waitForAttempts, WaiterError, type WaiterAttempt } from '../../../src';
import type { Send } from '../../../src/transport/Send';
import type { CompiledWaiter } from '../../../src/specs/compileWaiter';
import type { SmithyWaiterSpec, WaiterSpec } from '../../../src/specs/types';
import { useFullJmespath } from '../../../src/specs/fullJmespath';

// Some waiters here are the app's own with full JMESPath expressions (an inputOutput acceptor): such an app opts in once.
useFullJmespath();

interface Input {
  TableName: string;
}
interface Output {
  Table?: { TableStatus?: string };
}

const input: Input = { TableName: 'music' };
const status = (TableStatus: string): Output => ({ Table: { TableStatus } });
const ACTIVE = status('ACTIVE');
const CREATING = status('CREATING');
const UPDATING = status('UPDATING');
const FAILED = status('FAILED');

function serviceError(name: string, message = `${name} happened`): Error {
  const error = new Error(message);
  error.name = name;
  return Object.assign(error, { $metadata: { httpStatusCode: 400 } });
}

const spec: WaiterSpec = {
  operation: 'DescribeTable',
  delay: 5,
  maxAttempts: 4,
  acceptors: [
    { matcher: 'path', argument: 'Table.TableStatus', expected: 'ACTIVE', state: 'success' },
    { matcher: 'path', argument: 'Table.TableStatus', expected: 'CREATING', state: 'retry' },
    { matcher: 'path', argument: 'Table.TableStatus', expected: 'FAILED', state: 'failure' },
    { matcher: 'error', expected: 'ResourceNotFoundException', state: 'retry' },
  ],
};
const waiter: CompiledWaiter<Input, Output> = compileWaiter<Input, Output>(spec);
const [activeIsSuccess, creatingIsRetry, failedIsFailure, notFoundIsRetry] = waiter.acceptors;

type Reply = () => ObservableInput<Output>;
const ok =
  (output: Output, afterMs = 0): Reply =>
  () =>
    afterMs === 0 ? of(output) : timer(afterMs).pipe(map(() => output));
const fail =
  (error: unknown): Reply =>
  () =>
    throwError(() => error);

function scripted(scheduler: TestScheduler, ...replies: Reply[]) {
  const calls: number[] = [];
  const send: Send<Input, Output> = () => {
    calls.push(scheduler.now());
    return replies[Math.min(calls.length, replies.length) - 1]!();
  };
  return { send, calls };
}

function virtual(body: (scheduler: TestScheduler, helpers: Parameters<Parameters<TestScheduler['run']>[0]>[0]) => void): void {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.run((helpers) => body(scheduler, helpers));
}

/** Subscribes, collecting the attempts and how the stream ended. */
function collect(scheduler: TestScheduler, source: Observable<WaiterAttempt<Input, Output>>) {
  const log: { attempts: WaiterAttempt<Input, Output>[]; at: number[]; error?: unknown; errorAt?: number; completedAt?: number } =
    {
      attempts: [],
      at: [],
    };
  const subscription = source.subscribe({
    next: (attempt) => {
      log.attempts.push(attempt);
      log.at.push(scheduler.now());
    },
    error: (error: unknown) => {
      log.error = error;
      log.errorAt = scheduler.now();
    },
    complete: () => (log.completedAt = scheduler.now()),
  });
  return { log, subscription };
}

describe('waitForAttempts', () => {
  test('emits every attempt: number, state, acceptor, response, elapsed and next delay', () => {
    virtual((scheduler, { flush }) => {
      const notFound = serviceError('ResourceNotFoundException');
      const { send } = scripted(scheduler, fail(notFound), ok(UPDATING, 1_500), ok(CREATING), ok(ACTIVE, 250));
      const { log } = collect(scheduler, waitForAttempts(waiter, send, input, { scheduler }));
      flush();
      expect(log.attempts).toEqual([
        {
          attempt: 1,
          state: 'retry',
          acceptor: notFoundIsRetry,
          response: { ok: false, input, error: notFound },
          elapsed: 0,
          nextDelay: 5,
        },
        { attempt: 2, state: 'retry', response: { ok: true, input, output: UPDATING }, elapsed: 6.5, nextDelay: 5 },
        {
          attempt: 3,
          state: 'retry',
          acceptor: creatingIsRetry,
          response: { ok: true, input, output: CREATING },
          elapsed: 11.5,
          nextDelay: 5,
        },
        {
          attempt: 4,
          state: 'success',
          acceptor: activeIsSuccess,
          response: { ok: true, input, output: ACTIVE },
          elapsed: 16.75,
        },
      ]);
      expect(log.attempts[0]!.acceptor).toBe(notFoundIsRetry);
      // "retry" with no acceptor when nothing matched; no nextDelay after the last attempt.
      expect(log.attempts[1]).not.toHaveProperty('acceptor');
      expect(log.attempts[3]).not.toHaveProperty('nextDelay');
      expect(log.at).toEqual([0, 6_500, 11_500, 16_750]);
      expect(log.completedAt).toBe(16_750);
      expect(log.attempts[3]!.response.input).toBe(input);
    });
  });

  test('as marbles: an emission per response, completing with the success', () => {
    virtual((scheduler, { expectObservable }) => {
      const { send } = scripted(scheduler, ok(CREATING), ok(UPDATING), ok(ACTIVE));
      const states = waitForAttempts(waiter, send, input, { scheduler }).pipe(map((a) => `${a.attempt}:${a.state}`));
      expectObservable(states).toBe('a 4999ms b 4999ms (c|)', { a: '1:retry', b: '2:retry', c: '3:success' });
    });
  });

  test('elapsed counts from subscription, not from creation', () => {
    virtual((scheduler, { expectObservable }) => {
      const { send } = scripted(scheduler, ok(CREATING, 1_000), ok(ACTIVE, 1_000));
      const attempts = waitForAttempts(waiter, send, input, { scheduler });
      expectObservable(attempts.pipe(map((a) => a.elapsed)), '30s ^').toBe('31s a 5999ms (b|)', { a: 1, b: 7 });
    });
  });

  test('a failure is emitted, then the WaiterError', () => {
    virtual((scheduler, { flush }) => {
      const { send } = scripted(scheduler, ok(CREATING), ok(FAILED));
      const { log } = collect(scheduler, waitForAttempts(waiter, send, input, { scheduler }));
      flush();
      expect(log.attempts.map((a) => [a.attempt, a.state, a.acceptor])).toEqual([
        [1, 'retry', creatingIsRetry],
        [2, 'failure', failedIsFailure],
      ]);
      expect(log.attempts[1]).not.toHaveProperty('nextDelay');
      expect(log.errorAt).toBe(5_000);
      expect(log.error).toBeInstanceOf(WaiterError);
      expect(log.error).toMatchObject({ kind: 'failure', attempts: 2, lastResponse: FAILED });
    });
  });

  test('an error no acceptor expected is emitted with state "error", then the WaiterError', () => {
    virtual((scheduler, { flush }) => {
      const denied = serviceError('AccessDeniedException', 'no');
      const { send, calls } = scripted(scheduler, ok(CREATING), fail(denied));
      const { log } = collect(scheduler, waitForAttempts(waiter, send, input, { scheduler }));
      flush();
      expect(log.attempts[1]).toEqual({ attempt: 2, state: 'error', response: { ok: false, input, error: denied }, elapsed: 5 });
      expect(calls).toEqual([0, 5_000]);
      expect(log.error).toMatchObject({
        kind: 'error',
        attempts: 2,
        message: 'An error occurred (AccessDeniedException): no',
        cause: denied,
      });
    });
  });

  test('the last allowed attempt is a retry without nextDelay, then the timeout', () => {
    virtual((scheduler, { flush }) => {
      const { send } = scripted(scheduler, ok(CREATING));
      const { log } = collect(scheduler, waitForAttempts(waiter, send, input, { scheduler }));
      flush();
      expect(log.attempts.map((a) => [a.attempt, a.state, a.elapsed, a.nextDelay])).toEqual([
        [1, 'retry', 0, 5],
        [2, 'retry', 5, 5],
        [3, 'retry', 10, 5],
        [4, 'retry', 15, undefined],
      ]);
      expect(log.attempts[3]).not.toHaveProperty('nextDelay');
      expect(log.errorAt).toBe(15_000);
      expect(log.error).toMatchObject({ kind: 'timeout', attempts: 4, lastResponse: CREATING });
      expect((log.error as WaiterError).message).toMatch(/^Max attempts exceeded\. Previously accepted state: /);
    });
  });

  test('nextDelay shows the delay cut or stretched to land on the deadline', () => {
    virtual((scheduler, { flush }) => {
      const { send, calls } = scripted(scheduler, ok(CREATING), ok(CREATING, 3_000), ok(CREATING));
      const { log } = collect(scheduler, waitForAttempts(waiter, send, input, { scheduler, maxAttempts: 10, maxWaitTime: 12 }));
      flush();
      // 0: 12s left, 12 - 5 > 5 -> 5. Call at 5 answers at 8: 4s left -> 4. Final call at 12.
      expect(log.attempts.map((a) => [a.elapsed, a.nextDelay])).toEqual([
        [0, 5],
        [8, 4],
        [12, undefined],
      ]);
      expect(calls).toEqual([0, 5_000, 12_000]);
      expect(log.error).toMatchObject({
        kind: 'timeout',
        attempts: 3,
        message: expect.stringMatching(/^Max wait time of 12s exceeded/),
      });
    });
  });

  test('an attempt cut off by the deadline is not emitted', () => {
    virtual((scheduler, { flush }) => {
      const { send } = scripted(scheduler, ok(CREATING), () => NEVER);
      const { log } = collect(scheduler, waitForAttempts(waiter, send, input, { scheduler, maxAttempts: 10, maxWaitTime: 30 }));
      flush();
      expect(log.attempts.map((a) => a.attempt)).toEqual([1]);
      expect(log.errorAt).toBe(30_000);
      expect(log.error).toMatchObject({ kind: 'timeout', attempts: 2, lastResponse: CREATING });
    });
  });

  test('reports the Smithy example schedule as elapsed and nextDelay', () => {
    virtual((scheduler, { flush }) => {
      const smithy: SmithyWaiterSpec = {
        acceptors: [
          {
            state: 'success',
            matcher: { output: { path: 'Table.TableStatus', expected: 'ACTIVE', comparator: 'stringEquals' } },
          },
        ],
      };
      const delays = [2, 3, 6, 6, 22, 62, 43, 24, 71, 42, 9, 6];
      const uppers = [2, 4, 8, 16, 32, 64, 120, 120, 120, 120, 120, 120];
      const draws = delays.map((d, i) => (d - 2 + 0.5) / (uppers[i]! - 2 + 1));
      let drawn = 0;
      const random = () => draws[drawn++] ?? 0.999;
      const { send } = scripted(scheduler, ok(CREATING));
      const { log } = collect(scheduler, waitForAttempts(smithy, send, input, { scheduler, maxWaitTime: 300, random }));
      flush();
      expect(log.attempts.map((a) => a.elapsed)).toEqual([0, 2, 5, 11, 17, 39, 101, 144, 168, 239, 281, 290, 296, 300]);
      expect(log.attempts.map((a) => a.nextDelay)).toEqual([...delays, 4, undefined]);
      expect(log.attempts.every((a) => a.state === 'retry' && a.acceptor === undefined)).toBe(true);
      expect(log.error).toMatchObject({ kind: 'timeout', attempts: 14, message: 'Max wait time of 300s exceeded' });
    });
  });

  test('an inputOutput acceptor sees the request', () => {
    virtual((scheduler, { flush }) => {
      const smithy: SmithyWaiterSpec = {
        acceptors: [
          {
            state: 'success',
            matcher: {
              inputOutput: { path: 'input.TableName == output.Table.Name', expected: 'true', comparator: 'booleanEquals' },
            },
          },
        ],
      };
      const send: Send<Input, { Table: { Name: string } }> = (request) => of({ Table: { Name: request.TableName } });
      const attempts: WaiterAttempt<Input, { Table: { Name: string } }>[] = [];
      waitForAttempts(smithy, send, input, { scheduler, maxWaitTime: 10 }).subscribe((a) => attempts.push(a));
      flush();
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({
        state: 'success',
        response: { ok: true, input, output: { Table: { Name: 'music' } } },
      });
    });
  });

  test('take(1) stops polling after the first attempt', () => {
    virtual((scheduler, { flush }) => {
      const { send, calls } = scripted(scheduler, ok(CREATING));
      const { log } = collect(scheduler, waitForAttempts(waiter, send, input, { scheduler, maxWaitTime: 60 }).pipe(take(1)));
      expect(scheduler.actions).toHaveLength(0);
      scheduler.schedule(() => undefined, 1_000_000);
      flush();
      expect(calls).toEqual([0]);
      expect(log.attempts.map((a) => a.attempt)).toEqual([1]);
      expect(log.completedAt).toBe(0);
    });
  });

  test('take(2) stops after the second attempt, with a slow reply', () => {
    virtual((scheduler, { flush }) => {
      const { send, calls } = scripted(scheduler, ok(CREATING, 2_000));
      const { log } = collect(scheduler, waitForAttempts(waiter, send, input, { scheduler }).pipe(take(2)));
      scheduler.schedule(() => undefined, 1_000_000);
      flush();
      expect(calls).toEqual([0, 7_000]);
      expect(log.completedAt).toBe(9_000);
    });
  });

  test("a custom backoff's bad delay errors the stream with a SpecError", () => {
    virtual((scheduler, { flush }) => {
      const { send } = scripted(scheduler, ok(CREATING));
      const { log } = collect(scheduler, waitForAttempts(waiter, send, input, { scheduler, backoff: () => Number.NaN }));
      flush();
      expect(log.error).toBeInstanceOf(SpecError);
      expect(log.errorAt).toBe(0);
    });
  });

  // An acceptor that throws (a hand-built CompiledWaiter) must end the wait, not leave it hanging.
  test('an acceptor that throws errors the Observable', () => {
    virtual((scheduler, { flush }) => {
      const broken = new Error('broken matcher');
      const custom: CompiledWaiter<Input, Output> = {
        ...waiter,
        acceptors: [
          {
            state: 'success',
            matcher: 'custom',
            explanation: 'never',
            matches: () => {
              throw broken;
            },
          },
        ],
      };
      const { send } = scripted(scheduler, ok(CREATING));
      const { log } = collect(scheduler, waitForAttempts(custom, send, input, { scheduler, maxWaitTime: 60 }));
      try {
        flush();
      } catch {
        // RxJS reports the unhandled error on a (virtual) timeout.
      }
      expect(log.error).toBe(broken);
    });
  });
});

describe('waitForAttempts with hostile sends and values', () => {
  /** How the wait ended, without waiting for it. */
  function endOf(source: Observable<WaiterAttempt<Input, Output>>) {
    const end: { attempts: number; error?: unknown; completed: boolean } = { attempts: 0, completed: false };
    source.subscribe({
      next: () => end.attempts++,
      error: (error) => (end.error = error),
      complete: () => (end.completed = true),
    });
    return end;
  }

  it('an error whose members throw on access (a revoked Proxy) ends the wait with an error, also when it arrives asynchronously', async () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const ended = await new Promise<unknown>((resolve) =>
      waitForAttempts(waiter, () => Promise.reject(proxy), input, { delay: 0 }).subscribe({
        error: resolve,
        complete: () => resolve('completed'),
      }),
    );
    expect(ended).toBeInstanceOf(WaiterError);
    expect((ended as WaiterError).message).toBe('An error occurred (Unknown): Unknown');
  });

  it('takes the first value of a synchronous multi-value send and stops it: an endless one does not hang', () => {
    let emitted = 0;
    const send: Send<Input, Output> = () =>
      new Observable<Output>((subscriber) => {
        while (!subscriber.closed && emitted < 1_000_000) {
          emitted++;
          subscriber.next(ACTIVE);
        }
      });
    const end = endOf(waitForAttempts(waiter, send, input));
    expect(end).toEqual({ attempts: 1, completed: true });
    expect(emitted).toBe(1);
  });

  describe('on the default scheduler, under fake timers and a fake wall clock', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());
    const DAY = 24 * 3600;
    const creating: Send<Input, Output> = () => of(CREATING);

    it('a maxWaitTime of 2^31 ms or more does not time out at once', () => {
      // Answers take 10 ms: the overflowing deadline timer, firing after 1 ms, would find the first one in flight.
      const slow: Send<Input, Output> = () => timer(10).pipe(map(() => CREATING));
      const end = endOf(waitForAttempts(waiter, slow, input, { maxWaitTime: 30 * DAY, maxAttempts: 1_000_000, delay: 5 }));
      jest.advanceTimersByTime(100_000);
      expect(end.error).toBeUndefined();
      expect(end.attempts).toBe(20);
    });

    it('a delay of 2^31 ms or more is waited out, not skipped', () => {
      const end = endOf(waitForAttempts(waiter, creating, input, { delay: 30 * DAY, maxAttempts: 2 }));
      jest.advanceTimersByTime(1000);
      expect(end.attempts).toBe(1);
      jest.advanceTimersByTime(30 * DAY * 1000);
      expect(end.attempts).toBe(2);
      expect(end.error).toBeInstanceOf(WaiterError);
    });

    it('the deadline holds when the wall clock steps back', () => {
      const end = endOf(waitForAttempts(waiter, creating, input, { maxWaitTime: 60, maxAttempts: 1000, delay: 5 }));
      jest.advanceTimersByTime(20_000);
      jest.setSystemTime(Date.now() - 3600_000);
      jest.advanceTimersByTime(45_000);
      expect(end.error).toMatchObject({ name: 'WaiterError', kind: 'timeout' });
      expect(end.attempts).toBe(12);
    });

    it('the deadline holds when the wall clock steps forward', () => {
      const end = endOf(waitForAttempts(waiter, creating, input, { maxWaitTime: 60, maxAttempts: 1000, delay: 5 }));
      jest.advanceTimersByTime(20_000);
      jest.setSystemTime(Date.now() + 3600_000);
      jest.advanceTimersByTime(30_000);
      expect(end.error).toBeUndefined();
      expect(end.attempts).toBe(11);
    });
  });
});

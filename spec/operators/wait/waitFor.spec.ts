/**
 * waitFor in virtual time: every timer runs on a TestScheduler passed as the
 * `scheduler` option, and `send` answers with cold observables, so a wait of
 * minutes takes microseconds and each call's time is exact.
 */
import { EMPTY, NEVER, from, map, type ObservableInput, of, Subscriber, tap, throwError, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { compileWaiter, SpecError, waitFor, WaiterError } from '../../../src';
import type { Send, SendContext } from '../../../src/transport/Send';
import type { AcceptorSpec, SmithyWaiterSpec, WaiterSpec } from '../../../src/specs/types';

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

const path = (expected: string, state: AcceptorSpec['state']): AcceptorSpec => ({
  matcher: 'path',
  argument: 'Table.TableStatus',
  expected,
  state,
});
const activeIsSuccess = path('ACTIVE', 'success');
const creatingIsRetry = path('CREATING', 'retry');
const failedIsFailure = path('FAILED', 'failure');
const notFoundIsRetry: AcceptorSpec = { matcher: 'error', expected: 'ResourceNotFoundException', state: 'retry' };

const botocore = (acceptors: AcceptorSpec[], delay = 5, maxAttempts = 3): WaiterSpec => ({
  operation: 'DescribeTable',
  delay,
  maxAttempts,
  acceptors,
});

/** An SDK v3 service exception: its code is its `name`, its status in `$metadata`. */
function serviceError(name: string, message = `${name} happened`, httpStatusCode = 400): Error {
  const error = new Error(message);
  error.name = name;
  return Object.assign(error, { $metadata: { httpStatusCode } });
}

/** Matches a WaiterError with these fields, for marble error values and `toEqual`. */
const waiterError = (fields: { kind: WaiterError['kind']; message: string; attempts: number; lastResponse?: unknown }) =>
  expect.objectContaining({ name: 'WaiterError', ...fields });

/** One reply of a scripted `send`. */
type Reply = () => ObservableInput<Output>;
const ok =
  (output: Output, afterMs = 0): Reply =>
  () =>
    afterMs === 0 ? of(output) : timer(afterMs).pipe(map(() => output));
const fail =
  (error: unknown): Reply =>
  () =>
    throwError(() => error);
const never: Reply = () => NEVER;

/**
 * A `send` that plays `replies` in order (the last one repeats) and records
 * the virtual time of every call and of every abort its request hears: it
 * listens to its signal while its reply is out, as SDK v3's HTTP handler does.
 */
function scripted(scheduler: TestScheduler, ...replies: Reply[]) {
  const calls: number[] = [];
  const aborts: number[] = [];
  const signals: AbortSignal[] = [];
  const send: Send<Input, Output> = (request, { abortSignal }) => {
    expect(request).toBe(input);
    calls.push(scheduler.now());
    signals.push(abortSignal);
    const onAbort = () => aborts.push(scheduler.now());
    abortSignal.addEventListener('abort', onAbort);
    const stopListening = () => abortSignal.removeEventListener('abort', onAbort);
    return from(replies[Math.min(calls.length, replies.length) - 1]!()).pipe(tap({ next: stopListening, error: stopListening }));
  };
  return { send, calls, aborts, signals };
}

/** Runs `body` in virtual time (1 frame = 1 ms); `flush` runs every timer due. */
function virtual(body: (scheduler: TestScheduler, helpers: Parameters<Parameters<TestScheduler['run']>[0]>[0]) => void): void {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.run((helpers) => body(scheduler, helpers));
}

/** Subscribes and records what arrives and when. */
function record<T>(scheduler: TestScheduler, source: import('rxjs').Observable<T>) {
  const log: { values: [number, T][]; error?: unknown; errorAt?: number; completedAt?: number } = { values: [] };
  const subscription = source.subscribe({
    next: (value) => log.values.push([scheduler.now(), value]),
    error: (error: unknown) => {
      log.error = error;
      log.errorAt = scheduler.now();
    },
    complete: () => (log.completedAt = scheduler.now()),
  });
  return { log, subscription };
}

/** Lets virtual time run far past anything a test scheduled. */
function runFar(scheduler: TestScheduler, flush: () => void): void {
  scheduler.schedule(() => undefined, 10_000_000);
  flush();
}

describe('waitFor: initialDelay (aws/aws-sdk-js-v3#1909)', () => {
  test('the first attempt waits initialDelay seconds; the delays after it are unchanged', () => {
    virtual((scheduler, { expectObservable, flush }) => {
      const { send, calls } = scripted(scheduler, ok(CREATING), ok(CREATING), ok(ACTIVE));
      const spec = botocore([activeIsSuccess, creatingIsRetry]);
      expectObservable(waitFor(spec, send, input, { scheduler, initialDelay: 30 })).toBe('40s (a|)', { a: ACTIVE });
      flush();
      expect(calls).toEqual([30_000, 35_000, 40_000]);
    });
  });

  test('it counts within maxWaitTime: the last delay is cut to land on the deadline', () => {
    virtual((scheduler, { flush }) => {
      // delay 10, maxWaitTime 30, initialDelay 2: calls at 2 and 12; 18 - 10 <= 10, so the final call waits for 30.
      const { send, calls } = scripted(scheduler, ok(CREATING), ok(CREATING), never);
      const { log } = record(
        scheduler,
        waitFor(botocore([activeIsSuccess, creatingIsRetry], 10, 100), send, input, {
          scheduler,
          maxWaitTime: 30,
          initialDelay: 2,
        }),
      );
      runFar(scheduler, flush);
      expect(calls).toEqual([2_000, 12_000, 30_000]);
      // The final attempt, sent at the deadline, gets `delay` seconds of grace.
      expect(log.errorAt).toBe(40_000);
      expect(log.error).toEqual(
        waiterError({ kind: 'timeout', message: expect.stringMatching(/^Max wait time of 30s exceeded/), attempts: 3 }),
      );
    });
  });

  test('as long as maxWaitTime, its one attempt goes at the deadline and may still succeed', () => {
    virtual((scheduler, { expectObservable, flush }) => {
      const { send, calls } = scripted(scheduler, ok(ACTIVE, 2_000));
      const spec = botocore([activeIsSuccess, creatingIsRetry], 5, 100);
      expectObservable(waitFor(spec, send, input, { scheduler, maxWaitTime: 60, initialDelay: 60 })).toBe('62s (a|)', {
        a: ACTIVE,
      });
      flush();
      expect(calls).toEqual([60_000]);
    });
  });

  test('unsubscribing during the initial delay sends nothing and leaves no timer', () => {
    virtual((scheduler, { flush }) => {
      const { send, calls } = scripted(scheduler, ok(ACTIVE));
      const { subscription } = record(
        scheduler,
        waitFor(botocore([activeIsSuccess]), send, input, { scheduler, initialDelay: 30, maxWaitTime: 60 }),
      );
      scheduler.schedule(() => subscription.unsubscribe(), 10_000);
      flush();
      expect(calls).toEqual([]);
      expect(scheduler.actions).toHaveLength(0);
    });
  });
});

describe('waitFor: timing', () => {
  test('calls at once, then `delay` seconds after each response, and emits the success response', () => {
    virtual((scheduler, { expectObservable, flush }) => {
      const { send, calls } = scripted(scheduler, ok(CREATING), ok(CREATING), ok(ACTIVE));
      const spec = botocore([activeIsSuccess, creatingIsRetry]);
      expectObservable(waitFor(spec, send, input, { scheduler })).toBe('10s (a|)', { a: ACTIVE });
      flush();
      expect(calls).toEqual([0, 5_000, 10_000]);
    });
  });

  test('a slow response shifts every later attempt: the delay runs from the response, not the call', () => {
    virtual((scheduler, { cold, expectObservable, expectSubscriptions }) => {
      const replies = [cold('3s (a|)', { a: CREATING }), cold('1s (a|)', { a: CREATING }), cold('500ms (a|)', { a: ACTIVE })];
      let call = 0;
      const send: Send<Input, Output> = () => replies[call++]!;
      const spec = botocore([activeIsSuccess, creatingIsRetry]);
      // Calls at 0, 3+5 = 8 and 8+1+5 = 14 seconds; the answer at 14.5.
      expectObservable(waitFor(spec, send, input, { scheduler })).toBe('14500ms (a|)', { a: ACTIVE });
      expectSubscriptions(replies[0]!.subscriptions).toBe('^ 2999ms !');
      expectSubscriptions(replies[1]!.subscriptions).toBe('8s ^ 999ms !');
      expectSubscriptions(replies[2]!.subscriptions).toBe('14s ^ 499ms !');
    });
  });

  test('a fractional delay is honoured to the millisecond', () => {
    virtual((scheduler, { flush }) => {
      const { send, calls } = scripted(scheduler, ok(CREATING), ok(ACTIVE));
      record(scheduler, waitFor(botocore([activeIsSuccess, creatingIsRetry], 0.25), send, input, { scheduler }));
      flush();
      expect(calls).toEqual([0, 250]);
    });
  });

  test('delay 0 polls again at once (in the same virtual instant)', () => {
    virtual((scheduler, { flush }) => {
      const { send, calls } = scripted(scheduler, ok(CREATING), ok(CREATING), ok(ACTIVE));
      const { log } = record(scheduler, waitFor(botocore([activeIsSuccess, creatingIsRetry], 0), send, input, { scheduler }));
      flush();
      expect(calls).toEqual([0, 0, 0]);
      expect(log.values).toEqual([[0, ACTIVE]]);
      expect(log.completedAt).toBe(0);
    });
  });

  test('maxAttempts attempts, then a timeout saying only "Max attempts exceeded" when no acceptor ever matched', () => {
    virtual((scheduler, { expectObservable, flush }) => {
      const { send, calls } = scripted(scheduler, ok(UPDATING));
      const spec = botocore([activeIsSuccess, creatingIsRetry], 5, 3);
      expectObservable(waitFor(spec, send, input, { scheduler })).toBe(
        '10s #',
        undefined,
        waiterError({ kind: 'timeout', message: 'Max attempts exceeded', attempts: 3, lastResponse: UPDATING }),
      );
      flush();
      expect(calls).toEqual([0, 5_000, 10_000]);
    });
  });

  test('the timeout names the acceptor that last matched (botocore names the last one in the list instead)', () => {
    virtual((scheduler, { expectObservable }) => {
      // The retry acceptor matches twice, then nothing matches: it stays the "previously accepted state".
      const { send } = scripted(scheduler, ok(CREATING), ok(CREATING), ok(UPDATING));
      const spec = botocore([activeIsSuccess, creatingIsRetry, failedIsFailure, notFoundIsRetry], 5, 3);
      expectObservable(waitFor(spec, send, input, { scheduler })).toBe(
        '10s #',
        undefined,
        waiterError({
          kind: 'timeout',
          message:
            'Max attempts exceeded. Previously accepted state: For expression "Table.TableStatus" we matched expected path: "CREATING"',
          attempts: 3,
          lastResponse: UPDATING,
        }),
      );
    });
  });

  test('maxAttempts from the options overrides the spec', () => {
    virtual((scheduler, { flush }) => {
      const { send, calls } = scripted(scheduler, ok(CREATING));
      const { log } = record(
        scheduler,
        waitFor(botocore([activeIsSuccess, creatingIsRetry], 5, 3), send, input, { scheduler, maxAttempts: 5 }),
      );
      flush();
      expect(calls).toEqual([0, 5_000, 10_000, 15_000, 20_000]);
      expect(log.error).toEqual(
        waiterError({ kind: 'timeout', message: expect.stringMatching(/^Max attempts exceeded\./), attempts: 5 }),
      );
    });
  });

  test('maxAttempts 1 makes a single call', () => {
    virtual((scheduler, { expectObservable }) => {
      const { send } = scripted(scheduler, ok(CREATING));
      expectObservable(waitFor(botocore([activeIsSuccess, creatingIsRetry]), send, input, { scheduler, maxAttempts: 1 })).toBe(
        '#',
        undefined,
        waiterError({ kind: 'timeout', message: expect.stringMatching(/^Max attempts exceeded/), attempts: 1 }),
      );
    });
  });
});

describe('waitFor: acceptors', () => {
  test('the first matching acceptor wins', () => {
    virtual((scheduler, { expectObservable }) => {
      const anything = (state: AcceptorSpec['state']): AcceptorSpec => ({ matcher: 'error', expected: false, state });
      const a = scripted(scheduler, ok(ACTIVE));
      expectObservable(waitFor(botocore([anything('failure'), activeIsSuccess]), a.send, input, { scheduler })).toBe(
        '#',
        undefined,
        waiterError({
          kind: 'failure',
          message: 'Waiter encountered a terminal failure state: Matched expected service error code: False',
          attempts: 1,
        }),
      );
      const b = scripted(scheduler, ok(ACTIVE));
      expectObservable(waitFor(botocore([activeIsSuccess, anything('failure')]), b.send, input, { scheduler })).toBe('(a|)', {
        a: ACTIVE,
      });
      const c = scripted(scheduler, ok(ACTIVE), ok(FAILED));
      // A retry acceptor listed first shadows the success one.
      expectObservable(
        waitFor(botocore([anything('retry'), activeIsSuccess, failedIsFailure]), c.send, input, { scheduler }),
      ).toBe(
        '10s #',
        undefined,
        waiterError({
          kind: 'timeout',
          message: 'Max attempts exceeded. Previously accepted state: Matched expected service error code: False',
          attempts: 3,
        }),
      );
    });
  });

  test("a failure acceptor ends the wait with botocore's reason and the last response", () => {
    virtual((scheduler, { expectObservable, flush }) => {
      const { send, calls } = scripted(scheduler, ok(CREATING), ok(FAILED), ok(ACTIVE));
      expectObservable(waitFor(botocore([activeIsSuccess, creatingIsRetry, failedIsFailure]), send, input, { scheduler })).toBe(
        '5s #',
        undefined,
        waiterError({
          kind: 'failure',
          message:
            'Waiter encountered a terminal failure state: For expression "Table.TableStatus" we matched expected path: "FAILED"',
          attempts: 2,
          lastResponse: FAILED,
        }),
      );
      flush();
      expect(calls).toEqual([0, 5_000]);
    });
  });

  test('an error no acceptor matches ends the wait at once, with the error as cause', () => {
    virtual((scheduler, { flush }) => {
      const throttled = serviceError('ThrottlingException', 'Rate exceeded');
      const { send, calls } = scripted(scheduler, ok(CREATING), fail(throttled), ok(ACTIVE));
      const { log } = record(
        scheduler,
        waitFor(botocore([activeIsSuccess, creatingIsRetry, notFoundIsRetry]), send, input, { scheduler }),
      );
      runFar(scheduler, flush);
      expect(calls).toEqual([0, 5_000]);
      expect(log.errorAt).toBe(5_000);
      expect(log.error).toBeInstanceOf(WaiterError);
      expect(log.error).toEqual(
        waiterError({
          kind: 'error',
          message: 'An error occurred (ThrottlingException): Rate exceeded',
          attempts: 2,
          lastResponse: throttled,
        }),
      );
      expect((log.error as WaiterError).cause).toBe(throttled);
    });
  });

  test('an error reads "Unknown" for a missing message and keeps an empty one, as botocore', () => {
    virtual((scheduler, { flush }) => {
      const { send } = scripted(scheduler, fail({ name: 'InternalError' }));
      const { log } = record(scheduler, waitFor(botocore([activeIsSuccess]), send, input, { scheduler }));
      flush();
      expect((log.error as WaiterError).message).toBe('An error occurred (InternalError): Unknown');
    });
    virtual((scheduler, { flush }) => {
      const { send } = scripted(scheduler, fail(serviceError('InternalError', '')));
      const { log } = record(scheduler, waitFor(botocore([activeIsSuccess]), send, input, { scheduler }));
      flush();
      expect((log.error as WaiterError).message).toBe('An error occurred (InternalError): ');
    });
  });

  test('a plain-object error is described by its code and message', () => {
    virtual((scheduler, { flush }) => {
      const { send } = scripted(scheduler, fail({ name: 'ThrottlingException', message: 'Rate exceeded' }));
      const { log } = record(scheduler, waitFor(botocore([activeIsSuccess]), send, input, { scheduler }));
      flush();
      expect((log.error as WaiterError).message).toBe('An error occurred (ThrottlingException): Rate exceeded');
    });
  });

  test('an error acceptor turns an error into a retry', () => {
    virtual((scheduler, { expectObservable, flush }) => {
      const notFound = serviceError('ResourceNotFoundException');
      const { send, calls } = scripted(scheduler, fail(notFound), fail(notFound), ok(ACTIVE));
      expectObservable(waitFor(botocore([activeIsSuccess, notFoundIsRetry]), send, input, { scheduler })).toBe('10s (a|)', {
        a: ACTIVE,
      });
      flush();
      expect(calls).toEqual([0, 5_000, 10_000]);
    });
  });

  test('success on an error (TableNotExists style) emits that error as the value', () => {
    virtual((scheduler, { expectObservable }) => {
      const notFound = serviceError('ResourceNotFoundException');
      const { send } = scripted(scheduler, ok(ACTIVE), fail(notFound));
      const spec = botocore([{ matcher: 'error', expected: 'ResourceNotFoundException', state: 'success' }]);
      expectObservable(waitFor(spec, send, input, { scheduler })).toBe('5s (a|)', { a: notFound });
    });
  });

  test('a status matcher reads the HTTP status of an error', () => {
    virtual((scheduler, { expectObservable }) => {
      const missing = serviceError('NotFound', '', 404);
      const forbidden = serviceError('Forbidden', '', 403);
      const spec = botocore([
        { matcher: 'status', expected: 404, state: 'success' },
        { matcher: 'status', expected: 403, state: 'retry' },
      ]);
      const { send } = scripted(scheduler, fail(forbidden), fail(missing));
      expectObservable(waitFor(spec, send, input, { scheduler })).toBe('5s (a|)', { a: missing });
    });
  });

  test('a status matcher reads the HTTP status of an output', () => {
    virtual((scheduler, { expectObservable }) => {
      const out = { ...ACTIVE, $metadata: { httpStatusCode: 200 } };
      const { send } = scripted(scheduler, () => of(out));
      expectObservable(
        waitFor(botocore([{ matcher: 'status', expected: 200, state: 'success' }]), send, input, { scheduler }),
      ).toBe('(a|)', { a: out });
    });
  });

  test('`error: true` matches any error, `error: false` any successful response', () => {
    virtual((scheduler, { expectObservable }) => {
      const boom = serviceError('Whatever');
      const spec = botocore([
        { matcher: 'error', expected: true, state: 'retry' },
        { matcher: 'error', expected: false, state: 'success' },
      ]);
      const { send } = scripted(scheduler, fail(boom), fail(new Error('plain')), ok(UPDATING));
      expectObservable(waitFor(spec, send, input, { scheduler })).toBe('10s (a|)', { a: UPDATING });

      const failing = scripted(scheduler, fail(boom));
      expectObservable(
        waitFor(botocore([{ matcher: 'error', expected: true, state: 'failure' }]), failing.send, input, { scheduler }),
      ).toBe(
        '#',
        undefined,
        waiterError({
          kind: 'failure',
          message: 'Waiter encountered a terminal failure state: Matched expected service error code: True',
          attempts: 1,
        }),
      );
    });
  });

  test('a send that throws is judged like an error response', () => {
    virtual((scheduler, { expectObservable }) => {
      let calls = 0;
      const send: Send<Input, Output> = () => {
        if (++calls === 1) throw serviceError('ResourceNotFoundException');
        return of(ACTIVE);
      };
      expectObservable(waitFor(botocore([activeIsSuccess, notFoundIsRetry]), send, input, { scheduler })).toBe('5s (a|)', {
        a: ACTIVE,
      });
    });
  });

  test('a send that completes without a value is an error', () => {
    virtual((scheduler, { expectObservable }) => {
      const { send } = scripted(scheduler, () => EMPTY);
      expectObservable(waitFor(botocore([activeIsSuccess]), send, input, { scheduler })).toBe(
        '#',
        undefined,
        waiterError({
          kind: 'error',
          message: expect.stringContaining('send completed without producing a response'),
          attempts: 1,
        }),
      );
    });
  });

  test('only the first value of a send counts', () => {
    virtual((scheduler, { cold, expectObservable, expectSubscriptions }) => {
      const reply = cold('1s a 1s b', { a: ACTIVE, b: FAILED });
      const send: Send<Input, Output> = () => reply;
      expectObservable(waitFor(botocore([activeIsSuccess, failedIsFailure]), send, input, { scheduler })).toBe('1s (a|)', {
        a: ACTIVE,
      });
      expectSubscriptions(reply.subscriptions).toBe('^ 999ms !');
    });
  });

  test('a Smithy spec is compiled with its own matchers and explanations', () => {
    virtual((scheduler, { expectObservable }) => {
      const spec: SmithyWaiterSpec = {
        acceptors: [
          {
            state: 'success',
            matcher: { output: { path: 'Table.TableStatus', expected: 'ACTIVE', comparator: 'stringEquals' } },
          },
          {
            state: 'failure',
            matcher: { output: { path: 'Table.TableStatus', expected: 'FAILED', comparator: 'stringEquals' } },
          },
          { state: 'retry', matcher: { errorType: 'com.amazonaws.dynamodb#ResourceNotFoundException' } },
        ],
      };
      const { send } = scripted(scheduler, fail(serviceError('ResourceNotFoundException')), ok(FAILED));
      expectObservable(waitFor(spec, send, input, { scheduler, maxWaitTime: 60, random: () => 0 })).toBe(
        '2s #',
        undefined,
        waiterError({
          kind: 'failure',
          message:
            'Waiter encountered a terminal failure state: For expression "Table.TableStatus" the stringEquals comparator matched expected "FAILED"',
          attempts: 2,
        }),
      );
    });
  });
});

describe('waitFor: maxWaitTime is a hard deadline', () => {
  test('a send that never answers is aborted at maxWaitTime, and the wait times out then', () => {
    virtual((scheduler, { expectObservable, flush }) => {
      const { send, calls, aborts, signals } = scripted(scheduler, never);
      expectObservable(waitFor(botocore([activeIsSuccess], 5, 100), send, input, { scheduler, maxWaitTime: 300 })).toBe(
        '300s #',
        undefined,
        waiterError({ kind: 'timeout', message: 'Max wait time of 300s exceeded', attempts: 1, lastResponse: undefined }),
      );
      flush();
      expect(calls).toEqual([0]);
      expect(aborts).toEqual([300_000]);
      expect(signals[0]!.aborted).toBe(true);
    });
  });

  test('a slow attempt in flight at the deadline is cut off; the message names the last accepted state', () => {
    virtual((scheduler, { flush }) => {
      const { send, calls, aborts } = scripted(scheduler, ok(CREATING), ok(CREATING, 60_000));
      const { log } = record(
        scheduler,
        waitFor(botocore([activeIsSuccess, creatingIsRetry], 10, 100), send, input, { scheduler, maxWaitTime: 30 }),
      );
      runFar(scheduler, flush);
      expect(calls).toEqual([0, 10_000]);
      expect(aborts).toEqual([30_000]);
      expect(log.errorAt).toBe(30_000);
      expect(log.error).toEqual(
        waiterError({
          kind: 'timeout',
          message:
            'Max wait time of 30s exceeded. Previously accepted state: For expression "Table.TableStatus" we matched expected path: "CREATING"',
          attempts: 2,
          lastResponse: CREATING,
        }),
      );
    });
  });

  test('the last delay stretches so the final attempt goes out at the deadline, with `delay` seconds of grace', () => {
    virtual((scheduler, { flush }) => {
      // delay 10, maxWaitTime 25: calls at 0 and 10; 15s are left, and 15 - 10 <= 10, so the last call waits for 25.
      const { send, calls, aborts } = scripted(scheduler, ok(CREATING), ok(CREATING), never);
      const { log } = record(
        scheduler,
        waitFor(botocore([activeIsSuccess, creatingIsRetry], 10, 100), send, input, { scheduler, maxWaitTime: 25 }),
      );
      runFar(scheduler, flush);
      expect(calls).toEqual([0, 10_000, 25_000]);
      expect(aborts).toEqual([35_000]);
      expect(log.errorAt).toBe(35_000);
      expect(log.error).toEqual(
        waiterError({ kind: 'timeout', message: expect.stringMatching(/^Max wait time of 25s exceeded\. /), attempts: 3 }),
      );
    });
  });

  test('the final attempt may still succeed within its grace', () => {
    virtual((scheduler, { expectObservable, flush }) => {
      const { send, calls, aborts } = scripted(scheduler, ok(CREATING), ok(CREATING), ok(ACTIVE, 9_999));
      expectObservable(
        waitFor(botocore([activeIsSuccess, creatingIsRetry], 10, 100), send, input, { scheduler, maxWaitTime: 25 }),
      ).toBe('34999ms (a|)', { a: ACTIVE });
      flush();
      expect(calls).toEqual([0, 10_000, 25_000]);
      expect(aborts).toEqual([]);
    });
  });

  test('a retry answer to the final attempt times out when it arrives', () => {
    virtual((scheduler, { expectObservable, flush }) => {
      const { send, calls } = scripted(scheduler, ok(CREATING), ok(CREATING), ok(CREATING, 4_000));
      expectObservable(
        waitFor(botocore([activeIsSuccess, creatingIsRetry], 10, 100), send, input, { scheduler, maxWaitTime: 25 }),
      ).toBe(
        '29s #',
        undefined,
        waiterError({
          kind: 'timeout',
          message: expect.stringMatching(/^Max wait time of 25s exceeded\. Previously accepted state: /),
          attempts: 3,
        }),
      );
      flush();
      expect(calls).toEqual([0, 10_000, 25_000]);
    });
  });

  test('a deadline shorter than the delay still makes a final attempt at the deadline', () => {
    virtual((scheduler, { flush }) => {
      const { send, calls } = scripted(scheduler, ok(CREATING));
      const { log } = record(
        scheduler,
        waitFor(botocore([activeIsSuccess, creatingIsRetry], 10, 100), send, input, { scheduler, maxWaitTime: 4 }),
      );
      flush();
      expect(calls).toEqual([0, 4_000]);
      expect(log.errorAt).toBe(4_000);
    });
  });

  test('maxWaitTime 0 gives the first attempt its answer: one call, given `delay` seconds', () => {
    virtual((scheduler, { flush }) => {
      const { send, calls, aborts } = scripted(scheduler, ok(ACTIVE, 800));
      const { log } = record(scheduler, waitFor(botocore([activeIsSuccess], 5, 100), send, input, { scheduler, maxWaitTime: 0 }));
      flush();
      expect(calls).toEqual([0]);
      expect(aborts).toEqual([]);
      expect(log.values).toEqual([[800, ACTIVE]]);
      expect(log.completedAt).toBe(800);
    });
  });

  test('maxWaitTime 0 times out after that one answer if it is not a success, or after `delay` without one', () => {
    virtual((scheduler, { flush }) => {
      const creating = scripted(scheduler, ok(CREATING, 800));
      const first = record(
        scheduler,
        waitFor(botocore([activeIsSuccess, creatingIsRetry], 5, 100), creating.send, input, { scheduler, maxWaitTime: 0 }),
      );
      const silent = scripted(scheduler, never);
      const second = record(
        scheduler,
        waitFor(botocore([activeIsSuccess], 5, 100), silent.send, input, { scheduler, maxWaitTime: 0 }),
      );
      flush();
      expect(creating.calls).toEqual([0]);
      expect(first.log.errorAt).toBe(800);
      expect(first.log.error).toEqual(
        waiterError({
          kind: 'timeout',
          message:
            'Max wait time of 0s exceeded. Previously accepted state: For expression "Table.TableStatus" we matched expected path: "CREATING"',
          attempts: 1,
        }),
      );
      expect(silent.calls).toEqual([0]);
      expect(silent.aborts).toEqual([5_000]);
      expect(second.log.errorAt).toBe(5_000);
    });
  });

  // The deadline aborting the last allowed attempt is a time-out on time, not on attempts.
  test('an attempt cut off by the deadline reports the wait time even when it was the last one allowed', () => {
    virtual((scheduler, { flush }) => {
      const { send, calls, aborts } = scripted(scheduler, ok(CREATING), never);
      const { log } = record(
        scheduler,
        waitFor(botocore([activeIsSuccess, creatingIsRetry], 1, 2), send, input, { scheduler, maxWaitTime: 10 }),
      );
      flush();
      expect(calls).toEqual([0, 1_000]);
      expect(aborts).toEqual([10_000]);
      expect((log.error as WaiterError).message).toMatch(/^Max wait time of 10s exceeded/);
    });
  });
});

describe('waitFor: exponential backoff', () => {
  /** A `random` that yields `draws` in order and counts its calls. */
  function draws(...values: number[]) {
    const random = Object.assign(() => values[random.calls++] ?? 0.5, { calls: 0 });
    return random;
  }
  /** The draw that makes `randomBetween(min, upper)` return `delay`. */
  const drawFor = (delay: number, min: number, upper: number) => (delay - min + 0.5) / (upper - min + 1);

  const done: SmithyWaiterSpec = {
    acceptors: [
      { state: 'success', matcher: { output: { path: 'Table.TableStatus', expected: 'ACTIVE', comparator: 'stringEquals' } } },
    ],
  };

  test('reproduces the example of the Smithy spec (minDelay 2, maxDelay 120, maxWaitTime 300)', () => {
    virtual((scheduler, { flush }) => {
      // Uppers double from 2 up to the attempt ceiling log2(120/2)+1 = 6.9, then stay at 120.
      const random = draws(
        0.7, // attempt 1: [2, 2] -> 2 whatever the draw
        drawFor(3, 2, 4),
        drawFor(6, 2, 8),
        drawFor(6, 2, 16),
        drawFor(22, 2, 32),
        drawFor(62, 2, 64),
        drawFor(43, 2, 120), // past the ceiling the delay is still drawn, not a flat 120
        drawFor(24, 2, 120),
        drawFor(71, 2, 120),
        drawFor(42, 2, 120),
        drawFor(9, 2, 120),
        drawFor(6, 2, 120),
        0.999, // 120 drawn, but only 4s are left: the last call lands on the deadline
      );
      const { send, calls } = scripted(scheduler, ok(CREATING));
      const { log } = record(scheduler, waitFor(done, send, input, { scheduler, maxWaitTime: 300, random }));
      flush();
      expect(calls.map((ms) => ms / 1000)).toEqual([0, 2, 5, 11, 17, 39, 101, 144, 168, 239, 281, 290, 296, 300]);
      expect(random.calls).toBe(13);
      expect(log.errorAt).toBe(300_000);
      expect(log.error).toEqual(
        waiterError({ kind: 'timeout', message: 'Max wait time of 300s exceeded', attempts: 14, lastResponse: CREATING }),
      );
    });
  });

  test('jitter also applies past the attempt ceiling (SDK v3 waits maxDelay flat there)', () => {
    virtual((scheduler, { flush }) => {
      const { send, calls } = scripted(scheduler, ok(CREATING));
      record(scheduler, waitFor(done, send, input, { scheduler, maxWaitTime: 1000, random: () => 0 }));
      flush();
      // A draw of 0 always yields minDelay, at attempt 1 as at attempt 20.
      expect(calls.slice(0, 12).map((ms) => ms / 1000)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22]);
    });
  });

  test('the delay before the last attempt is cut so that attempt lands on the deadline (SDK v3 gives up early)', () => {
    virtual((scheduler, { flush }) => {
      // Draws near 1 take the upper bound: 2, 4, 8, 16, 32 -> calls at 0, 2, 6, 14, 30; 10s left, 64 drawn.
      const { send, calls } = scripted(scheduler, ok(CREATING));
      const { log } = record(scheduler, waitFor(done, send, input, { scheduler, maxWaitTime: 40, random: () => 0.9999 }));
      flush();
      expect(calls.map((ms) => ms / 1000)).toEqual([0, 2, 6, 14, 30, 40]);
      expect(log.errorAt).toBe(40_000);
    });
  });

  test('a Smithy spec backs off exponentially between its own minDelay and maxDelay by default', () => {
    virtual((scheduler, { flush }) => {
      const spec: SmithyWaiterSpec = { ...done, minDelay: 5, maxDelay: 40 };
      expect(compileWaiter(spec)).toMatchObject({ backoff: 'exponential', minDelay: 5, maxDelay: 40 });
      const { send, calls } = scripted(scheduler, ok(CREATING));
      record(scheduler, waitFor(spec, send, input, { scheduler, maxWaitTime: 1000, random: () => 0.9999 }));
      flush();
      // Uppers 5, 10, 20, 40 (the ceiling, log2(40/5)+1 = 4), then 40.
      expect(calls.slice(0, 7).map((ms) => ms / 1000)).toEqual([0, 5, 15, 35, 75, 115, 155]);
    });
  });

  test('a compiled Smithy waiter behaves like its spec', () => {
    virtual((scheduler, { expectObservable }) => {
      const { send } = scripted(scheduler, ok(CREATING), ok(CREATING), ok(ACTIVE));
      // random 0 -> 2s, 2s.
      expectObservable(
        waitFor(compileWaiter<Input, Output>(done), send, input, { scheduler, maxWaitTime: 60, random: () => 0 }),
      ).toBe('4s (a|)', { a: ACTIVE });
    });
  });

  test('a Smithy spec requires maxWaitTime (or maxAttempts)', () => {
    const send: Send<Input, Output> = () => of(ACTIVE);
    let error: unknown;
    try {
      waitFor(done, send, input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).field).toBe('options.maxWaitTime');
    expect(() => waitFor(done, send, input, { maxAttempts: 3 })).not.toThrow();
    expect(() => waitFor(done, send, input, { maxWaitTime: 30 })).not.toThrow();
  });

  test("`backoff: 'exponential'` works for a botocore spec too, from `delay` up to `maxDelay`", () => {
    virtual((scheduler, { flush }) => {
      const { send, calls } = scripted(scheduler, ok(CREATING));
      record(
        scheduler,
        waitFor(botocore([creatingIsRetry], 1, 6), send, input, {
          scheduler,
          backoff: 'exponential',
          maxDelay: 8,
          random: () => 0.9999,
        }),
      );
      flush();
      expect(calls.map((ms) => ms / 1000)).toEqual([0, 1, 3, 7, 15, 23]);
    });
  });

  // botocore specs have no maxDelay; exponential backoff on one must still grow (to 120).
  test("`backoff: 'exponential'` on a botocore spec defaults maxDelay to 120, as documented", () => {
    virtual((scheduler, { flush }) => {
      const { send, calls } = scripted(scheduler, ok(CREATING));
      record(
        scheduler,
        waitFor(botocore([creatingIsRetry], 1, 4), send, input, { scheduler, backoff: 'exponential', random: () => 0.9999 }),
      );
      flush();
      expect(calls.map((ms) => ms / 1000)).toEqual([0, 1, 3, 7]);
    });
  });
});

describe('waitFor: cancellation', () => {
  test('unsubscribing inside a send whose Promise rejects on abort (as SDK v3’s does) leaves no unhandled rejection', async () => {
    const rejections: unknown[] = [];
    const listener = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', listener);
    try {
      const subscriber = new Subscriber<Output>();
      const send: Send<Input, Output> = (_request, { abortSignal }) => {
        const answer = new Promise<Output>((_resolve, reject) =>
          abortSignal.addEventListener('abort', () => reject(abortSignal.reason as Error), { once: true }),
        );
        subscriber.unsubscribe(); // during the first poll, inside subscribe()
        return answer;
      };
      waitFor(botocore([activeIsSuccess]), send, input, { delay: 0 }).subscribe(subscriber);
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('unhandledRejection', listener);
    }
    expect(rejections).toEqual([]);
  });

  test('unsubscribing mid-request aborts its signal and sends nothing more', () => {
    virtual((scheduler, { flush }) => {
      const { send, calls, aborts, signals } = scripted(scheduler, ok(CREATING), ok(CREATING, 4_000));
      const { subscription, log } = record(
        scheduler,
        waitFor(botocore([activeIsSuccess, creatingIsRetry], 5, 100), send, input, { scheduler, maxWaitTime: 600 }),
      );
      let pending = -1;
      scheduler.schedule(() => {
        subscription.unsubscribe();
        pending = scheduler.actions.length;
      }, 7_000);
      runFar(scheduler, flush);
      expect(calls).toEqual([0, 5_000]);
      expect(aborts).toEqual([7_000]);
      // The polls share one signal (as SDK v3's waiters share theirs): the abort reached the request in flight.
      expect(signals[1]!.aborted).toBe(true);
      // The deadline timer went too: only runFar's far-off no-op was left.
      expect(pending).toBe(1);
      expect(log).toEqual({ values: [] });
    });
  });

  test('unsubscribing mid-request unsubscribes from the cold reply', () => {
    virtual((scheduler, { cold, expectObservable, expectSubscriptions }) => {
      const reply = cold('10s a', { a: ACTIVE });
      const send: Send<Input, Output> = () => reply;
      expectObservable(waitFor(botocore([activeIsSuccess]), send, input, { scheduler }), '^ 2999ms !').toBe('');
      expectSubscriptions(reply.subscriptions).toBe('^ 2999ms !');
    });
  });

  test('unsubscribing during a delay clears the timer', () => {
    virtual((scheduler, { flush }) => {
      const { send, calls, aborts } = scripted(scheduler, ok(CREATING));
      const { subscription } = record(
        scheduler,
        waitFor(botocore([activeIsSuccess, creatingIsRetry], 5, 100), send, input, { scheduler }),
      );
      expect(scheduler.actions).toHaveLength(1); // the next poll
      subscription.unsubscribe();
      expect(scheduler.actions).toHaveLength(0);
      runFar(scheduler, flush);
      expect(calls).toEqual([0]);
      // A request that has answered is not aborted.
      expect(aborts).toEqual([]);
    });
  });

  test('unsubscribing during a delay with a deadline leaves no timer behind', () => {
    virtual((scheduler, { flush }) => {
      const { send, calls } = scripted(scheduler, ok(CREATING));
      const { subscription } = record(
        scheduler,
        waitFor(botocore([activeIsSuccess, creatingIsRetry], 5, 100), send, input, { scheduler, maxWaitTime: 60 }),
      );
      let pending = -1;
      scheduler.schedule(() => {
        subscription.unsubscribe();
        pending = scheduler.actions.length;
      }, 7_500);
      flush();
      expect(pending).toBe(0);
      expect(calls).toEqual([0, 5_000]);
    });
  });

  test('the signal of an answered request is not aborted when the wait ends', () => {
    virtual((scheduler, { flush }) => {
      const { send, aborts, signals } = scripted(scheduler, ok(CREATING), ok(ACTIVE, 1_000));
      const { log } = record(
        scheduler,
        waitFor(botocore([activeIsSuccess, creatingIsRetry]), send, input, { scheduler, maxWaitTime: 60 }),
      );
      flush();
      expect(log.completedAt).toBe(6_000);
      expect(aborts).toEqual([]);
      expect(signals.every((signal) => !signal.aborted)).toBe(true);
      expect(scheduler.actions).toHaveLength(0);
    });
  });

  // A send that reads `context.abortSignal` late (after an `await`) must still see the abort.
  test('a signal first read after the wait was cancelled is already aborted', () => {
    virtual((scheduler) => {
      let context: SendContext | undefined;
      const send: Send<Input, Output> = (_request, ctx) => {
        context = ctx; // keeps it, reads the signal later
        return NEVER;
      };
      waitFor(botocore([activeIsSuccess]), send, input, { scheduler })
        .subscribe()
        .unsubscribe();
      expect(context!.abortSignal.aborted).toBe(true);
    });
  });

  test('the Observable is cold: each subscription waits anew', () => {
    virtual((scheduler, { expectObservable, flush }) => {
      const { send, calls } = scripted(scheduler, ok(ACTIVE));
      const wait = waitFor(botocore([activeIsSuccess]), send, input, { scheduler });
      expect(calls).toEqual([]);
      expectObservable(wait).toBe('(a|)', { a: ACTIVE });
      expectObservable(wait, '3s ^').toBe('3s (a|)', { a: ACTIVE });
      flush();
      expect(calls).toEqual([0, 3_000]);
    });
  });
});

describe('waitFor: options', () => {
  const send: Send<Input, Output> = () => of(ACTIVE);
  const spec = botocore([activeIsSuccess]);

  function optionError(options: Parameters<typeof waitFor>[3]): SpecError {
    try {
      waitFor(spec, send, input, options);
    } catch (error) {
      expect(error).toBeInstanceOf(SpecError);
      return error as SpecError;
    }
    throw new Error(`expected ${JSON.stringify(options)} to be refused`);
  }

  test.each([
    [{ delay: -1 }, 'options.delay'],
    [{ delay: Number.NaN }, 'options.delay'],
    [{ maxDelay: -5 }, 'options.maxDelay'],
    [{ maxWaitTime: -1 }, 'options.maxWaitTime'],
    [{ maxWaitTime: Number.POSITIVE_INFINITY }, 'options.maxWaitTime'],
    [{ maxAttempts: 0 }, 'options.maxAttempts'],
    [{ maxAttempts: 2.5 }, 'options.maxAttempts'],
    [{ backoff: 'linear' as never }, 'options.backoff'],
    [{ backoff: 'exponential' as const, delay: 0 }, 'options.delay'],
    [{ backoff: 'exponential' as const, delay: 10, maxDelay: 5 }, 'options.maxDelay'],
  ])('%j is refused with a SpecError naming %s', (options, field) => {
    expect(optionError(options).field).toBe(field);
  });

  test('a custom backoff gets the attempt number and its seconds are used', () => {
    virtual((scheduler, { flush }) => {
      const seen: number[] = [];
      const { send: scriptedSend, calls } = scripted(scheduler, ok(CREATING), ok(CREATING), ok(CREATING), ok(ACTIVE));
      const backoff = (attempt: number) => (seen.push(attempt), attempt * 1.5);
      const { log } = record(
        scheduler,
        waitFor(botocore([activeIsSuccess, creatingIsRetry], 5, 10), scriptedSend, input, { scheduler, backoff }),
      );
      flush();
      expect(seen).toEqual([1, 2, 3]);
      expect(calls).toEqual([0, 1_500, 4_500, 9_000]);
      expect(log.completedAt).toBe(9_000);
    });
  });

  test.each([Number.NaN, -1, Number.POSITIVE_INFINITY])(
    'a custom backoff returning %p errors the Observable with a SpecError',
    (bad) => {
      virtual((scheduler, { flush }) => {
        const { send: scriptedSend, calls } = scripted(scheduler, ok(CREATING, 1_000));
        const { log } = record(
          scheduler,
          waitFor(botocore([activeIsSuccess, creatingIsRetry]), scriptedSend, input, { scheduler, backoff: () => bad }),
        );
        runFar(scheduler, flush);
        expect(calls).toEqual([0]);
        expect(log.errorAt).toBe(1_000);
        expect(log.error).toBeInstanceOf(SpecError);
        expect((log.error as SpecError).field).toBe('options.backoff');
      });
    },
  );

  test('a custom backoff that throws errors the Observable with its error', () => {
    virtual((scheduler, { expectObservable }) => {
      const oops = new Error('oops');
      const { send: scriptedSend } = scripted(scheduler, ok(CREATING));
      const backoff = () => {
        throw oops;
      };
      expectObservable(waitFor(botocore([activeIsSuccess, creatingIsRetry]), scriptedSend, input, { scheduler, backoff })).toBe(
        '#',
        undefined,
        oops,
      );
    });
  });

  test("`delay` overrides the spec's delay", () => {
    virtual((scheduler, { flush }) => {
      const { send: scriptedSend, calls } = scripted(scheduler, ok(CREATING), ok(CREATING), ok(ACTIVE));
      record(scheduler, waitFor(botocore([activeIsSuccess, creatingIsRetry], 20), scriptedSend, input, { scheduler, delay: 2 }));
      flush();
      expect(calls).toEqual([0, 2_000, 4_000]);
    });
  });

  test('an invalid spec is refused when waitFor is called', () => {
    expect(() => waitFor({ delay: 5, maxAttempts: 3, acceptors: [] }, send, input)).toThrow(SpecError);
  });
});

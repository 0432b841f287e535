import { Observable, type Subscription } from 'rxjs';
import { NO_RESPONSE } from '../../transport/PendingRequest';
import { failureReason, type CompiledAcceptor } from '../../specs/compileAcceptor';
import type { CompiledWaiter } from '../../specs/compileWaiter';
import type { WaiterResponse } from '../../specs/WaiterResponse';
import { errorCodeOf } from '../../specs/WaiterResponse';
import { Requests } from '../../transport/Requests';
import { whenAborted } from '../../transport/RequestSignal';
import type { Send } from '../../transport/Send';
import { WaiterError } from '../../errors/WaiterError';
import { scheduleAfter } from '../scheduleAfter';
import type { WaitPlan } from './waitPlan';
import type { WaiterAttempt } from './waitForAttempts';

/**
 * The polling engine: one request at a time, the next one `delay` (or the
 * backoff's) seconds after each answer, until an acceptor says success or
 * failure, an error no acceptor expected comes, or the attempts or the
 * deadline run out (a WaiterError). A request still in flight at the deadline
 * is aborted, but for the final attempt sent at the deadline, which is given
 * `delay` seconds to answer. Unsubscribing, or the plan's `abortSignal`,
 * aborts the request in flight and clears every timer.
 *
 * Emits every attempt ({@link waitForAttempts}), or with `everyAttempt` false
 * only the response of the successful one ({@link waitFor}), without building
 * the others.
 * @example
 * ```ts
 * const waiter = compileWaiter(spec);
 * waitSteps(waiter, send, input, waitPlan(waiter, options), false).subscribe((response) => console.log(response));
 * ```
 * @internal
 */
export function waitSteps<I, O>(
  waiter: CompiledWaiter<I, O>,
  send: Send<I, O>,
  input: I,
  plan: WaitPlan,
  everyAttempt: true,
): Observable<WaiterAttempt<I, O>>;
export function waitSteps<I, O>(
  waiter: CompiledWaiter<I, O>,
  send: Send<I, O>,
  input: I,
  plan: WaitPlan,
  everyAttempt: false,
): Observable<O>;
export function waitSteps<I, O>(
  waiter: CompiledWaiter<I, O>,
  send: Send<I, O>,
  input: I,
  plan: WaitPlan,
  everyAttempt: boolean,
): Observable<WaiterAttempt<I, O> | O> {
  const { scheduler, abortSignal } = plan;
  return new Observable<WaiterAttempt<I, O> | O>((subscriber) => {
    // The governor's pacing and the progress hook, when given: they see every poll.
    const run = plan.instrumentation?.start(send, (error) => subscriber.error(error));
    // Answered by the handlers below, which run only once the wait is set up: the first poll goes out last.
    const requests: Requests<I, O> = new Requests(run?.send ?? send, {
      value: (output) => answer({ ok: true, input, output }),
      error: (error) => answer({ ok: false, input, error }),
      empty: () => answer({ ok: false, input, error: new Error(NO_RESPONSE) }),
    });
    let deadline: Subscription | undefined;
    let nextPoll: Subscription | undefined;
    let grace: Subscription | undefined;
    // Added first, so that an unsubscription from inside send (before this function returns) cancels too.
    subscriber.add(() => {
      deadline?.unsubscribe();
      nextPoll?.unsubscribe();
      grace?.unsubscribe();
      requests.cancel();
    });
    if (abortSignal) {
      subscriber.add(
        whenAborted(abortSignal, (reason) => {
          requests.cancel(reason);
          subscriber.error(reason);
        }),
      );
      if (subscriber.closed) return; // aborted already: nothing is sent
    }

    const start = plan.now();
    const clock = plan.start(start);
    let attempt = 0;
    let lastMatched: CompiledAcceptor | undefined;
    let lastResponse: unknown;
    // Whether the attempt in flight is the one sent at the deadline, which is given a grace period to answer.
    let finalInFlight = false;

    const timeout = (limit: string) => {
      const previously = lastMatched ? `. Previously accepted state: ${lastMatched.explanation}` : '';
      subscriber.error(new WaiterError('timeout', limit + previously, { attempts: attempt, lastResponse }));
    };

    const judge = (response: WaiterResponse<I, O>) => {
      const now = plan.now();
      let acceptor: CompiledAcceptor | undefined;
      for (const candidate of waiter.acceptors) {
        if (candidate.matches(response)) {
          acceptor = lastMatched = candidate;
          break;
        }
      }
      const elapsed = clock.elapsed(now);
      lastResponse = response.ok ? response.output : response.error;
      if (acceptor?.state === 'success') {
        // A waiter may succeed on an error (TableNotExists): then that error is the final response.
        subscriber.next(everyAttempt ? attemptOf(attempt, 'success', response, elapsed, acceptor) : (lastResponse as O));
        subscriber.complete();
        return;
      }
      if (acceptor?.state === 'failure') {
        if (everyAttempt) subscriber.next(attemptOf(attempt, 'failure', response, elapsed, acceptor));
        subscriber.error(new WaiterError('failure', failureReason(acceptor, response), { attempts: attempt, lastResponse }));
        return;
      }
      if (!acceptor && !response.ok) {
        if (everyAttempt) subscriber.next(attemptOf(attempt, 'error', response, elapsed, acceptor));
        subscriber.error(
          new WaiterError('error', errorReason(response.error), { attempts: attempt, lastResponse, cause: response.error }),
        );
        return;
      }
      const next = clock.next(attempt, now);
      if ('delay' in next) {
        run?.wait(next.delay);
        if (subscriber.closed) return; // a progress hook that threw
      }
      if (everyAttempt) {
        subscriber.next(attemptOf(attempt, 'retry', response, elapsed, acceptor, 'delay' in next ? next.delay : undefined));
        if (subscriber.closed) return;
      }
      if ('timeout' in next) timeout(next.timeout);
      else nextPoll = scheduleAfter(scheduler, () => poll(next.final), next.delayMs);
    };

    const answer = (response: WaiterResponse<I, O>) => {
      grace?.unsubscribe();
      try {
        judge(response);
      } catch (error) {
        // A hostile response or error (a throwing getter, a revoked Proxy), a throwing backoff or scheduler
        // ends the wait, not the process.
        subscriber.error(error);
      }
    };

    const cutOff = () => {
      requests.cancel();
      timeout(clock.outOfTime);
    };

    const poll = (final: boolean) => {
      attempt++;
      finalInFlight = final;
      if (final) grace = scheduleAfter(scheduler, cutOff, clock.graceMs);
      requests.send(input);
    };

    // A final attempt due at the deadline still goes out and gets its grace period; one older is cut off here.
    if (clock.deadline !== Infinity) {
      deadline = scheduleAfter(scheduler, () => requests.inFlight && !finalInFlight && cutOff(), clock.deadline - start);
    }
    if (clock.firstDelayMs > 0) nextPoll = scheduleAfter(scheduler, () => poll(clock.firstIsFinal), clock.firstDelayMs);
    else poll(clock.firstIsFinal);
  });
}

/** An attempt, its optional members present only when they have a value. */
function attemptOf<I, O>(
  attempt: number,
  state: WaiterAttempt['state'],
  response: WaiterResponse<I, O>,
  elapsed: number,
  acceptor: CompiledAcceptor | undefined,
  nextDelay?: number,
): WaiterAttempt<I, O> {
  const result: { -readonly [K in keyof WaiterAttempt<I, O>]: WaiterAttempt<I, O>[K] } = { attempt, state, response, elapsed };
  if (acceptor) result.acceptor = acceptor;
  if (nextDelay !== undefined) result.nextDelay = nextDelay;
  return result;
}

/** botocore's wording for an error no acceptor expected. */
function errorReason(error: unknown): string {
  let message: unknown;
  try {
    message = (error as { message?: unknown } | null)?.message;
  } catch {
    // An error whose message cannot be read (a throwing getter, a revoked Proxy) still gets its reason.
  }
  return `An error occurred (${errorCodeOf(error) ?? 'Unknown'}): ${typeof message === 'string' ? message : 'Unknown'}`;
}

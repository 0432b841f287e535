import { asyncScheduler, Observable, type Subscription } from 'rxjs';
import type { CompiledAcceptor } from '../../specs/compileAcceptor';
import { compileWaiter, type CompiledWaiter } from '../../specs/compileWaiter';
import { type BoundWaiter } from '../../specs/bound';
import { resolveSend, type SdkClient } from '../../transport/Send';
import type { SmithyWaiterSpec, WaiterSpec } from '../../specs/types';
import type { WaiterResponse } from '../../specs/WaiterResponse';
import { firstResponse } from '../../transport/firstResponse';
import { LazySendContext } from '../../transport/LazySendContext';
import { waitPlan } from './waitPlan';
import type { Send } from '../../transport/Send';
import type { WaitForOptions } from './WaitForOptions';
import { WaiterError } from '../../errors/WaiterError';
import { errorCodeOf } from '../../specs/WaiterResponse';

/**
 * One poll of a waiter, for progress displays and logs.
 * @example
 * ```ts
 * const line = ({ attempt, state, elapsed, nextDelay }: WaiterAttempt) =>
 *   `#${attempt} ${state} at ${elapsed}s${nextDelay === undefined ? '' : `, next in ${nextDelay}s`}`;
 * ```
 */
export interface WaiterAttempt<I = unknown, O = unknown> {
  /** 1 for the first call. */
  readonly attempt: number;
  /** Where the waiter stands: `retry` also when no acceptor matched; `error` for an error no acceptor matched. */
  readonly state: 'success' | 'failure' | 'retry' | 'error';
  /** The acceptor that matched, if one did. */
  readonly acceptor?: CompiledAcceptor;
  readonly response: WaiterResponse<I, O>;
  /** Seconds from subscription to this response. */
  readonly elapsed: number;
  /** Seconds until the next attempt, when there is one. */
  readonly nextDelay?: number;
}

/**
 * Polls like {@link waitFor}, emitting every attempt: completes after the
 * successful one, errors with a {@link WaiterError} after the last one otherwise.
 *
 * @example
 * ```ts
 * waitForAttempts(tableExists, send, { TableName: 'music' }).subscribe(({ attempt, state, elapsed }) =>
 *   console.log(`#${attempt} ${state} after ${elapsed}s`),
 * );
 * ```
 */
export function waitForAttempts<I, O>(
  spec: WaiterSpec | SmithyWaiterSpec | CompiledWaiter<I, O>,
  send: Send<I, O>,
  input: I,
  options?: WaitForOptions,
): Observable<WaiterAttempt<I, O>>;
export function waitForAttempts<I, O, C>(
  spec: BoundWaiter<I, O, C>,
  client: SdkClient & NoInfer<C>,
  input: NoInfer<I>,
  options?: WaitForOptions,
): Observable<WaiterAttempt<I, O>>;
export function waitForAttempts<I, O>(
  spec: WaiterSpec | SmithyWaiterSpec | CompiledWaiter<I, O> | BoundWaiter<I, O>,
  sendOrClient: Send<I, O> | SdkClient,
  input: I,
  options: WaitForOptions = {},
): Observable<WaiterAttempt<I, O>> {
  const waiter = compileWaiter<I, O>(spec);
  const send = resolveSend<I, O>(spec, sendOrClient);
  const plan = waitPlan(waiter, options);
  const scheduler = options.scheduler ?? asyncScheduler;
  return new Observable<WaiterAttempt<I, O>>((subscriber) => {
    const start = scheduler.now();
    const deadline = plan.maxWaitTime === undefined ? Infinity : start + plan.maxWaitTime * 1000;
    let attempt = 0;
    let lastMatched: CompiledAcceptor | undefined;
    let lastResponse: unknown;
    let inFlight: { context: LazySendContext; final: boolean; stop: () => void } | undefined;
    let timer: Subscription | undefined;

    const timeout = (cause: 'attempts' | 'time') => {
      const limit = cause === 'attempts' ? 'Max attempts exceeded' : `Max wait time of ${plan.maxWaitTime}s exceeded`;
      const previously = lastMatched ? `. Previously accepted state: ${lastMatched.explanation}` : '';
      subscriber.error(new WaiterError('timeout', limit + previously, { attempts: attempt, lastResponse }));
    };

    const abortInFlight = () => {
      if (!inFlight) return;
      const { context, stop } = inFlight;
      inFlight = undefined;
      stop();
      context.abort();
    };

    const judge = (response: WaiterResponse<I, O>) => {
      const now = scheduler.now();
      let acceptor: CompiledAcceptor | undefined;
      try {
        acceptor = waiter.acceptors.find((a) => a.matches(response));
      } catch (error) {
        subscriber.error(error);
        return;
      }
      if (acceptor) lastMatched = acceptor;
      const elapsed = (now - start) / 1000;
      const base = { attempt, response, elapsed, ...(acceptor && { acceptor }) };
      lastResponse = response.ok ? response.output : response.error;
      if (acceptor?.state === 'success' || acceptor?.state === 'failure') {
        subscriber.next({ ...base, state: acceptor.state });
        if (acceptor.state === 'success') subscriber.complete();
        else
          subscriber.error(
            new WaiterError('failure', `Waiter encountered a terminal failure state: ${acceptor.explanation}`, {
              attempts: attempt,
              lastResponse,
            }),
          );
        return;
      }
      if (!acceptor && !response.ok) {
        subscriber.next({ ...base, state: 'error' });
        subscriber.error(
          new WaiterError('error', errorReason(response.error), { attempts: attempt, lastResponse, cause: response.error }),
        );
        return;
      }
      let delay: number | undefined;
      try {
        delay =
          attempt >= (plan.maxAttempts ?? Infinity) || now >= deadline
            ? undefined
            : plan.delayAfter(attempt, (deadline - now) / 1000);
      } catch (error) {
        subscriber.error(error);
        return;
      }
      subscriber.next({ ...base, state: 'retry', ...(delay !== undefined && { nextDelay: delay }) });
      if (subscriber.closed) return;
      if (delay === undefined) timeout(attempt >= (plan.maxAttempts ?? Infinity) ? 'attempts' : 'time');
      // Decided here, not from the clock at send time: rounding must not make the last attempt land a hair early.
      else {
        const final = delay >= (deadline - now) / 1000;
        timer = scheduler.schedule(() => poll(final), delay * 1000);
      }
    };

    const poll = (final: boolean) => {
      attempt++;
      const request: NonNullable<typeof inFlight> = { context: new LazySendContext(), final, stop: () => {} };
      inFlight = request;
      if (final) timer = scheduler.schedule(() => (abortInFlight(), timeout('time')), plan.minDelay * 1000);
      const answer = (response: WaiterResponse<I, O>) => {
        inFlight = undefined;
        timer?.unsubscribe();
        judge(response);
      };
      try {
        request.stop = firstResponse(send(input, request.context), {
          value: (output) => answer({ ok: true, input, output }),
          error: (error) => answer({ ok: false, input, error }),
          empty: () => answer({ ok: false, input, error: new Error('send completed without producing a response') }),
        });
      } catch (error) {
        answer({ ok: false, input, error });
      }
    };

    const deadlineTimer =
      deadline === Infinity
        ? undefined
        : scheduler.schedule(() => {
            // A final attempt due at the deadline still goes out; anything older is cut off here.
            if (inFlight && !inFlight.final) {
              abortInFlight();
              timeout('time');
            }
          }, deadline - start);
    poll(false);

    return () => {
      deadlineTimer?.unsubscribe();
      timer?.unsubscribe();
      abortInFlight();
    };
  });
}

/** botocore's wording for an error no acceptor expected. */
function errorReason(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return `An error occurred (${errorCodeOf(error) ?? 'Unknown'}): ${typeof message === 'string' ? message : 'Unknown'}`;
}

import { Observable, type Subscription } from 'rxjs';
import { failureReason, type CompiledAcceptor } from '../../specs/compileAcceptor';
import { compileWaiter, type CompiledWaiter } from '../../specs/compileWaiter';
import { type BoundWaiter, type ClientFor } from '../../specs/bound';
import { resolveSend, type SdkClient } from '../../transport/Send';
import type { SmithyWaiterSpec, WaiterSpec } from '../../specs/types';
import type { WaiterResponse } from '../../specs/WaiterResponse';
import { sendOnce } from '../../transport/sendOnce';
import { scheduleAfter } from '../../transport/scheduleAfter';
import { RequestSignals } from '../../transport/RequestSignals';
import { waitPlan, type NextAttempt } from './waitPlan';
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
export function waitForAttempts<I, O, C, G extends SdkClient = SdkClient>(
  spec: BoundWaiter<I, O, C>,
  client: ClientFor<C, G>,
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
  const plan = waitPlan(waiter, options, spec);
  const { scheduler } = plan;
  return new Observable<WaiterAttempt<I, O>>((subscriber) => {
    const start = plan.now();
    const clock = plan.start(start);
    let attempt = 0;
    let lastMatched: CompiledAcceptor | undefined;
    let lastResponse: unknown;
    // The attempt awaiting its answer: whether it is the one at the deadline, and how to abort it.
    let inFlight: { final: boolean; cancel: () => void } | undefined;
    let timer: Subscription | undefined;
    // Polls go out one at a time: they share an abort signal while nothing listens on it.
    const signals = new RequestSignals();
    const run = plan.instrumentation?.start(send, (error) => subscriber.error(error));
    const sending = run?.send ?? send;

    const timeout = (limit: string) => {
      const previously = lastMatched ? `. Previously accepted state: ${lastMatched.explanation}` : '';
      subscriber.error(new WaiterError('timeout', limit + previously, { attempts: attempt, lastResponse }));
    };

    const abortInFlight = () => {
      if (!inFlight) return;
      const { cancel } = inFlight;
      inFlight = undefined;
      cancel();
    };

    const judge = (response: WaiterResponse<I, O>) => {
      const now = plan.now();
      let acceptor: CompiledAcceptor | undefined;
      try {
        acceptor = waiter.acceptors.find((a) => a.matches(response));
      } catch (error) {
        subscriber.error(error);
        return;
      }
      if (acceptor) lastMatched = acceptor;
      const elapsed = clock.elapsed(now);
      lastResponse = response.ok ? response.output : response.error;
      if (acceptor?.state === 'success' || acceptor?.state === 'failure') {
        subscriber.next(attemptOf(attempt, acceptor.state, response, elapsed, acceptor));
        if (acceptor.state === 'success') subscriber.complete();
        else
          subscriber.error(
            new WaiterError('failure', failureReason(acceptor, response), {
              attempts: attempt,
              lastResponse,
            }),
          );
        return;
      }
      if (!acceptor && !response.ok) {
        subscriber.next(attemptOf(attempt, 'error', response, elapsed, acceptor));
        subscriber.error(
          new WaiterError('error', errorReason(response.error), { attempts: attempt, lastResponse, cause: response.error }),
        );
        return;
      }
      let next: NextAttempt;
      try {
        next = clock.next(attempt, now);
      } catch (error) {
        subscriber.error(error);
        return;
      }
      if ('delay' in next) run?.wait(next.delay);
      subscriber.next(attemptOf(attempt, 'retry', response, elapsed, acceptor, 'delay' in next ? next.delay : undefined));
      if (subscriber.closed) return;
      if ('timeout' in next) timeout(next.timeout);
      else timer = scheduleAfter(scheduler, () => poll(next.final), next.delayMs);
    };

    const poll = (final: boolean) => {
      attempt++;
      const request: NonNullable<typeof inFlight> = { final, cancel: () => {} };
      inFlight = request;
      if (final) timer = scheduleAfter(scheduler, () => (abortInFlight(), timeout(clock.outOfTime)), clock.graceMs);
      const answer = (response: WaiterResponse<I, O>) => {
        inFlight = undefined;
        timer?.unsubscribe();
        try {
          judge(response);
        } catch (error) {
          // A hostile response or error (a throwing getter, a revoked Proxy) or a throwing scheduler ends the wait, not the process.
          subscriber.error(error);
        }
      };
      const cancel = sendOnce(
        sending,
        input,
        {
          value: (output) => answer({ ok: true, input, output }),
          error: (error) => answer({ ok: false, input, error }),
          empty: () => answer({ ok: false, input, error: new Error('send completed without producing a response') }),
          stopped: () => inFlight !== request,
        },
        signals,
      );
      if (inFlight === request) request.cancel = cancel;
      // Aborted while send() ran (an unsubscription): abort the request (a no-op if its answer is already in).
      else cancel();
    };

    const deadlineTimer =
      clock.deadline === Infinity
        ? undefined
        : scheduleAfter(
            scheduler,
            () => {
              // A final attempt due at the deadline still goes out; anything older is cut off here.
              if (inFlight && !inFlight.final) {
                abortInFlight();
                timeout(clock.outOfTime);
              }
            },
            clock.deadline - start,
          );
    poll(clock.firstIsFinal);

    return () => {
      deadlineTimer?.unsubscribe();
      timer?.unsubscribe();
      abortInFlight();
    };
  });
}

/** An attempt, its optional members present only when they have a value; built member by member, not spread (V8's slow path). */
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

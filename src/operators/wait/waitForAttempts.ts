import type { Observable } from 'rxjs';
import type { CompiledAcceptor } from '../../specs/compileAcceptor';
import { compileWaiter, type CompiledWaiter } from '../../specs/compileWaiter';
import type { BoundWaiter, InputFor, OutputFor, SendOrClient, Uninferred } from '../../specs/bound';
import { resolveSend, type SdkClient } from '../../transport/Send';
import type { SmithyWaiterSpec, WaiterSpec } from '../../specs/types';
import type { WaiterResponse } from '../../specs/WaiterResponse';
import { waitPlan } from './waitPlan';
import type { Send } from '../../transport/Send';
import type { WaitForOptions } from './WaitForOptions';
import { waitSteps } from './waitSteps';

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
export function waitForAttempts<I, O, BoundI = never, BoundO = never, C = unknown, G extends SdkClient = SdkClient>(
  spec: WaiterSpec | SmithyWaiterSpec | CompiledWaiter<I, O> | BoundWaiter<BoundI, BoundO, C>,
  sendOrClient: SendOrClient<I, O, BoundI, C, G>,
  input: InputFor<I, BoundI>,
  options?: WaitForOptions,
  // Where the attempts go does not tell the request type: a plain spec would look bound.
): Observable<OutputFor<WaiterAttempt<I, O>, BoundI, WaiterAttempt<Uninferred<BoundI>, BoundO>>>;
export function waitForAttempts<I, O>(
  spec: WaiterSpec | SmithyWaiterSpec | CompiledWaiter<I, O> | BoundWaiter<I, O>,
  sendOrClient: Send<I, O> | SdkClient,
  input: I,
  options: WaitForOptions = {},
): Observable<WaiterAttempt<I, O>> {
  const waiter = compileWaiter<I, O>(spec);
  return waitSteps(waiter, resolveSend<I, O>(spec, sendOrClient), input, waitPlan(waiter, options, spec), true);
}

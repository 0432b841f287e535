import type { Observable } from 'rxjs';
import { compileWaiter, type CompiledWaiter } from '../../specs/compileWaiter';
import type { BoundWaiter, InputFor, OutputFor, SendOrClient, WaiterResult } from '../../specs/bound';
import { resolveSend, type SdkClient } from '../../transport/Send';
import type { SmithyWaiterSpec, WaiterSpec } from '../../specs/types';
import type { Send } from '../../transport/Send';
import { waitPlan } from './waitPlan';
import { waitSteps } from './waitSteps';
import type { WaitForOptions } from './WaitForOptions';

/**
 * Polls an API until a waiter's acceptors say success, then emits that
 * response and completes; errors with a {@link WaiterError} on failure,
 * timeout, or an error no acceptor expected.
 *
 * A waiter may succeed on an error (`TableNotExists` on
 * `ResourceNotFoundException`): then that error is what it emits. A bound
 * spec says so in its type: `waitFor(TableNotExists, …)` is an
 * `Observable<DescribeTableCommandOutput | AcceptedError<'ResourceNotFoundException'>>`
 * (see {@link WaiterResult}), while waiters that succeed only on responses
 * emit the output type alone.
 *
 * The first call goes out at once (or after `initialDelay`), the next ones
 * `delay` seconds after each response (or per `backoff`). Unsubscribing, or
 * aborting the `abortSignal` option, aborts the request in flight and
 * clears every timer.
 *
 * The second argument sends one request (see {@link Send}); with a bound spec
 * from a service module (`dynamodb.TableExists`) it is an SDK v3 client instead.
 *
 * @param spec A `waiters-2.json` entry, a Smithy `@waitable` waiter, either compiled, or a bound spec.
 * @param input The request, the same on every attempt.
 *
 * @example
 * ```ts
 * waitFor(tableExistsSpec, (input, { abortSignal }) => client.send(new DescribeTableCommand(input), { abortSignal }),
 *   { TableName: 'music' }, { maxWaitTime: 300 })
 *   .subscribe((described) => console.log(described.Table?.TableStatus)); // ACTIVE
 * ```
 */
export function waitFor<
  I,
  O,
  BoundI = never,
  BoundO = never,
  C = unknown,
  E extends string = never,
  G extends SdkClient = SdkClient,
>(
  spec: WaiterSpec | SmithyWaiterSpec | CompiledWaiter<I, O> | BoundWaiter<BoundI, BoundO, C, E>,
  sendOrClient: SendOrClient<I, O, BoundI, C, G>,
  input: InputFor<I, BoundI>,
  options?: WaitForOptions,
): Observable<OutputFor<O, BoundI, WaiterResult<BoundO, E>>>;
export function waitFor<I, O>(
  spec: WaiterSpec | SmithyWaiterSpec | CompiledWaiter<I, O> | BoundWaiter<I, O>,
  sendOrClient: Send<I, O> | SdkClient,
  input: I,
  options: WaitForOptions = {},
): Observable<O> {
  const waiter = compileWaiter<I, O>(spec);
  return waitSteps(waiter, resolveSend<I, O>(spec, sendOrClient), input, waitPlan(waiter, options, spec), false);
}

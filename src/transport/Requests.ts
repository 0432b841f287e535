import { PendingRequest, type ResponseHandlers } from './PendingRequest';
import { RequestSignal } from './RequestSignal';
import type { Send } from './Send';

/**
 * The requests of one pagination or one wait: sent one at a time, each with
 * the abort signal they share (see {@link RequestSignal}), each answer
 * reported to the same handlers. Cancelling stops listening to the request
 * in flight and aborts it; it does nothing when none is in flight, so the
 * signal of requests already answered is never aborted by a normal end.
 * @example
 * ```ts
 * const requests = new Requests(send, { value: deliver, error: fail, empty: () => fail(new Error('no response')) });
 * requests.send(input);
 * subscriber.add(() => requests.cancel()); // unsubscribing aborts the request in flight
 * ```
 * @internal
 */
export class Requests<I, O> {
  private readonly signal = new RequestSignal();
  private current: PendingRequest<O> | undefined;

  constructor(
    private readonly sendOne: Send<I, O>,
    private readonly handlers: ResponseHandlers<O>,
  ) {}

  /** Whether a request awaits its answer (false inside the handlers: the answer is in). */
  get inFlight(): boolean {
    return this.current?.pending === true;
  }

  send(input: I): void {
    this.signal.nextRequest();
    const request = (this.current = new PendingRequest(this.handlers));
    request.send(this.sendOne, input, this.signal);
  }

  /** Aborts the request in flight, if any, with `reason` (an `AbortError` by default). */
  cancel(reason?: unknown): void {
    if (!this.current?.pending) return;
    this.current.cancel();
    this.signal.abort(reason);
  }
}

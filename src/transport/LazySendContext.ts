import type { SendContext } from './Send';
import type { RequestSignals } from './RequestSignals';

/**
 * A SendContext whose signal is found only if `send` reads it: building an
 * AbortController costs more than a whole in-process page, and sends that
 * cannot be aborted (`of(page)`) never look at it. The signal is the one the
 * requests of a pagination share (see {@link RequestSignals}) when it is free,
 * else one of this request's own.
 * @example
 * ```ts
 * const context = new LazySendContext(signals);
 * send(input, context);
 * context.abort(); // on unsubscribe
 * ```
 * @internal
 */
export class LazySendContext implements SendContext {
  private signal: AbortSignal | undefined;
  private controller: AbortController | undefined;
  private shared = false;
  private aborted = false;
  private answered = false;

  constructor(private readonly signals?: RequestSignals) {}

  get abortSignal(): AbortSignal {
    if (this.signal === undefined) {
      // A send that reads the signal late (after an await) must still see an abort that came first, and one
      // whose request was answered must not take the shared signal from the request now in flight.
      const lent = this.aborted || this.answered ? undefined : this.signals?.lend();
      if (lent === undefined) {
        this.controller = new AbortController();
        if (this.aborted) this.controller.abort();
        this.signal = this.controller.signal;
      } else {
        this.shared = true;
        this.signal = lent;
      }
    }
    return this.signal;
  }

  /** The request's answer is in: the signal is no longer this request's to abort. */
  settle(): void {
    this.answered = true;
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    // Once answered, the shared signal may be lent to the next request already.
    if (this.shared) {
      if (!this.answered) this.signals!.abort();
    } else this.controller?.abort();
  }
}

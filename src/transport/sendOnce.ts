import { from, Subscriber, type ObservableInput } from 'rxjs';
import { LazySendContext } from './LazySendContext';
import type { RequestSignals } from './RequestSignals';
import type { Send } from './Send';
import { describeValue } from '../util/describeValue';

/** Whether RxJS's `from` could take it: an object or function (Promise, Observable, iterable…), or a string. */
function isSubscribable(value: unknown): boolean {
  return (typeof value === 'object' && value !== null) || typeof value === 'function' || typeof value === 'string';
}

/** Where the first response of a `send` goes. @internal */
export interface ResponseHandlers<O> {
  value(output: O): void;
  /** The service's error, or what `send` itself threw. */
  error(error: unknown): void;
  /** The source completed without a value. */
  empty(): void;
  /** Whether the answer is no longer wanted, asked when `send` returns (it may have unsubscribed the caller). */
  stopped(): boolean;
}

/**
 * Sends one request with an abort signal that aborts it alone (`signals`
 * lends the one its requests share, when free) and reports its first value,
 * or its error, exactly once (a `send` that throws is an error too). Returns
 * the cancel function: it stops listening and aborts the request, and does
 * nothing once the answer is in, so it is safe to call late.
 *
 * A Promise (what SDK clients return) is taken with `then`, without wrapping
 * it in an Observable first: that wrapping was a fair share of the cost of a page.
 *
 * @example
 * ```ts
 * const cancel = sendOnce(send, input, { value: deliver, error: fail, empty: () => fail(new Error('no response')) });
 * // on unsubscribe:
 * cancel();
 * ```
 * @internal
 */
export function sendOnce<I, O>(send: Send<I, O>, input: I, handlers: ResponseHandlers<O>, signals?: RequestSignals): () => void {
  const context = new LazySendContext(signals);
  let done = false;
  let listener: Subscriber<O> | undefined;
  const cancel = () => {
    if (done) return;
    done = true;
    listener?.unsubscribe();
    context.abort();
  };
  let source: ObservableInput<O>;
  try {
    source = send(input, context);
    // Unsubscribed while send() ran: what it returned is never listened to, and the request is aborted.
    if (handlers.stopped()) {
      cancel();
      return cancel;
    }
    if (!isSubscribable(source)) {
      throw new TypeError(
        `send returned ${describeValue(source)}: it must return the response as a Promise (what client.send returns), ` +
          'an Observable, or anything else RxJS can subscribe to',
      );
    }
    const then = (source as PromiseLike<O>).then;
    if (typeof then === 'function') {
      then.call(
        source,
        (output: O) => {
          if (!done) {
            done = true;
            context.settle();
            handlers.value(output);
          }
        },
        (error: unknown) => {
          if (!done) {
            done = true;
            context.settle();
            handlers.error(error);
          }
        },
      );
      return cancel;
    }
    // A Subscriber, not a plain observer: it can be closed inside next, so a synchronous source that
    // would go on emitting (or never end) stops at its first value.
    const settle = () => {
      if (done) return false;
      done = true;
      context.settle();
      listener!.unsubscribe();
      return true;
    };
    listener = new Subscriber<O>({
      next: (output) => settle() && handlers.value(output),
      error: (error: unknown) => settle() && handlers.error(error),
      complete: () => settle() && handlers.empty(),
    });
    from(source).subscribe(listener);
  } catch (error) {
    // Once the answer is in, the throw is the handlers' own: not this request's failure.
    if (done) throw error;
    // send threw, returned nothing RxJS can subscribe to, or a thenable whose then threw: a failed request.
    done = true;
    context.settle();
    listener?.unsubscribe();
    handlers.error(error);
  }
  return cancel;
}

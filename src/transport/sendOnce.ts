import { from, type Observable, type Subscription } from 'rxjs';
import { LazySendContext } from './LazySendContext';
import type { Send } from './Send';

/** Where the first response of a `send` goes. @internal */
export interface ResponseHandlers<O> {
  value(output: O): void;
  /** The service's error, or what `send` itself threw. */
  error(error: unknown): void;
  /** The source completed without a value. */
  empty(): void;
}

/**
 * Sends one request with its own abort signal and reports its first value,
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
export function sendOnce<I, O>(send: Send<I, O>, input: I, handlers: ResponseHandlers<O>): () => void {
  const context = new LazySendContext();
  let done = false;
  // Not const: settle() and cancel() may run inside subscribe(), before the assignment below.
  // eslint-disable-next-line prefer-const
  let subscription: Subscription | undefined;
  const cancel = () => {
    if (done) return;
    done = true;
    subscription?.unsubscribe();
    context.abort();
  };
  let promise: PromiseLike<O> | undefined;
  let observable: Observable<O> | undefined;
  try {
    const source = send(input, context);
    if (typeof (source as PromiseLike<O>).then === 'function') promise = source as PromiseLike<O>;
    else observable = from(source);
  } catch (error) {
    // send threw, or returned nothing RxJS can subscribe to: the same as a failed request.
    done = true;
    handlers.error(error);
    return cancel;
  }
  if (promise) {
    promise.then(
      (output) => {
        if (!done) {
          done = true;
          handlers.value(output);
        }
      },
      (error: unknown) => {
        if (!done) {
          done = true;
          handlers.error(error);
        }
      },
    );
    return cancel;
  }
  const settle = () => {
    if (done) return false;
    done = true;
    subscription?.unsubscribe();
    return true;
  };
  subscription = observable!.subscribe({
    next: (output) => settle() && handlers.value(output),
    error: (error: unknown) => settle() && handlers.error(error),
    complete: () => settle() && handlers.empty(),
  });
  if (done) subscription.unsubscribe();
  return cancel;
}

import { from, type ObservableInput, type Subscription } from 'rxjs';

/** Where the first response of a `send` goes. @internal */
export interface ResponseHandlers<O> {
  value(output: O): void;
  error(error: unknown): void;
  /** The source completed without a value. */
  empty(): void;
}

/**
 * Subscribes to what `send` returned and reports its first value, or its
 * error, exactly once; returns the function that stops listening. A Promise
 * (what SDK clients return) is taken with `then`, without wrapping it in an
 * Observable first: that wrapping was a fair share of the cost of a page.
 * @internal
 */
export function firstResponse<O>(source: ObservableInput<O>, handlers: ResponseHandlers<O>): () => void {
  let done = false;
  if (typeof (source as PromiseLike<O>).then === 'function') {
    (source as PromiseLike<O>).then(
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
    return () => {
      done = true;
    };
  }
  // Not const: settle() may run inside subscribe(), before the assignment below.
  // eslint-disable-next-line prefer-const
  let subscription: Subscription | undefined;
  const settle = () => {
    if (done) return false;
    done = true;
    subscription?.unsubscribe();
    return true;
  };
  subscription = from(source).subscribe({
    next: (output) => settle() && handlers.value(output),
    error: (error: unknown) => settle() && handlers.error(error),
    complete: () => settle() && handlers.empty(),
  });
  if (done) subscription.unsubscribe();
  return () => {
    done = true;
    subscription?.unsubscribe();
  };
}

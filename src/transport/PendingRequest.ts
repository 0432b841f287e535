import { from, Subscriber, type ObservableInput } from 'rxjs';
import type { Send, SendContext } from './Send';
import { describeValue } from '../util/describeValue';

/** Whether RxJS's `from` could take it: an object or function (Promise, Observable, iterable…), or a string. */
function isSubscribable(value: unknown): boolean {
  return (typeof value === 'object' && value !== null) || typeof value === 'function' || typeof value === 'string';
}

const ignore = (): void => {};

/** The message of the error every engine reports for a send that completed without a value. @internal */
export const NO_RESPONSE = 'send completed without producing a response';

/** Where the first response of a `send` goes. @internal */
export interface ResponseHandlers<O> {
  value(output: O): void;
  /** The service's error, or what `send` itself threw. */
  error(error: unknown): void;
  /** The source completed without a value. */
  empty(): void;
}

/**
 * One request: sends it and reports its first value, or its error, exactly
 * once (a `send` that throws is an error too), unless it is cancelled first.
 * The record exists before `send` runs, so the work that sent it can cancel
 * it from inside `send` (an unsubscription there), and an answer that comes
 * before `send` returns (`of(page)`) finds it already settled.
 *
 * A Promise (what SDK clients return) is taken with `then`, without wrapping
 * it in an Observable first: that wrapping was a fair share of the cost of a page.
 *
 * @example
 * ```ts
 * const request = new PendingRequest({ value: deliver, error: fail, empty: () => fail(new Error('no response')) });
 * request.send(send, input, signal);
 * // on unsubscribe:
 * request.cancel();
 * signal.abort();
 * ```
 * @internal
 */
export class PendingRequest<O> {
  private settled = false;
  /** The subscriber listening to an Observable response, to stop it. */
  private listener: Subscriber<O> | undefined;

  constructor(private readonly handlers: ResponseHandlers<O>) {}

  /** Whether the answer is still awaited. */
  get pending(): boolean {
    return !this.settled;
  }

  send<I>(send: Send<I, O>, input: I, context: SendContext): void {
    let source: ObservableInput<O>;
    try {
      source = send(input, context);
    } catch (error) {
      return this.fail(error);
    }
    if (this.settled) return ignoreAnswer(source); // cancelled while send ran
    if (!isSubscribable(source)) {
      return this.fail(
        new TypeError(
          `send returned ${describeValue(source)}: it must return the response as a Promise (what client.send returns), ` +
            'an Observable, or anything else RxJS can subscribe to',
        ),
      );
    }
    try {
      const then = (source as PromiseLike<O>).then;
      if (typeof then === 'function') {
        then.call(
          source,
          (output: O) => this.answer(output),
          (error: unknown) => this.fail(error),
        );
        return;
      }
      // A Subscriber, not a plain observer: it can be closed inside next, so a synchronous source that
      // would go on emitting (or never end) stops at its first value.
      this.listener = new Subscriber<O>({
        next: (output) => this.answer(output),
        error: (error: unknown) => this.fail(error),
        complete: () => this.settle() && this.handlers.empty(),
      });
      from(source).subscribe(this.listener);
    } catch (error) {
      // A thenable whose then threw, or what RxJS cannot subscribe to: a failed request, unless the answer
      // came first (a then that resolves, then throws), which stands.
      this.fail(error);
    }
  }

  /** Stops listening: the answer, if one comes, is not reported. A no-op once settled. */
  cancel(): void {
    this.settle();
  }

  private answer(output: O): void {
    if (this.settle()) this.handlers.value(output);
  }

  private fail(error: unknown): void {
    if (this.settle()) this.handlers.error(error);
  }

  private settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.listener?.unsubscribe();
    return true;
  }
}

/**
 * What a cancelled request's send returned: never listened to, but a Promise that rejects once its request is
 * aborted (as SDK v3's does) gets a handler, or its rejection would be unhandled and end the process.
 */
function ignoreAnswer(source: unknown): void {
  if (!isSubscribable(source)) return;
  try {
    const then = (source as PromiseLike<unknown>).then;
    if (typeof then === 'function') then.call(source, ignore, ignore);
  } catch {
    // A hostile thenable: nothing was wanted from it.
  }
}

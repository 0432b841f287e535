import { SpecError } from '../errors/SpecError';
import { withMethods } from '../util/callable';
import { describeValue } from '../util/describeValue';
import type { SendContext } from './Send';

/**
 * Requests that share one signal before it is renewed: a send that never
 * removes its abort listeners (or leaves them until a garbage collection, as
 * Node's `fetch` does) leaves at most this many on one signal. A renewal costs
 * one `AbortSignal`, several microseconds in Node 20.
 */
const REQUESTS_PER_SIGNAL = 1024;

/**
 * The abort signal of one pagination's (or one wait's) requests, which go
 * out one at a time, handed to `send` as its {@link SendContext}. As SDK v3's
 * paginators and waiters do with the one signal they are given, the requests
 * share it: it is aborted when the pagination or wait is cancelled, which
 * aborts the request in flight (the only one still listening, for a send that
 * removes its listener once answered, as SDK v3's HTTP handlers do).
 *
 * The signal is made when a send first reads it: an `AbortSignal` costs more
 * to make than an in-process page, and a send that cannot be aborted
 * (`of(page)`) never reads it. It is renewed every {@link REQUESTS_PER_SIGNAL}
 * requests, so listeners a send leaves behind cannot pile up without bound.
 * @example
 * ```ts
 * const signal = new RequestSignal();
 * signal.nextRequest();
 * send(input, signal); // reads signal.abortSignal if it can be aborted
 * signal.abort(); // on unsubscribe
 * ```
 * @internal
 */
export class RequestSignal implements SendContext {
  private controller: AbortController | undefined;
  private requests = 0;
  private aborted = false;
  private reason: unknown;

  get abortSignal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      // A send that reads the signal late (after an await) still sees an abort that came first.
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** A request is about to go out. */
  nextRequest(): void {
    if (++this.requests % REQUESTS_PER_SIGNAL === 0 && !this.aborted) this.controller = undefined;
  }

  /** Aborts the request in flight, with `reason` (an `AbortError` by default). */
  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
  }
}

/**
 * Calls `onAbort` with the reason once `signal` aborts, at once if it is
 * aborted already. Returns what stops listening: listeners on a long-lived
 * signal must not outlive the work they end.
 * @example
 * ```ts
 * const stop = whenAborted(options.abortSignal, (reason) => subscriber.error(reason));
 * return () => stop();
 * ```
 * @internal
 */
export function whenAborted(signal: AbortSignal, onAbort: (reason: unknown) => void): () => void {
  if (signal.aborted) {
    onAbort(signal.reason);
    return () => {};
  }
  const listener = () => onAbort(signal.reason);
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
}

/**
 * An `abortSignal` option, checked: an `AbortSignal`, or any object that
 * behaves as one (a polyfill's, another realm's): `aborted`, `reason` and
 * the listener methods.
 * @throws {SpecError} naming `field` for anything else.
 * @example
 * ```ts
 * const abortSignal = abortSignalOption(options.abortSignal, 'options.abortSignal');
 * ```
 * @internal
 */
export function abortSignalOption(value: unknown, field: string): AbortSignal {
  const signal: unknown = typeof value === 'object' && value !== null ? (value as { signal?: unknown }).signal : undefined;
  if (value instanceof AbortController || (typeof signal === 'object' && signal !== null && 'aborted' in signal)) {
    throw new SpecError(field, `expected an AbortSignal, got ${describeValue(value)}: pass its signal (controller.signal)`);
  }
  const given = withMethods(value as AbortSignal, field, 'an AbortSignal', ['addEventListener', 'removeEventListener']);
  if (typeof given.aborted !== 'boolean') {
    throw new SpecError(field, `expected an AbortSignal, got ${describeValue(value)} (its aborted is not a boolean)`);
  }
  return given;
}

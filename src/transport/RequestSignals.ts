type Listener = EventListenerOrEventListenerObject | null;
type ListenerOptions = boolean | AddEventListenerOptions | EventListenerOptions | undefined;

/**
 * The abort signals of one pagination's (or one wait's) requests, which go
 * out one at a time: they share one signal while nothing is left listening
 * on it, since an `AbortController` costs more to make than an in-process
 * page. Only the request in flight is ever aborted by it: the shared signal
 * is lent to a request only when no abort listener from an earlier one is
 * left on it (counted as `addEventListener`/`removeEventListener` are called
 * on it; none is set through `onabort`). SDK v3 removes its listeners when
 * its request ends, so with it every request shares the one signal; a send
 * that adds a listener and never removes it (or removes it late) gets a
 * signal of its own for the next requests instead, so listeners never pile
 * up, and an old request's listener never hears the abort of a newer one.
 *
 * One thing a shared signal cannot tell: a request that already answered but
 * still reads `signal.aborted` later sees the abort of the request after it.
 * @example
 * ```ts
 * const signals = new RequestSignals();
 * const signal = signals.lend() ?? new AbortController().signal;
 * ```
 * @internal
 */
export class RequestSignals {
  private controller: AbortController | undefined;
  /** Abort listeners on the shared signal now, by whether they capture (EventTarget keeps one per listener and capture). */
  private readonly bubbling = new Set<Listener>();
  private readonly capturing = new Set<Listener>();

  /** The shared signal, when no listener is left on it; undefined when the request needs a signal of its own. */
  lend(): AbortSignal | undefined {
    let controller = this.controller;
    if (controller === undefined || controller.signal.aborted) {
      this.bubbling.clear();
      this.capturing.clear();
      controller = this.controller = new AbortController();
      this.count(controller.signal);
    }
    const { signal } = controller;
    return this.bubbling.size === 0 && this.capturing.size === 0 && signal.onabort === null ? signal : undefined;
  }

  /** Aborts the shared signal: the request it was lent to is the one in flight. */
  abort(): void {
    this.controller?.abort();
  }

  /** Keeps count of the abort listeners added to and removed from `signal`. */
  private count(signal: AbortSignal): void {
    const { bubbling, capturing } = this;
    const add = signal.addEventListener;
    const remove = signal.removeEventListener;
    const setOf = (options: ListenerOptions) =>
      (typeof options === 'boolean' ? options : options?.capture === true) ? capturing : bubbling;
    Object.defineProperties(signal, {
      addEventListener: {
        configurable: true,
        writable: true,
        value(this: AbortSignal, type: string, listener: Listener, options?: ListenerOptions) {
          add.call(this, type, listener as EventListenerOrEventListenerObject, options);
          // A listener with its own `signal` or `once` may go without a remove: counted as left, the safe side.
          if (type === 'abort' && listener !== null && this === signal) setOf(options).add(listener);
        },
      },
      removeEventListener: {
        configurable: true,
        writable: true,
        value(this: AbortSignal, type: string, listener: Listener, options?: ListenerOptions) {
          remove.call(this, type, listener as EventListenerOrEventListenerObject, options);
          if (type === 'abort' && this === signal) setOf(options).delete(listener);
        },
      },
    });
  }
}

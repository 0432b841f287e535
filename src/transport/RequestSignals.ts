// Spelled from AbortSignal's own methods, not the DOM's type names, which a Node-only project does not have.
type AddListener = AbortSignal['addEventListener'];
type Listener = Parameters<AddListener>[1] | null;
type ListenerOptions = Parameters<AddListener>[2] | Parameters<AbortSignal['removeEventListener']>[2];

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
 * const signal = signals.lend() ?? new AbortController().signal; // the first request's own
 * ```
 * @internal
 */
export class RequestSignals {
  private controller: AbortController | undefined;
  private second = false;
  /** Abort listeners on the shared signal now, by whether they capture (EventTarget keeps one per listener and capture). */
  /** Abort listeners on the shared signal now, by whether they capture (EventTarget keeps one per listener and capture). */
  private bubbling: Set<Listener> | undefined;
  private capturing: Set<Listener> | undefined;

  /** The shared signal, when no listener is left on it; undefined when the request needs a signal of its own. */
  lend(): AbortSignal | undefined {
    // Counting costs a signal more than a plain AbortController: a single request (most waits' and many
    // paginations') keeps its own, and sharing starts with the second.
    if (!this.second) {
      this.second = true;
      return undefined;
    }
    let controller = this.controller;
    if (controller === undefined || controller.signal.aborted) {
      this.bubbling = this.capturing = undefined;
      controller = this.controller = new AbortController();
      this.count(controller.signal);
    }
    const { signal } = controller;
    return !this.bubbling?.size && !this.capturing?.size && signal.onabort === null ? signal : undefined;
  }

  /** Aborts the shared signal: the request it was lent to is the one in flight. */
  abort(): void {
    this.controller?.abort();
  }

  /** Keeps count of the abort listeners added to and removed from `signal`. */
  private count(signal: AbortSignal): void {
    const add = signal.addEventListener;
    const remove = signal.removeEventListener;
    const capturing = (options: ListenerOptions) => (typeof options === 'boolean' ? options : options?.capture === true);
    // Own members that hide the prototype's, set by assignment: defining them as properties costs twice as much on a signal.
    signal.addEventListener = (type: string, listener: Listener, options?: ListenerOptions) => {
      add.call(signal, type, listener as Parameters<AddListener>[1], options);
      // A listener with its own `signal` or `once` may go without a remove: counted as left, the safe side.
      if (type !== 'abort' || listener === null || signal !== this.controller?.signal) return;
      if (capturing(options)) (this.capturing ??= new Set()).add(listener);
      else (this.bubbling ??= new Set()).add(listener);
    };
    signal.removeEventListener = (type: string, listener: Listener, options?: ListenerOptions) => {
      remove.call(signal, type, listener as Parameters<AddListener>[1], options);
      if (type === 'abort' && signal === this.controller?.signal)
        (capturing(options) ? this.capturing : this.bubbling)?.delete(listener);
    };
  }
}

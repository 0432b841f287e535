import type { SendContext } from './Send';

/**
 * A SendContext whose AbortController is made only if `send` reads the
 * signal: building one costs more than a whole in-process page, and sends
 * that cannot be aborted (`of(page)`) never look at it.
 *
 * Each request gets its own: one signal shared by a whole pagination would be
 * cheaper, but a send that adds an abort listener and never removes it (a
 * common way to write one) would then pile up a listener per page.
 * @internal
 */
export class LazySendContext implements SendContext {
  private controller: AbortController | undefined;
  private aborted = false;

  get abortSignal(): AbortSignal {
    // A send that reads the signal late (after an await) must still see an abort that came first.
    this.controller ??= new AbortController();
    if (this.aborted) this.controller.abort();
    return this.controller.signal;
  }

  abort(): void {
    this.aborted = true;
    this.controller?.abort();
  }
}

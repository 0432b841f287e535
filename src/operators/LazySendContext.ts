import type { SendContext } from './Send';

/**
 * A SendContext whose AbortController is made only if `send` reads the
 * signal: building one costs more than a whole in-process page, and sends
 * that cannot be aborted (`of(page)`) never look at it.
 * @internal
 */
export class LazySendContext implements SendContext {
  private controller: AbortController | undefined;

  get abortSignal(): AbortSignal {
    return (this.controller ??= new AbortController()).signal;
  }

  abort(): void {
    this.controller?.abort();
  }
}

import { brand, isInstance } from './brand';

/** The same in every copy of the library (see brand.ts). */
const BRAND: unique symbol = Symbol.for('rxjs-aws.WaiterError');

/**
 * A wait that ended without success.
 *
 * - `failure`: an acceptor moved the waiter to its failure state.
 * - `timeout`: `maxAttempts` or `maxWaitTime` ran out.
 * - `error`: the call failed with an error no acceptor matched (`cause`).
 *
 * @example
 * ```ts
 * waitFor(spec, send, input).subscribe({
 *   error: (e) => {
 *     if (e instanceof WaiterError && e.kind === 'timeout') console.log(`gave up after ${e.attempts} attempts`);
 *   },
 * });
 * ```
 */
export class WaiterError extends Error {
  override readonly name = 'WaiterError';

  /**
   * True for a WaiterError of any copy of rxjs-aws in the process (the CommonJS and
   * the ES module build alike), not only of this one. `error.name === 'WaiterError'`
   * is the same test without the class.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstance(this, WaiterError, BRAND, value);
  }
  readonly kind: 'failure' | 'timeout' | 'error';
  /** Calls made, the last one included. */
  readonly attempts: number;
  /** The output of the last call, or its error. */
  readonly lastResponse: unknown;

  constructor(
    kind: 'failure' | 'timeout' | 'error',
    reason: string,
    details: { attempts: number; lastResponse: unknown; cause?: unknown },
  ) {
    super(reason, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    this.attempts = details.attempts;
    this.lastResponse = details.lastResponse;
  }
}

brand(WaiterError, BRAND);

import { brand, isInstance } from './brand';

/** The same in every copy of the library (see brand.ts). */
const BRAND: unique symbol = Symbol.for('rxjs-aws.PaginationError');

/**
 * Pagination cannot go on: the service repeated a token (a cycle), or a
 * starting token does not fit the paginator (or its signer). Always emitted by
 * the Observable, never thrown by the call: tokens are data. Bad options are a
 * {@link SpecError} thrown by the call instead.
 *
 * @example
 * ```ts
 * paginate(spec, send, input).subscribe({
 *   error: (e) => { if (e instanceof PaginationError) console.log(e.message, e.resumeToken); },
 * });
 * ```
 */
export class PaginationError extends Error {
  override readonly name = 'PaginationError';

  /**
   * True for a PaginationError of any copy of rxjs-aws in the process (the CommonJS and
   * the ES module build alike), not only of this one. `error.name === 'PaginationError'`
   * is the same test without the class.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstance(this, PaginationError, BRAND, value);
  }

  constructor(
    message: string,
    /** Where to resume after the last page that was delivered, when there is such a place. */
    readonly resumeToken?: string,
    /** `cause`: the error this one stands for (see `resumeTokenOf`). */
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

brand(PaginationError, BRAND);

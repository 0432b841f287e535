import { brand, isInstance } from './brand';

/** The same in every copy of the library (see brand.ts). */
const BRAND: unique symbol = Symbol.for('rxjs-aws.SpecError');

/**
 * A paginator or waiter spec that cannot be compiled (a missing or mistyped
 * field, a JMESPath expression that does not parse), or an option that is not
 * valid. Both are thrown by the call they are given to, never emitted later,
 * except when a function option (`backoff`, `retry.delay`) returns a bad value:
 * that errors the Observable. An option's `field` starts with `options.`
 * (`options.pageSize`, `options.retry.retries`); an unknown option is refused
 * with the name it most likely meant.
 *
 * @example
 * ```ts
 * try {
 *   compilePaginator({ input_token: 'NextToken', output_token: 'Next[' });
 * } catch (error) {
 *   if (error instanceof SpecError) console.log(error.field); // 'output_token'
 * }
 * ```
 */
export class SpecError extends Error {
  override readonly name = 'SpecError';

  /**
   * True for a SpecError of any copy of rxjs-aws in the process (the CommonJS and
   * the ES module build alike), not only of this one. `error.name === 'SpecError'`
   * is the same test without the class.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstance(this, SpecError, BRAND, value);
  }

  constructor(
    /** The spec field or option at fault, as a path: `acceptors[2].argument`, `options.maxWaitTime`. */
    readonly field: string,
    /** What is wrong with it. */
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${field}: ${problem}`, options);
  }
}

brand(SpecError, BRAND);

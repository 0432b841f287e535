/**
 * A paginator or waiter spec that cannot be compiled: a missing or mistyped
 * field, or a JMESPath expression that does not parse.
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

  constructor(
    /** The spec field at fault, as a path: `acceptors[2].argument`. */
    readonly field: string,
    /** What is wrong with it. */
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${field}: ${problem}`, options);
  }
}

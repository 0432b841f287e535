/**
 * One entry of botocore's `paginators-1.json` (`pagination.<Operation>`).
 *
 * @example
 * ```ts
 * const scan: PaginatorSpec = {
 *   input_token: 'ExclusiveStartKey',
 *   output_token: 'LastEvaluatedKey',
 *   limit_key: 'Limit',
 *   result_key: ['Items', 'Count', 'ScannedCount'],
 *   non_aggregate_keys: ['ConsumedCapacity'],
 * };
 * ```
 */
export interface PaginatorSpec {
  /** Request member(s) that carry the continuation token, paired by position with `output_token`. */
  readonly input_token: string | readonly string[];
  /** JMESPath expression(s) locating the next token in a response. */
  readonly output_token: string | readonly string[];
  /** Request member that limits the page size; `pageSize` is written there. */
  readonly limit_key?: string;
  /** JMESPath expression; a falsy result ends pagination even when a token is present. */
  readonly more_results?: string;
  /** JMESPath expression(s) of the paged results; the first one is counted by `maxItems`. */
  readonly result_key?: string | readonly string[];
  /** JMESPath expressions of values that are taken from the first page only by `fullResult`. */
  readonly non_aggregate_keys?: readonly string[];
  /**
   * Not botocore's: the service marks the end by returning the very token it was sent (CloudWatch Logs
   * `GetLogEvents`), so that ends pagination cleanly instead of being a `PaginationError`. Any other
   * repeated token is still an error.
   * @default false
   */
  readonly stop_on_same_token?: boolean;
}

/**
 * The states an acceptor can move a waiter to.
 * @example
 * ```ts
 * const state: AcceptorState = 'retry';
 * ```
 */
export type AcceptorState = 'success' | 'failure' | 'retry';

/**
 * One acceptor of a botocore `waiters-2.json` waiter.
 *
 * @example
 * ```ts
 * const active: AcceptorSpec = { matcher: 'path', argument: 'Table.TableStatus', expected: 'ACTIVE', state: 'success' };
 * ```
 */
export interface AcceptorSpec {
  readonly state: AcceptorState;
  readonly matcher: 'path' | 'pathAll' | 'pathAny' | 'status' | 'error';
  /** JMESPath expression, required by the path matchers. */
  readonly argument?: string;
  /** The value compared with; for `error`, a code or `true` (any error) / `false` (no error). */
  readonly expected: unknown;
}

/**
 * One entry of botocore's `waiters-2.json` (`waiters.<Name>`).
 *
 * @example
 * ```ts
 * const tableExists: WaiterSpec = {
 *   operation: 'DescribeTable', delay: 20, maxAttempts: 25,
 *   acceptors: [
 *     { matcher: 'path', argument: 'Table.TableStatus', expected: 'ACTIVE', state: 'success' },
 *     { matcher: 'error', expected: 'ResourceNotFoundException', state: 'retry' },
 *   ],
 * };
 * ```
 */
export interface WaiterSpec {
  readonly operation?: string;
  readonly description?: string;
  /** Seconds between the end of one attempt and the start of the next. */
  readonly delay: number;
  /** Attempts before the waiter times out. */
  readonly maxAttempts: number;
  readonly acceptors: readonly AcceptorSpec[];
}

/**
 * A Smithy `PathMatcher`: a JMESPath `path`, a `comparator` and the `expected` string.
 * @example
 * ```ts
 * const running: SmithyPathMatcher = { path: 'Reservations[].Instances[].State.Name', expected: 'running', comparator: 'allStringEquals' };
 * ```
 */
export interface SmithyPathMatcher {
  readonly path: string;
  readonly expected: string;
  readonly comparator: 'stringEquals' | 'booleanEquals' | 'allStringEquals' | 'anyStringEquals';
}

/**
 * A Smithy acceptor: exactly one matcher member is set.
 * @example
 * ```ts
 * const notFound: SmithyAcceptorSpec = { state: 'retry', matcher: { errorType: 'NotFound' } };
 * ```
 */
export interface SmithyAcceptorSpec {
  readonly state: AcceptorState;
  readonly matcher:
    | { readonly output: SmithyPathMatcher }
    | { readonly inputOutput: SmithyPathMatcher }
    | { readonly success: boolean }
    | { readonly errorType: string };
  /** JMESPath over the output naming why a failure acceptor matched. */
  readonly message?: string;
}

/**
 * One waiter of a Smithy `@waitable` trait.
 *
 * @example
 * ```ts
 * const bucketExists: SmithyWaiterSpec = {
 *   acceptors: [
 *     { state: 'success', matcher: { success: true } },
 *     { state: 'retry', matcher: { errorType: 'NotFound' } },
 *   ],
 * };
 * ```
 */
export interface SmithyWaiterSpec {
  readonly documentation?: string;
  /** Seconds; the floor of the exponential backoff. @default 2 */
  readonly minDelay?: number;
  /** Seconds; the ceiling of the exponential backoff. @default 120 */
  readonly maxDelay?: number;
  readonly deprecated?: boolean;
  readonly tags?: readonly string[];
  readonly acceptors: readonly SmithyAcceptorSpec[];
}

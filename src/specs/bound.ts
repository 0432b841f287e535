import type { PaginatorSpec, SmithyWaiterSpec, WaiterSpec } from './types';

declare const shapes: unique symbol;

/**
 * An AWS SDK v3 command class: `new ScanCommand(input)`.
 * @example
 * ```ts
 * const command: CommandClass<ScanCommandInput> = ScanCommand;
 * ```
 */
export type CommandClass<I> = new (input: I) => object;

/**
 * The element type of output member `K` when it is a list, otherwise `unknown`:
 * what `items()` yields for a bound paginator whose first result key is `K`.
 * @example
 * ```ts
 * type Item = ItemOf<ScanCommandOutput, 'Items'>; // Record<string, AttributeValue>
 * ```
 */
export type ItemOf<O, K extends string> = K extends keyof O
  ? NonNullable<O[K]> extends readonly (infer E)[]
    ? E
    : unknown
  : unknown;

/**
 * A botocore paginator bound to its SDK command, as the generated service
 * modules export them (`dynamodb.Scan`): `paginate` takes a client for it.
 * `Item` is the element type of the first result key.
 * @example
 * ```ts
 * const Scan: BoundPaginator<ScanCommandInput, ScanCommandOutput, Record<string, AttributeValue>> =
 *   { spec: { input_token: 'ExclusiveStartKey', output_token: 'LastEvaluatedKey', result_key: 'Items' }, command: ScanCommand };
 * ```
 */
export interface BoundPaginator<I, O, Item = unknown> {
  readonly spec: PaginatorSpec;
  readonly command: CommandClass<I>;
  /** The operation's name (`'dynamodb.Scan'`): signed tokens are bound to it. Class names can be minified, so it is spelled out. */
  readonly operation?: string;
  /** Type-level only. */
  readonly [shapes]?: { readonly input: I; readonly output: O; readonly item: Item };
}

/**
 * A waiter bound to its SDK command (`dynamodb.TableExists`): `waitFor` takes a client for it.
 * @example
 * ```ts
 * const TableExists: BoundWaiter<DescribeTableCommandInput, DescribeTableCommandOutput> =
 *   { spec: tableExistsSpec, command: DescribeTableCommand };
 * ```
 */
export interface BoundWaiter<I, O> {
  readonly spec: WaiterSpec | SmithyWaiterSpec;
  readonly command: CommandClass<I>;
  /** Type-level only. */
  readonly [shapes]?: { readonly input: I; readonly output: O };
}

/** True for a bound spec (it names its command). @internal */
export function isBound(spec: object): spec is { spec: object; command: CommandClass<unknown> } {
  return typeof (spec as { command?: unknown }).command === 'function' && 'spec' in spec;
}

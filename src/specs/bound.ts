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
 * An AWS SDK v3 client, or anything with its `send(command, { abortSignal })`.
 * @example
 * ```ts
 * const client: SdkClient = new DynamoDBClient({});
 * ```
 */
export interface SdkClient {
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

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

/**
 * The `send` to use: the caller's function, or for a bound spec, its command
 * sent through the caller's client with the abort signal handed on.
 * @internal
 */
export function resolveSend<I, O>(
  spec: object,
  sendOrClient: ((input: I, context: { abortSignal: AbortSignal }) => unknown) | SdkClient,
): (input: I, context: { abortSignal: AbortSignal }) => unknown {
  if (typeof sendOrClient === 'function') return sendOrClient;
  if (!isBound(spec))
    throw new TypeError('a client can only be given with a bound spec (such as dynamodb.Scan); pass a send function');
  const { command } = spec;
  return (input, context) => sendOrClient.send(new command(input), { abortSignal: context.abortSignal }) as Promise<O>;
}

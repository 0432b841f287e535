import type { JmespathEngine } from './jmespathEngine';
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
 * The SDK client a bound spec's command belongs to: checked at run time when a
 * client is given, so a wrong client fails before anything is sent, naming both services.
 * @example
 * ```ts
 * const service: ServiceBinding = { serviceId: 'S3', client: 'S3Client', package: '@aws-sdk/client-s3' };
 * ```
 */
export interface ServiceBinding {
  /** The client's `config.serviceId` (`S3`, `CloudWatch Logs`). */
  readonly serviceId: string;
  /** The client class (`S3Client`), for messages. */
  readonly client: string;
  /** The SDK package (`@aws-sdk/client-s3`), for messages. */
  readonly package: string;
}

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
export interface BoundPaginator<I, O, Item = unknown, Client = unknown> {
  readonly spec: PaginatorSpec;
  readonly command: CommandClass<I>;
  /** The client the command belongs to. @default undefined (any client is sent the command) */
  readonly service?: ServiceBinding;
  /**
   * The full JMESPath evaluator, carried by a bound spec one of whose
   * expressions is more than a plain member path, so it compiles without
   * `useFullJmespath()` and only apps that use such a spec bundle it.
   * @internal
   */
  readonly jmespath?: JmespathEngine;
  /** The operation's name (`'dynamodb.Scan'`): signed tokens are bound to it. Class names can be minified, so it is spelled out. */
  readonly operation?: string;
  /** Type-level only. */
  readonly [shapes]?: { readonly input: I; readonly output: O; readonly item: Item; readonly client: Client };
}

/**
 * A waiter bound to its SDK command (`dynamodb.TableExists`): `waitFor` takes a client for it.
 * @example
 * ```ts
 * const TableExists: BoundWaiter<DescribeTableCommandInput, DescribeTableCommandOutput> =
 *   { spec: tableExistsSpec, command: DescribeTableCommand };
 * ```
 */
export interface BoundWaiter<I, O, Client = unknown> {
  readonly spec: WaiterSpec | SmithyWaiterSpec;
  readonly command: CommandClass<I>;
  /** The client the command belongs to. @default undefined (any client is sent the command) */
  readonly service?: ServiceBinding;
  /**
   * The full JMESPath evaluator, carried by a bound spec one of whose
   * expressions is more than a plain member path, so it compiles without
   * `useFullJmespath()` and only apps that use such a spec bundle it.
   * @internal
   */
  readonly jmespath?: JmespathEngine;
  /** Type-level only. */
  readonly [shapes]?: { readonly input: I; readonly output: O; readonly client: Client };
}

/**
 * The request type of a bound spec.
 * @example
 * ```ts
 * type Input = InputOf<typeof Scan>; // ScanCommandInput
 * ```
 */
export type InputOf<B> = B extends { readonly [shapes]?: infer S }
  ? NonNullable<S> extends { readonly input: infer I }
    ? I
    : never
  : never;

/**
 * The response type of a bound spec.
 * @example
 * ```ts
 * type Page = OutputOf<typeof Scan>; // ScanCommandOutput
 * ```
 */
export type OutputOf<B> = B extends { readonly [shapes]?: infer S }
  ? NonNullable<S> extends { readonly output: infer O }
    ? O
    : never
  : never;

/**
 * The item type of a bound paginator (its first result key's elements).
 * @example
 * ```ts
 * type Item = ItemTypeOf<typeof Scan>; // Record<string, AttributeValue>
 * ```
 */
export type ItemTypeOf<B> = B extends { readonly [shapes]?: infer S }
  ? NonNullable<S> extends { readonly item: infer T }
    ? T
    : never
  : never;

/**
 * The client type a bound spec takes (`S3Client`); `unknown` when it names none.
 * @example
 * ```ts
 * type Client = ClientOf<typeof Scan>; // DynamoDBClient
 * ```
 */
export type ClientOf<B> = B extends { readonly [shapes]?: infer S }
  ? NonNullable<S> extends { readonly client: infer C }
    ? C
    : unknown
  : unknown;

/** True for a bound spec (it names its command). @internal */
export function isBound(spec: object): spec is { spec: object; command: CommandClass<unknown>; service?: ServiceBinding } {
  return typeof (spec as { command?: unknown }).command === 'function' && 'spec' in spec;
}

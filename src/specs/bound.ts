import type { PaginatorSpec, SmithyWaiterSpec, WaiterSpec } from './types';
import type { Send } from '../transport/Send';

declare const shapes: unique symbol;
declare const otherService: unique symbol;

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
 * What `items(spec, K)` yields for result key `K` of output `O`: the elements of a list, or the value itself
 * otherwise (`Count` yields its number once per page); `unknown` when `K` is an expression, not a member of `O`.
 * @example
 * ```ts
 * type Counts = ResultItemOf<ScanCommandOutput, 'Count'>; // number
 * type Rows = ResultItemOf<ScanCommandOutput, 'Items'>; // Record<string, AttributeValue>
 * ```
 */
export type ResultItemOf<O, K extends string> = K extends keyof O
  ? NonNullable<O[K]> extends readonly (infer E)[]
    ? E
    : NonNullable<O[K]>
  : unknown;

/**
 * A page that declares result key `K`: what `items(spec)` of a bound paginator takes. All its members are
 * optional, so a page of another paginator, one with none of them (`ListTables` pages into `items(Scan)`,
 * which would yield nothing), is a compile error: "has no properties in common with type 'PageWith<…>'".
 * @example
 * ```ts
 * const page: PageWith<ScanCommandOutput, 'Items'> = scanPage; // a ListTablesCommandOutput is refused
 * ```
 */
export type PageWith<O, K extends keyof O> = { [P in K]: O[P] };

/**
 * The page type `items()` takes for result keys `Keys` of output `O`: a {@link PageWith} those of them that are
 * members of `O`, or `O` itself when none is (a key that is an expression, or a spec that names no keys).
 * @example
 * ```ts
 * type Page = ResultPage<ScanCommandOutput, 'Items' | 'Count'>; // PageWith<ScanCommandOutput, 'Items' | 'Count'>
 * ```
 */
export type ResultPage<O, Keys extends string> = string extends Keys
  ? O
  : [Keys & keyof O] extends [never]
    ? O
    : PageWith<O, Keys & keyof O>;

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
 * `Item` is the element type of the first result key; `Keys` are the spec's
 * result keys, the ones `items(spec, key)` accepts.
 * @example
 * ```ts
 * const Scan: BoundPaginator<ScanCommandInput, ScanCommandOutput, Record<string, AttributeValue>, DynamoDBClient, 'Items' | 'Count'> =
 *   { spec: { input_token: 'ExclusiveStartKey', output_token: 'LastEvaluatedKey', result_key: ['Items', 'Count'] }, command: ScanCommand };
 * ```
 */
export interface BoundPaginator<I, O, Item = unknown, Client = unknown, Keys extends string = string> {
  readonly spec: PaginatorSpec;
  readonly command: CommandClass<I>;
  /** The client the command belongs to. @default undefined (any client is sent the command) */
  readonly service?: ServiceBinding;
  /** The operation's name (`'dynamodb.Scan'`): signed tokens are bound to it. Class names can be minified, so it is spelled out. */
  readonly operation?: string;
  /** Type-level only. */
  readonly [shapes]?: {
    readonly input: I;
    readonly output: O;
    readonly item: Item;
    readonly client: Client;
    readonly keys: Keys;
  };
}

/**
 * The service error a waiter succeeded on, which `waitFor` emits in place of a
 * response: `TableNotExists` succeeds when `DescribeTable` fails with
 * `ResourceNotFoundException`. It is what the client's `send` rejected with:
 * with an SDK v3 client, the service's exception (a `ServiceException` whose
 * `name` is the modelled exception: the error code, or on query services often
 * another name, `ClusterNotFoundFault` for the code `ClusterNotFound`), so
 * `instanceof Error` tells it from a response.
 * @example
 * ```ts
 * waitFor(TableNotExists, client, { TableName: 'music' }).subscribe((result) =>
 *   console.log(result instanceof Error ? result.name : result.Table?.TableStatus), // ResourceNotFoundException
 * );
 * ```
 */
export interface AcceptedError<Code extends string = string> extends Error {
  /** The exception the success acceptor matched (`ResourceNotFoundException`, `ClusterNotFoundFault`). */
  readonly name: Code;
  /** Who is at fault, as SDK v3 exceptions say. @default undefined (not an SDK exception) */
  readonly $fault?: 'client' | 'server';
  /** The response metadata of SDK v3 exceptions. @default undefined (not an SDK exception) */
  readonly $metadata?: { readonly httpStatusCode?: number; readonly requestId?: string };
}

/**
 * What `waitFor` emits for a waiter on output `O` whose success acceptors
 * match the error codes `SuccessErrors`: `O` alone when there are none (the
 * waiter succeeds only on responses), else `O` or the {@link AcceptedError}.
 * @example
 * ```ts
 * type Gone = WaiterResult<DescribeTableCommandOutput, 'ResourceNotFoundException'>;
 * // DescribeTableCommandOutput | AcceptedError<'ResourceNotFoundException'>
 * ```
 */
export type WaiterResult<O, SuccessErrors extends string = never> = [SuccessErrors] extends [never]
  ? O
  : O | AcceptedError<SuccessErrors>;

/**
 * A waiter bound to its SDK command (`dynamodb.TableExists`): `waitFor` takes a client for it.
 * `SuccessErrors` are the error codes its success acceptors match (`string` for any error): with any,
 * `waitFor` may emit that error instead of a response (see {@link WaiterResult}).
 * @example
 * ```ts
 * const TableNotExists: BoundWaiter<DescribeTableCommandInput, DescribeTableCommandOutput, DynamoDBClient, 'ResourceNotFoundException'> =
 *   { spec: tableNotExistsSpec, command: DescribeTableCommand };
 * ```
 */
export interface BoundWaiter<I, O, Client = unknown, SuccessErrors extends string = never> {
  readonly spec: WaiterSpec | SmithyWaiterSpec;
  readonly command: CommandClass<I>;
  /** The client the command belongs to. @default undefined (any client is sent the command) */
  readonly service?: ServiceBinding;
  /**
   * The SDK exception of each wire code the acceptors name, where the two
   * differ (`{ ClusterNotFound: 'ClusterNotFoundFault' }`): `toStateMachine`
   * matches Step Functions' error names, which follow the exception, on it.
   * In-process waits need none (an exception carries both names).
   * @default undefined (the codes are the exceptions' names)
   */
  readonly exceptions?: Readonly<Record<string, string>>;
  /** Type-level only. */
  readonly [shapes]?: {
    readonly input: I;
    readonly output: O;
    readonly client: Client;
    /**
     * A method, so that it does not decide assignability (method parameters are bivariant): a waiter that succeeds
     * on an error is still a `BoundWaiter<I, O>` to code that takes any waiter.
     */
    successErrors(codes: SuccessErrors): void;
  };
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

/** `true` only when A and B are the same type, not merely assignable to each other. */
type Identical<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** An SDK v3 client's middleware stack type, typed with its service's inputs and outputs (what its `send` takes). */
type StackOf<C> = C extends { readonly middlewareStack: infer S } ? S : never;

/**
 * The parameter type a client of another service meets: the client the spec is bound to, which it is not.
 * @example
 * ```ts
 * // paginate(iam.ListUsers, dynamoClient, {}): Argument of type 'DynamoDBClient' is not assignable to parameter of type 'ExpectedClient<IAMClient>'.
 * type Wanted = ExpectedClient<IAMClient>;
 * ```
 */
export type ExpectedClient<C> = C & { readonly [otherService]: never };

/**
 * The client parameter of the operators given a bound spec whose client type is `Expected`: the client given, `Given`,
 * when it belongs to the same service, told by its middleware stack being typed with the same service inputs and
 * outputs (what its `send` accepts); else {@link ExpectedClient}, a compile error naming the client wanted. Plain
 * assignability would let a client of another service through wherever the two configurations look alike (an IAM
 * client for a DynamoDB spec). Any client goes for a spec bound without a client type.
 * @example
 * ```ts
 * type Ok = ClientFor<DynamoDBClient, DynamoDBClient>; // DynamoDBClient
 * type Refused = ClientFor<IAMClient, DynamoDBClient>; // ExpectedClient<IAMClient>
 * ```
 */
export type ClientFor<Expected, Given> = unknown extends Expected
  ? Given
  : Identical<StackOf<Expected>, StackOf<Given>> extends true
    ? Given
    : ExpectedClient<Expected>;

/**
 * The second parameter of the operators, told by the request type of a bound spec, `BoundI` (`never` for a plain
 * spec: a `paginators-1.json` entry or a compiled one): a {@link Send} for a plain spec, the client
 * {@link ClientFor} a bound spec whose client type is `C`. One signature serves both, rather than an overload each,
 * so that a mistake is reported against the one signature that applies: with two overloads, TypeScript 5 prints why
 * each failed, the plain one's ("missing kind, inputTokens, ...") first.
 * @example
 * ```ts
 * type Client = SendOrClient<unknown, unknown, ScanCommandInput, DynamoDBClient, DynamoDBClient>; // DynamoDBClient
 * type Plain = SendOrClient<ScanCommandInput, ScanCommandOutput, never, unknown, SdkClient>; // Send<ScanCommandInput, ScanCommandOutput>
 * ```
 */
export type SendOrClient<I, O, BoundI, C, G> = [BoundI] extends [never] ? Send<I, O> : ClientFor<C, G>;

/**
 * `T` itself, in a place `T` is not inferred from: unlike `NoInfer<T>`, it reads as `T` in messages and hovers.
 * @example
 * ```ts
 * type Input = Uninferred<ScanCommandInput>; // ScanCommandInput
 * ```
 */
export type Uninferred<T> = [T] extends [infer U] ? U : never;

/**
 * The request parameter of the operators: inferred from the call for a plain spec (`I`); for a bound spec, its own
 * request type (`BoundI`), never inferred from the call, so that a misspelt member is named.
 * @example
 * ```ts
 * type Input = InputFor<unknown, ScanCommandInput>; // ScanCommandInput
 * ```
 */
export type InputFor<I, BoundI> = [BoundI] extends [never] ? I : Uninferred<BoundI>;

/**
 * What the operators emit: `O`, the response type inferred for a plain spec, or `Bound` for a bound spec (one whose
 * request type `BoundI` is known). Told by the request type, not the response, so that the type a call's result is
 * assigned to does not make a plain spec look bound.
 * @example
 * ```ts
 * type Page = OutputFor<unknown, ScanCommandInput, ScanCommandOutput>; // ScanCommandOutput
 * ```
 */
export type OutputFor<O, BoundI, Bound> = [BoundI] extends [never] ? O : Bound;

/** True for a bound spec (it names its command). @internal */
export function isBound(spec: object): spec is { spec: object; command: CommandClass<unknown>; service?: ServiceBinding } {
  return typeof (spec as { command?: unknown }).command === 'function' && 'spec' in spec;
}

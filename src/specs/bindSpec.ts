import type { BoundPaginator, BoundWaiter, ItemOf } from './bound';
import { compilePaginator } from './compilePaginator';
import { compileWaiter } from './compileWaiter';
import type { PaginatorSpec, SmithyWaiterSpec, WaiterSpec } from './types';

/**
 * Any SDK v3 command class (`ListFooCommand`); its input is optional for some commands.
 * @example
 * ```ts
 * const command: AnyCommand = ListTagsOfResourceCommand;
 * ```
 */
export type AnyCommand = new (...args: never) => object;

/**
 * The request type of an SDK v3 command class.
 * @example
 * ```ts
 * type Input = CommandInputOf<typeof ScanCommand>; // ScanCommandInput
 * ```
 */
export type CommandInputOf<C> = C extends new (...args: infer A) => object ? NonNullable<A[0]> : never;

/**
 * The response type of an SDK v3 command class, read from its middleware handler.
 * @example
 * ```ts
 * type Output = CommandOutputOf<typeof ScanCommand>; // ScanCommandOutput
 * ```
 */
export type CommandOutputOf<C> = C extends new (...args: never[]) => {
  resolveMiddleware(...args: never[]): (args: never) => Promise<{ output: infer O }>;
}
  ? O
  : unknown;

/**
 * The first `result_key` of a literal spec (`'Items'`), or never when it is not known at compile time.
 * @example
 * ```ts
 * type Key = FirstResultKey<{ input_token: 'T'; output_token: 'T'; result_key: ['Items', 'Count'] }>; // 'Items'
 * ```
 */
export type FirstResultKey<S> = S extends { readonly result_key: infer K }
  ? K extends string
    ? K
    : K extends readonly [infer F, ...unknown[]]
      ? F & string
      : never
  : never;

/**
 * Every `result_key` of a literal spec (`'Items' | 'Count'`): the keys `items(spec, key)` accepts; `string` when
 * they are not known at compile time, never when the spec has none.
 * @example
 * ```ts
 * type Keys = ResultKeysOf<{ input_token: 'T'; output_token: 'T'; result_key: ['Items', 'Count'] }>; // 'Items' | 'Count'
 * ```
 */
export type ResultKeysOf<S> = S extends { readonly result_key?: infer K }
  ? K extends string
    ? K
    : K extends readonly (infer E)[]
      ? E & string
      : never
  : never;

/**
 * Binds your own botocore paginator spec to any SDK v3 command, typed like the shipped ones: the input and page types
 * come from the command, the item type from the spec's first `result_key`. The spec is validated here, once
 * (a bad one throws a {@link SpecError}). Pass the client class to make the client part of the type. Signed
 * tokens (`options.signer`) are bound to the command's class name: one sealed for another command is refused.
 * @example
 * ```ts
 * // ListTagsOfResource has no paginator in botocore:
 * const ListTags = bindPaginator(
 *   { input_token: 'NextToken', output_token: 'NextToken', result_key: 'Tags' },
 *   ListTagsOfResourceCommand,
 *   DynamoDBClient,
 * );
 * paginate(ListTags, client, { ResourceArn: arn }).pipe(items(ListTags)).subscribe((tag) => console.log(tag.Key));
 * ```
 */
export function bindPaginator<const S extends PaginatorSpec, C extends AnyCommand, Client = unknown>(
  spec: S,
  command: C,
  client?: new (...args: never) => Client,
): BoundPaginator<CommandInputOf<C>, CommandOutputOf<C>, ItemOf<CommandOutputOf<C>, FirstResultKey<S>>, Client, ResultKeysOf<S>> {
  compilePaginator(spec);
  void client;
  const operation = commandName(command);
  return {
    spec,
    command: command as unknown as new (input: CommandInputOf<C>) => object,
    ...(operation !== undefined && { operation }),
  };
}

/**
 * The command's class name (`ListTagsOfResourceCommand`): a bound paginator's operation, which signed tokens are
 * bound to, so that a token sealed for one command is refused by another of the same shape.
 */
function commandName(command: AnyCommand): string | undefined {
  const name: unknown = typeof command === 'function' ? command.name : undefined;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/**
 * Binds your own waiter spec (a botocore `waiters-2.json` entry or a Smithy `@waitable` waiter) to any SDK v3
 * command, typed from it; validated here, once. Pass the client class to make the client part of the type.
 * @example
 * ```ts
 * // TableExists, but a table being deleted is a failure at once instead of a timeout:
 * const TableReady = bindWaiter(
 *   {
 *     delay: 2,
 *     maxAttempts: 30,
 *     operation: 'DescribeTable',
 *     acceptors: [
 *       { matcher: 'path', argument: 'Table.TableStatus', expected: 'ACTIVE', state: 'success' },
 *       { matcher: 'path', argument: 'Table.TableStatus', expected: 'DELETING', state: 'failure' },
 *       { matcher: 'error', expected: 'ResourceNotFoundException', state: 'retry' },
 *     ],
 *   },
 *   DescribeTableCommand,
 *   DynamoDBClient,
 * );
 * waitFor(TableReady, client, { TableName: 'music' }).subscribe();
 * ```
 */
export function bindWaiter<C extends AnyCommand, Client = unknown>(
  spec: WaiterSpec | SmithyWaiterSpec,
  command: C,
  client?: new (...args: never) => Client,
): BoundWaiter<CommandInputOf<C>, CommandOutputOf<C>, Client> {
  compileWaiter(spec);
  void client;
  return { spec, command: command as unknown as new (input: CommandInputOf<C>) => object };
}

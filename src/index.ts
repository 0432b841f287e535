/**
 * `rxjs-aws`: the functions that page, wait and process (`paginate`, `waitFor`, `processPages`, ...),
 * the errors, the governor and the types. The specs they take come from the service subpaths
 * (`rxjs-aws/dynamodb`, `rxjs-aws/s3`, ...), or are your own.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
 * import { items, paginate, waitFor } from 'rxjs-aws';
 * import { Scan, TableExists } from 'rxjs-aws/dynamodb';
 *
 * const client = new DynamoDBClient({});
 * waitFor(TableExists, client, { TableName: 'music' }).subscribe({ error: console.error });
 * paginate(Scan, client, { TableName: 'music' }).pipe(items(Scan)).subscribe({ next: console.log, error: console.error });
 * ```
 * @module rxjs-aws
 * @packageDocumentation
 */
export * from './specs/types';
export { SpecError } from './errors/SpecError';
export type { CompiledExpression } from './specs/compileExpression';
export { useFullJmespath } from './specs/fullJmespath';
export { compilePaginator, type CompiledPaginator, type SettableExpression } from './specs/compilePaginator';
export type {
  AcceptedError,
  BoundPaginator,
  BoundWaiter,
  ClientFor,
  ClientOf,
  CommandClass,
  ExpectedClient,
  InputOf,
  ItemOf,
  ItemTypeOf,
  OutputOf,
  PageWith,
  ResultItemOf,
  ResultPage,
  ServiceBinding,
  WaiterResult,
} from './specs/bound';
export { compileWaiter, type CompiledWaiter } from './specs/compileWaiter';
export {
  bindPaginator,
  bindWaiter,
  type AnyCommand,
  type CommandInputOf,
  type CommandOutputOf,
  type FirstResultKey,
  type ResultKeysOf,
} from './specs/bindSpec';
export type { CompiledAcceptor } from './specs/compileAcceptor';
export type { WaiterResponse } from './specs/WaiterResponse';
export type { TokenSigner } from './tokens/TokenSigner';
export type { Send, SendContext, SdkClient } from './transport/Send';
export { PaginationError } from './errors/PaginationError';
export { WaiterError } from './errors/WaiterError';
export { paginate } from './operators/paginate/paginate';
export type { PaginateOptions, PageRetryOptions } from './operators/paginate/PaginateOptions';
export { fullResult, type FullResult } from './operators/paginate/fullResult';
export { paginateIterable } from './operators/paginate/paginateIterable';
export type { PageIterator } from './operators/paginate/PageIterator';
export { resumeTokenOf } from './tokens/resumeTokenOf';
export { items } from './operators/pages/items';
export { search, type SearchResult } from './operators/pages/search';
export { processPages } from './operators/pages/processPages';
export { processItems } from './operators/pages/processItems';
export type { ProcessItemsOptions, ProcessPagesOptions, WorkContext } from './operators/pages/ProcessPagesOptions';
export { waitFor } from './operators/wait/waitFor';
export { waitForAttempts, type WaiterAttempt } from './operators/wait/waitForAttempts';
export type { WaitForOptions } from './operators/wait/WaitForOptions';
export { createGovernor } from './governor/createGovernor';
export type { Governor, GovernorOptions, GovernorStats, LaneStats, TableStats } from './governor/Governor';
export type { GovernorScheduler } from './governor/GovernorScheduler';
export type {
  PageEvent,
  ProgressEvent,
  ProgressHook,
  ProgressPlace,
  RequestEvent,
  ResponseEvent,
  RetryEvent,
  WaitEvent,
} from './progress/ProgressEvent';

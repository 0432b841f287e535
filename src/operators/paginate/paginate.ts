import type { Observable } from 'rxjs';
import { compilePaginator, type CompiledPaginator } from '../../specs/compilePaginator';
import type { BoundPaginator, InputFor, OutputFor, SendOrClient } from '../../specs/bound';
import { resolveSend, type SdkClient } from '../../transport/Send';
import type { PaginatorSpec } from '../../specs/types';
import { pages } from './pageSteps';
import { pagePlan, type PaginateOptions } from './PaginateOptions';
import type { Send } from '../../transport/Send';

/**
 * Pages through an API with a botocore paginator spec: one emission per page.
 *
 * Nothing is sent before subscription. At most one request is in flight, and
 * the next is sent only after its page was delivered, so `take(n)` makes
 * exactly `n` calls (with the `prefetch` option, the next one is sent before
 * a page is delivered, to overlap the work on it); unsubscribing (or the
 * `abortSignal` option) aborts the request in flight through the `abortSignal`
 * given to `send`. The caller's input is never modified, and
 * every subscription starts again from it.
 *
 * The second argument sends one request (see {@link Send}); with a bound spec
 * from a service module (`dynamodb.Scan`) it is an SDK v3 client instead.
 *
 * For work on each page (a write, an upload), use {@link processPages}
 * instead: there the reads follow the work, where `concatMap` would take
 * every page at once and buffer it.
 *
 * Options are checked at once: a bad one throws a `SpecError` from this call.
 * Everything else (the service's errors, a starting token that does not fit,
 * a token cycle) errors the Observable.
 *
 * @param spec A `paginators-1.json` entry, its compiled form, or a bound spec from a service module.
 * @param input The request without pagination tokens.
 *
 * @example
 * ```ts
 * const send: Send<ScanCommandInput, ScanCommandOutput> = (input, { abortSignal }) =>
 *   client.send(new ScanCommand(input), { abortSignal });
 * paginate({ input_token: 'ExclusiveStartKey', output_token: 'LastEvaluatedKey', limit_key: 'Limit', result_key: 'Items' },
 *   send, { TableName: 'music' }, { pageSize: 100 })
 *   .subscribe((page) => console.log(page.Items?.length));
 * ```
 */
export function paginate<I, O, BoundI = never, BoundO = never, C = unknown, G extends SdkClient = SdkClient>(
  spec: PaginatorSpec | CompiledPaginator<I, O> | BoundPaginator<BoundI, BoundO, unknown, C>,
  sendOrClient: SendOrClient<I, O, BoundI, C, G>,
  input: InputFor<I, BoundI>,
  options?: PaginateOptions,
): Observable<OutputFor<O, BoundI, BoundO>>;
export function paginate<I, O>(
  spec: PaginatorSpec | CompiledPaginator<I, O> | BoundPaginator<I, O, unknown>,
  sendOrClient: Send<I, O> | SdkClient,
  input: I,
  options: PaginateOptions = {},
): Observable<O> {
  const paginator = compilePaginator<I, O>(spec);
  const send = resolveSend<I, O>(spec, sendOrClient);
  const plan = pagePlan(paginator, input, options, undefined, spec);
  return pages(paginator, send, plan);
}

/**
 * {@link paginate} for a bound spec whose types are still generic, inside another generic function: paginate's
 * parameter types resolve only once the spec's types are known. The caller has tied the client to the spec.
 * @internal
 */
export const paginateBound = paginate as <I, O>(
  spec: BoundPaginator<I, O, unknown>,
  client: SdkClient,
  input: I,
  options?: PaginateOptions,
) => Observable<O>;

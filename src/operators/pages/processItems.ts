import type { Observable, ObservableInput } from 'rxjs';
import { compilePaginator, type CompiledPaginator } from '../../specs/compilePaginator';
import type { BoundPaginator, InputFor, OutputFor, SendOrClient } from '../../specs/bound';
import type { PaginatorSpec } from '../../specs/types';
import { SpecError } from '../../errors/SpecError';
import { resolveSend, type SdkClient, type Send } from '../../transport/Send';
import { callable } from '../../util/callable';
import { workPlan, type ProcessItemsOptions, type WorkContext } from './ProcessPagesOptions';
import { itemsOf } from './items';
import { workSteps } from './workSteps';

/**
 * Pages through an API and runs `work` on every item of the first result key
 * (`Items` of a Scan), reading a page only when the work needs its items: at
 * most `concurrency` items in work, and at most `1 + prefetch` pages held,
 * from the one with the oldest item not done. A slow consumer of a few items
 * reads one page, where `paginate(...).pipe(items(spec), concatMap(work))`
 * would read the whole table ahead of it. Emits what the work emits.
 *
 * Checkpoints are exact at the item: one inside a page resumes there, as a
 * `maxItems` token does (`boto_truncate_amount`, with the page size), or,
 * with `resumeAfter`, right after the last item done, by its key. Items done
 * past the oldest unfinished one are skipped on resume, and errors wait for
 * the work in flight, as {@link processPages} does for pages.
 *
 * @param spec A `paginators-1.json` entry with a `result_key`, its compiled form, or a bound spec from a service module.
 * @param input The request without pagination tokens.
 * @param work The work on one item, told its `index` and `idempotencyKey`.
 * @throws {SpecError} from the call, for a bad option, or a spec without a `result_key`.
 *
 * @example
 * ```ts
 * processItems(Scan, client, { TableName: 'music' }, (item) => notify(item), {
 *   concurrency: 8,
 *   resumeAfter: (item) => ({ ExclusiveStartKey: { pk: item.pk! } }),
 * }).subscribe({ error: (e) => console.log('resume with', resumeTokenOf(e)) });
 * ```
 */
export function processItems<
  I,
  O,
  R,
  Item = unknown,
  BoundI = never,
  BoundO = never,
  BoundItem = never,
  C = unknown,
  G extends SdkClient = SdkClient,
>(
  spec: PaginatorSpec | CompiledPaginator<I, O> | BoundPaginator<BoundI, BoundO, BoundItem, C>,
  sendOrClient: SendOrClient<I, O, BoundI, C, G>,
  input: InputFor<I, BoundI>,
  work: (item: OutputFor<Item, BoundI, BoundItem>, context: WorkContext) => ObservableInput<R>,
  options?: ProcessItemsOptions<OutputFor<Item, BoundI, NoInfer<BoundItem>>>,
): Observable<R>;
export function processItems<I, O, R, Item>(
  spec: PaginatorSpec | CompiledPaginator<I, O> | BoundPaginator<I, O, Item>,
  sendOrClient: Send<I, O> | SdkClient,
  input: I,
  work: (item: Item, context: WorkContext) => ObservableInput<R>,
  options?: ProcessItemsOptions<Item>,
): Observable<R> {
  const paginator = compilePaginator<I, O>(spec);
  const send = resolveSend<I, O>(spec, sendOrClient);
  const run = callable(work, 'work');
  const key = paginator.resultKeys[0];
  if (!key) throw new SpecError('result_key', 'is needed by processItems: it names the items (this paginator has none)');
  const plan = workPlan(paginator, input, options as ProcessItemsOptions, 'items', spec);
  return workSteps(paginator, send, plan, (page: O) => itemsOf(key, page) as readonly Item[], run);
}

import type { Observable, ObservableInput } from 'rxjs';
import { compilePaginator, type CompiledPaginator } from '../../specs/compilePaginator';
import type { BoundPaginator, InputFor, OutputFor, SendOrClient } from '../../specs/bound';
import type { PaginatorSpec } from '../../specs/types';
import { resolveSend, type SdkClient, type Send } from '../../transport/Send';
import { callable } from '../../util/callable';
import { workPlan, type ProcessPagesOptions, type WorkContext } from './ProcessPagesOptions';
import { workSteps } from './workSteps';

/**
 * Pages through an API, as {@link paginate} does, and runs `work` on every
 * page, with the reads following the work: a page is read only when there
 * is room for it, at most `concurrency` pages in work and `prefetch` more read
 * ahead, counted from the oldest page whose work is not done. A stuck work
 * stops the reads, whatever the concurrency. (`paginate(...).pipe(concatMap(work))`
 * would take every page as it comes and buffer it: the whole table is read
 * ahead of a slow write.) Emits what the work emits.
 *
 * Each page's work runs once, at any concurrency, across errors and across
 * a restart from a saved checkpoint. A checkpoint (from `onCheckpoint`, or
 * `resumeTokenOf(error)`) holds where every page before is done, and the
 * keys of the pages done past it; `startingToken: checkpoint` reads those
 * pages again for their tokens and skips their work. A page is known by the
 * tokens around it, not by its position: a page whose boundaries changed is
 * done again rather than an item skipped.
 *
 * An error, in a work, a read or `onCheckpoint`, stops the reads and the
 * starts, waits up to `maxDrainTime` for the work in flight, and then ends
 * the stream; `resumeTokenOf(error)` is the checkpoint at that moment.
 *
 * @param spec A `paginators-1.json` entry, its compiled form, or a bound spec from a service module.
 * @param input The request without pagination tokens.
 * @param work The work on one page (a Promise, an Observable, ...), told its `index` and `idempotencyKey`.
 * @throws {SpecError} from the call, for a bad option (`demand` is not one: the work meters the reads).
 *
 * @example
 * ```ts
 * processPages(Scan, client, { TableName: 'music' }, (page) => writeToWarehouse(page.Items ?? []), {
 *   pageSize: 100,
 *   concurrency: 4,
 *   onCheckpoint: (checkpoint) => writeFile('scan.checkpoint', checkpoint),
 * }).subscribe({ error: (e) => console.log('resume with', resumeTokenOf(e)) });
 * ```
 */
export function processPages<I, O, R, BoundI = never, BoundO = never, C = unknown, G extends SdkClient = SdkClient>(
  spec: PaginatorSpec | CompiledPaginator<I, O> | BoundPaginator<BoundI, BoundO, unknown, C>,
  sendOrClient: SendOrClient<I, O, BoundI, C, G>,
  input: InputFor<I, BoundI>,
  work: (page: OutputFor<O, BoundI, BoundO>, context: WorkContext) => ObservableInput<R>,
  options?: ProcessPagesOptions,
): Observable<R>;
export function processPages<I, O, R>(
  spec: PaginatorSpec | CompiledPaginator<I, O> | BoundPaginator<I, O, unknown>,
  sendOrClient: Send<I, O> | SdkClient,
  input: I,
  work: (page: O, context: WorkContext) => ObservableInput<R>,
  options?: ProcessPagesOptions,
): Observable<R> {
  const paginator = compilePaginator<I, O>(spec);
  const send = resolveSend<I, O>(spec, sendOrClient);
  const run = callable(work, 'work');
  const plan = workPlan(paginator, input, options, 'pages', spec);
  return workSteps(paginator, send, plan, (page: O) => [page], run);
}

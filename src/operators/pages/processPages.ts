import { from, Observable, Subject, Subscription, type ObservableInput, type OperatorFunction } from 'rxjs';
import { meterOf } from '../paginate/meteredPages';
import { rememberResumePoint, resumeTokenOf } from '../../tokens/resumeTokenOf';
import { callable } from '../../util/callable';
import { optionsRecord } from '../../util/optionsRecord';
import { wholeNumber } from '../../util/wholeNumber';

/**
 * Options of {@link processPages}, checked when it is called: a bad or
 * unknown one throws a `SpecError` naming it (`options.concurrency`).
 * @example
 * ```ts
 * const options: ProcessPagesOptions = { concurrency: 4, prefetch: 1 };
 * ```
 */
export interface ProcessPagesOptions {
  /**
   * Pages whose work runs at once.
   * @default 1
   */
  readonly concurrency?: number;
  /**
   * Pages fetched beyond those in work, waiting for room, so that reading the
   * next page overlaps the work (a token chain still has one request in flight).
   * @default the `prefetch` option given to `paginate` (0: the next page is read once the work has room)
   */
  readonly prefetch?: number;
}

const OPTIONS = ['concurrency', 'prefetch'] as const;

/**
 * Runs `work` on every page of a {@link paginate} Observable, with the reads
 * following the work: a page is requested only when the work has room for it,
 * so at most `concurrency` pages are in work and at most `prefetch` more are
 * fetched and waiting. `concatMap(work)` or `mergeMap(work, n)` would instead
 * take every page as it comes and buffer it, so the whole table is read ahead
 * of a slow write. Emits what the work emits.
 *
 * An error, in the work or in a read, ends the stream, and
 * `resumeTokenOf(error)` resumes right after the last page whose work
 * completed with the work of every page before it completed too: resuming
 * from it leaves no page undone (with `concurrency` 1 it repeats none either;
 * with more, pages done out of order after that point are done again).
 *
 * It must be applied to the `paginate(...)` Observable itself, which it
 * subscribes to with a demand signal: applied to anything else (pages that
 * went through `filter` first, say) it throws a `SpecError` (field `source`)
 * rather than buffer. The paginate must not have its own `demand`.
 *
 * @param work The work on one page (a Promise, an Observable, ...); `index` counts pages from 0.
 * @throws {SpecError} from the call for a bad option, and from `pipe` for a source that cannot be metered.
 *
 * @example
 * ```ts
 * paginate(Scan, client, { TableName: 'music' }, { pageSize: 100 })
 *   .pipe(processPages((page) => writeToWarehouse(page.Items ?? []), { concurrency: 2, prefetch: 1 }))
 *   .subscribe({ error: (e) => console.log('resume with', resumeTokenOf(e)) });
 * ```
 */
export function processPages<O, R>(
  work: (page: O, index: number) => ObservableInput<R>,
  options?: ProcessPagesOptions,
): OperatorFunction<O, R> {
  const run = callable(work, 'work');
  const given: ProcessPagesOptions = optionsRecord(options, 'options', OPTIONS);
  const concurrency = given.concurrency === undefined ? 1 : wholeNumber(given.concurrency, 'options.concurrency', { min: 1 });
  const prefetch = given.prefetch === undefined ? undefined : wholeNumber(given.prefetch, 'options.prefetch', { min: 0 });
  return (source) => {
    const { pages, startingToken } = meterOf(source, 'processPages')(prefetch);
    return new Observable<R>((subscriber) => {
      // Each emission lets the pagination deliver one more page: room in the work.
      const demand = new Subject<void>();
      const works = new Subscription();
      // Pages from the first one not done on, kept until the done prefix passes them; finished out of order.
      const held = new Map<number, O>();
      const finished = new Set<number>();
      let delivered = 0;
      let done = 0;
      let lastDone: { readonly page: O } | undefined;
      let running = 0;
      let pagesEnded = false;

      const fail = (error: unknown) => {
        rememberResumePoint(error, lastDone ? resumeTokenOf(lastDone.page) : startingToken);
        subscriber.error(error);
      };

      const finish = (index: number) => {
        running--;
        finished.add(index);
        while (finished.delete(done)) {
          lastDone = { page: held.get(done)! };
          held.delete(done);
          done++;
        }
        if (pagesEnded && running === 0) subscriber.complete();
        else demand.next();
      };

      const start = (page: O) => {
        const index = delivered++;
        held.set(index, page);
        running++;
        let output: Observable<R>;
        try {
          // from() throws for what is not an ObservableInput: that errors the stream too, not the engine's delivery.
          output = from(run(page, index));
        } catch (error) {
          return fail(error);
        }
        const one = new Subscription();
        works.add(one);
        one.add(
          output.subscribe({
            next: (result) => subscriber.next(result),
            error: fail,
            complete: () => {
              works.remove(one);
              finish(index);
            },
          }),
        );
      };

      works.add(
        pages(demand).subscribe({
          next: start,
          error: fail,
          complete: () => {
            pagesEnded = true;
            if (running === 0) subscriber.complete();
          },
        }),
      );
      for (let i = 0; i < concurrency && !subscriber.closed; i++) demand.next();
      return works;
    });
  };
}

import { Observable, type Subscription, type Unsubscribable } from 'rxjs';
import { NO_RESPONSE } from '../../transport/PendingRequest';
import type { CompiledPaginator } from '../../specs/compilePaginator';
import { Requests } from '../../transport/Requests';
import { whenAborted } from '../../transport/RequestSignal';
import { PageCursor, type PageStep } from './PageCursor';
import type { PagePlan } from './PaginateOptions';
import { PaginationError } from '../../errors/PaginationError';
import { abortedError, endingError, withResumePoint, type ResumeAt } from '../../tokens/resumeTokenOf';
import { scheduleAfter } from '../scheduleAfter';
import type { Send } from '../../transport/Send';

/** The error that ends the stream, once the pages fetched before it are delivered. */
interface Failure {
  readonly failure: unknown;
}

/**
 * The pagination engine: one request in flight at most, the next one sent
 * only after the page before it was delivered and demand allows it, or, with
 * `plan.prefetch`, while at most that many pages are fetched beyond the ones
 * demand allows (the page being delivered counts as allowed without demand):
 * those wait in a buffer, so the next request overlaps the work on a page.
 * Synchronous responses are handled in a loop, not by recursion, so a million
 * `of(page)` pages use a constant stack. Unsubscribing, or the plan's
 * `abortSignal`, aborts the request in flight.
 *
 * An error that ends the stream remembers where to resume (see
 * `resumeTokenOf`): after the last page delivered, or, with `folding` (the
 * pages go into one result delivered at the end), where the pagination started.
 * @example
 * ```ts
 * pageSteps(paginator, send, pagePlan(paginator, input, options), (step) => step.page).subscribe(console.log);
 * ```
 * @internal
 */
export function pageSteps<I, O, T>(
  paginator: CompiledPaginator<I, O>,
  send: Send<I, O>,
  plan: PagePlan<I>,
  // Emitting project(step) here, not through a map() after, saves an operator hop per page.
  project: (step: PageStep<O>) => T,
  folding = false,
): Observable<T> {
  const { retry, scheduler, seal, prefetch, demand, abortSignal } = plan;
  return new Observable<T>((subscriber) => {
    let delivered: ResumeAt = plan.startingToken;
    // Every error that ends this pagination leaves as its own object, carrying where to resume.
    const fail = (error: unknown) => subscriber.error(endingError(error, delivered, seal));
    // The governor's pacing and the progress hook, when given: they see every request the engine sends.
    const run = plan.instrumentation?.start(send, fail);
    // Answered by the handlers below, which run only once the stream is set up: the first request goes out last.
    const requests: Requests<I, O> = new Requests(run?.send ?? send, {
      value: (output) => accepted(output),
      error: (error) => failed(error),
      empty: () => failed(new PaginationError(NO_RESPONSE)),
    });
    let demanded: Unsubscribable | undefined;
    let retryTimer: Subscription | undefined;
    // Added first, so that an unsubscription from inside send (before this function returns) cancels too.
    subscriber.add(() => {
      demanded?.unsubscribe();
      retryTimer?.unsubscribe();
      requests.cancel();
    });
    if (abortSignal) {
      // Buffered pages are not delivered: an abort stops now, and they are read again on resume.
      subscriber.add(
        whenAborted(abortSignal, (reason) => {
          requests.cancel(reason);
          subscriber.error(abortedError(reason, delivered, seal));
        }),
      );
      if (subscriber.closed) return; // aborted already: nothing is sent
    }

    // A starting token that could not be opened or decoded errors here, on subscription.
    const cursor = new PageCursor(paginator, plan);
    // Pages the subscriber may still take: demand's emissions not used yet, or one at a time without demand.
    let allowed = demand ? 0 : 1;
    let demandEnded = false;
    // Fetched, not yet delivered: pages, then the error that ends the stream, if one came.
    const buffer: Array<PageStep<O> | Failure> = [];
    let chainEnded = false;
    let retries = 0;
    let waitingToRetry = false;
    let pumping = false;
    let again = false;

    // Pages fetched before the failure are still delivered first.
    const end = (failure: unknown) => {
      chainEnded = true;
      buffer.push({ failure });
      pump();
    };

    const failed = (error: unknown) => {
      let delayMs: number;
      try {
        // The caller's retryable and delay may throw, and so may a hostile error's getters: that ends the stream.
        if (!retry || retries >= retry.retries || !retry.retryable(error)) return end(error);
        delayMs = retry.delay(++retries, error) * 1000;
      } catch (policyError) {
        return end(policyError);
      }
      run?.retry(retries, delayMs / 1000, error);
      // A progress hook that threw has ended the stream.
      if (subscriber.closed) return;
      // Marked before scheduling: a scheduler may run the retry at once (queueScheduler, delay 0).
      waitingToRetry = true;
      try {
        retryTimer = scheduleAfter(
          scheduler,
          () => {
            waitingToRetry = false;
            sendNext();
          },
          delayMs,
        );
      } catch (schedulerError) {
        waitingToRetry = false;
        end(schedulerError);
      }
    };

    const accepted = (output: O) => {
      retries = 0;
      let step: PageStep<O>;
      try {
        step = cursor.accept(output);
      } catch (error) {
        return end(error);
      }
      chainEnded = step.then !== 'next';
      buffer.push(step);
      pump();
    };

    const sendNext = () => requests.send(cursor.request());

    // Fetched or in flight, not delivered, at most `prefetch` beyond what the subscriber may take.
    const maySend = () => !requests.inFlight && !waitingToRetry && !chainEnded && buffer.length < allowed + prefetch;

    const deliver = (): boolean => {
      const next = buffer[0];
      if (next === undefined) return false;
      if ('failure' in next) {
        fail(next.failure);
        return true;
      }
      if (allowed <= 0) return false;
      buffer.shift();
      if (demand) allowed--;
      let value: T;
      try {
        value = project(next);
      } catch (error) {
        fail(error); // a page that cannot carry its resume point
        return true;
      }
      subscriber.next(value);
      if (!folding) delivered = next.resumePoint;
      run?.page(next.page);
      if (next.then === 'complete') subscriber.complete();
      else if (next.then !== 'next') fail(next.then);
      return true;
    };

    const pump = () => {
      if (pumping) {
        again = true;
        return;
      }
      pumping = true;
      do {
        again = false;
        if (subscriber.closed) break;
        // With read-ahead the next request goes out before the page is handed over, to overlap its work.
        if (prefetch > 0 && maySend()) sendNext();
        if (deliver()) again = true;
        else if (maySend()) sendNext();
        else if (demandEnded && allowed <= 0) subscriber.complete();
      } while (again);
      pumping = false;
    };

    try {
      demanded = demand?.subscribe({
        next: () => {
          allowed++;
          pump();
        },
        error: fail,
        complete: () => {
          demandEnded = true;
          pump();
        },
      });
    } catch (error) {
      // The caller's demand is any object with a subscribe method: its throw ends this pagination like its error.
      fail(error);
    }
    pump();
  });
}

/**
 * The engine's page stream, each page remembering where to resume after it
 * (read with `resumeTokenOf`): paginate's output.
 * @example
 * ```ts
 * pages(paginator, send, plan).subscribe((page) => checkpoint(resumeTokenOf(page)));
 * ```
 * @internal
 */
export function pages<I, O>(paginator: CompiledPaginator<I, O>, send: Send<I, O>, plan: PagePlan<I>): Observable<O> {
  const { seal } = plan;
  return pageSteps(paginator, send, plan, (step) => withResumePoint(step.page, step.resumePoint, seal));
}

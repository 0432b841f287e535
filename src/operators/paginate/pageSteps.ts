import { asyncScheduler, Observable, type SchedulerLike } from 'rxjs';
import type { CompiledPaginator } from '../../specs/compilePaginator';
import type { Sealing } from '../../tokens/sealing';
import { firstResponse } from '../../transport/firstResponse';
import { LazySendContext } from '../../transport/LazySendContext';
import { PageCursor, type PageLimits, type PageStep } from './PageCursor';
import type { ResumePoint } from '../../tokens/resumeToken';
import { pageRetry, type PageRetryOptions } from './pageRetry';
import { PaginationError } from '../../errors/PaginationError';
import { rememberResumePoint } from '../../tokens/resumeTokenOf';
import type { Send } from '../../transport/Send';

/** Limits plus the demand signal that meters requests and the retry policy. @internal */
export interface PageStepOptions extends PageLimits {
  readonly demand?: Observable<unknown>;
  readonly retry?: PageRetryOptions;
  readonly scheduler?: SchedulerLike;
}

/**
 * The pagination engine: one request in flight at most, the next one sent
 * only after the page before it was delivered and demand allows it.
 * Synchronous responses are handled in a loop, not by recursion, so a million
 * `of(page)` pages use a constant stack. Unsubscribing aborts the request in
 * flight. An error that ends the stream remembers where to resume: after the
 * last page delivered.
 * @internal
 */
export function pageSteps<I, O, T>(
  paginator: CompiledPaginator<I, O>,
  send: Send<I, O>,
  input: I,
  options: PageStepOptions,
  // Made once by the caller, which also seals what it hands out.
  { seal, open }: Sealing,
  // Emitting project(step) here, not through a map() after, saves an operator hop per page.
  project: (step: PageStep<O>) => T,
): Observable<T> {
  const retry = pageRetry(options.retry);
  const scheduler = options.scheduler ?? asyncScheduler;
  return new Observable<T>((subscriber) => {
    const startingToken = options.startingToken === undefined ? undefined : open(options.startingToken);
    const cursor = new PageCursor(paginator, input, { ...options, startingToken });
    let delivered: ResumePoint | string | undefined = startingToken;
    let allowed = options.demand ? 0 : Infinity;
    let demandEnded = false;
    let retries = 0;
    // A request in flight, or a retry waiting for its timer.
    let busy: { context?: LazySendContext; stop: () => void } | undefined;
    let pumping = false;
    let again = false;

    const fail = (error: unknown) => {
      rememberResumePoint(error, delivered, seal);
      subscriber.error(error);
    };

    const failed = (error: unknown) => {
      busy = undefined;
      if (!retry || retries >= retry.retries || !retry.retryable(error)) return fail(error);
      let delay: number;
      try {
        delay = retry.delay(++retries, error);
      } catch (policyError) {
        return fail(policyError);
      }
      const timer = scheduler.schedule(() => {
        busy = undefined;
        attempt();
      }, delay * 1000);
      busy = { stop: () => timer.unsubscribe() };
    };

    const sendNext = () => {
      const context = new LazySendContext();
      const request = { context, stop: () => {} };
      busy = request;
      request.stop = firstResponse(send(cursor.request(), context), {
        value: (output) => {
          busy = undefined;
          retries = 0;
          let step: PageStep<O>;
          try {
            step = cursor.accept(output);
          } catch (error) {
            return fail(error);
          }
          subscriber.next(project(step));
          delivered = step.resumePoint;
          if (step.then === 'next') pump();
          else if (step.then === 'complete') subscriber.complete();
          else fail(step.then);
        },
        error: failed,
        empty: () => failed(new PaginationError('send completed without producing a response')),
      });
    };

    const attempt = () => {
      try {
        sendNext();
      } catch (error) {
        // send itself threw: the same as a failed request.
        failed(error);
      }
    };

    const pump = () => {
      if (pumping) {
        again = true;
        return;
      }
      pumping = true;
      do {
        again = false;
        if (subscriber.closed || busy) break;
        if (allowed <= 0) {
          if (demandEnded) subscriber.complete();
          break;
        }
        allowed--;
        attempt();
      } while (again);
      pumping = false;
    };

    const demand = options.demand?.subscribe({
      next: () => {
        allowed++;
        pump();
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => {
        demandEnded = true;
        pump();
      },
    });
    pump();

    return () => {
      demand?.unsubscribe();
      if (busy) {
        busy.stop();
        busy.context?.abort();
        busy = undefined;
      }
    };
  });
}

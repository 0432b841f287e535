import { Observable } from 'rxjs';
import type { CompiledPaginator } from '../specs/compilePaginator';
import { PageCursor, type PageLimits, type PageStep } from './PageCursor';
import { firstResponse } from './firstResponse';
import { LazySendContext } from './LazySendContext';
import { PaginationError } from './PaginationError';
import type { Send } from './Send';

/** Limits plus the demand signal that meters requests. @internal */
export interface PageStepOptions extends PageLimits {
  readonly demand?: Observable<unknown>;
}

/**
 * The pagination engine: one request in flight at most, the next one sent
 * only after the page before it was delivered and demand allows it.
 * Synchronous responses are handled in a loop, not by recursion, so a million
 * `of(page)` pages use a constant stack. Unsubscribing aborts the request in flight.
 * @internal
 */
export function pageSteps<I, O, T>(
  paginator: CompiledPaginator<I, O>,
  send: Send<I, O>,
  input: I,
  options: PageStepOptions,
  // Emitting project(step) here, not through a map() after, saves an operator hop per page.
  project: (step: PageStep<O>) => T,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    const cursor = new PageCursor(paginator, input, options);
    let allowed = options.demand ? 0 : Infinity;
    let demandEnded = false;
    let inFlight: { context: LazySendContext; stop: () => void } | undefined;
    let pumping = false;
    let again = false;

    const sendNext = () => {
      const context = new LazySendContext();
      const request = { context, stop: () => {} };
      inFlight = request;
      request.stop = firstResponse(send(cursor.request(), context), {
        value: (output) => {
          inFlight = undefined;
          let step: PageStep<O>;
          try {
            step = cursor.accept(output);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          subscriber.next(project(step));
          if (step.then === 'next') pump();
          else if (step.then === 'complete') subscriber.complete();
          else subscriber.error(step.then);
        },
        error: (error) => {
          inFlight = undefined;
          subscriber.error(error);
        },
        empty: () => {
          inFlight = undefined;
          subscriber.error(new PaginationError('send completed without producing a response'));
        },
      });
    };

    const pump = () => {
      if (pumping) {
        again = true;
        return;
      }
      pumping = true;
      do {
        again = false;
        if (subscriber.closed || inFlight) break;
        if (allowed <= 0) {
          if (demandEnded) subscriber.complete();
          break;
        }
        allowed--;
        try {
          sendNext();
        } catch (error) {
          inFlight = undefined;
          subscriber.error(error);
        }
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
      if (inFlight) {
        inFlight.stop();
        inFlight.context.abort();
        inFlight = undefined;
      }
    };
  });
}

import { from, Observable, type Subscription } from 'rxjs';
import type { CompiledPaginator } from '../specs/compilePaginator';
import { PageCursor, type PageLimits, type PageStep } from './PageCursor';
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
export function pageSteps<I, O>(
  paginator: CompiledPaginator<I, O>,
  send: Send<I, O>,
  input: I,
  options: PageStepOptions,
): Observable<PageStep<O>> {
  return new Observable<PageStep<O>>((subscriber) => {
    const cursor = new PageCursor(paginator, input, options);
    let allowed = options.demand ? 0 : Infinity;
    let demandEnded = false;
    let inFlight: { context: LazySendContext; subscription?: Subscription; settled: boolean } | undefined;
    let pumping = false;
    let again = false;

    const settle = (request: NonNullable<typeof inFlight>): boolean => {
      if (request.settled) return false;
      request.settled = true;
      inFlight = undefined;
      request.subscription?.unsubscribe();
      return true;
    };

    const sendNext = () => {
      const request: NonNullable<typeof inFlight> = { context: new LazySendContext(), settled: false };
      inFlight = request;
      const subscription = from(send(cursor.request(), request.context)).subscribe({
        next: (output) => {
          if (!settle(request)) return;
          let step: PageStep<O>;
          try {
            step = cursor.accept(output);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          subscriber.next(step);
          if (step.then === 'next') pump();
          else if (step.then === 'complete') subscriber.complete();
          else subscriber.error(step.then);
        },
        error: (error: unknown) => {
          if (settle(request)) subscriber.error(error);
        },
        complete: () => {
          if (settle(request)) subscriber.error(new PaginationError('send completed without producing a response'));
        },
      });
      if (request.settled) subscription.unsubscribe();
      else request.subscription = subscription;
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
        const { context } = inFlight;
        settle(inFlight);
        context.abort();
      }
    };
  });
}

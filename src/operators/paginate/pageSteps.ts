import { Observable, type Subscription, type Unsubscribable } from 'rxjs';
import type { CompiledPaginator } from '../../specs/compilePaginator';
import { sendOnce, type ResponseHandlers } from '../../transport/sendOnce';
import { PageCursor, type PageStep } from './PageCursor';
import type { ResumePoint } from '../../tokens/resumeToken';
import type { PagePlan } from './PaginateOptions';
import { PaginationError } from '../../errors/PaginationError';
import { endingError, rememberPageResumePoint } from '../../tokens/resumeTokenOf';
import { scheduleAfter } from '../../transport/scheduleAfter';
import { RequestSignals } from '../../transport/RequestSignals';
import type { Send } from '../../transport/Send';

/** Marks the request being sent: `send` may answer before it returns its cancel function. */
const SENDING = (): void => {};

/**
 * The pagination engine: one request in flight at most, the next one sent
 * only after the page before it was delivered and demand allows it, or, with
 * `plan.prefetch`, while at most that many pages are fetched beyond the ones
 * demand allows (the page being delivered counts as allowed without demand):
 * those wait in a buffer, so the next request overlaps the work on a page.
 * Synchronous responses are handled in a loop, not by recursion, so a million
 * `of(page)` pages use a constant stack. Unsubscribing aborts the request in
 * flight. An error that ends the stream remembers where to resume: after the
 * last page delivered.
 * @internal
 */
export function pageSteps<I, O, T>(
  paginator: CompiledPaginator<I, O>,
  send: Send<I, O>,
  plan: PagePlan<I>,
  // Emitting project(step) here, not through a map() after, saves an operator hop per page.
  project: (step: PageStep<O>) => T,
): Observable<T> {
  const { retry, scheduler, seal } = plan;
  return new Observable<T>((subscriber) => {
    // A starting token that could not be opened or decoded errors here, on subscription.
    const cursor = new PageCursor(paginator, plan);
    let delivered: ResumePoint | string | undefined = plan.start?.ok ? plan.start.token : undefined;
    // Pages the subscriber may still take: demand's emissions not used yet, or one at a time without demand.
    let allowed = plan.demand ? 0 : 1;
    let demandEnded = false;
    const { prefetch } = plan;
    // Fetched, not yet delivered: pages, then the error that ends the stream, if one came.
    const buffer: Array<PageStep<O> | { readonly failure: unknown }> = [];
    let chainEnded = false;
    let retries = 0;
    // Cancels the request in flight, or the timer of a retry; SENDING while send() has not returned yet.
    let busy: (() => void) | undefined;
    let pumping = false;
    let again = false;
    // Requests go out one at a time: they share an abort signal while nothing listens on it.
    const signals = new RequestSignals();

    // Every error that ends this pagination leaves as its own object, carrying where to resume.
    const fail = (error: unknown) => subscriber.error(endingError(error, delivered, seal));
    const run = plan.instrumentation?.start(send, fail);
    const sending = run?.send ?? send;

    // Pages fetched before the failure are still delivered first.
    const end = (failure: unknown) => {
      chainEnded = true;
      buffer.push({ failure });
      pump();
    };

    const failed = (error: unknown) => {
      busy = undefined;
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
      // Marked as waiting before scheduling: a scheduler may run the retry at once (queueScheduler, delay 0),
      // and the retry's request must then stay the one an unsubscription aborts.
      let timer: Subscription | undefined;
      const waiting = () => timer?.unsubscribe();
      busy = waiting;
      try {
        timer = scheduleAfter(
          scheduler,
          () => {
            if (busy !== waiting) return;
            busy = undefined;
            sendNext();
          },
          delayMs,
        );
      } catch (schedulerError) {
        end(schedulerError);
      }
    };

    // One set of handlers for every page of this subscription: each request has its own once-only guard.
    const handlers: ResponseHandlers<O> = {
      value: (output) => {
        busy = undefined;
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
      },
      error: failed,
      empty: () => failed(new PaginationError('send completed without producing a response')),
      stopped: () => subscriber.closed,
    };

    const sendNext = () => {
      busy = SENDING;
      const cancel = sendOnce(sending, cursor.request(), handlers, signals);
      if (busy === SENDING) busy = cancel;
      // Unsubscribed while send() ran: abort the request (a no-op if its answer is already in).
      else if (subscriber.closed) cancel();
    };

    // Fetched or in flight, not delivered, at most `prefetch` beyond what the subscriber may take.
    const maySend = () => !busy && !chainEnded && buffer.length < allowed + prefetch;

    const deliver = (): boolean => {
      const next = buffer[0];
      if (next === undefined) return false;
      if ('failure' in next) {
        fail(next.failure);
        return true;
      }
      if (allowed <= 0) return false;
      buffer.shift();
      if (plan.demand) allowed--;
      subscriber.next(project(next));
      delivered = next.resumePoint;
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

    let demand: Unsubscribable | undefined;
    try {
      demand = plan.demand?.subscribe({
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
      return fail(error);
    }
    pump();

    return () => {
      demand?.unsubscribe();
      const cancel = busy;
      busy = undefined;
      cancel?.();
    };
  });
}

/**
 * The engine's page stream, each page remembering where to resume after it
 * (read with `resumeTokenOf`): paginate's output.
 * @internal
 */
export function pages<I, O>(paginator: CompiledPaginator<I, O>, send: Send<I, O>, plan: PagePlan<I>): Observable<O> {
  const { seal } = plan;
  return pageSteps(paginator, send, plan, (step) => {
    rememberPageResumePoint(step.page, step.resumePoint, seal);
    return step.page;
  });
}

import type { ServerResponse } from 'node:http';
import { defer, Observable, Subject } from 'rxjs';

/**
 * Runs `produce` with a `demand` for `paginate()` metered by an HTTP
 * response: one page at once, then one more each time the page before it has
 * been written to `response` without backing it up, that is at once when
 * `response.write()` kept up, or at the response's next `'drain'`.
 *
 * Nest's `@Sse()` writes each event through its SSE stream into the response
 * within the turn of the event loop in which it is emitted (a stream write, a
 * `process.nextTick()` and a promise), so the response is looked at in the
 * next turn (`setImmediate`), once the page is in it. A client that stops
 * reading fills the socket buffers, `write()` returns `false`, and no page is
 * requested until the socket drains: what is read ahead of the client is what
 * the socket buffers hold, plus the page in the response's own buffer.
 *
 * Unsubscribing (Nest does so when the client disconnects) drops the wait for
 * `'drain'`, and `paginate()` aborts the request in flight.
 *
 * @example
 * ```ts
 * @Sse('scan')
 * scan(@Res({ passthrough: true }) response: ServerResponse): Observable<MessageEvent> {
 *   return meteredBy(response, (demand) => paginate(Scan, client, input, { demand })).pipe(map(toEvent));
 * }
 * ```
 */
export function meteredBy<T>(response: ServerResponse, produce: (demand: Observable<void>) => Observable<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const granted = new Subject<void>();
    let stopWaiting: (() => void) | undefined;

    const grantOnceWritten = () => {
      const turn = setImmediate(() => {
        if (!response.writableNeedDrain) {
          stopWaiting = undefined;
          granted.next();
          return;
        }
        const onDrain = () => {
          stopWaiting = undefined;
          granted.next();
        };
        response.once('drain', onDrain);
        stopWaiting = () => response.off('drain', onDrain);
      });
      stopWaiting = () => clearImmediate(turn);
    };

    // The first page is granted as the demand is subscribed to; the others once the page before is written.
    const demand = new Observable<void>((demandSubscriber) => {
      const subscription = granted.subscribe(demandSubscriber);
      demandSubscriber.next();
      return subscription;
    });

    const subscription = defer(() => produce(demand)).subscribe({
      next: (value) => {
        subscriber.next(value);
        if (!subscriber.closed) grantOnceWritten();
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    });

    return () => {
      subscription.unsubscribe();
      stopWaiting?.();
      stopWaiting = undefined;
    };
  });
}

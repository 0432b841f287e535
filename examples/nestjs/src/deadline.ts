import { HttpStatus } from '@nestjs/common';
import { defer, finalize, type Observable } from 'rxjs';
import { abortReason } from './awsErrors';

/**
 * Runs `work` with an `AbortSignal` to give rxjs-aws (its `abortSignal`
 * option), aborted when `parent` is (the app shutting down), with its
 * reason, or after `seconds`, with a 504: the requests in flight are aborted
 * and the work errors with that reason. Its timer, and its listener on the
 * long-lived `parent`, go when the work ends, however it ends.
 * @example
 * ```ts
 * withDeadline(shutdown, 30, (abortSignal) => parallelScan(client, { TableName }, { totalSegments: 4, abortSignal }));
 * ```
 */
export function withDeadline<T>(
  parent: AbortSignal,
  seconds: number,
  work: (abortSignal: AbortSignal) => Observable<T>,
): Observable<T> {
  return defer(() => {
    const controller = new AbortController();
    const onParent = () => controller.abort(parent.reason);
    if (parent.aborted) onParent();
    else parent.addEventListener('abort', onParent, { once: true });
    const timer = setTimeout(
      () => controller.abort(abortReason(HttpStatus.GATEWAY_TIMEOUT, `no answer within the deadline of ${seconds} s`)),
      seconds * 1000,
    );
    return work(controller.signal).pipe(
      finalize(() => {
        clearTimeout(timer);
        parent.removeEventListener('abort', onParent);
      }),
    );
  });
}

import { Subject, type Subscription } from 'rxjs';
import { compilePaginator, type CompiledPaginator } from '../../specs/compilePaginator';
import type { BoundPaginator, InputFor, OutputFor, SendOrClient } from '../../specs/bound';
import { resolveSend, type SdkClient } from '../../transport/Send';
import type { PaginatorSpec } from '../../specs/types';
import { pagePlan, type PaginateOptions } from './PaginateOptions';
import { pages } from './pageSteps';
import type { Send } from '../../transport/Send';
import type { PageIterator } from './PageIterator';

type Waiting<O> = { resolve: (result: IteratorResult<O, undefined>) => void; reject: (error: unknown) => void };

/**
 * Pages as a pull-based async iterator: a page is requested only when `next()`
 * is called, and `return()` (a `break` out of `for await`) aborts the request
 * in flight. `from(asyncGenerator)` does neither. Options are checked by
 * this call, as {@link paginate}'s are.
 *
 * @example
 * ```ts
 * for await (const page of paginateIterable(scanSpec, send, { TableName: 'music' })) {
 *   if (await handle(page)) break; // aborts nothing in flight: nothing was requested
 * }
 * ```
 */
export function paginateIterable<I, O, BoundI = never, BoundO = never, C = unknown, G extends SdkClient = SdkClient>(
  spec: PaginatorSpec | CompiledPaginator<I, O> | BoundPaginator<BoundI, BoundO, unknown, C>,
  sendOrClient: SendOrClient<I, O, BoundI, C, G>,
  input: InputFor<I, BoundI>,
  options?: Omit<PaginateOptions, 'demand'>,
): PageIterator<OutputFor<O, BoundI, BoundO>>;
export function paginateIterable<I, O>(
  spec: PaginatorSpec | CompiledPaginator<I, O> | BoundPaginator<I, O, unknown>,
  sendOrClient: Send<I, O> | SdkClient,
  input: I,
  options: Omit<PaginateOptions, 'demand'> = {},
): PageIterator<O> {
  const paginator = compilePaginator<I, O>(spec);
  const send = resolveSend<I, O>(spec, sendOrClient);
  const demand = new Subject<void>();
  const plan = pagePlan(paginator, input, options, demand, spec);
  const waiting: Waiting<O>[] = [];
  let subscription: Subscription | undefined;
  let ended = false;
  let failure: { error: unknown } | undefined;

  const finish = () => {
    ended = true;
    subscription?.unsubscribe();
    for (const w of waiting.splice(0)) w.resolve({ done: true, value: undefined });
  };

  const iterator: PageIterator<O> = {
    next() {
      if (failure) {
        const { error } = failure;
        failure = undefined;
        ended = true;
        return Promise.reject(error);
      }
      if (ended) return Promise.resolve({ done: true, value: undefined });
      const result = new Promise<IteratorResult<O, undefined>>((resolve, reject) => waiting.push({ resolve, reject }));
      subscription ??= pages(paginator, send, plan).subscribe({
        next: (page) => waiting.shift()?.resolve({ done: false, value: page }),
        error: (error: unknown) => {
          const first = waiting.shift();
          if (first) first.reject(error);
          else failure = { error };
          finish();
        },
        complete: finish,
      });
      demand.next();
      return result;
    },
    return() {
      failure = undefined;
      finish();
      return Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

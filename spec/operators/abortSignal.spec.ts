/**
 * The `abortSignal` option of every function that sends (issue 20): already aborted, nothing is sent and
 * the Observable errors with the signal's reason; aborted mid-way, the request in flight is aborted and
 * the Observable errors with the reason (never completes empty, never an EmptyError under lastValueFrom);
 * it composes with unsubscribing, and its listener is gone once the work ends. The sends here are
 * scripted (what each must do with the signal is the point); spec/integration/abortSignal.spec.ts runs
 * the same through the real DynamoDB client against dynalite.
 */
import { getEventListeners } from 'node:events';
import { lastValueFrom, NEVER, of, take, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  fullResult,
  paginate,
  paginateIterable,
  processPages,
  resumeTokenOf,
  waitFor,
  waitForAttempts,
  type Send,
  type WaiterSpec,
} from '../../src';

type Input = { NextToken?: string };
type Page = { Items: number[]; NextToken?: string };
const spec = { input_token: 'NextToken', output_token: 'NextToken', result_key: 'Items' };

/**
 * Pages 0..last (page n holds item n), answered on a later turn of the event loop; page `holdAt` is held
 * until its signal aborts, which rejects it as SDK v3 does. Records every request and every abort heard.
 */
function service(last: number, holdAt = Infinity) {
  const requests: number[] = [];
  const aborted: number[] = [];
  const send: Send<Input, Page> = (input, { abortSignal }) => {
    const n = Number(input.NextToken ?? 0);
    requests.push(n);
    return new Promise<Page>((resolve, reject) => {
      const onAbort = () => {
        aborted.push(n);
        reject(abortSignal.reason as Error);
      };
      if (abortSignal.aborted) return onAbort();
      abortSignal.addEventListener('abort', onAbort, { once: true });
      if (n === holdAt) return;
      setImmediate(() => {
        abortSignal.removeEventListener('abort', onAbort);
        resolve({ Items: [n], ...(n < last && { NextToken: String(n + 1) }) });
      });
    });
  };
  return { send, requests, aborted };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await turn();
  if (!condition()) throw new Error('condition never met');
}
const listenersOn = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;
const isAbortError = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

describe('abortSignal: already aborted', () => {
  const aborted = () => AbortSignal.abort();

  it.each([
    [
      'paginate',
      (signal: AbortSignal, send: Send<Input, Page>) => lastValueFrom(paginate(spec, send, {}, { abortSignal: signal })),
    ],
    [
      'fullResult',
      (signal: AbortSignal, send: Send<Input, Page>) => lastValueFrom(fullResult(spec, send, {}, { abortSignal: signal })),
    ],
    [
      'paginateIterable',
      (signal: AbortSignal, send: Send<Input, Page>) => paginateIterable(spec, send, {}, { abortSignal: signal }).next(),
    ],
  ])('%s sends nothing and rejects with the signal’s reason, an AbortError', async (_name, run) => {
    const { send, requests } = service(3);
    const signal = aborted();
    const error = await run(signal, send).catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
    expect(error).toBe(signal.reason);
    expect(requests).toEqual([]);
    expect(resumeTokenOf(error)).toBeUndefined();
  });

  it('a custom reason is what the Observable errors with, as it is', async () => {
    const reason = new Error('shutting down');
    const { send, requests } = service(3);
    await expect(lastValueFrom(paginate(spec, send, {}, { abortSignal: AbortSignal.abort(reason) }))).rejects.toBe(reason);
    expect(requests).toEqual([]);
  });

  it('a waiter sends nothing and rejects with the reason, not after polling until a timeout', async () => {
    let polls = 0;
    const waiter: WaiterSpec = {
      delay: 1,
      maxAttempts: 5,
      acceptors: [{ state: 'success', matcher: 'path', argument: 'Done', expected: true }],
    };
    const send: Send<object, { Done: boolean }> = () => (polls++, of({ Done: false }));
    const signal = aborted();
    await expect(lastValueFrom(waitFor(waiter, send, {}, { abortSignal: signal }))).rejects.toBe(signal.reason);
    await expect(lastValueFrom(waitForAttempts(waiter, send, {}, { abortSignal: signal }))).rejects.toBe(signal.reason);
    expect(polls).toBe(0);
  });
});

describe('abortSignal: aborted mid-way', () => {
  it('paginate aborts the request in flight and errors with the reason, which resumes after the last page delivered', async () => {
    const { send, requests, aborted } = service(9, 3);
    const controller = new AbortController();
    const pages: Page[] = [];
    const ended = new Promise<unknown>((resolve) =>
      paginate(spec, send, {}, { abortSignal: controller.signal }).subscribe({
        next: (page) => pages.push(page),
        error: resolve,
        complete: () => resolve('completed'),
      }),
    );
    await until(() => requests.length === 4);
    controller.abort();
    const error = await ended;
    expect(isAbortError(error)).toBe(true);
    expect(aborted).toEqual([3]);
    expect(pages.map((page) => page.Items[0])).toEqual([0, 1, 2]);
    expect(listenersOn(controller.signal)).toBe(0);
    const rest = await lastValueFrom(
      paginate(spec, service(9).send, {}, { startingToken: resumeTokenOf(error) }).pipe(toArray()),
    );
    expect(rest.map((page) => page.Items[0])).toEqual([3, 4, 5, 6, 7, 8, 9]);
  });

  it('fullResult and paginateIterable reject with the reason, the request in flight aborted', async () => {
    const full = service(9, 2);
    const controller = new AbortController();
    const result = lastValueFrom(fullResult(spec, full.send, {}, { abortSignal: controller.signal })).catch((e: unknown) => e);
    await until(() => full.requests.length === 3);
    controller.abort('stop');
    expect(await result).toBe('stop');
    expect(full.aborted).toEqual([2]);

    const iterable = service(9, 1);
    const second = new AbortController();
    const pages = paginateIterable(spec, iterable.send, {}, { abortSignal: second.signal });
    expect((await pages.next()).value?.Items).toEqual([0]);
    const next = pages.next().catch((e: unknown) => e);
    await until(() => iterable.requests.length === 2);
    second.abort();
    expect(isAbortError(await next)).toBe(true);
    expect(iterable.aborted).toEqual([1]);
    expect(listenersOn(second.signal)).toBe(0);
  });

  it('a wait aborted while a poll is in flight rejects with the reason, never an EmptyError', async () => {
    const waiter: WaiterSpec = {
      delay: 0,
      maxAttempts: 100,
      acceptors: [{ state: 'success', matcher: 'path', argument: 'Done', expected: true }],
    };
    let polls = 0;
    let heard = 0;
    const send: Send<object, { Done: boolean }> = (_input, { abortSignal }) => {
      polls++;
      if (polls < 3) return of({ Done: false });
      return new Promise((_resolve, reject) =>
        abortSignal.addEventListener('abort', () => (heard++, reject(abortSignal.reason as Error)), { once: true }),
      );
    };
    const controller = new AbortController();
    const done = lastValueFrom(waitFor(waiter, send, {}, { abortSignal: controller.signal })).catch((e: unknown) => e);
    await until(() => polls === 3);
    controller.abort();
    expect(isAbortError(await done)).toBe(true);
    expect(heard).toBe(1);
    expect(listenersOn(controller.signal)).toBe(0);
  });

  it('a wait aborted between polls clears its timer and rejects at once (virtual time)', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ expectObservable, flush }) => {
      const waiter: WaiterSpec = {
        delay: 10,
        maxAttempts: 100,
        acceptors: [{ state: 'success', matcher: 'path', argument: 'Done', expected: true }],
      };
      let polls = 0;
      const controller = new AbortController();
      const reason = new Error('cancelled');
      scheduler.schedule(() => controller.abort(reason), 25_000);
      expectObservable(
        waitFor(waiter, () => (polls++, of({ Done: false })), {}, { scheduler, abortSignal: controller.signal }),
      ).toBe('25s #', undefined, reason);
      flush();
      expect(polls).toBe(3); // at 0, 10 and 20 s; none after the abort
      expect(scheduler.actions).toHaveLength(0);
    });
  });
});

describe('abortSignal composes with unsubscribing and leaves nothing on the signal', () => {
  it('unsubscribing first: nothing errors when the signal aborts later, and its listener is gone', async () => {
    const { send, aborted } = service(9, 1);
    const controller = new AbortController();
    const errors: unknown[] = [];
    const subscription = paginate(spec, send, {}, { abortSignal: controller.signal }).subscribe({ error: (e) => errors.push(e) });
    await until(() => aborted.length === 0 && listenersOn(controller.signal) === 1);
    subscription.unsubscribe();
    expect(listenersOn(controller.signal)).toBe(0);
    controller.abort();
    await turn();
    expect(errors).toEqual([]);
  });

  it('a completed pagination, an errored one and a take(1) remove their listener from a long-lived signal', async () => {
    const controller = new AbortController();
    const abortSignal = controller.signal;
    await lastValueFrom(paginate(spec, service(2).send, {}, { abortSignal }));
    await lastValueFrom(paginate(spec, () => Promise.reject(new Error('down')), {}, { abortSignal })).catch(() => undefined);
    await lastValueFrom(paginate(spec, service(9).send, {}, { abortSignal }).pipe(take(1)));
    await lastValueFrom(fullResult(spec, service(2).send, {}, { abortSignal }));
    const iterator = paginateIterable(spec, service(2).send, {}, { abortSignal });
    await iterator.next();
    await iterator.return();
    const waiter: WaiterSpec = {
      delay: 0,
      maxAttempts: 3,
      acceptors: [{ state: 'success', matcher: 'path', argument: 'Done', expected: true }],
    };
    await lastValueFrom(waitFor(waiter, () => of({ Done: true }), {}, { abortSignal }));
    expect(listenersOn(abortSignal)).toBe(0);
  });

  it('one signal for several paginations: each errors with the reason; each last page says where it stopped', async () => {
    const a = service(9, 2);
    const b = service(9, 4);
    const controller = new AbortController();
    const lastOf = (send: Send<Input, Page>) => {
      let last: Page | undefined;
      const ended = new Promise<unknown>((resolve) =>
        paginate(spec, send, {}, { abortSignal: controller.signal }).subscribe({ next: (page) => (last = page), error: resolve }),
      );
      return { ended, last: () => last };
    };
    const [first, second] = [lastOf(a.send), lastOf(b.send)];
    await until(() => a.requests.length === 3 && b.requests.length === 5);
    controller.abort();
    const [errorA, errorB] = await Promise.all([first.ended, second.ended]);
    expect(errorA).toBe(controller.signal.reason);
    expect(errorB).toBe(controller.signal.reason);
    // No one place is right for both: the reason names none, and each pagination's last page names its own.
    expect(resumeTokenOf(errorA)).toBeUndefined();
    expect(first.last()?.Items).toEqual([1]);
    expect(second.last()?.Items).toEqual([3]);
    expect(Buffer.from(resumeTokenOf(first.last())!, 'base64').toString()).toBe('{"NextToken": "2"}');
    expect(Buffer.from(resumeTokenOf(second.last())!, 'base64').toString()).toBe('{"NextToken": "4"}');
  });

  it('processPages takes the signal: its reads are aborted, and its work ends with the reason', async () => {
    const { send, aborted, requests } = service(9, 2);
    const controller = new AbortController();
    const done: number[] = [];
    const ended = lastValueFrom(
      processPages(
        spec,
        send,
        {},
        async (page) => {
          done.push(page.Items[0]!);
          return page.Items[0];
        },
        { abortSignal: controller.signal },
      ),
    ).catch((e: unknown) => e);
    await until(() => requests.length === 3);
    controller.abort();
    expect(isAbortError(await ended)).toBe(true);
    expect(aborted).toEqual([2]);
    expect(done).toEqual([0, 1]);
  });

  it('a send that never answers is still aborted by the signal', async () => {
    const controller = new AbortController();
    let signal: AbortSignal | undefined;
    const ended = lastValueFrom(
      paginate(spec, (_input, context) => ((signal = context.abortSignal), NEVER), {}, { abortSignal: controller.signal }),
    ).catch((e: unknown) => e);
    controller.abort();
    expect(isAbortError(await ended)).toBe(true);
    expect(signal?.aborted).toBe(true);
  });
});

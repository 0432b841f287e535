import { of } from 'rxjs';
import { paginateIterable, PaginationError, SpecError, type PaginatorSpec, type Send } from '../../../src';

type Input = { NextToken?: string; T?: string };
type Page = { Items: number[]; NextToken?: string };

const spec: PaginatorSpec = { input_token: 'NextToken', output_token: 'NextToken', result_key: 'Items' };

/** A send whose every request waits until the test answers it. */
/** Requests answered by hand; each listens for its abort until it is answered, as an SDK v3 client does. */
function manual() {
  const requests: {
    input: Input;
    signal: AbortSignal;
    heardAbort: jest.Mock;
    resolve: (page: Page) => void;
    reject: (error: unknown) => void;
  }[] = [];
  const send: Send<Input, Page> = (input, { abortSignal }) =>
    new Promise<Page>((resolve, reject) => {
      const heardAbort = jest.fn();
      abortSignal.addEventListener('abort', heardAbort);
      const done = () => abortSignal.removeEventListener('abort', heardAbort);
      requests.push({
        input,
        signal: abortSignal,
        heardAbort,
        resolve: (page) => (done(), resolve(page)),
        reject: (error) => (done(), reject(error)),
      });
    });
  /** Answers request i with page i of `last` (token = next page number). */
  const answer = (i: number, last: number) => requests[i]!.resolve({ Items: [i], ...(i < last && { NextToken: String(i + 1) }) });
  return { send, requests, answer };
}

/** Pages 0..last synchronously, counting calls. */
function numbered(last: number) {
  const calls: Input[] = [];
  const send: Send<Input, Page> = (input) => {
    calls.push(input);
    const n = input.NextToken === undefined ? 0 : Number(input.NextToken);
    return of({ Items: [n], ...(n < last && { NextToken: String(n + 1) }) });
  };
  return { send, calls };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('paginateIterable', () => {
  it('requests a page only when next() is called', async () => {
    const { send, requests, answer } = manual();
    const pages = paginateIterable(spec, send, { T: 't' });
    await flush();
    expect(requests).toHaveLength(0);

    const first = pages.next();
    expect(requests).toHaveLength(1);
    expect(requests[0]!.input).toEqual({ T: 't' });
    answer(0, 5);
    expect(await first).toEqual({ done: false, value: { Items: [0], NextToken: '1' } });
    await flush();
    expect(requests).toHaveLength(1);

    const second = pages.next();
    expect(requests).toHaveLength(2);
    expect(requests[1]!.input).toEqual({ T: 't', NextToken: '1' });
    answer(1, 5);
    expect(await second).toEqual({ done: false, value: { Items: [1], NextToken: '2' } });
    await flush();
    expect(requests).toHaveLength(2);
  });

  it('is its own async iterator, and for await reads every page', async () => {
    const { send, calls } = numbered(3);
    const pages = paginateIterable(spec, send, {});
    expect(pages[Symbol.asyncIterator]()).toBe(pages);
    const seen: number[] = [];
    for await (const page of pages) seen.push(...page.Items);
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(calls).toHaveLength(4);
  });

  it('is done after the last page, and stays done without sending anything', async () => {
    const { send, calls } = numbered(1);
    const pages = paginateIterable(spec, send, {});
    expect((await pages.next()).done).toBe(false);
    expect((await pages.next()).done).toBe(false);
    expect(await pages.next()).toEqual({ done: true, value: undefined });
    expect(await pages.next()).toEqual({ done: true, value: undefined });
    expect(calls).toHaveLength(2);
  });

  it('a break out of for await sends nothing more', async () => {
    const { send, calls } = numbered(100);
    const pages = paginateIterable(spec, send, {});
    for await (const page of pages) if (page.Items[0] === 2) break;
    expect(calls).toHaveLength(3);
    expect(await pages.next()).toEqual({ done: true, value: undefined });
    expect(calls).toHaveLength(3);
  });

  it('return() aborts the request in flight, ends the pending next() and sends nothing more', async () => {
    const { send, requests, answer } = manual();
    const pages = paginateIterable(spec, send, {});
    const first = pages.next();
    answer(0, 5);
    await first;
    const pending = pages.next();
    expect(requests).toHaveLength(2);
    expect(requests[1]!.signal.aborted).toBe(false);

    expect(await pages.return!()).toEqual({ done: true, value: undefined });
    expect(requests[1]!.signal.aborted).toBe(true);
    expect(requests[1]!.heardAbort).toHaveBeenCalledTimes(1);
    // The answered request is not aborted: its listener never hears it (its signal may be the one it shared).
    expect(requests[0]!.heardAbort).not.toHaveBeenCalled();
    expect(await pending).toEqual({ done: true, value: undefined });

    answer(1, 5); // a late answer to the aborted request is ignored
    expect(await pages.next()).toEqual({ done: true, value: undefined });
    await flush();
    expect(requests).toHaveLength(2);
  });

  it('return() before the first next() sends nothing at all', async () => {
    const { send, calls } = numbered(3);
    const pages = paginateIterable(spec, send, {});
    await pages.return!();
    expect(await pages.next()).toEqual({ done: true, value: undefined });
    expect(calls).toHaveLength(0);
  });

  it('rejects next() with the service error, then is done', async () => {
    const { send, requests, answer } = manual();
    const boom = new Error('boom');
    const pages = paginateIterable(spec, send, {});
    const first = pages.next();
    answer(0, 5);
    await first;
    const second = pages.next();
    requests[1]!.reject(boom);
    await expect(second).rejects.toBe(boom);
    expect(await pages.next()).toEqual({ done: true, value: undefined });
    expect(requests).toHaveLength(2);
  });

  it('delivers the page that closed a token cycle, then rejects the next next()', async () => {
    const send: Send<Input, Page> = () => of({ Items: [1], NextToken: 'same' });
    const pages = paginateIterable(spec, send, {});
    expect((await pages.next()).done).toBe(false);
    expect((await pages.next()).done).toBe(false);
    await expect(pages.next()).rejects.toThrow(/^The same next token was received twice/);
    expect(await pages.next()).toEqual({ done: true, value: undefined });
  });

  // An error that arrived while no next() was waiting must not surface after return(): a closed iterator stays done.
  test('stays done after return(), even when an error was waiting to be reported', async () => {
    const send: Send<Input, Page> = () => of({ Items: [1], NextToken: 'same' });
    const pages = paginateIterable(spec, send, {});
    await pages.next();
    await pages.next(); // the page that closed the cycle; the error now waits for the next next()
    expect(await pages.return!()).toEqual({ done: true, value: undefined });
    expect(await pages.next()).toEqual({ done: true, value: undefined });
  });

  it('resolves concurrent next() calls in order, one request at a time', async () => {
    const { send, requests, answer } = manual();
    const pages = paginateIterable(spec, send, {});
    const results = [pages.next(), pages.next(), pages.next(), pages.next()];
    expect(requests).toHaveLength(1);
    answer(0, 2);
    await flush();
    expect(requests).toHaveLength(2);
    answer(1, 2);
    await flush();
    expect(requests).toHaveLength(3);
    answer(2, 2);
    expect(await Promise.all(results)).toEqual([
      { done: false, value: { Items: [0], NextToken: '1' } },
      { done: false, value: { Items: [1], NextToken: '2' } },
      { done: false, value: { Items: [2] } },
      { done: true, value: undefined },
    ]);
    expect(requests).toHaveLength(3);
  });

  it('resolves concurrent next() calls in order with synchronous pages', async () => {
    const { send, calls } = numbered(5);
    const pages = paginateIterable(spec, send, {});
    const results = await Promise.all([pages.next(), pages.next(), pages.next()]);
    expect(results.map((r) => (r.done ? 'done' : r.value.Items[0]))).toEqual([0, 1, 2]);
    expect(calls).toHaveLength(3);
  });

  it('rejects the first next() for a bad startingToken, sending nothing', async () => {
    const { send, calls } = numbered(3);
    const pages = paginateIterable(spec, send, {}, { startingToken: 'a___b___c' });
    const error = await pages.next().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as Error).message).toMatch(/^Bad starting token/);
    expect(await pages.next()).toEqual({ done: true, value: undefined });
    expect(calls).toHaveLength(0);
  });

  it('throws a SpecError for bad options when called, sending nothing', () => {
    const { send, calls } = numbered(3);
    expect(() => paginateIterable(spec, send, {}, { pageSize: 10 })).toThrow(
      expect.objectContaining({ name: 'SpecError', field: 'options.pageSize' }),
    );
    // It meters its own requests: demand is not one of its options.
    expect(() => paginateIterable(spec, send, {}, { demand: of(1) } as never)).toThrow(
      new SpecError(
        'options.demand',
        'unknown option; the options are pageSize, maxItems, startingToken, prefetch, retry, scheduler, signer, governor, progress, abortSignal',
      ),
    );
    expect(calls).toHaveLength(0);
  });

  it('honours maxItems and startingToken', async () => {
    const { send, calls } = numbered(5);
    const pages = paginateIterable(spec, send, {}, { maxItems: 2, startingToken: '3' });
    const seen: Page[] = [];
    for await (const page of pages) seen.push(page);
    expect(seen.map((p) => p.Items)).toEqual([[3], [4]]);
    expect(calls.map((c) => c.NextToken)).toEqual(['3', '4']);
  });
});

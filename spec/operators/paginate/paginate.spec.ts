import {
  defer,
  firstValueFrom,
  lastValueFrom,
  NEVER,
  Observable,
  of,
  queueScheduler,
  Subject,
  Subscriber,
  take,
  throwError,
  toArray,
} from 'rxjs';
import { compilePaginator, paginate, PaginationError, resumeTokenOf, SpecError, type Send } from '../../../src';

type Input = { TableName?: string; NextToken?: unknown; Limit?: number };
type Output = { Items: number[]; NextToken?: unknown };

const spec = compilePaginator<Input, Output>({
  input_token: 'NextToken',
  output_token: 'NextToken',
  limit_key: 'Limit',
  result_key: 'Items',
});

/** Pages 0..last, two items each, token = next page number (as a string). */
function numbered(last: number) {
  const calls: Input[] = [];
  const signals: AbortSignal[] = [];
  const send: Send<Input, Output> = (input, context) => {
    calls.push(input);
    signals.push(context.abortSignal);
    const n = input.NextToken === undefined ? 0 : Number(input.NextToken);
    return of({ Items: [2 * n, 2 * n + 1], ...(n < last && { NextToken: String(n + 1) }) });
  };
  return { send, calls, signals };
}

describe('paginate', () => {
  it('sends nothing before subscription', () => {
    const { send, calls } = numbered(3);
    paginate(spec, send, {});
    expect(calls).toHaveLength(0);
  });

  it('follows tokens until none is left, one emission per page', async () => {
    const { send, calls } = numbered(3);
    const pages = await lastValueFrom(paginate(spec, send, { TableName: 't' }).pipe(toArray()));
    expect(pages.map((p) => p.Items)).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
      [6, 7],
    ]);
    expect(calls).toEqual([
      { TableName: 't' },
      { TableName: 't', NextToken: '1' },
      { TableName: 't', NextToken: '2' },
      { TableName: 't', NextToken: '3' },
    ]);
  });

  it('take(2) makes exactly two calls and aborts nothing that finished', async () => {
    const { send, calls } = numbered(100);
    await lastValueFrom(paginate(spec, send, {}).pipe(take(2)));
    expect(calls).toHaveLength(2);
  });

  it('never mutates the caller input, and every subscription starts from it again', async () => {
    const { send, calls } = numbered(2);
    const input = Object.freeze({ TableName: 't' });
    const pages$ = paginate(spec, send, input, { pageSize: 2 });
    await lastValueFrom(pages$);
    await lastValueFrom(pages$);
    expect(input).toEqual({ TableName: 't' });
    expect(calls.map((c) => c.NextToken)).toEqual([undefined, '1', '2', undefined, '1', '2']);
    expect(calls.every((c) => c.Limit === 2)).toBe(true);
    expect(new Set(calls).size).toBe(calls.length);
  });

  it('aborts the request in flight on unsubscribe and sends nothing more', () => {
    const seen: AbortSignal[] = [];
    const send: Send<Input, Output> = (_input, { abortSignal }) => {
      seen.push(abortSignal);
      return NEVER;
    };
    const subscription = paginate(spec, send, {}).subscribe();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.aborted).toBe(false);
    subscription.unsubscribe();
    expect(seen[0]!.aborted).toBe(true);
    expect(seen).toHaveLength(1);
  });

  it('waits for the previous page before sending the next (one request in flight)', async () => {
    let inFlight = 0;
    let most = 0;
    const send: Send<Input, Output> = (input) =>
      defer(async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setImmediate(r));
        inFlight--;
        const n = Number(input.NextToken ?? 0);
        return { Items: [n], ...(n < 5 && { NextToken: String(n + 1) }) };
      });
    expect(await lastValueFrom(paginate(spec, send, {}).pipe(toArray()))).toHaveLength(6);
    expect(most).toBe(1);
  });

  it('compares tokens by value, so an object token repeating is a cycle', async () => {
    const mapSpec = { input_token: 'ExclusiveStartKey', output_token: 'LastEvaluatedKey', result_key: 'Items' };
    let call = 0;
    const send: Send<Record<string, unknown>, Record<string, unknown>> = () =>
      of({ Items: [call], LastEvaluatedKey: { pk: { S: `k${call++ % 2}` } } });
    const error = await lastValueFrom(paginate(mapSpec, send, {}).pipe(toArray())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as Error).message).toMatch(/2 pages earlier/);
    expect(call).toBe(3);
  });

  it('catches cycles longer than the exact window without growing memory', async () => {
    const cycle = 5000;
    let calls = 0;
    const send: Send<Input, Output> = (input) => {
      calls++;
      const n = Number(input.NextToken ?? 0);
      return of({ Items: [n], NextToken: String((n + 1) % cycle) });
    };
    const error = await lastValueFrom(paginate(spec, send, {})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect(calls).toBeLessThan(4 * cycle);
  });

  it('reports the same token twice in a row in botocore words, after delivering the page', async () => {
    const send: Send<Input, Output> = () => of({ Items: [1], NextToken: 'same' });
    const pages: Output[] = [];
    const error = await new Promise((resolve) =>
      paginate(spec, send, {}).subscribe({ next: (p) => pages.push(p), error: resolve }),
    );
    expect((error as Error).message).toMatch(/^The same next token was received twice/);
    expect(pages).toHaveLength(2);
  });

  it('runs a million synchronous pages on a flat stack', async () => {
    const send: Send<Input, Output> = (input) => {
      const n = input.NextToken === undefined ? 0 : Number(input.NextToken);
      return of({ Items: [n], ...(n < 999_999 && { NextToken: String(n + 1) }) });
    };
    let count = 0;
    await new Promise<void>((resolve, reject) =>
      paginate(spec, send, {}).subscribe({ next: () => count++, error: reject, complete: resolve }),
    );
    expect(count).toBe(1_000_000);
    // A million pages of CPU work: 15 s at a load average of 10 on 2 cores. The limit only catches a hang.
  }, 300_000);

  it('requests a page only when demand allows it', () => {
    const { send, calls } = numbered(10);
    const demand = new Subject<void>();
    const pages: Output[] = [];
    paginate(spec, send, {}, { demand }).subscribe((p) => pages.push(p));
    expect(calls).toHaveLength(0);
    demand.next();
    expect(calls).toHaveLength(1);
    demand.next();
    demand.next();
    expect(calls).toHaveLength(3);
    expect(pages).toHaveLength(3);
  });

  it('completes after the allowed pages when demand completes', async () => {
    const { send, calls } = numbered(10);
    const pages = await lastValueFrom(paginate(spec, send, {}, { demand: of(1, 2) }).pipe(toArray()));
    expect(pages).toHaveLength(2);
    expect(calls).toHaveLength(2);
  });

  it('gives every page a resume token that continues right after it', async () => {
    const { send } = numbered(5);
    const page = await lastValueFrom(paginate(spec, send, {}).pipe(take(2)));
    const rest = await lastValueFrom(paginate(spec, send, {}, { startingToken: resumeTokenOf(page) }).pipe(toArray()));
    expect(rest.map((p) => p.Items[0])).toEqual([4, 6, 8, 10]);
    expect(resumeTokenOf(rest[rest.length - 1]!)).toBeUndefined();
  });

  it('cuts the page at maxItems and resumes inside it without repeating an item', async () => {
    const { send } = numbered(3);
    const first = await lastValueFrom(paginate(spec, send, {}, { maxItems: 3 }).pipe(toArray()));
    expect(first.flatMap((p) => p.Items)).toEqual([0, 1, 2]);
    const token = resumeTokenOf(first[first.length - 1]!);
    const rest = await lastValueFrom(paginate(spec, send, {}, { startingToken: token }).pipe(toArray()));
    expect(rest.flatMap((p) => p.Items)).toEqual([3, 4, 5, 6, 7]);
  });

  it('throws a SpecError when called for pageSize without a limit key, and bad numbers', () => {
    const noLimit = { input_token: 'NextToken', output_token: 'NextToken', result_key: 'Items' };
    const { send, calls } = numbered(1);
    expect(() => paginate(noLimit, send, {}, { pageSize: 5 })).toThrow(
      new SpecError('options.pageSize', 'is not supported for the pagination interface for this operation (no limit_key)'),
    );
    expect(() => paginate(spec, send, {}, { maxItems: -1 })).toThrow(
      new SpecError('options.maxItems', 'expected a whole number of at least 0, got number -1'),
    );
    expect(() => paginate(spec, send, {}, { pageSize: 1.5 })).toThrow(
      new SpecError('options.pageSize', 'expected a whole number of at least 1 or a string, got number 1.5'),
    );
    expect(calls).toHaveLength(0);
  });

  it('aborts a request whose send() unsubscribed before it returned', () => {
    const demand = new Subject<void>();
    const seen: AbortSignal[] = [];
    const subscriptions: Array<{ unsubscribe(): void }> = [];
    const send: Send<Input, Output> = (_input, { abortSignal }) => {
      seen.push(abortSignal);
      subscriptions[0]?.unsubscribe();
      return new Promise<Output>(() => {});
    };
    subscriptions.push(paginate(spec, send, {}, { demand }).subscribe());
    demand.next();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.aborted).toBe(true);
  });

  it('passes a service error through untouched', async () => {
    const boom = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    const send: Send<Input, Output> = () => Promise.reject(boom);
    await expect(firstValueFrom(paginate(spec, send, {}))).rejects.toBe(boom);
  });
});

/** An object every member read of throws on: a revoked Proxy. */
function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** How the stream ended, without waiting for it: for sources that answer synchronously. */
function endOf<T>(source: Observable<T>) {
  const end: { values: T[]; error?: unknown; completed: boolean } = { values: [], completed: false };
  source.subscribe({
    next: (value) => end.values.push(value),
    error: (error) => (end.error = error),
    complete: () => (end.completed = true),
  });
  return end;
}

describe('paginate with hostile sends, callbacks and errors', () => {
  it('a retryable that throws ends the stream with its error, also on an asynchronous rejection', async () => {
    const network = new Error('connect ECONNREFUSED'); // no $metadata
    const send: Send<Input, Output> = () => Promise.reject(network);
    const retryable = (e: unknown) => (e as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode >= 500;
    const error = await lastValueFrom(paginate(spec, send, {}, { retry: { retryable } })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
  });

  it('a retry delay that throws ends the stream with its error', async () => {
    const send: Send<Input, Output> = () => Promise.reject(Object.assign(new Error('busy'), { name: 'ThrottlingException' }));
    const boom = new Error('delay threw');
    const delay = () => {
      throw boom;
    };
    await expect(lastValueFrom(paginate(spec, send, {}, { retry: { delay } }))).rejects.toBe(boom);
  });

  it('an error whose members throw on access (a revoked Proxy) ends the stream, through the default retry test', async () => {
    const hostile = revoked();
    const send: Send<Input, Output> = () => Promise.reject(hostile);
    // Wrapped: a Promise resolved with a revoked Proxy reads its `then` and rejects with a TypeError.
    const ended = await lastValueFrom(paginate(spec, send, {}, { retry: {} })).then(
      () => undefined,
      (e: unknown) => ({ error: e }),
    );
    // It cannot carry its resume point, so a PaginationError that does stands for it.
    expect(ended?.error).toBeInstanceOf(PaginationError);
    expect((ended?.error as Error).cause === hostile).toBe(true);
  });

  it('a demand whose subscribe throws ends the stream with its error', () => {
    const boom = new Error('demand threw');
    const demand = {
      subscribe() {
        throw boom;
      },
    } as unknown as Observable<unknown>;
    const end = endOf(paginate(spec, numbered(3).send, {}, { demand }));
    expect(end.error).toBe(boom);
  });

  it('takes the first value of a synchronous multi-value send and stops it: an endless one does not hang', () => {
    let emitted = 0;
    const send: Send<Input, Output> = (input) =>
      new Observable<Output>((subscriber) => {
        const n = input.NextToken === undefined ? 0 : Number(input.NextToken);
        while (!subscriber.closed && emitted < 1_000_000) {
          emitted++;
          subscriber.next({ Items: [n], ...(n < 2 && { NextToken: String(n + 1) }) });
        }
      });
    const end = endOf(paginate(spec, send, {}));
    expect(end.values.map((page) => page.Items)).toEqual([[0], [1], [2]]);
    expect(end.completed).toBe(true);
    expect(emitted).toBe(3);
  });

  it('unsubscribing inside send: what send returned is never subscribed, and its signal is aborted', () => {
    const subscriber = new Subscriber<Output>();
    let subscribed = 0;
    let signal: AbortSignal | undefined;
    const send: Send<Input, Output> = (_input, { abortSignal }) => {
      signal = abortSignal;
      subscriber.unsubscribe();
      // A timer that would keep the process alive if it were subscribed and never unsubscribed.
      return new Observable<Output>(() => {
        subscribed++;
        const timer = setTimeout(() => {}, 60_000);
        return () => clearTimeout(timer);
      });
    };
    paginate(spec, send, {}).subscribe(subscriber);
    expect(subscribed).toBe(0);
    expect(signal?.aborted).toBe(true);
  });

  it('retries on queueScheduler with a delay of 0 without stalling', () => {
    let failures = 0;
    const send: Send<Input, Output> = (input) => {
      const n = input.NextToken === undefined ? 0 : Number(input.NextToken);
      if (n === 1 && failures < 2) {
        failures++;
        return throwError(() => Object.assign(new Error('busy'), { name: 'ThrottlingException' }));
      }
      return of({ Items: [n], ...(n < 3 && { NextToken: String(n + 1) }) });
    };
    const end = endOf(paginate(spec, send, {}, { scheduler: queueScheduler, retry: { delay: () => 0 } }));
    expect(end.values.map((page) => page.Items)).toEqual([[0], [1], [2], [3]]);
    expect(end.completed).toBe(true);
  });

  it('unsubscribing aborts a request retried at once on queueScheduler', () => {
    const signals: AbortSignal[] = [];
    const send: Send<Input, Output> = (_input, { abortSignal }) => {
      signals.push(abortSignal);
      if (signals.length === 1) return throwError(() => Object.assign(new Error('busy'), { name: 'ThrottlingException' }));
      return new Promise<Output>(() => {});
    };
    const subscription = paginate(spec, send, {}, { scheduler: queueScheduler, retry: { delay: () => 0 } }).subscribe();
    expect(signals).toHaveLength(2);
    subscription.unsubscribe();
    expect(signals[1]!.aborted).toBe(true);
  });

  describe('a retry delay longer than a timer holds (2^31 ms or more)', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('waits it out instead of retrying at once', () => {
      const { send, calls } = numbered(1);
      let failed = false;
      const flaky: Send<Input, Output> = (input, context) => {
        if (!failed) {
          failed = true;
          return throwError(() => Object.assign(new Error('busy'), { name: 'ThrottlingException' }));
        }
        return send(input, context);
      };
      const end = endOf(paginate(spec, flaky, {}, { retry: { delay: () => 30 * 24 * 3600 } })); // 30 days
      jest.advanceTimersByTime(1000);
      expect(calls).toHaveLength(0);
      jest.advanceTimersByTime(30 * 24 * 3600 * 1000);
      expect(end.completed).toBe(true);
      expect(calls).toHaveLength(2);
    });
  });
});

describe('paginate never lets a hostile send end the process (issue 18)', () => {
  /**
   * Runs `body` with a process-level listener, so that an unhandled rejection fails this test instead of ending
   * the jest worker (Node's default), and waits for the rejections of what body started to be reported.
   */
  async function unhandledRejectionsDuring(body: () => Promise<void>): Promise<unknown[]> {
    const rejections: unknown[] = [];
    const listener = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', listener);
    try {
      await body();
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('unhandledRejection', listener);
    }
    return rejections;
  }

  it('a thenable whose then() resolves and then throws: its page counts, the next one is sent', async () => {
    const rejections = await unhandledRejectionsDuring(async () => {
      const send: Send<Input, Output> = (input) => {
        const n = input.NextToken === undefined ? 0 : Number(input.NextToken);
        const page = { Items: [n], ...(n < 3 && { NextToken: String(n + 1) }) };
        // then() answers at once, then throws: on the pages after the first, inside the previous page's callback.
        return {
          then(resolve: (value: Output) => void) {
            resolve(page);
            throw new Error('then threw after answering');
          },
        } as unknown as PromiseLike<Output>;
      };
      const pages = await lastValueFrom(paginate(spec, send, {}).pipe(toArray()));
      expect(pages.map((page) => page.Items[0])).toEqual([0, 1, 2, 3]);
    });
    expect(rejections).toEqual([]);
  });

  it('unsubscribing synchronously inside a send whose Promise rejects on abort (as SDK v3’s does) leaves no rejection', async () => {
    const rejections = await unhandledRejectionsDuring(async () => {
      const holder: { subscription?: { unsubscribe(): void } } = {};
      let sends = 0;
      const send: Send<Input, Output> = (input, { abortSignal }) => {
        sends++;
        const answer = new Promise<Output>((resolve, reject) => {
          abortSignal.addEventListener('abort', () => reject(abortSignal.reason as Error), { once: true });
          if (input.NextToken === undefined) resolve({ Items: [0], NextToken: '1' });
        });
        if (input.NextToken === '1') holder.subscription!.unsubscribe();
        return answer;
      };
      holder.subscription = paginate(spec, send, {}).subscribe();
      await new Promise((resolve) => setImmediate(resolve));
      expect(sends).toBe(2);
    });
    expect(rejections).toEqual([]);
  });

  it('tokens that are not plain data (a URL, an object with #private fields) page on: no false cycle after one page', async () => {
    class Cursor {
      readonly #after: number;
      constructor(after: number) {
        this.#after = after;
      }
      get after(): number {
        return this.#after;
      }
    }
    const byUrl: Send<{ NextToken?: URL }, { Items: number[]; NextToken?: URL }> = (input) => {
      const n = input.NextToken === undefined ? 0 : Number(input.NextToken.searchParams.get('after'));
      return of({ Items: [n], ...(n < 4 && { NextToken: new URL(`https://example.com/items?after=${n + 1}`) }) });
    };
    const byCursor: Send<{ NextToken?: Cursor }, { Items: number[]; NextToken?: Cursor }> = (input) => {
      const n = input.NextToken?.after ?? 0;
      return of({ Items: [n], ...(n < 4 && { NextToken: new Cursor(n + 1) }) });
    };
    const plain = { input_token: 'NextToken', output_token: 'NextToken', result_key: 'Items' };
    const urls = await lastValueFrom(paginate(plain, byUrl, {}).pipe(toArray()));
    const cursors = await lastValueFrom(paginate(plain, byCursor, {}).pipe(toArray()));
    expect(urls.map((page) => page.Items[0])).toEqual([0, 1, 2, 3, 4]);
    expect(cursors.map((page) => page.Items[0])).toEqual([0, 1, 2, 3, 4]);
    // A URL that comes back is still a cycle, by its address.
    const looping: Send<{ NextToken?: URL }, { Items: number[]; NextToken?: URL }> = () =>
      of({ Items: [1], NextToken: new URL('https://example.com/items?after=1') });
    await expect(lastValueFrom(paginate(plain, looping, {}))).rejects.toThrow(/The same next token was received twice/);
  });
});

describe('maxItems and pageSize on resume', () => {
  /** A service of items 0..19 that honours the page size it is sent: a token is the offset of the next page. */
  function offsets(total = 20, defaultSize = 10) {
    const calls: Input[] = [];
    const send: Send<Input, Output> = (input) => {
      calls.push(input);
      const from = input.NextToken === undefined ? 0 : Number(input.NextToken);
      const to = Math.min(total, from + (input.Limit ?? defaultSize));
      const Items = Array.from({ length: to - from }, (_, i) => from + i);
      return of({ Items, ...(to < total && { NextToken: String(to) }) });
    };
    return { send, calls };
  }
  const items = (pages: Output[]) => pages.flatMap((page) => page.Items);

  it.each([3, 5, 7, 10, 20])('a page cut by maxItems, resumed with pageSize %i, delivers every item once', async (pageSize) => {
    const { send, calls } = offsets();
    const first = await lastValueFrom(paginate(spec, send, {}, { pageSize: 10, maxItems: 5 }).pipe(toArray()));
    const startingToken = resumeTokenOf(first[first.length - 1]);
    expect(items(first)).toEqual([0, 1, 2, 3, 4]);
    const rest = await lastValueFrom(paginate(spec, send, {}, { pageSize, startingToken }).pipe(toArray()));
    expect([...items(first), ...items(rest)]).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // The cut page is asked for again at the size it was cut at; the pages after it at the new size.
    expect(calls.slice(1, 3).map((c) => c.Limit)).toEqual([10, pageSize]);
  });

  it('a page cut twice keeps the size of the page it cuts', async () => {
    const { send } = offsets();
    const first = await lastValueFrom(paginate(spec, send, {}, { pageSize: 10, maxItems: 3 }).pipe(toArray()));
    const second = await lastValueFrom(
      paginate(spec, send, {}, { pageSize: 2, maxItems: 4, startingToken: resumeTokenOf(first[0]) }).pipe(toArray()),
    );
    const rest = await lastValueFrom(
      paginate(spec, send, {}, { pageSize: 4, startingToken: resumeTokenOf(second[second.length - 1]) }).pipe(toArray()),
    );
    expect([...items(first), ...items(second), ...items(rest)]).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('refuses maxItems on a paginator without a result_key, as it refuses pageSize without a limit_key', () => {
    const noResultKey = { input_token: 'NextToken', output_token: 'NextToken', limit_key: 'Limit' };
    expect(() => paginate(noResultKey, numbered(1).send, {}, { maxItems: 5 })).toThrow(
      new SpecError('options.maxItems', 'is not supported for the pagination interface for this operation (no result_key)'),
    );
  });

  it('refuses a token whose recorded page size is no page size', async () => {
    const token = Buffer.from(JSON.stringify({ NextToken: null, Limit: 0, boto_truncate_amount: 2 })).toString('base64');
    await expect(lastValueFrom(paginate(spec, numbered(1).send, {}, { startingToken: token }))).rejects.toThrow(PaginationError);
  });
});

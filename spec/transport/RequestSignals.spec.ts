import { getEventListeners } from 'node:events';
import { lastValueFrom, take } from 'rxjs';
import { paginate, waitFor, type Send } from '../../src';
import { RequestSignals } from '../../src/transport/RequestSignals';

interface Input {
  NextToken?: string;
}
interface Page {
  Items: number[];
  NextToken?: string;
}
const spec = { input_token: 'NextToken', output_token: 'NextToken', result_key: 'Items' };

/** Counts AbortControllers made while `body` runs. */
async function countingControllers<T>(body: () => Promise<T>): Promise<{ made: number; result: T }> {
  const Original = globalThis.AbortController;
  let made = 0;
  globalThis.AbortController = class extends Original {
    constructor() {
      super();
      made++;
    }
  };
  try {
    const result = await body();
    return { made, result };
  } finally {
    globalThis.AbortController = Original;
  }
}

/** Page n of `last`, answered at once (a resolved Promise); `listen` is what the send does with the signal. */
function pagesSending(last: number, listen: (signal: AbortSignal, n: number) => void) {
  const signals: AbortSignal[] = [];
  const send: Send<Input, Page> = (input, { abortSignal }) => {
    const n = Number(input.NextToken ?? 0);
    signals.push(abortSignal);
    listen(abortSignal, n);
    return Promise.resolve({ Items: [n], ...(n < last && { NextToken: String(n + 1) }) });
  };
  return { send, signals };
}

describe('RequestSignals', () => {
  it('lends nothing to the first request: a signal of its own costs less than a counted one', () => {
    const signals = new RequestSignals();
    expect(signals.lend()).toBeUndefined();
    expect(signals.lend()).toBeInstanceOf(AbortSignal);
  });

  it('lends one signal while no listener is left on it, and none while one is', () => {
    const signals = new RequestSignals();
    signals.lend();
    const shared = signals.lend()!;
    expect(signals.lend()).toBe(shared);
    const listener = () => {};
    shared.addEventListener('abort', listener);
    expect(signals.lend()).toBeUndefined();
    shared.addEventListener('abort', listener, { capture: true });
    shared.removeEventListener('abort', listener);
    expect(signals.lend()).toBeUndefined(); // the capturing one is still there
    shared.removeEventListener('abort', listener, true);
    expect(signals.lend()).toBe(shared);
    shared.addEventListener('other', listener);
    expect(signals.lend()).toBe(shared);
    shared.onabort = listener;
    expect(signals.lend()).toBeUndefined();
  });

  it('lends a new signal once the shared one was aborted', () => {
    const signals = new RequestSignals();
    signals.lend();
    const first = signals.lend()!;
    signals.abort();
    expect(first.aborted).toBe(true);
    const second = signals.lend()!;
    expect(second).not.toBe(first);
    expect(second.aborted).toBe(false);
  });

  it('a send that removes its listener when answered (as SDK v3 does): two AbortControllers for 1,000 pages, no listener left', async () => {
    let most = 0;
    const { send, signals } = pagesSending(999, (signal) => {
      const onAbort = () => {};
      signal.addEventListener('abort', onAbort, { once: true });
      most = Math.max(most, getEventListeners(signal, 'abort').length);
      // Removed once the answer is taken, as the SDK's handler does when its request closes.
      void Promise.resolve().then(() => signal.removeEventListener('abort', onAbort));
    });
    const { made } = await countingControllers(() => lastValueFrom(paginate(spec, send, {})));
    expect(signals).toHaveLength(1000);
    expect(made).toBe(2);
    expect(new Set(signals).size).toBe(2);
    expect(most).toBe(1);
    for (const signal of new Set(signals)) expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('a send that never removes its listeners: no listener piles up, and only the request in flight hears the abort', async () => {
    const heard: number[] = [];
    const signals: AbortSignal[] = [];
    const send: Send<Input, Page> = (input, { abortSignal }) => {
      const n = Number(input.NextToken ?? 0);
      signals.push(abortSignal);
      abortSignal.addEventListener('abort', () => heard.push(n));
      // Pages 0 to 49 at once, then one that is still in flight at the unsubscription.
      return n < 50 ? Promise.resolve({ Items: [n], NextToken: String(n + 1) }) : new Promise<Page>(() => {});
    };
    const subscription = paginate(spec, send, {}).subscribe();
    while (signals.length < 51) await new Promise((resolve) => setImmediate(resolve));
    for (const signal of new Set(signals)) expect(getEventListeners(signal, 'abort').length).toBeLessThanOrEqual(1);
    subscription.unsubscribe();
    expect(signals[50]!.aborted).toBe(true);
    expect(heard).toEqual([50]);
    expect(signals.slice(0, 50).filter((signal) => signal.aborted)).toEqual([]);
  });

  it('a send that sets onabort: the next request gets a signal of its own', async () => {
    const { send, signals } = pagesSending(3, (signal) => {
      signal.onabort = () => {};
    });
    await lastValueFrom(paginate(spec, send, {}));
    expect(new Set(signals).size).toBe(4);
  });

  it('a request answered before it reads its signal does not take the shared one from the request in flight', async () => {
    const contexts: { abortSignal: AbortSignal }[] = [];
    const send: Send<Input, Page> = (input, context) => {
      contexts.push(context);
      const n = Number(input.NextToken ?? 0);
      return Promise.resolve({ Items: [n], NextToken: String(n + 1) });
    };
    const subscription = paginate(spec, send, {}).pipe(take(3)).subscribe();
    await new Promise((resolve) => setImmediate(resolve));
    const late = contexts[0]!.abortSignal;
    expect(late).not.toBe(contexts[contexts.length - 1]!.abortSignal);
    subscription.unsubscribe();
    expect(late.aborted).toBe(false);
  });

  it('waitFor shares one signal across its polls', async () => {
    const signals: AbortSignal[] = [];
    let polls = 0;
    const waiter = {
      operation: 'Describe',
      delay: 0,
      maxAttempts: 10,
      acceptors: [{ state: 'success' as const, matcher: 'path' as const, argument: 'Done', expected: true }],
    };
    const send: Send<object, { Done: boolean }> = (_input, { abortSignal }) => {
      signals.push(abortSignal);
      return Promise.resolve({ Done: ++polls === 5 });
    };
    await lastValueFrom(waitFor(waiter, send, {}, { delay: 0 }));
    expect(signals).toHaveLength(5);
    expect(new Set(signals).size).toBe(2);
    expect(signals[0]!.aborted).toBe(false);
  });
});

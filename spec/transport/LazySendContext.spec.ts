import { NEVER, of, take } from 'rxjs';
import { LazySendContext } from '../../src/transport/LazySendContext';
import { paginate, type Send } from '../../src';

/** Counts AbortControllers made while `body` runs. */
function countingControllers<T>(body: () => T): { made: number; result: T } {
  const Original = globalThis.AbortController;
  let made = 0;
  globalThis.AbortController = class extends Original {
    constructor() {
      super();
      made++;
    }
  };
  try {
    const result = body();
    return { made, result };
  } finally {
    globalThis.AbortController = Original;
  }
}

describe('LazySendContext', () => {
  it('makes no AbortController until the signal is read', () => {
    const { made } = countingControllers(() => {
      const context = new LazySendContext();
      context.abort();
      return context;
    });
    expect(made).toBe(0);
  });

  it('makes one AbortController on the first read, and hands out the same signal after', () => {
    const { made, result } = countingControllers(() => {
      const context = new LazySendContext();
      return [context.abortSignal, context.abortSignal, context.abortSignal];
    });
    expect(made).toBe(1);
    expect(result[0]).toBeInstanceOf(AbortSignal);
    expect(result[1]).toBe(result[0]);
    expect(result[2]).toBe(result[0]);
    expect(result[0]!.aborted).toBe(false);
  });

  it('a signal read after abort() is already aborted', () => {
    const context = new LazySendContext();
    context.abort();
    const signal = context.abortSignal;
    expect(signal.aborted).toBe(true);
    expect((signal.reason as { name?: unknown }).name).toBe('AbortError');
  });

  it('a signal read before abort() is aborted by it, firing abort once', () => {
    const context = new LazySendContext();
    const signal = context.abortSignal;
    const fired = jest.fn();
    signal.addEventListener('abort', fired);
    context.abort();
    expect(signal.aborted).toBe(true);
    context.abort();
    void context.abortSignal;
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('reading the signal again after abort() neither re-fires nor replaces it', () => {
    const context = new LazySendContext();
    context.abort();
    const first = context.abortSignal;
    const fired = jest.fn();
    first.addEventListener('abort', fired);
    expect(context.abortSignal).toBe(first);
    expect(fired).not.toHaveBeenCalled();
  });

  it('is what paginate hands to send: no controller for a send that never reads the signal', () => {
    const send: Send<{ NextToken?: string }, { Items: number[]; NextToken?: string }> = (input) => {
      const n = Number(input.NextToken ?? 0);
      return of({ Items: [n], ...(n < 99 && { NextToken: String(n + 1) }) });
    };
    const { made } = countingControllers(() =>
      paginate({ input_token: 'NextToken', output_token: 'NextToken' }, send, {}).subscribe(),
    );
    expect(made).toBe(0);
  });

  it('aborts the signal of the request in flight when paginate is unsubscribed, even one read late', async () => {
    let context: { abortSignal: AbortSignal } | undefined;
    const send: Send<object, object> = (_input, ctx) => {
      context = ctx;
      return NEVER;
    };
    const subscription = paginate({ input_token: 'NextToken', output_token: 'NextToken' }, send, {}).pipe(take(1)).subscribe();
    subscription.unsubscribe();
    // The send only looks at the signal now, after the abort: it must still see it aborted.
    expect(context!.abortSignal.aborted).toBe(true);
  });
});

/**
 * PendingRequest: one request, its first answer reported exactly once, and a cancel that stops listening
 * while it is in flight and does nothing once the answer is in. The signal is the RequestSignal its
 * pagination or wait shares; `sendOnce` below pairs one with each request, as an engine does, and cancels
 * as an engine's teardown does: stop listening, abort the signal.
 */
import { defer, EMPTY, Observable, of, throwError } from 'rxjs';
import { PendingRequest, type ResponseHandlers } from '../../src/transport/PendingRequest';
import { RequestSignal } from '../../src/transport/RequestSignal';
import type { Send, SendContext } from '../../src/transport/Send';

function recorder() {
  const seen: Array<['value', unknown] | ['error', unknown] | ['empty']> = [];
  const handlers: ResponseHandlers<unknown> = {
    value: (output) => seen.push(['value', output]),
    error: (error) => seen.push(['error', error]),
    empty: () => seen.push(['empty']),
  };
  return { seen, handlers };
}

function sendOnce<I>(send: Send<I, unknown>, input: I, handlers: ResponseHandlers<unknown>, signal = new RequestSignal()) {
  const request = new PendingRequest(handlers);
  request.send(send, input, signal);
  return () => {
    if (!request.pending) return;
    request.cancel();
    signal.abort();
  };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('PendingRequest', () => {
  it('hands send the input and a context, and reports a Promise’s value', async () => {
    const { seen, handlers } = recorder();
    let context: SendContext | undefined;
    sendOnce((input: number, c) => ((context = c), Promise.resolve(input * 2)), 21, handlers);
    expect(seen).toEqual([]);
    await settled();
    expect(seen).toEqual([['value', 42]]);
    expect(context?.abortSignal.aborted).toBe(false);
  });

  it('reports a rejected Promise as an error', async () => {
    const { seen, handlers } = recorder();
    const boom = new Error('boom');
    sendOnce(() => Promise.reject(boom), 0, handlers);
    await settled();
    expect(seen).toEqual([['error', boom]]);
  });

  it('takes only the first value of an Observable, and stops listening to it', () => {
    const { seen, handlers } = recorder();
    let unsubscribed = false;
    const source = new Observable<number>((subscriber) => {
      subscriber.next(1);
      subscriber.next(2);
      return () => (unsubscribed = true);
    });
    sendOnce(() => source, 0, handlers);
    expect(seen).toEqual([['value', 1]]);
    expect(unsubscribed).toBe(true);
  });

  it('reports an Observable that completes without a value as empty, and its error as an error', () => {
    const empty = recorder();
    sendOnce(() => EMPTY, 0, empty.handlers);
    expect(empty.seen).toEqual([['empty']]);
    const failing = recorder();
    const boom = new Error('boom');
    sendOnce(() => throwError(() => boom), 0, failing.handlers);
    expect(failing.seen).toEqual([['error', boom]]);
  });

  it('reports a send that throws, or returns nothing RxJS can subscribe to, as an error', () => {
    const throwing = recorder();
    const boom = new Error('boom');
    sendOnce(
      () => {
        throw boom;
      },
      0,
      throwing.handlers,
    );
    expect(throwing.seen).toEqual([['error', boom]]);
    const nothing = recorder();
    sendOnce((() => undefined) as unknown as Send<number, unknown>, 0, nothing.handlers);
    expect(nothing.seen).toHaveLength(1);
    expect(nothing.seen[0]![0]).toBe('error');
    expect((nothing.seen[0] as ['error', unknown])[1]).toBeInstanceOf(TypeError);
  });

  it('says what a send that returned no ObservableInput returned, and what it must return', () => {
    for (const [returned, described] of [
      [undefined, 'nothing'],
      [null, 'null'],
      [5, 'number 5'],
      [true, 'boolean true'],
    ] as const) {
      const wrong = recorder();
      sendOnce((() => returned) as unknown as Send<number, unknown>, 0, wrong.handlers);
      expect(wrong.seen).toEqual([
        [
          'error',
          new TypeError(
            `send returned ${described}: it must return the response as a Promise (what client.send returns), ` +
              'an Observable, or anything else RxJS can subscribe to',
          ),
        ],
      ]);
    }
  });

  it('cancel aborts the request in flight, and its answer is never reported', async () => {
    const { seen, handlers } = recorder();
    let signal: AbortSignal | undefined;
    let resolve: (value: number) => void = () => {};
    const cancel = sendOnce(
      (_input, { abortSignal }) => ((signal = abortSignal), new Promise<number>((r) => (resolve = r))),
      0,
      handlers,
    );
    cancel();
    expect(signal?.aborted).toBe(true);
    resolve(1);
    await settled();
    expect(seen).toEqual([]);
  });

  it('cancel unsubscribes from an Observable in flight', () => {
    const { handlers } = recorder();
    let unsubscribed = false;
    const cancel = sendOnce(() => defer(() => new Observable(() => () => (unsubscribed = true))), 0, handlers);
    expect(unsubscribed).toBe(false);
    cancel();
    expect(unsubscribed).toBe(true);
  });

  it('cancel does nothing once the answer is in: the signal of a finished request is never aborted', async () => {
    const { handlers } = recorder();
    const signals: AbortSignal[] = [];
    const sync = sendOnce((_input, { abortSignal }) => (signals.push(abortSignal), of(1)), 0, handlers);
    const later = sendOnce((_input, { abortSignal }) => (signals.push(abortSignal), Promise.resolve(1)), 0, handlers);
    await settled();
    sync();
    later();
    expect(signals.map((s) => s.aborted)).toEqual([false, false]);
  });

  it('stops a synchronous source at its first value: it is not drained, and an endless one does not hang', () => {
    const { seen, handlers } = recorder();
    let emitted = 0;
    // Endless but for the bound: it emits for as long as its subscriber is open, as range(0, Infinity) does.
    const endless = new Observable<number>((subscriber) => {
      while (!subscriber.closed && emitted < 1_000_000) subscriber.next(emitted++);
    });
    sendOnce(() => endless, 0, handlers);
    expect(seen).toEqual([['value', 0]]);
    expect(emitted).toBe(1);
  });

  it('reports a thenable whose then throws as an error, not as a throw', () => {
    const { seen, handlers } = recorder();
    const boom = new Error('then threw');
    const thenable = {
      then() {
        throw boom;
      },
    };
    expect(() => sendOnce(() => thenable as unknown as PromiseLike<number>, 0, handlers)).not.toThrow();
    expect(seen).toEqual([['error', boom]]);
  });

  it('never listens to what send returned once cancelled while send ran', () => {
    const { seen, handlers } = recorder();
    let subscribed = 0;
    const request = new PendingRequest(handlers);
    request.send(
      () => {
        request.cancel(); // the caller unsubscribed from inside send
        return new Observable<number>(() => void subscribed++);
      },
      0,
      new RequestSignal(),
    );
    expect(subscribed).toBe(0);
    expect(request.pending).toBe(false);
    expect(seen).toEqual([]);
  });

  describe('never lets a hostile or aborted answer escape (an unhandled rejection would end the process)', () => {
    it('a thenable whose then resolves, then throws: the answer stands', () => {
      const { seen, handlers } = recorder();
      const boom = new Error('then threw after answering');
      const thenable = {
        then(resolve: (value: number) => void) {
          resolve(7);
          throw boom;
        },
      };
      expect(() => sendOnce(() => thenable as unknown as PromiseLike<number>, 0, handlers)).not.toThrow();
      expect(seen).toEqual([['value', 7]]);
    });

    it('a Promise that rejects on abort, cancelled from inside send: its rejection is handled', async () => {
      const rejections: unknown[] = [];
      const onRejection = (reason: unknown) => rejections.push(reason);
      process.on('unhandledRejection', onRejection);
      try {
        const { seen, handlers } = recorder();
        const signal = new RequestSignal();
        const request = new PendingRequest(handlers);
        request.send(
          (_input, { abortSignal }) => {
            // As SDK v3 does: the Promise rejects once the signal aborts.
            const answer = new Promise<number>((_resolve, reject) =>
              abortSignal.addEventListener('abort', () => reject(abortSignal.reason as Error)),
            );
            request.cancel(); // unsubscribed inside send, as an engine's teardown does
            signal.abort();
            return answer;
          },
          0,
          signal,
        );
        await settled();
        await settled();
        expect(seen).toEqual([]);
        expect(rejections).toEqual([]);
      } finally {
        process.off('unhandledRejection', onRejection);
      }
    });
  });
});

describe('RequestSignal', () => {
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

  it('makes no AbortController until a send reads the signal, then one for its requests', () => {
    const { made } = countingControllers(() => {
      const signal = new RequestSignal();
      signal.nextRequest();
      signal.abort();
    });
    expect(made).toBe(0);
    const read = countingControllers(() => {
      const signal = new RequestSignal();
      const seen: AbortSignal[] = [];
      for (let i = 0; i < 10; i++) {
        signal.nextRequest();
        seen.push(signal.abortSignal, signal.abortSignal);
      }
      return seen;
    });
    expect(read.made).toBe(1);
    expect(new Set(read.result).size).toBe(1);
  });

  it('renews the signal every 1,024 requests, so listeners a send never removes cannot pile up', () => {
    const signal = new RequestSignal();
    const seen = new Set<AbortSignal>();
    for (let i = 0; i < 4000; i++) {
      signal.nextRequest();
      seen.add(signal.abortSignal);
    }
    expect(seen.size).toBe(4);
  });

  it('a signal read after abort() is aborted already, with the reason given', () => {
    const signal = new RequestSignal();
    const reason = new Error('stop');
    signal.abort(reason);
    expect(signal.abortSignal.aborted).toBe(true);
    expect(signal.abortSignal.reason).toBe(reason);
    const plain = new RequestSignal();
    plain.abort();
    expect((plain.abortSignal.reason as { name?: unknown }).name).toBe('AbortError');
  });

  it('aborts the signal once, and a renewal after an abort keeps it aborted', () => {
    const signal = new RequestSignal();
    const heard = jest.fn();
    signal.abortSignal.addEventListener('abort', heard);
    signal.abort();
    signal.abort();
    for (let i = 0; i < 300; i++) signal.nextRequest();
    expect(signal.abortSignal.aborted).toBe(true);
    expect(heard).toHaveBeenCalledTimes(1);
  });
});

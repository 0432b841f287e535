/**
 * sendOnce: one request with its own abort signal, its first answer reported exactly once, and a
 * cancel function that aborts it while it is in flight and does nothing once the answer is in.
 */
import { defer, EMPTY, NEVER, Observable, of, throwError } from 'rxjs';
import { sendOnce, type ResponseHandlers } from '../../src/transport/sendOnce';
import type { Send, SendContext } from '../../src/transport/Send';

function recorder(stopped = () => false) {
  const seen: Array<['value', unknown] | ['error', unknown] | ['empty']> = [];
  const handlers: ResponseHandlers<unknown> = {
    value: (output) => seen.push(['value', output]),
    error: (error) => seen.push(['error', error]),
    empty: () => seen.push(['empty']),
    stopped,
  };
  return { seen, handlers };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('sendOnce', () => {
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

  it('gives every request its own signal', () => {
    const { handlers } = recorder();
    const signals: AbortSignal[] = [];
    const send: Send<number, never> = (_input, { abortSignal }) => (signals.push(abortSignal), NEVER);
    const first = sendOnce(send, 0, handlers);
    sendOnce(send, 0, handlers);
    first();
    expect(signals.map((s) => s.aborted)).toEqual([true, false]);
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

  it('never listens to what send returned once stopped while send ran, and aborts its signal', () => {
    let stopped = false;
    const { seen, handlers } = recorder(() => stopped);
    let subscribed = 0;
    let signal: AbortSignal | undefined;
    sendOnce(
      (_input, { abortSignal }) => {
        signal = abortSignal;
        stopped = true; // the caller unsubscribed from inside send
        return new Observable<number>(() => void subscribed++);
      },
      0,
      handlers,
    );
    expect(subscribed).toBe(0);
    expect(signal?.aborted).toBe(true);
    expect(seen).toEqual([]);
  });
});

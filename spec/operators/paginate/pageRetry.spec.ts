import { lastValueFrom, of, throwError, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { paginate, resumeTokenOf, SpecError, type Send } from '../../../src';
import { isTransient } from '../../../src/operators/paginate/pageRetry';

type Input = { NextToken?: string };
type Page = { Items: number[]; NextToken?: string };
const spec = { input_token: 'NextToken', output_token: 'NextToken', result_key: 'Items' };

const throttled = () =>
  Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

/** Pages 0..3; the request for page `failAt` fails `failures` times first. */
function flaky(failAt: number, failures: number, error: () => unknown = throttled) {
  const calls: Input[] = [];
  let failed = 0;
  const send: Send<Input, Page> = (input) => {
    calls.push(input);
    const n = Number(input.NextToken ?? 0);
    if (n === failAt && failed < failures) {
      failed++;
      return throwError(error);
    }
    return of({ Items: [n], ...(n < 3 && { NextToken: String(n + 1) }) });
  };
  return { send, calls };
}

describe('paginate retry', () => {
  it('retries only the failed page, after the delay, and delivers every page once', () => {
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ expectObservable, flush }) => {
      const { send, calls } = flaky(2, 2);
      const pages$ = paginate(spec, send, {}, { retry: { delay: (n) => n } });
      expectObservable(pages$.pipe(toArray())).toBe('3s (a|)', {
        a: [0, 1, 2, 3].map((n) => ({ Items: [n], ...(n < 3 && { NextToken: String(n + 1) }) })),
      });
      flush();
      expect(calls.map((c) => c.NextToken)).toEqual([undefined, '1', '2', '2', '2', '3']);
    });
  });

  it('passes the error on when the retries run out, with the resume token of the last delivered page', async () => {
    const { send, calls } = flaky(2, 10);
    const pages: Page[] = [];
    const error = await new Promise((resolve) =>
      paginate(spec, send, {}, { retry: { retries: 2, delay: () => 0 } }).subscribe({
        next: (p) => pages.push(p),
        error: resolve,
      }),
    );
    expect((error as Error).name).toBe('ThrottlingException');
    expect(calls).toHaveLength(2 + 3);
    expect(pages.map((p) => p.Items[0])).toEqual([0, 1]);
    const rest = await lastValueFrom(
      paginate(spec, flaky(-1, 0).send, {}, { startingToken: resumeTokenOf(error) }).pipe(toArray()),
    );
    expect(rest.map((p) => p.Items[0])).toEqual([2, 3]);
  });

  it('does not retry errors that are not transient', async () => {
    const denied = () => Object.assign(new Error('no'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
    const { send, calls } = flaky(1, 1, denied);
    await expect(lastValueFrom(paginate(spec, send, {}, { retry: { delay: () => 0 } }))).rejects.toThrow('no');
    expect(calls).toHaveLength(2);
  });

  it('counts retries per page, starting again after every page that arrives', async () => {
    let call = 0;
    const send: Send<Input, Page> = (input) => {
      const n = Number(input.NextToken ?? 0);
      return ++call % 2 === 1 ? throwError(throttled) : of({ Items: [n], ...(n < 3 && { NextToken: String(n + 1) }) });
    };
    const pages = await lastValueFrom(paginate(spec, send, {}, { retry: { retries: 1, delay: () => 0 } }).pipe(toArray()));
    expect(pages).toHaveLength(4);
  });

  it('refuses a bad policy with a SpecError: thrown by the call, or emitted for a delay that returns no seconds', async () => {
    const { send } = flaky(1, 1);
    expect(() => paginate(spec, send, {}, { retry: { retries: -1 } })).toThrow(
      new SpecError('options.retry.retries', 'expected a whole number of at least 0, got number -1'),
    );
    await expect(lastValueFrom(paginate(spec, send, {}, { retry: { delay: () => NaN } }))).rejects.toThrow(
      new SpecError('options.retry.delay', 'returned number NaN for retry 1; expected a number of seconds of at least 0'),
    );
  });

  it('knows throttling, server errors and dropped connections', () => {
    expect(isTransient(throttled())).toBe(true);
    expect(isTransient({ $metadata: { httpStatusCode: 503 } })).toBe(true);
    expect(isTransient(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransient(new Error('socket hang up'))).toBe(true);
    expect(isTransient(Object.assign(new Error('x'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } }))).toBe(
      false,
    );
  });
});

describe('resumeTokenOf(error)', () => {
  it('is the starting token when the first request fails, and undefined from the very start', async () => {
    const fails: Send<Input, Page> = () => throwError(throttled);
    const fromStart = await lastValueFrom(paginate(spec, fails, {})).catch((e: unknown) => e);
    expect(resumeTokenOf(fromStart)).toBeUndefined();
    const resumed = await lastValueFrom(paginate(spec, fails, {}, { startingToken: 'raw-service-token' })).catch(
      (e: unknown) => e,
    );
    expect(resumeTokenOf(resumed)).toBe('raw-service-token');
  });
});

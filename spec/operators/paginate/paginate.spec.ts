import { defer, firstValueFrom, lastValueFrom, NEVER, of, Subject, take, toArray } from 'rxjs';
import { compilePaginator, paginate, PaginationError, resumeTokenOf, type Send } from '../../../src';

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

  it('rejects pageSize without a limit key, and bad numbers, as PaginationError', async () => {
    const noLimit = { input_token: 'NextToken', output_token: 'NextToken', result_key: 'Items' };
    const { send } = numbered(1);
    await expect(firstValueFrom(paginate(noLimit, send, {}, { pageSize: 5 }))).rejects.toThrow(PaginationError);
    await expect(firstValueFrom(paginate(spec, send, {}, { maxItems: -1 }))).rejects.toThrow(/maxItems/);
    await expect(firstValueFrom(paginate(spec, send, {}, { pageSize: 1.5 }))).rejects.toThrow(/pageSize/);
  });

  it('passes a service error through untouched', async () => {
    const boom = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    const send: Send<Input, Output> = () => Promise.reject(boom);
    await expect(firstValueFrom(paginate(spec, send, {}))).rejects.toBe(boom);
  });
});

import { from, lastValueFrom, of, take, toArray } from 'rxjs';
import { compilePaginator, items, paginate, SpecError, type BoundPaginator, type PaginatorSpec, type Send } from '../../../src';

type Page = Record<string, unknown>;
type Input = { NextToken?: string };

const spec: PaginatorSpec = { input_token: 'NextToken', output_token: 'NextToken', result_key: ['Items', 'Names', 'Count'] };

const itemsOf = (pages: Page[], paginator: PaginatorSpec, resultKey?: string) =>
  lastValueFrom(from(pages).pipe(items(paginator, resultKey), toArray()));

/** Pages 0..last, two items each, counting the calls. */
function numbered(last: number) {
  const calls: Input[] = [];
  const send: Send<Input, { Items: number[]; NextToken?: string }> = (input) => {
    calls.push(input);
    const n = input.NextToken === undefined ? 0 : Number(input.NextToken);
    return of({ Items: [2 * n, 2 * n + 1], ...(n < last && { NextToken: String(n + 1) }) });
  };
  return { send, calls };
}

describe('items', () => {
  it('flattens the first result key by default, page after page', async () => {
    const pages = [
      { Items: [1, 2], Names: ['a'] },
      { Items: [], Names: ['b'] },
      { Items: [3], Names: ['c'] },
    ];
    expect(await itemsOf(pages, spec)).toEqual([1, 2, 3]);
  });

  it('flattens a named result key', async () => {
    const pages = [
      { Items: [1, 2], Names: ['a'] },
      { Items: [3], Names: ['b', 'c'] },
    ];
    expect(await itemsOf(pages, spec, 'Names')).toEqual(['a', 'b', 'c']);
  });

  it('reads a nested result key', async () => {
    const nested: PaginatorSpec = { input_token: 'Marker', output_token: 'NextMarker', result_key: 'Data.Rows' };
    expect(await itemsOf([{ Data: { Rows: [{ id: 1 }] } }, { Data: { Rows: [{ id: 2 }] } }, {}], nested)).toEqual([
      { id: 1 },
      { id: 2 },
    ]);
  });

  it('accepts a compiled paginator and a bound spec', async () => {
    const pages = [{ Items: [1] }, { Items: [2] }];
    expect(await lastValueFrom(from(pages).pipe(items(compilePaginator(spec)), toArray()))).toEqual([1, 2]);
    const bound: BoundPaginator<Input, Page, number> = { spec, command: class {} };
    const fromBound: number[] = await lastValueFrom(from(pages).pipe(items(bound), toArray()));
    expect(fromBound).toEqual([1, 2]);
  });

  it('throws a SpecError at call time for a key that is not a result key', () => {
    let error: unknown;
    try {
      items(spec, 'Nope');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).field).toBe('result_key');
    expect((error as SpecError).message).toBe('result_key: has no "Nope" (result keys: Items, Names, Count)');
  });

  it('throws a SpecError at call time for a paginator without result keys', () => {
    expect(() => items({ input_token: 'A', output_token: 'B' })).toThrow(
      new SpecError('result_key', 'has no entry (result keys: none)'),
    );
  });

  it('matches a named key by its exact source, not by what it evaluates to', () => {
    expect(() => items(spec, 'items')).toThrow(SpecError);
    expect(() => items(spec, ' Items')).toThrow(SpecError);
  });

  it('emits a scalar as one item, a string whole and not by characters', async () => {
    expect(await itemsOf([{ Count: 3 }, { Count: 0 }, { Count: false }], spec, 'Count')).toEqual([3, 0, false]);
    expect(await itemsOf([{ Items: 'abc' }, { Items: '' }], spec)).toEqual(['abc', '']);
    expect(await itemsOf([{ Items: { a: 1 } }], spec)).toEqual([{ a: 1 }]);
  });

  it('emits nothing for a null or missing result key, or a page that is not an object', async () => {
    expect(await itemsOf([{ Items: null }, {}, { Other: [1] }], spec)).toEqual([]);
    expect(await lastValueFrom(of(null, 'text', 42).pipe(items(spec), toArray()))).toEqual([]);
  });

  it('keeps nested lists as items (one level only)', async () => {
    expect(await itemsOf([{ Items: [[1, 2], [3]] }], spec)).toEqual([[1, 2], [3]]);
  });

  it('with take on synchronous pages, requests no page past the one that filled it', async () => {
    const twoPages = numbered(100);
    expect(await lastValueFrom(paginate(spec, twoPages.send, {}).pipe(items(spec), take(3), toArray()))).toEqual([0, 1, 2]);
    expect(twoPages.calls).toHaveLength(2);

    const onBoundary = numbered(100);
    expect(await lastValueFrom(paginate(spec, onBoundary.send, {}).pipe(items(spec), take(2), toArray()))).toEqual([0, 1]);
    expect(onBoundary.calls).toHaveLength(1);
  });

  it('passes an error through', async () => {
    const boom = new Error('boom');
    const failing: Send<Input, Page> = (input) => (input.NextToken ? Promise.reject(boom) : of({ Items: [1], NextToken: 'a' }));
    const seen: unknown[] = [];
    const error = await new Promise((resolve) =>
      paginate(spec, failing, {})
        .pipe(items(spec))
        .subscribe({ next: (i) => seen.push(i), error: resolve }),
    );
    expect(error).toBe(boom);
    expect(seen).toEqual([1]);
  });
});

import { lastValueFrom, of, Subject, toArray } from 'rxjs';
import { paginate, PaginationError, resumeTokenOf, type PaginatorSpec, type Send } from '../../src';

type Page = { Items: number[]; NextToken?: string };

const spec: PaginatorSpec = { input_token: 'NextToken', output_token: 'NextToken', result_key: 'Items' };
const b64 = (json: string): string => Buffer.from(json).toString('base64');

/** Pages 0..last, two items each, token = next page number. */
const numbered =
  (last: number): Send<{ NextToken?: string }, Page> =>
  (input) => {
    const n = input.NextToken === undefined ? 0 : Number(input.NextToken);
    return of({ Items: [2 * n, 2 * n + 1], ...(n < last && { NextToken: String(n + 1) }) });
  };

const pagesOf = (send: Send<{ NextToken?: string }, Page>, options = {}) =>
  lastValueFrom(paginate(spec, send, {}, options).pipe(toArray()));

describe('resumeTokenOf', () => {
  it('is undefined for an object no paginate emitted', () => {
    expect(resumeTokenOf({})).toBeUndefined();
    expect(resumeTokenOf({ Items: [0, 1], NextToken: '1' })).toBeUndefined();
    expect(resumeTokenOf([])).toBeUndefined();
  });

  it('goes by the page object itself, not by an equal copy', async () => {
    const [first] = await pagesOf(numbered(2));
    expect(resumeTokenOf(first!)).toBeDefined();
    expect(resumeTokenOf({ ...first! })).toBeUndefined();
  });

  it('is undefined for the last page', async () => {
    const pages = await pagesOf(numbered(2));
    expect(pages).toHaveLength(3);
    expect(resumeTokenOf(pages[2]!)).toBeUndefined();
  });

  it('is undefined for a single page that ends pagination', async () => {
    const [only] = await pagesOf(() => of({ Items: [1] }));
    expect(resumeTokenOf(only!)).toBeUndefined();
  });

  it('is botocore’s encoding of the next token for a page with a successor', async () => {
    const pages = await pagesOf(numbered(2));
    expect(resumeTokenOf(pages[0]!)).toBe(b64('{"NextToken": "1"}'));
    expect(resumeTokenOf(pages[1]!)).toBe(b64('{"NextToken": "2"}'));
  });

  it('is the same string on every call', async () => {
    const [first] = await pagesOf(numbered(2));
    const token = resumeTokenOf(first!);
    expect(resumeTokenOf(first!)).toBe(token);
  });

  it('points inside a page maxItems cut, with the truncate amount', async () => {
    const pages = await pagesOf(numbered(5), { maxItems: 3 });
    expect(pages.map((p) => p.Items)).toEqual([[0, 1], [2]]);
    expect(resumeTokenOf(pages[1]!)).toBe(b64('{"NextToken": "1", "boto_truncate_amount": 1}'));
  });

  it('is the next token when maxItems ends on a page boundary', async () => {
    const pages = await pagesOf(numbered(5), { maxItems: 4 });
    expect(resumeTokenOf(pages[1]!)).toBe(b64('{"NextToken": "2"}'));
  });

  it('names the token the service gave even for the page that closed a token cycle, as its error does', async () => {
    const seen: Page[] = [];
    const send: Send<{ NextToken?: string }, Page> = () => of({ Items: [1], NextToken: 'same' });
    const error = await new Promise((resolve) =>
      paginate(spec, send, {}).subscribe({ next: (p) => seen.push(p), error: resolve }),
    );
    expect(seen).toHaveLength(2);
    expect(resumeTokenOf(seen[0]!)).toBe(b64('{"NextToken": "same"}'));
    expect(resumeTokenOf(seen[1]!)).toBe(b64('{"NextToken": "same"}'));
    expect((error as { resumeToken?: string }).resumeToken).toBe(b64('{"NextToken": "same"}'));
  });

  it('follows the latest pagination that emitted a shared page object', async () => {
    const shared: Page = { Items: [9] };
    const send: Send<{ NextToken?: string }, Page> = (input) =>
      input.NextToken ? of(shared) : of({ Items: [0], NextToken: 'a' });
    await pagesOf(send);
    expect(resumeTokenOf(shared)).toBeUndefined();
    const followed: Send<{ NextToken?: string }, Page> = () => of(Object.assign(shared, { NextToken: 'b' }));
    await lastValueFrom(paginate(spec, followed, {}, { maxItems: 1 }));
    expect(resumeTokenOf(shared)).toBe(b64('{"NextToken": "b"}'));
  });

  it('works for frozen pages: they are delivered as a frozen copy that carries it, and nothing is added to them', async () => {
    const frozen = Object.freeze({ Items: [0], NextToken: '1' });
    const [page] = await lastValueFrom(paginate(spec, () => of(frozen), {}, { maxItems: 1 }).pipe(toArray()));
    expect(page).not.toBe(frozen);
    expect(page).toStrictEqual(frozen);
    expect(Object.isFrozen(page)).toBe(true);
    expect(resumeTokenOf(page)).toBe(b64('{"NextToken": "1"}'));
    expect(resumeTokenOf(page)).toBe(resumeTokenOf(page));
    expect(Reflect.ownKeys(frozen)).toEqual(['Items', 'NextToken']);
  });

  it('a frozen last page, which has no token to carry, is delivered as it is', async () => {
    const frozen = Object.freeze({ Items: [0] });
    const [page] = await lastValueFrom(paginate(spec, () => of(frozen), {}).pipe(toArray()));
    expect(page).toBe(frozen);
    expect(resumeTokenOf(page)).toBeUndefined();
  });

  it("keeps a page's resume point where JSON, spreads, keys and toEqual do not see it", async () => {
    const [first] = await pagesOf(numbered(2));
    expect(resumeTokenOf(first!)).toBe(b64('{"NextToken": "1"}'));
    // A member, not a map entry: a map of every page is held until a full garbage collection.
    expect(Object.getOwnPropertySymbols(first)).toEqual([Symbol.for('rxjs-aws.resumePoint')]);
    expect(Object.keys(first!)).toEqual(['Items', 'NextToken']);
    expect(JSON.stringify(first)).toBe('{"Items":[0,1],"NextToken":"1"}');
    expect(first).toEqual({ Items: [0, 1], NextToken: '1' });
    expect(first).toStrictEqual({ Items: [0, 1], NextToken: '1' });
    expect(Object.getOwnPropertySymbols({ ...first! })).toEqual([]);
    expect(Object.getOwnPropertySymbols(structuredClone(first))).toEqual([]);
  });

  it('works for sealed pages and pages behind a Proxy that refuses new members: a copy carries it', async () => {
    const sealed = Object.seal({ Items: [0], NextToken: '1' });
    const refusing = new Proxy({ Items: [1], NextToken: '2' }, { defineProperty: () => false });
    const throwing = new Proxy(
      { Items: [2], NextToken: '3' },
      {
        defineProperty: () => {
          throw new Error('no');
        },
      },
    );
    for (const [page, token] of [
      [sealed, '1'],
      [refusing, '2'],
      [throwing, '3'],
    ] as const) {
      const [delivered] = await lastValueFrom(paginate(spec, () => of(page), {}, { maxItems: 1 }).pipe(toArray()));
      expect(delivered).toEqual(page);
      expect(resumeTokenOf(delivered)).toBe(b64(`{"NextToken": "${token}"}`));
    }
    const [copy] = await lastValueFrom(paginate(spec, () => of(sealed), {}, { maxItems: 1 }).pipe(toArray()));
    expect(Object.isSealed(copy)).toBe(true);
    expect(Object.isFrozen(copy)).toBe(false);
  });

  it('a page that neither takes its token nor can be copied ends the pagination with a PaginationError', async () => {
    const hostile = new Proxy(
      { Items: [0], NextToken: '1' },
      {
        defineProperty: () => false,
        ownKeys: () => {
          throw new Error('no keys');
        },
      },
    );
    const error = await lastValueFrom(paginate(spec, () => of(hostile), {})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as Error).message).toBe('A page that takes no resume point and cannot be copied cannot be delivered');
    expect(((error as Error).cause as Error).message).toBe('no keys');
    expect(resumeTokenOf(error)).toBeUndefined();
  });

  it('a page frozen after it was delivered keeps its token; delivered again, the copy carries the newer one', async () => {
    const page: Page = { Items: [0], NextToken: '1' };
    await lastValueFrom(paginate(spec, () => of(page), {}, { maxItems: 1 }));
    expect(resumeTokenOf(page)).toBe(b64('{"NextToken": "1"}'));
    Object.freeze(page);
    const again = await lastValueFrom(paginate(spec, () => of(page), {}, { maxItems: 0 }));
    expect(resumeTokenOf(page)).toBe(b64('{"NextToken": "1"}'));
    expect(again).not.toBe(page);
    expect(resumeTokenOf(again)).toBe(b64('{"NextToken": null, "boto_truncate_amount": 0}'));
  });

  it('is undefined for a page whose member under the key is not a resume point', () => {
    const page = { Items: [0] };
    Object.defineProperty(page, Symbol.for('rxjs-aws.resumePoint'), { value: 42 });
    expect(resumeTokenOf(page)).toBeUndefined();
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(resumeTokenOf(proxy)).toBeUndefined();
  });

  it('reads what another copy of the module remembered: the member is found through Symbol.for', () => {
    const load = () => {
      let copy: typeof import('../../src/tokens/resumeTokenOf') | undefined;
      jest.isolateModules(() => {
        copy = jest.requireActual<typeof import('../../src/tokens/resumeTokenOf')>('../../src/tokens/resumeTokenOf');
      });
      return copy!;
    };
    const [a, b] = [load(), load()];
    expect(a.resumeTokenOf).not.toBe(b.resumeTokenOf);
    const page = {};
    a.rememberResumePoint(page, { NextToken: 'x' });
    expect(b.resumeTokenOf(page)).toBe(b64('{"NextToken": "x"}'));
    const sealed = {};
    b.rememberResumePoint(sealed, { NextToken: 'y' }, (token) => `sealed:${token}`);
    expect(a.resumeTokenOf(sealed)).toBe(`sealed:${b64('{"NextToken": "y"}')}`);
    const delivered = a.withResumePoint({}, { NextToken: 'z' });
    expect(b.resumeTokenOf(delivered)).toBe(b64('{"NextToken": "z"}'));
  });
});

describe('resumeTokenOf an error that ended a pagination', () => {
  /** Pages 0..9 (token: next page number); the call for page `failAt` fails with `error()`. */
  const failingAt =
    (failAt: number, error: () => unknown): Send<{ NextToken?: string }, Page> =>
    (input) => {
      const n = input.NextToken === undefined ? 0 : Number(input.NextToken);
      if (n === failAt) return Promise.reject(error());
      return Promise.resolve({ Items: [2 * n, 2 * n + 1], ...(n < 9 && { NextToken: String(n + 1) }) });
    };
  const endOf = async (send: Send<{ NextToken?: string }, Page>, options = {}) => {
    const pages: Page[] = [];
    const error = await new Promise<unknown>((resolve) =>
      paginate(spec, send, {}, options).subscribe({
        next: (page) => pages.push(page),
        error: resolve,
        complete: () => resolve(undefined),
      }),
    );
    return { pages, error };
  };
  const items = (pages: Page[]) => pages.flatMap((page) => page.Items);

  it('two paginations failing with one error object (a shared AbortSignal.reason) each get their own error and token', async () => {
    const shared = new Error('The operation was aborted');
    const a = await endOf(failingAt(3, () => shared));
    const b = await endOf(failingAt(6, () => shared));
    expect(a.error).toBe(shared);
    expect(b.error).not.toBe(shared);
    expect(b.error).toBeInstanceOf(PaginationError);
    expect((b.error as Error).cause).toBe(shared);
    expect((b.error as Error).message).toBe('Pagination failed: Error: The operation was aborted');
    const healthy = numbered(9);
    const restA = await pagesOf(healthy, { startingToken: resumeTokenOf(a.error) });
    const restB = await pagesOf(healthy, { startingToken: resumeTokenOf(b.error) });
    const all = Array.from({ length: 20 }, (_, i) => i);
    expect([...items(a.pages), ...items(restA)]).toEqual(all);
    expect([...items(b.pages), ...items(restB)]).toEqual(all);
  });

  it('a primitive rejection is wrapped in a PaginationError that carries the token, with the primitive as its cause', async () => {
    const { pages, error } = await endOf(failingAt(4, () => 'ETIMEDOUT'));
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as Error).cause).toBe('ETIMEDOUT');
    expect((error as Error).message).toBe('Pagination failed: ETIMEDOUT');
    const rest = await pagesOf(numbered(9), { startingToken: resumeTokenOf(error) });
    expect([...items(pages), ...items(rest)]).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('a pagination that delivered nothing keeps its error: another pagination failing with it later gets a wrapper', async () => {
    const shared = new Error('down');
    const first = await endOf(failingAt(0, () => shared));
    const second = await endOf(failingAt(2, () => shared));
    expect(first.error).toBe(shared);
    expect(resumeTokenOf(first.error)).toBeUndefined();
    expect(second.error).not.toBe(shared);
    expect(resumeTokenOf(second.error)).toBeDefined();
  });

  it('an error of the demand carries the token after the pages delivered', async () => {
    const demand = new Subject<void>();
    const pages: Page[] = [];
    let error: unknown;
    paginate(spec, numbered(9), {}, { demand }).subscribe({ next: (page) => pages.push(page), error: (e) => (error = e) });
    demand.next();
    demand.next();
    demand.error('demand gave up');
    expect(pages).toHaveLength(2);
    expect((error as Error).cause).toBe('demand gave up');
    const rest = await pagesOf(numbered(9), { startingToken: resumeTokenOf(error) });
    expect([...items(pages), ...items(rest)]).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});

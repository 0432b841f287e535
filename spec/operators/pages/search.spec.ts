import * as jmespath from '@jmespath-community/jmespath';
import { from, lastValueFrom, of, take, toArray } from 'rxjs';
import { paginate, search, SpecError, type Send } from '../../../src';

type Page = Record<string, unknown>;

const searched = (pages: unknown[], expression: string) => lastValueFrom(from(pages).pipe(search(expression), toArray()));

const reservations: Page[] = [
  { Reservations: [{ Instances: [{ InstanceId: 'i-1' }, { InstanceId: 'i-2' }] }, { Instances: [{ InstanceId: 'i-3' }] }] },
  { Reservations: [] },
  { Reservations: [{ Instances: [{ InstanceId: 'i-4' }] }] },
];

describe('search', () => {
  it('emits the items of a list result one by one, across pages', async () => {
    expect(await searched(reservations, 'Reservations[].Instances[].InstanceId')).toEqual(['i-1', 'i-2', 'i-3', 'i-4']);
  });

  it('flattens one level only: a list of lists gives lists', async () => {
    expect(await searched([{ Rows: [[1, 2], [3]] }], 'Rows')).toEqual([[1, 2], [3]]);
    expect(await searched(reservations, 'Reservations[].Instances')).toEqual([
      [{ InstanceId: 'i-1' }, { InstanceId: 'i-2' }],
      [{ InstanceId: 'i-3' }],
      [{ InstanceId: 'i-4' }],
    ]);
  });

  it('emits nothing for an empty list', async () => {
    expect(await searched([{ Items: [] }, { Items: [] }], 'Items')).toEqual([]);
  });

  it('emits scalars, strings and objects as they are, one per page', async () => {
    expect(await searched([{ N: 1 }, { N: 0 }, { N: false }], 'N')).toEqual([1, 0, false]);
    expect(await searched([{ S: 'abc' }], 'S')).toEqual(['abc']);
    expect(await searched([{ O: { a: [1] } }], 'O')).toEqual([{ a: [1] }]);
    expect(await searched([{ Items: [1, 2] }, { Items: [3] }], 'length(Items)')).toEqual([2, 1]);
  });

  it('emits null for every page where nothing matches, as botocore yields None', async () => {
    expect(await searched([{ A: 1 }, {}, { B: null }], 'B')).toEqual([null, null, null]);
  });

  it('emits null for a JMESPath type error instead of failing', async () => {
    expect(await searched([{ Items: [1] }, {}], 'length(Items)')).toEqual([1, null]);
  });

  it('evaluates multi-selects and filters', async () => {
    expect(
      await searched(
        [
          {
            Items: [
              { n: 1, k: 'a' },
              { n: 2, k: 'b' },
            ],
          },
        ],
        'Items[?n > `1`].k',
      ),
    ).toEqual(['b']);
    expect(await searched([{ A: 1, B: 2 }], '[A, B]')).toEqual([1, 2]);
    expect(await searched([{ A: 1, B: 2 }], '{a: A, b: B}')).toEqual([{ a: 1, b: 2 }]);
  });

  it('throws a SpecError at call time for an expression that does not parse', () => {
    let error: unknown;
    try {
      search('Items[');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).field).toBe('expression');
    expect((error as SpecError).problem).toMatch(/^invalid JMESPath expression "Items\["/);
    expect(() => search('')).toThrow(SpecError);
  });

  it('parses the expression once, at call time, for every page of every subscription', async () => {
    const compile = jest.spyOn(jmespath, 'compile');
    try {
      // Not a plain member path, which needs no parser at all.
      const operator = search<number>('Items[]');
      expect(compile).toHaveBeenCalledTimes(1);
      expect(await lastValueFrom(of({ Items: [1] }, { Items: [2] }).pipe(operator, toArray()))).toEqual([1, 2]);
      expect(await lastValueFrom(of({ Items: [3] }).pipe(operator, toArray()))).toEqual([3]);
      expect(compile).toHaveBeenCalledTimes(1);
    } finally {
      compile.mockRestore();
    }
  });

  it('with take on paginate, requests no page past the one that filled it', async () => {
    let calls = 0;
    const send: Send<{ NextToken?: string }, Page> = (input) => {
      calls++;
      const n = Number(input.NextToken ?? 0);
      return of({ Items: [n, n], NextToken: String(n + 1) });
    };
    const found = await lastValueFrom(
      paginate({ input_token: 'NextToken', output_token: 'NextToken' }, send, {}).pipe(search('Items'), take(3), toArray()),
    );
    expect(found).toEqual([0, 0, 1]);
    expect(calls).toBe(2);
  });
});

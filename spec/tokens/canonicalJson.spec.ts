import fc from 'fast-check';
import { PaginationError } from '../../src/errors/PaginationError';
import { canonicalJson, pathText } from '../../src/tokens/canonicalJson';

/** The canonical text by the definition: keys sorted at every level, `$` keys escaped, JSON.stringify for the rest. */
function naive(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(naive).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    const record = value as Record<string, unknown>;
    return `{${keys.map((k) => `${JSON.stringify(k.startsWith('$') ? `$${k}` : k)}:${naive(record[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The same value with its keys in reverse order at every level. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reversed(v)]),
  );
}

describe('canonicalJson', () => {
  const key = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('$bytes', '$set', 'a"b', '\u0000', '\ud800'));
  const json = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.oneof(
        fc.constant(null),
        fc.boolean(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.string({ unit: 'binary' }),
      ),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    ),
  })).value;

  it('spells JSON data as the definition says, in whatever key order, by every path (fast-check)', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(canonicalJson(value)).toBe(naive(value));
        expect(canonicalJson(reversed(value))).toBe(naive(value));
      }),
      { numRuns: 500 },
    );
  });

  it('tells apart every pair of distinct values JSON.stringify would confuse', () => {
    const values = [
      null,
      NaN,
      Infinity,
      -Infinity,
      'null',
      5,
      5n,
      '5n',
      new Uint8Array([1]),
      { $bytes: 'AQ==' },
      new Set([1, 2]),
      { $set: [1, 2] },
      [1, 2],
      new Set(),
      new Map([['a', 1]]),
      new Map([['a', 2]]),
      { a: 1 },
      new Map(),
      {},
      new Date(0),
      '1970-01-01T00:00:00.000Z',
      { $date: 0 },
      new Date(NaN),
    ];
    const texts = values.map((v) => canonicalJson({ v }));
    expect(new Set(texts).size).toBe(values.length);
  });

  it('ignores the insertion order of Set and Map members, not their contents', () => {
    expect(canonicalJson(new Set(['b', 'a']))).toBe(canonicalJson(new Set(['a', 'b'])));
    expect(
      canonicalJson(
        new Map([
          ['b', 1],
          ['a', 2],
        ]),
      ),
    ).toBe(
      canonicalJson(
        new Map([
          ['a', 2],
          ['b', 1],
        ]),
      ),
    );
    expect(canonicalJson(new Set([{ b: 1, a: 2 }]))).toBe('{"$set":[{"a":2,"b":1}]}');
    expect(canonicalJson(new Map([[{ k: 1 }, NaN]]))).toBe('{"$map":[[{"k":1},NaN]]}');
  });

  it('spells class instances by class and fields (lib-dynamodb NumberValue), undefined as JSON does', () => {
    class NumberValue {
      constructor(readonly value: string) {}
    }
    expect(canonicalJson({ n: new NumberValue('1') })).toBe('{"n":{"$instance":"NumberValue","fields":{"value":"1"}}}');
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
  });

  it('refuses functions, symbols, cycles and nesting past 512 levels with a PaginationError naming the member', () => {
    const loop: Record<string, unknown> = {};
    loop['me'] = [loop];
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    let edge: unknown = 1;
    for (let i = 0; i < 511; i++) edge = [edge];
    expect(() => canonicalJson({ f: () => 1 }, 'The input')).toThrow(
      new PaginationError('The input cannot be used: its member f is a function, which has no value to compare'),
    );
    expect(() => canonicalJson({ s: [Symbol('x')] })).toThrow(/its member s\[0\] is a symbol/);
    expect(() => canonicalJson({ t: new Set([loop]) })).toThrow(/its member t\[0\]\.me\[0\] refers to itself \(a cycle\)/);
    expect(() => canonicalJson(deep)).toThrow(/nests deeper than 512 levels/);
    expect(canonicalJson(edge)).toBe(`${'['.repeat(511)}1${']'.repeat(511)}`);
    expect(() => canonicalJson({ p: Promise.resolve() })).toThrow(/its member p is a Promise/);
    expect(() => canonicalJson({ a: new Int16Array(1) })).toThrow(/its member a is an Int16Array/);
  });

  it('names deep members with their middle left out', () => {
    expect(pathText(['a', 0, 'b'])).toBe('a[0].b');
    expect(pathText(Array.from({ length: 20 }, (_, i) => (i % 2 ? i : `k${i}`)))).toBe('k0[1].k2[3].k4[5].…[17].k18[19]');
  });
});

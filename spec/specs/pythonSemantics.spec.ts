/** Python's bool() and == on JSON-like data; every expected value below is what CPython 3.11 says. */
import vm from 'node:vm';
import fc from 'fast-check';
import { isTruthy, pythonEquals } from '../../src/specs/pythonSemantics';
import { isPlainRecord } from '../../src/util/isPlainRecord';

describe('isTruthy', () => {
  it.each([
    ['None', null],
    ['None (undefined)', undefined],
    ['False', false],
    ['0', 0],
    ['-0.0', -0],
    ["''", ''],
    ['[]', []],
    ['{}', {}],
    ['a null-prototype {}', Object.create(null)],
    ["b''", new Uint8Array(0)],
    ['an empty Buffer', Buffer.alloc(0)],
  ])('%s is falsy', (_, value) => {
    expect(isTruthy(value)).toBe(false);
  });

  it.each([
    ['True', true],
    ['1', 1],
    ['-1', -1],
    ['0.1', 0.1],
    ['NaN', NaN],
    ["'0'", '0'],
    ["'False'", 'False'],
    ["' '", ' '],
    ['[0]', [0]],
    ['[None]', [null]],
    ["{'a': None}", { a: null }],
    ["{'a': undefined}", { a: undefined }],
    ["b'\\x00'", new Uint8Array([0])],
    ['a non-empty null-prototype dict', Object.assign(Object.create(null) as object, { a: 0 })],
    ['a Date', new Date(0)],
  ])('%s is truthy', (_, value) => {
    expect(isTruthy(value)).toBe(true);
  });

  it('reads an object from another realm as a dict', () => {
    expect(isTruthy(vm.runInNewContext('({})'))).toBe(false);
    expect(isTruthy(vm.runInNewContext('({ a: 1 })'))).toBe(true);
    expect(isTruthy(vm.runInNewContext('[]'))).toBe(false);
  });
});

describe('pythonEquals', () => {
  const table: [unknown, unknown, boolean][] = [
    [true, 1, true],
    [false, 0, true],
    [true, 2, false],
    [1, 1.0, true],
    [0, -0, true],
    [0, false, true],
    [null, null, true],
    [null, false, false],
    [null, 0, false],
    ['1', 1, false],
    ['', 0, false],
    ['a', 'a', true],
    ['a', 'A', false],
    ['true', true, false],
    [[], [], true],
    [[], {}, false],
    [[1, true], [true, 1.0], true],
    [[1, 2], [2, 1], false],
    [[1], [1, 1], false],
    [[1], 1, false],
    [{ a: 1, b: [1] }, { b: [true], a: 1.0 }, true],
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [{ a: null }, { b: null }, false],
    [[[1, { x: [0] }]], [[true, { x: [false] }]], true],
    [NaN, NaN, false],
    [{}, {}, true],
    [{ a: [] }, { a: {} }, false],
  ];

  it.each(table)('%p == %p is %p', (a, b, expected) => {
    expect(pythonEquals(a, b)).toBe(expected);
    expect(pythonEquals(b, a)).toBe(expected);
  });

  it('compares objects from another realm by value', () => {
    expect(pythonEquals(vm.runInNewContext('({ a: [1, { b: true }] })'), { a: [true, { b: 1 }] })).toBe(true);
  });

  it('does not take a dict for equal to an object with inherited keys', () => {
    const inherited = Object.create({ a: 1 }) as Record<string, unknown>;
    inherited.b = 2;
    expect(pythonEquals({ a: 1, b: 2 }, inherited)).toBe(false);
    expect(pythonEquals({ b: 2, c: 3 }, Object.assign(Object.create({ c: 3 }) as object, { b: 2, x: 1 }))).toBe(false);
  });

  it('is reflexive and symmetric on JSON values (fast-check)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(pythonEquals(a, JSON.parse(JSON.stringify(a)))).toBe(true);
        expect(pythonEquals(a, b)).toBe(pythonEquals(b, a));
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with JSON equality when no numbers or booleans are involved (fast-check)', () => {
    const noNumbers = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.string({ maxLength: 3 }), tie('list'), tie('dict')),
      list: fc.array(tie('value'), { maxLength: 3 }),
      dict: fc.dictionary(fc.string({ maxLength: 2 }), tie('value'), { maxKeys: 3 }),
    })).value;
    const canonical = (v: unknown): string =>
      Array.isArray(v)
        ? `[${v.map(canonical).join(',')}]`
        : v !== null && typeof v === 'object'
          ? `{${Object.keys(v)
              .sort()
              .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
              .join(',')}}`
          : JSON.stringify(v);
    fc.assert(
      fc.property(noNumbers, noNumbers, (a, b) => {
        expect(pythonEquals(a, b)).toBe(canonical(a) === canonical(b));
      }),
      { numRuns: 300 },
    );
  });
});

describe('isPlainRecord', () => {
  it('is true for object literals, null-prototype objects and other realms’ objects', () => {
    expect(isPlainRecord({})).toBe(true);
    expect(isPlainRecord(Object.create(null))).toBe(true);
    expect(isPlainRecord(vm.runInNewContext('({})'))).toBe(true);
    expect(isPlainRecord(structuredClone({ a: 1 }))).toBe(true);
  });

  it('is false for everything else', () => {
    for (const value of [
      null,
      undefined,
      1,
      'x',
      [],
      new Date(),
      new Map(),
      new Uint8Array(1),
      new (class A {})(),
      Object.create({}),
      () => 1,
    ]) {
      expect(isPlainRecord(value)).toBe(false);
    }
  });
});

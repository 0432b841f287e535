import fc from 'fast-check';
import { dottedPath, setValueAt, withValueAt } from '../../src/specs/dottedPath';
import { SpecError } from '../../src/errors/SpecError';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function rejection(source: string): SpecError {
  try {
    dottedPath(source, 'result_key[1]');
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    return error as SpecError;
  }
  throw new Error(`expected ${JSON.stringify(source)} to be rejected`);
}

describe('dottedPath', () => {
  it.each([
    ['Items', ['Items']],
    ['Data.Items', ['Data', 'Items']],
    ['a.b.c.d', ['a', 'b', 'c', 'd']],
    ['_private', ['_private']],
    ['A1.b_2', ['A1', 'b_2']],
    ['constructor', ['constructor']],
    ['prototype.x', ['prototype', 'x']],
  ])('splits %p into its members', (source, path) => {
    expect(dottedPath(source, 'result_key')).toEqual(path);
  });

  it.each([
    '',
    '.',
    'a.',
    '.a',
    'a..b',
    'a[0]',
    'a[]',
    'a.b[*]',
    '"a"',
    'a-b',
    '1a',
    'a.1',
    'a b',
    'a|b',
    'length(a)',
    '@',
    'a.*',
    'Ä',
  ])('rejects %p, naming the field', (source) => {
    const error = rejection(source);
    expect(error.field).toBe('result_key[1]');
    expect(error.problem).toBe(
      `must be a dotted path of member names (it is written back into pages), got ${JSON.stringify(source)}`,
    );
  });

  it.each(['__proto__', 'a.__proto__', '__proto__.a', 'a.__proto__.b'])(
    'rejects %p: __proto__ would reach Object.prototype',
    (source) => {
      const error = rejection(source);
      expect(error.field).toBe('result_key[1]');
      expect(error.problem).toBe('must not name __proto__');
    },
  );

  it('accepts names that merely contain __proto__', () => {
    expect(dottedPath('__proto__x.x__proto__', 'f')).toEqual(['__proto__x', 'x__proto__']);
  });
});

describe('withValueAt', () => {
  it('returns a copy with the value set, never touching the input', () => {
    const input = deepFreeze({ Items: [1, 2], Other: { x: 1 } });
    const out = withValueAt(input, ['Items'], [1]);
    expect(out).toEqual({ Items: [1], Other: { x: 1 } });
    expect(out).not.toBe(input);
    expect(input).toEqual({ Items: [1, 2], Other: { x: 1 } });
  });

  it('copies the objects along the path and shares everything else', () => {
    const input = deepFreeze({ A: { B: { C: 1, D: [1] }, E: { f: 1 } }, G: { h: 1 } });
    const out = withValueAt(input, ['A', 'B', 'C'], 2) as { A: { B: { C: number; D: number[] }; E: object }; G: object };
    expect(out).toEqual({ A: { B: { C: 2, D: [1] }, E: { f: 1 } }, G: { h: 1 } });
    expect(out.A).not.toBe(input.A);
    expect(out.A.B).not.toBe(input.A.B);
    expect(out.A.B.D).toBe(input.A.B.D);
    expect(out.A.E).toBe(input.A.E);
    expect(out.G).toBe(input.G);
    expect(input.A.B.C).toBe(1);
  });

  it('creates missing objects along the path', () => {
    expect(withValueAt({}, ['A', 'B', 'C'], null)).toEqual({ A: { B: { C: null } } });
    expect(withValueAt({ A: { x: 1 } }, ['A', 'B', 'C'], 'v')).toEqual({ A: { x: 1, B: { C: 'v' } } });
  });

  it('starts from an empty object when the target, or a step on the path, is no plain object', () => {
    expect(withValueAt(null, ['A'], 1)).toEqual({ A: 1 });
    expect(withValueAt('text', ['A'], 1)).toEqual({ A: 1 });
    expect(withValueAt([1, 2], ['A'], 1)).toEqual({ A: 1 });
    const input = deepFreeze({ A: [1, 2], B: 'x', C: null });
    expect(withValueAt(input, ['A', 'x'], 1)).toEqual({ A: { x: 1 }, B: 'x', C: null });
    expect(withValueAt(input, ['B', 'x'], 1)).toEqual({ A: [1, 2], B: { x: 1 }, C: null });
    expect(withValueAt(input, ['C', 'x'], 1)).toEqual({ A: [1, 2], B: 'x', C: { x: 1 } });
  });

  it('copies null-prototype objects too', () => {
    const input = Object.assign(Object.create(null) as Record<string, unknown>, { A: 1, B: 2 });
    const out = withValueAt(input, ['A'], 3);
    expect(out).toEqual({ A: 3, B: 2 });
    expect(input.A).toBe(1);
  });

  it('writes constructor.prototype as own members, not into Object.prototype', () => {
    const out = withValueAt({}, ['constructor', 'prototype', 'polluted'], true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(out, 'constructor')).toBe(true);
    expect(out).toEqual({ constructor: { prototype: { polluted: true } } });
  });

  it('never mutates its input, whatever the path (fast-check)', () => {
    const member = fc.constantFrom('a', 'b', 'c');
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 4 }),
        fc.array(member, { minLength: 1, maxLength: 4 }),
        fc.jsonValue({ maxDepth: 1 }),
        (target, path, value) => {
          const before = JSON.stringify(target);
          const out = withValueAt(deepFreeze(target), path, value);
          expect(JSON.stringify(target)).toBe(before);
          let node: unknown = out;
          for (const step of path) node = (node as Record<string, unknown>)[step];
          expect(node).toBe(value);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('setValueAt', () => {
  it('sets the value in place, keeping the objects on the path', () => {
    const inner = { Items: [1], Keep: true };
    const target: Record<string, unknown> = { Data: inner, Other: 1 };
    setValueAt(target, ['Data', 'Items'], [1, 2]);
    expect(target).toEqual({ Data: { Items: [1, 2], Keep: true }, Other: 1 });
    expect(target.Data).toBe(inner);
  });

  it('creates missing objects and replaces steps that are no plain object', () => {
    const target: Record<string, unknown> = { A: 'x', B: [1] };
    setValueAt(target, ['A', 'b'], 1);
    setValueAt(target, ['B', 'c'], 2);
    setValueAt(target, ['C', 'd', 'e'], 3);
    expect(target).toEqual({ A: { b: 1 }, B: { c: 2 }, C: { d: { e: 3 } } });
  });

  it('writes constructor.prototype as own members, not into Object.prototype', () => {
    const target: Record<string, unknown> = {};
    setValueAt(target, ['constructor', 'prototype', 'polluted'], true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(target, 'constructor')).toBe(true);
  });
});

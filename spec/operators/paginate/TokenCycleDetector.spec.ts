import fc from 'fast-check';
import { fingerprintOfString, TokenCycleDetector } from '../../../src/operators/paginate/TokenCycleDetector';
import { canonicalJson } from '../../../src/tokens/canonicalJson';
import { PaginationError } from '../../../src/errors/PaginationError';

const WINDOW = 2048;

/** Feeds tokens 0, 1, ..., cycle-1, 0, 1, ... (after `tail` distinct lead-in tokens); returns when and how far back the repeat was seen. */
function detect(cycle: number, tail = 0, limit = 10 * (cycle + tail) + 10) {
  const detector = new TokenCycleDetector();
  for (let step = 1; step <= limit; step++) {
    const n = step <= tail ? `tail-${step}` : String((step - tail - 1) % cycle);
    const distance = detector.see({ NextToken: n });
    if (distance > 0) return { step, distance };
  }
  return undefined;
}

describe('TokenCycleDetector', () => {
  it('returns 0 for new tokens', () => {
    const detector = new TokenCycleDetector();
    for (const token of ['a', 'b', 'c', 'ab', '"a']) expect(detector.see({ NextToken: token })).toBe(0);
  });

  it('returns 1 for the same token twice in a row', () => {
    const detector = new TokenCycleDetector();
    detector.see({ NextToken: 'a' });
    expect(detector.see({ NextToken: 'a' })).toBe(1);
  });

  it('returns how many tokens ago a repeated token was seen', () => {
    const detector = new TokenCycleDetector();
    for (const token of ['a', 'b', 'c']) detector.see({ NextToken: token });
    expect(detector.see({ NextToken: 'a' })).toBe(3);
  });

  describe('within the exact window', () => {
    it.each([1, 2, 3, 100, WINDOW - 1, WINDOW])('catches a cycle of %i on its first repeat', (cycle) => {
      expect(detect(cycle)).toEqual({ step: cycle + 1, distance: cycle });
    });

    it('catches the first repeat after a long lead-in of distinct tokens', () => {
      expect(detect(10, 5000)).toEqual({ step: 5011, distance: 10 });
    });

    it('any token repeated within the window, after any distinct tokens, is caught at once with its distance', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 1500 }), fc.nat(), (before, raw) => {
          const back = raw % Math.min(before, WINDOW);
          const detector = new TokenCycleDetector();
          for (let i = 0; i < before; i++) if (detector.see({ NextToken: `t${i}` }) !== 0) return false;
          return detector.see({ NextToken: `t${before - 1 - back}` }) === back + 1;
        }),
        { numRuns: 100 },
      );
    });
  });

  describe('beyond the window', () => {
    it.each([WINDOW + 1, 1500, 2048, 2049, 3000, 5000, 20_000])(
      'catches a cycle of %i within one more turn, naming its length',
      (cycle) => {
        const found = detect(cycle);
        expect(found).toBeDefined();
        expect(found!.distance).toBe(cycle);
        // First repeat at cycle + 1; the fingerprint of one of the first repeated tokens (one in 8 is chosen)
        // makes it a probe, confirmed when it comes back a turn later.
        expect(found!.step).toBeGreaterThan(cycle);
        expect(found!.step).toBeLessThanOrEqual(2 * cycle + 64);
      },
    );

    it('a cycle of 2,049 stops within one more turn (it took 4,094 repeated pages before)', () => {
      const found = detect(2049);
      expect(found!.step - 2049 - 1).toBeLessThanOrEqual(2049 + 64);
    });

    it.each([
      [2000, 3000],
      [1100, 40],
      [5000, 100_000],
    ])('catches a cycle of %i after %i distinct tokens within one more turn', (cycle, tail) => {
      const found = detect(cycle, tail);
      expect(found).toBeDefined();
      expect(found!.distance).toBe(cycle);
      expect(found!.step).toBeLessThanOrEqual(tail + 2 * cycle + 64);
    });

    it.each([
      [40_000, 0],
      [30_000, 70_000],
    ])("catches a cycle of %i (after %i distinct tokens) within Brent's bound at worst", (cycle, tail) => {
      const found = detect(cycle, tail);
      expect(found).toBeDefined();
      expect(found!.distance).toBe(cycle);
      // Brent's checkpoint is in the cycle with room for a whole turn before step 2 × max(tail + 1, cycle).
      expect(found!.step).toBeLessThanOrEqual(2 * Math.max(tail + 1, cycle) + cycle);
    });

    it('raises no false alarm over many distinct tokens, fingerprint collisions included', () => {
      const detector = new TokenCycleDetector();
      // 300,000 fingerprints in 8,192 slots of 32 bits: a few collide, and must only make probes.
      for (let i = 0; i < 300_000; i++) if (detector.see({ NextToken: `t${i}` }) !== 0) throw new Error(`false alarm at ${i}`);
    });

    it('a fingerprint collision delays nothing it should not, and reports nothing', () => {
      // Two different tokens with the same fingerprint, found by a search over `c<n>`.
      const [a, b] = collidingPair();
      expect(fingerprintOfString(a)).toBe(fingerprintOfString(b));
      const detector = new TokenCycleDetector();
      for (let i = 0; i < 2100; i++) expect(detector.see({ NextToken: `pad${i}` })).toBe(0); // fingerprints are on
      expect(detector.see({ NextToken: a })).toBe(0);
      const before = detector.retainedBytes;
      expect(detector.see({ NextToken: b })).toBe(0); // its fingerprint was met: a probe, not a report
      // Held twice: in the window (text and entry), and as the probe; the oldest pad left the window (2,048) for it.
      const pushedOut = 'pad53';
      expect(detector.retainedBytes - before).toBe(2 * b.length + 32 + 2 * b.length - (2 * pushedOut.length + 32));
      expect(detector.see({ NextToken: a })).toBe(2);
      for (let i = 0; i < 5000; i++) expect(detector.see({ NextToken: `more${i}` })).toBe(0);
    });
  });

  describe('bounded memory', () => {
    const MB = 1024 * 1024;
    const bound = 700 * 1024; // window text and entries, plus the fingerprint table: about 0.6 MB

    it('holds at most about 0.6 MB plus three tokens with 1 MB tokens (250 of them filled a 256 MB heap before)', () => {
      const detector = new TokenCycleDetector();
      const big = 'x'.repeat(MB / 2); // 1 MB of UTF-16
      for (let i = 0; i < 150; i++) {
        expect(detector.see({ NextToken: `${i}:${big}` })).toBe(0);
        expect(detector.retainedBytes).toBeLessThanOrEqual(bound + 3 * 2 * (big.length + 8));
      }
    });

    it('holds at most about 0.6 MB with tokens of every size in between', () => {
      const detector = new TokenCycleDetector();
      const sizes = [10, 1000, 60_000, 130_000, 200];
      let largest = 0;
      for (let i = 0; i < 600; i++) {
        const size = sizes[i % sizes.length]!;
        largest = Math.max(largest, size);
        detector.see({ T: { k: `${i}`.padEnd(size, '.') } });
        expect(detector.retainedBytes).toBeLessThanOrEqual(bound + 3 * 2 * (largest + 40));
      }
    });

    it('holds flat memory over 100,000 small tokens', () => {
      const detector = new TokenCycleDetector();
      let peak = 0;
      for (let i = 0; i < 100_000; i++) {
        detector.see({ ExclusiveStartKey: { pk: { S: `user#${i}` } } });
        peak = Math.max(peak, detector.retainedBytes);
      }
      expect(peak).toBeLessThanOrEqual(bound);
    });

    it('still catches large tokens: the same one twice in a row at once, a cycle of them within one more turn', () => {
      const big = 'y'.repeat(200_000);
      const detector = new TokenCycleDetector();
      expect(detector.see({ T: `a${big}` })).toBe(0);
      expect(detector.see({ T: `a${big}` })).toBe(1);
      const cycling = new TokenCycleDetector();
      let found: { step: number; distance: number } | undefined;
      for (let step = 1; step <= 30 && !found; step++) {
        const distance = cycling.see({ T: `${step % 5}${big}` });
        if (distance > 0) found = { step, distance };
      }
      // The first repeat (step 6) meets its fingerprint and is held as a probe, which comes back a turn later.
      expect(found).toEqual({ step: 11, distance: 5 });
    });
  });

  describe('exactly as a detector that remembers everything (fast-check)', () => {
    const naive = () => {
      const seen = new Map<string, number>();
      let count = 0;
      return (tokens: Record<string, unknown>) => {
        const key = canonicalJson(tokens);
        const at = seen.get(key);
        seen.set(key, ++count);
        return at === undefined ? 0 : count - at;
      };
    };
    const value = fc.oneof(
      fc.string({ maxLength: 3 }),
      fc.integer({ min: -2, max: 2 }),
      fc.constantFrom(NaN, Infinity, null, true, 1n, new Uint8Array([1]), new Set([1]), new Map([[1, 2]]), { $bytes: 'AQ==' }),
    );
    const token = fc.oneof(
      fc.record({ NextToken: fc.string({ maxLength: 2 }) }),
      fc.record({ NextToken: value }),
      fc.record({ ExclusiveStartKey: fc.dictionary(fc.constantFrom('pk', 'sk', '$x'), value, { maxKeys: 3 }) }),
      fc.record({ A: value, B: value }),
    );

    it('reports a repeat only when the naive detector does, with its distance; within the window, at once', () => {
      fc.assert(
        fc.property(fc.array(token, { minLength: 1, maxLength: 60 }), (tokens) => {
          const detector = new TokenCycleDetector();
          const reference = naive();
          for (const t of tokens) {
            const expected = reference(t);
            expect(detector.see(t)).toBe(expected);
            if (expected > 0) return;
          }
        }),
        { numRuns: 500 },
      );
    });

    it('past the window too: never a false alarm, never a wrong distance, and a cycle stops within one more turn', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1025, max: 4000 }), fc.integer({ min: 0, max: 3000 }), (cycle, tail) => {
          const detector = new TokenCycleDetector();
          const reference = naive();
          for (let step = 1; step <= tail + 2 * cycle + 64; step++) {
            const n = step <= tail ? { K: { tail: step } } : { K: { at: (step - tail - 1) % cycle } };
            const expected = reference(n);
            const got = detector.see(n);
            if (got > 0) {
              expect(got).toBe(expected);
              return;
            }
          }
          throw new Error(`cycle of ${cycle} after ${tail} not caught within one more turn`);
        }),
        { numRuns: 15 },
      );
    });
  });

  describe('compares tokens by value', () => {
    it('object tokens with keys in a different order are the same token', () => {
      const detector = new TokenCycleDetector();
      expect(detector.see({ ExclusiveStartKey: { pk: { S: 'a' }, sk: { N: '1' } } })).toBe(0);
      expect(detector.see({ ExclusiveStartKey: { sk: { N: '1' }, pk: { S: 'a' } } })).toBe(1);
    });

    it('several input tokens, in a different order, are the same tokens', () => {
      const detector = new TokenCycleDetector();
      detector.see({ KeyMarker: 'k', VersionIdMarker: null });
      detector.see({ KeyMarker: 'k', VersionIdMarker: 'v' });
      expect(detector.see({ VersionIdMarker: null, KeyMarker: 'k' })).toBe(2);
    });

    it('different values are different tokens, however they are nested', () => {
      const detector = new TokenCycleDetector();
      const tokens = [
        { T: { a: 1 } },
        { T: { a: '1' } },
        { T: { a: [1] } },
        { T: [1, 2] },
        { T: [2, 1] },
        { T: 1 },
        { T: '1' },
        { T: true },
        { T: 'true' },
        { T: { a: 1, b: 2 } },
        { T: null },
        { A: 'x', B: null },
        { A: null, B: 'x' },
      ];
      for (const token of tokens) expect(detector.see(token)).toBe(0);
    });

    it('a single string token never collides with an object token spelled like it', () => {
      const detector = new TokenCycleDetector();
      expect(detector.see({ T: '{"T":1}' })).toBe(0);
      expect(detector.see({ T: 1 })).toBe(0);
      expect(detector.see({ T: '"x' })).toBe(0);
      expect(detector.see({ T: 'x' })).toBe(0);
    });

    it('Uint8Array tokens compare by their bytes', () => {
      const detector = new TokenCycleDetector();
      expect(detector.see({ T: new Uint8Array([1, 2, 3]) })).toBe(0);
      expect(detector.see({ T: new Uint8Array([1, 2, 4]) })).toBe(0);
      expect(detector.see({ T: new Uint8Array([1, 2]) })).toBe(0);
      expect(detector.see({ T: new Uint8Array([1, 2, 3]) })).toBe(3);
      expect(detector.see({ Nested: { b: [new Uint8Array([9])] } })).toBe(0);
      expect(detector.see({ Nested: { b: [new Uint8Array([9])] } })).toBe(1);
    });

    it('a Uint8Array view compares by the bytes it shows, not its whole buffer', () => {
      const detector = new TokenCycleDetector();
      const buffer = new Uint8Array([0, 1, 2, 3, 4]).buffer;
      expect(detector.see({ T: new Uint8Array(buffer, 1, 2) })).toBe(0);
      expect(detector.see({ T: new Uint8Array([1, 2]) })).toBe(1);
    });

    it('a Buffer and a Uint8Array with the same bytes are the same token', () => {
      const detector = new TokenCycleDetector();
      detector.see({ T: new Uint8Array([1, 2, 3]) });
      expect(detector.see({ T: Buffer.from([1, 2, 3]) })).toBe(1);
    });

    it('NaN, infinities, BigInt, Set, Map and Date tokens compare by value, and apart from look-alikes', () => {
      const detector = new TokenCycleDetector();
      const tokens = [NaN, null, Infinity, -Infinity, 5n, 5, '5n', new Set([1, 2]), [1, 2], new Map([['a', 1]]), { a: 1 }];
      for (const t of tokens) expect(detector.see({ T: t, U: 1 })).toBe(0);
      expect(detector.see({ T: new Uint8Array([1]), U: 1 })).toBe(0);
      expect(detector.see({ T: { $bytes: 'AQ==' }, U: 1 })).toBe(0);
      expect(detector.see({ T: new Date(0), U: 1 })).toBe(0);
      expect(detector.see({ T: NaN, U: 1 })).toBe(tokens.length + 3);
      expect(detector.see({ T: new Set([2, 1]), U: 1 })).toBe(tokens.length + 4 - 7);
    });

    it('tokens that are not plain data: by class and fields, by what toJSON says (a URL), else by identity', () => {
      class NumberValue {
        constructor(readonly value: string) {}
      }
      class Cursor {
        readonly #position: number;
        constructor(position: number) {
          this.#position = position;
        }
        get position(): number {
          return this.#position;
        }
      }
      const detector = new TokenCycleDetector();
      // Different URLs and different #private instances are different tokens: no false alarm after one page.
      expect(detector.see({ T: new URL('https://example.com/page?after=1') })).toBe(0);
      expect(detector.see({ T: new URL('https://example.com/page?after=2') })).toBe(0);
      const first = new Cursor(1);
      expect(detector.see({ T: first })).toBe(0);
      expect(detector.see({ T: new Cursor(2) })).toBe(0);
      expect(detector.see({ T: new NumberValue('1') })).toBe(0);
      expect(detector.see({ T: new NumberValue('2') })).toBe(0);
      // The same value comes back: caught, for a URL by its address, for a class with fields by them.
      expect(detector.see({ T: new NumberValue('1') })).toBe(2);
      const cycling = new TokenCycleDetector();
      cycling.see({ T: new URL('https://example.com/page?after=1') });
      expect(cycling.see({ T: new URL('https://example.com/page?after=1') })).toBe(1);
      // State the token does not show (#private fields): only the very same object comes back as a repeat.
      const same = new TokenCycleDetector();
      same.see({ T: first });
      expect(same.see({ T: new Cursor(1) })).toBe(0);
      expect(same.see({ T: first })).toBe(2);
    });

    it('a cyclic or too deeply nested token is a PaginationError naming where, not a RangeError', () => {
      const loop: Record<string, unknown> = { a: 1 };
      loop['self'] = loop;
      let deep: unknown = 'bottom';
      for (let i = 0; i < 200_000; i++) deep = { d: deep };
      const detector = new TokenCycleDetector();
      expect(() => detector.see({ T: loop })).toThrow(
        new PaginationError('The next token cannot be used: its member T.self refers to itself (a cycle)'),
      );
      expect(() => detector.see({ T: deep })).toThrow(PaginationError);
      expect(() => detector.see({ T: deep })).toThrow(/nests deeper than 512 levels/);
      expect(() => detector.see({ T: () => 1 })).toThrow(/member T is a function/);
    });

    it('equal tokens compare equal whatever they are, by fast-check', () => {
      const token = fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.jsonValue({ maxDepth: 3 }), {
        minKeys: 1,
        maxKeys: 3,
      });
      fc.assert(
        fc.property(token, (t) => {
          const detector = new TokenCycleDetector();
          detector.see(t);
          const reordered = JSON.parse(JSON.stringify(t, (_k, v: unknown) => reorder(v))) as Record<string, unknown>;
          expect(detector.see(reordered)).toBe(1);
        }),
        { numRuns: 200 },
      );
    });
  });
});

/** Two strings with the same fingerprint, one of those sampled (a birthday search: about 2^19 tries). */
function collidingPair(): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; ; i++) {
    const key = `c${i}`;
    const print = fingerprintOfString(key);
    if ((print & 7) !== 0) continue;
    const other = seen.get(print);
    if (other !== undefined) return [other, key];
    seen.set(print, key);
  }
}

/** The same object with its keys in reverse order. */
function reorder(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).reverse());
}

import fc from 'fast-check';
import { TokenCycleDetector } from '../../../src/operators/paginate/TokenCycleDetector';

const WINDOW = 1024;

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

  describe('beyond the window (Brent)', () => {
    it.each([WINDOW + 1, 1500, 2048, 3000, 5000])('catches a cycle of %i within two more turns, naming its length', (cycle) => {
      const found = detect(cycle);
      expect(found).toBeDefined();
      expect(found!.distance).toBe(cycle);
      // Brent's checkpoint is refreshed at powers of two: it lands in the cycle before 2 × cycle steps,
      // and the cycle brings it back one turn later.
      expect(found!.step).toBeGreaterThan(cycle);
      expect(found!.step).toBeLessThanOrEqual(3 * cycle);
    });

    it.each([
      [2000, 3000],
      [1100, 40],
      [5000, 100_000],
    ])('catches a cycle of %i after %i distinct tokens within bounded extra steps', (cycle, tail) => {
      const found = detect(cycle, tail);
      expect(found).toBeDefined();
      expect(found!.distance).toBe(cycle);
      // The first checkpoint inside the cycle with room for a whole turn is set before step 2 × max(tail + 1, cycle).
      expect(found!.step).toBeLessThanOrEqual(2 * Math.max(tail + 1, cycle) + cycle);
    });

    it('raises no false alarm over many distinct tokens', () => {
      const detector = new TokenCycleDetector();
      for (let i = 0; i < 50_000; i++) if (detector.see({ NextToken: `t${i}` }) !== 0) throw new Error(`false alarm at ${i}`);
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

/** The same object with its keys in reverse order. */
function reorder(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).reverse());
}

import { canonicalJson } from '../../tokens/canonicalJson';

/** Tokens remembered exactly per generation; two generations are kept, so a cycle this short stops before any page repeats. */
const RECENT_TOKENS = 1024;
/** Characters of token text per generation: with large tokens, fewer are remembered exactly. */
const RECENT_CHARS = 128 * 1024;
/** Slots of the fingerprint table (a power of two): 64 KiB, taken only once tokens leave the exact window. */
const FINGERPRINT_SLOTS = 8192;
/**
 * One token in this many is fingerprinted, chosen by its own fingerprint, so a token that comes back is chosen
 * again: the table reaches 8 times further back, and costs one memory access in 8 pages. A cycle is then met
 * at its first chosen token, a few pages into its second turn.
 */
const SAMPLING = 8; // a power of two: the low 3 bits choose, the next ones pick the slot
/** What {@link TokenCycleDetector.retainedBytes} counts per remembered token (a Map entry), or per fingerprint slot. */
const ENTRY_BYTES = 32;
const SLOT_BYTES = 8;
/** UTF-16 units a fingerprint reads at most from a huge key. */
const HASHED_UNITS = 64 * 1024;

interface Generation {
  /** Lone string tokens (the usual case), as they are: their own key, with no copy. */
  readonly strings: Map<string, number>;
  /** Other tokens, by canonical JSON. */
  readonly values: Map<string, number>;
  size: number;
  chars: number;
}

/** One token held exactly outside the window; `raw` tells a lone string from a canonical key. */
interface Held {
  readonly key: string;
  readonly raw: boolean;
  readonly step: number;
}

/** A token met again by fingerprint only: a cycle if the very same token comes back within `within` more tokens. */
interface Probe extends Held {
  readonly within: number;
}

/**
 * Where each sampled fingerprint was last seen: a direct-mapped table of (fingerprint, step) pairs side by side
 * (one cache line), where a newer fingerprint may take an older one's slot. Steps are kept modulo 2^32: a
 * distance is right up to 4 billion pages, and a wrong one could only mistime a probe.
 */
type Fingerprints = Int32Array;

/**
 * Notices when a service's continuation tokens go round in a cycle, by
 * value, never raising a false alarm.
 *
 * botocore only catches the same token twice in a row, and SDK v3 compares
 * tokens with `!==`, so a DynamoDB `LastEvaluatedKey` (an object) never
 * compares equal. Here tokens compare by value:
 * - the last {@link RECENT_TOKENS} to twice that (fewer when they are large:
 *   at most 2 × {@link RECENT_CHARS} characters) are remembered exactly, so a
 *   cycle that short stops before any page repeats;
 * - past that, one token in {@link SAMPLING} (chosen by its fingerprint, so
 *   a token that comes back is chosen again; every large token) leaves its
 *   32-bit fingerprint in a table of {@link FINGERPRINT_SLOTS} slots (64 KiB).
 *   A fingerprint met again makes the token a *probe*, held exactly, and the
 *   cycle is reported when that very token comes back, one turn later: a
 *   hash collision can delay a report, never cause one. A slot is taken over
 *   by a later fingerprint with odds of 1 in 65,536 a page, so a cycle of
 *   tens of thousands of tokens leaves most of its fingerprints: it stops
 *   one turn (and a few pages) after it starts repeating;
 * - Brent's algorithm holds one more token exactly (its checkpoint, moved at
 *   powers of two), so a cycle of any length is caught, with flat memory
 *   over millions of pages.
 * A token too large for the window is held until the next one, so the same
 * large token twice in a row is still caught at once. Fingerprints are only
 * taken once tokens start leaving the window: a short pagination pays one Map
 * lookup and insert per page.
 * @internal
 */
export class TokenCycleDetector {
  private current = newGeneration();
  private previous = newGeneration();
  private fingerprints: Fingerprints | undefined;
  /** The last token, when it was too large for the window. */
  private large: Held | undefined;
  private probe: Probe | undefined;
  private checkpoint: Held | undefined;
  private power = 1;
  private count = 0;

  /** Records `tokens`; returns how many tokens ago it was seen, or 0 when it is new. */
  see(tokens: Readonly<Record<string, unknown>>): number {
    const lone = loneString(tokens);
    const raw = lone !== undefined;
    const key = raw ? lone : canonicalJson(tokens, 'The next token');
    const count = ++this.count;
    const seenAt = raw
      ? (this.current.strings.get(key) ?? this.previous.strings.get(key))
      : (this.current.values.get(key) ?? this.previous.values.get(key));
    if (seenAt !== undefined) return count - seenAt;
    const held = matching(this.large, key, raw) ?? matching(this.probe, key, raw) ?? matching(this.checkpoint, key, raw);
    if (held !== undefined) return count - held.step;
    // Brent: the checkpoint moves to the token at each power of two, so a cycle of any length meets it again.
    if (count === this.power) {
      this.checkpoint = { key, raw, step: count };
      this.power *= 2;
    }
    if (this.fingerprints !== undefined) this.watch(this.fingerprints, key, raw);
    this.remember(key, raw);
    return 0;
  }

  /**
   * An upper bound on the memory held for remembered tokens: 2 bytes per
   * character of token text, {@link ENTRY_BYTES} per token in the window and
   * the fingerprint table: at most about 0.6 MB plus three tokens (the last
   * one, the probe and Brent's checkpoint), whatever the tokens.
   */
  get retainedBytes(): number {
    const { current, previous } = this;
    let chars = current.chars + previous.chars;
    for (const held of [this.large, this.probe, this.checkpoint]) chars += held?.key.length ?? 0;
    const table = this.fingerprints === undefined ? 0 : FINGERPRINT_SLOTS * SLOT_BYTES;
    return 2 * chars + ENTRY_BYTES * (current.size + previous.size) + table;
  }

  /** Looks a sampled token up among the fingerprints, then leaves its own: a hit makes it the probe, unless one is waiting. */
  private watch(table: Fingerprints, key: string, raw: boolean): void {
    const print = fingerprintOf(key, raw);
    // Large tokens never stay in the window: all of them are fingerprinted (a choice by content still).
    if ((print & (SAMPLING - 1)) !== 0 && key.length <= RECENT_CHARS) return;
    const { probe, count } = this;
    const slot = 2 * ((print >>> 3) & (FINGERPRINT_SLOTS - 1));
    // A probe that did not come back in time met a colliding fingerprint, not a cycle.
    if (probe === undefined || count - probe.step > probe.within) {
      const within = (count - table[slot + 1]!) >>> 0;
      this.probe = table[slot] === print && within > 0 ? { key, raw, step: count, within } : undefined;
    }
    table[slot] = print;
    table[slot + 1] = count;
  }

  private remember(key: string, raw: boolean): void {
    this.large = undefined;
    if (key.length > RECENT_CHARS) {
      this.large = { key, raw, step: this.count };
      if (this.fingerprints === undefined) this.watch((this.fingerprints = this.startFingerprints()), key, raw);
      return;
    }
    let generation = this.current;
    if (generation.size === RECENT_TOKENS || generation.chars + key.length > RECENT_CHARS) {
      // Two generations, the older one dropped whole: no deletes on the hot path.
      if (this.previous.size > 0 && this.fingerprints === undefined) {
        this.watch((this.fingerprints = this.startFingerprints()), key, raw);
      }
      this.previous = generation;
      this.current = generation = newGeneration();
    }
    (raw ? generation.strings : generation.values).set(key, this.count);
    generation.size++;
    generation.chars += key.length;
  }

  /** The fingerprint table, with the tokens still remembered in it (newer ones are added as they come). */
  private startFingerprints(): Fingerprints {
    const table: Fingerprints = new Int32Array(2 * FINGERPRINT_SLOTS);
    const seen: [string, number, boolean][] = [];
    for (const { strings, values } of [this.previous, this.current]) {
      for (const [key, step] of strings) seen.push([key, step, true]);
      for (const [key, step] of values) seen.push([key, step, false]);
    }
    seen.sort((a, b) => a[1] - b[1]);
    for (const [key, step, raw] of seen) {
      const print = fingerprintOf(key, raw);
      if ((print & (SAMPLING - 1)) !== 0) continue;
      const slot = 2 * ((print >>> 3) & (FINGERPRINT_SLOTS - 1));
      table[slot] = print;
      table[slot + 1] = step;
    }
    return table;
  }
}

function matching(held: Held | undefined, key: string, raw: boolean): Held | undefined {
  return held !== undefined && held.key === key && held.raw === raw ? held : undefined;
}

function newGeneration(): Generation {
  return { strings: new Map(), values: new Map(), size: 0, chars: 0 };
}

/**
 * A multiply-xorshift hash of a key, taking two UTF-16 units a step; lone strings and canonical keys hash apart.
 * @example
 * ```ts
 * fingerprintOf('abc', true) === fingerprintOf('abc', true); // true
 * ```
 * @internal
 */
export function fingerprintOf(key: string, raw: boolean): number {
  let hash = Math.imul(raw ? 0x811c9dc5 : 0x050c5d1f, 0x5bd1e995) ^ key.length;
  // A huge key is sampled (a stride through it, and its whole end): a page costs the same whatever the
  // token's size; two huge keys differing only between samples just meet as a probe.
  if (key.length > HASHED_UNITS) {
    const stride = Math.ceil(key.length / HASHED_UNITS);
    for (let i = 0; i < key.length; i += stride) hash = mix(hash, key.charCodeAt(i));
    for (let i = key.length - 1024; i < key.length; i++) hash = mix(hash, key.charCodeAt(i));
  } else {
    let i = 0;
    for (; i + 1 < key.length; i += 2) hash = mix(hash, key.charCodeAt(i) | (key.charCodeAt(i + 1) << 16));
    if (i < key.length) hash = mix(hash, key.charCodeAt(i));
  }
  return Math.imul(hash ^ (hash >>> 13), 0x5bd1e995);
}

function mix(hash: number, word: number): number {
  const mixed = Math.imul(hash ^ word, 0x5bd1e995);
  return mixed ^ (mixed >>> 15);
}

/** The token when it is one string, the usual case: then it is its own key. */
function loneString(tokens: Readonly<Record<string, unknown>>): string | undefined {
  let only: unknown;
  let count = 0;
  for (const name in tokens) {
    only = tokens[name];
    if (++count > 1) return undefined;
  }
  return typeof only === 'string' ? only : undefined;
}

import { finish, hashString, mix, sameToken, TokenHasher } from './tokenHash';

/** Tokens remembered exactly, at most: a cycle this short stops before any page repeats. */
const RECENT_TOKENS = 2048;
/** Bytes of tokens remembered exactly, at most: with large tokens, fewer are. */
const RECENT_BYTES = 512 * 1024;
/** A token larger than this is never in the window: it is held until the next one only. */
const LARGE_BYTES = RECENT_BYTES / 2;
/** Tokens the window holds before it first grows: a short pagination allocates little. */
const FIRST_CAPACITY = 16;
/** Slots of the fingerprint table (a power of two): 64 KiB, taken only once tokens leave the exact window. */
const FINGERPRINT_SLOTS = 8192;
/**
 * One token in this many is fingerprinted, chosen by its own fingerprint, so a token that comes back is chosen
 * again: the table reaches 8 times further back, and costs one memory access in 8 pages. A cycle is then met
 * at its first chosen token, a few pages into its second turn.
 */
const SAMPLING = 8; // a power of two: the low 3 bits choose, the next ones pick the slot
/** What {@link TokenCycleDetector.retainedBytes} counts per remembered token (its slots), or per fingerprint slot. */
const ENTRY_BYTES = 32;
const SLOT_BYTES = 8;
/** UTF-16 units of a lone string token hashed whole; a longer one is sampled (its equality is still exact). */
const HASHED_STRING_UNITS = 64;
/** Seeds a lone string token's hash apart from the hash of a token record. */
const LONE_STRING = 0x6a09e667;

/** A token held outside the window: Brent's checkpoint, the probe, or the last token when it was too large. */
interface Held {
  readonly token: Token;
  readonly hash: number;
  readonly step: number;
  readonly bytes: number;
}

/** A token met again by fingerprint only: a cycle if the very same token comes back within `within` more tokens. */
interface Probe extends Held {
  readonly within: number;
}

/** A lone string (the usual token: it is its own value) or a token record. */
type Token = string | Readonly<Record<string, unknown>>;

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
 * compares equal. Here tokens compare by value (see {@link TokenHasher} for
 * what is equal to what), by a hash of their structure checked member by
 * member when two hashes agree; no text is built:
 * - the last {@link RECENT_TOKENS} (fewer when they are large: at most
 *   {@link RECENT_BYTES} of them) are remembered exactly, in a ring with an
 *   index of their hashes that allocates nothing per token, so a cycle that
 *   short stops before any page repeats;
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
 * taken once tokens start leaving the window: a short pagination pays a hash
 * and a lookup in the index per page.
 *
 * Tokens are held as the pages gave them, not copied: a token changed after
 * its page was delivered is compared as it is now (as the page's resume
 * point, which holds it too, would encode it).
 * @internal
 */
export class TokenCycleDetector {
  private readonly hasher = new TokenHasher();
  /**
   * The window: the last tokens in a ring, oldest at `oldest`, with their hashes, steps and sizes, and an
   * open-addressed index from hash to ring position (+1; 0 is free). Nothing is allocated per token.
   */
  private tokens: (Token | undefined)[] = new Array<Token | undefined>(FIRST_CAPACITY).fill(undefined);
  private hashes = new Int32Array(FIRST_CAPACITY);
  private steps = new Float64Array(FIRST_CAPACITY);
  private sizes = new Float64Array(FIRST_CAPACITY);
  /** Four slots per token the ring holds (a power of two): at most a quarter in use, so probes stay short. */
  private index = new Int32Array(4 * FIRST_CAPACITY);
  private oldest = 0;
  private size = 0;
  private bytes = 0;
  private fingerprints: Fingerprints | undefined;
  /** The last token, when it was too large for the window. */
  private large: Held | undefined;
  private probe: Probe | undefined;
  private checkpoint: Held | undefined;
  private power = 1;
  private count = 0;

  /**
   * Records `tokens`; returns how many tokens ago it was seen, or 0 when it is new.
   * @throws {PaginationError} for a token that cannot be compared (a function, a cycle, too deep).
   */
  see(tokens: Readonly<Record<string, unknown>>): number {
    const step = ++this.count;
    const text = loneString(tokens);
    const token: Token = text ?? tokens;
    let hash: number;
    let bytes: number;
    if (text !== undefined) {
      hash = fingerprintOfString(text);
      bytes = 2 * text.length;
    } else {
      hash = this.hasher.hash(tokens);
      bytes = this.hasher.bytes;
    }
    const at = this.find(token, hash);
    if (at >= 0) return step - this.steps[at]!;
    const held = matching(this.large, token, hash) ?? matching(this.probe, token, hash) ?? matching(this.checkpoint, token, hash);
    if (held !== undefined) return step - held.step;
    // Brent: the checkpoint moves to the token at each power of two, so a cycle of any length meets it again.
    if (step === this.power) {
      this.checkpoint = { token, hash, step, bytes };
      this.power *= 2;
    }
    if (this.fingerprints !== undefined) this.watch(this.fingerprints, token, hash, bytes);
    this.remember(token, hash, bytes);
    return 0;
  }

  /**
   * An upper bound on the memory held for remembered tokens: what the tokens
   * hold (see {@link TokenHasher.bytes}; 2 bytes per character of a lone
   * string), {@link ENTRY_BYTES} per token in the window and the fingerprint
   * table: at most about 0.6 MB plus three tokens (the last one, the probe
   * and Brent's checkpoint), whatever the tokens.
   */
  get retainedBytes(): number {
    let bytes = this.bytes;
    for (const held of [this.large, this.probe, this.checkpoint]) bytes += held?.bytes ?? 0;
    const table = this.fingerprints === undefined ? 0 : FINGERPRINT_SLOTS * SLOT_BYTES;
    return bytes + ENTRY_BYTES * this.size + table;
  }

  /** The ring position of the token equal to `token` in the window, or -1. */
  private find(token: Token, hash: number): number {
    const mask = this.index.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.index[slot]!;
      if (entry === 0) return -1;
      const at = entry - 1;
      if (this.hashes[at] === hash && same(this.tokens[at]!, token)) return at;
    }
  }

  /** Looks a sampled token up among the fingerprints, then leaves its own: a hit makes it the probe, unless one is waiting. */
  private watch(table: Fingerprints, token: Token, hash: number, bytes: number): void {
    // Large tokens never stay in the window: all of them are fingerprinted (a choice by content still).
    if ((hash & (SAMPLING - 1)) !== 0 && bytes <= LARGE_BYTES) return;
    const { probe, count } = this;
    const slot = 2 * ((hash >>> 3) & (FINGERPRINT_SLOTS - 1));
    // A probe that did not come back in time met a colliding fingerprint, not a cycle.
    if (probe === undefined || count - probe.step > probe.within) {
      const within = (count - table[slot + 1]!) >>> 0;
      this.probe = table[slot] === hash && within > 0 ? { token, hash, step: count, bytes, within } : undefined;
    }
    table[slot] = hash;
    table[slot + 1] = count;
  }

  private remember(token: Token, hash: number, bytes: number): void {
    this.large = undefined;
    if (bytes > LARGE_BYTES) {
      this.large = { token, hash, step: this.count, bytes };
      if (this.fingerprints === undefined) this.watch((this.fingerprints = this.startFingerprints()), token, hash, bytes);
      return;
    }
    if (this.size === RECENT_TOKENS || this.bytes + bytes > RECENT_BYTES) {
      // Tokens start leaving the window: from now on, fingerprints reach further back.
      if (this.fingerprints === undefined) this.watch((this.fingerprints = this.startFingerprints()), token, hash, bytes);
      while (this.size === RECENT_TOKENS || this.bytes + bytes > RECENT_BYTES) this.dropOldest();
    }
    if (this.size === this.tokens.length) this.grow();
    this.add((this.oldest + this.size) % this.tokens.length, token, hash, this.count, bytes);
  }

  private add(at: number, token: Token, hash: number, step: number, bytes: number): void {
    this.tokens[at] = token;
    this.hashes[at] = hash;
    this.steps[at] = step;
    this.sizes[at] = bytes;
    this.size++;
    this.bytes += bytes;
    const mask = this.index.length - 1;
    let slot = hash & mask;
    while (this.index[slot] !== 0) slot = (slot + 1) & mask;
    this.index[slot] = at + 1;
  }

  /** Twice the room, up to {@link RECENT_TOKENS}: the ring and its index rebuilt, oldest first. */
  private grow(): void {
    const { tokens, hashes, steps, sizes, oldest, size } = this;
    const capacity = Math.min(2 * tokens.length, RECENT_TOKENS);
    this.tokens = new Array<Token | undefined>(capacity).fill(undefined);
    this.hashes = new Int32Array(capacity);
    this.steps = new Float64Array(capacity);
    this.sizes = new Float64Array(capacity);
    this.index = new Int32Array(4 * capacity);
    this.oldest = this.size = this.bytes = 0;
    for (let i = 0; i < size; i++) {
      const at = (oldest + i) % tokens.length;
      this.add(i, tokens[at]!, hashes[at]!, steps[at]!, sizes[at]!);
    }
  }

  /** Takes the oldest token out of the window and its index (backward-shift deletion: no tombstones). */
  private dropOldest(): void {
    const at = this.oldest;
    const mask = this.index.length - 1;
    let slot = this.hashes[at]! & mask;
    while (this.index[slot] !== at + 1) slot = (slot + 1) & mask;
    // Entries after the freed slot that could sit earlier move back into it.
    for (let next = (slot + 1) & mask; this.index[next] !== 0; next = (next + 1) & mask) {
      const home = this.hashes[this.index[next]! - 1]! & mask;
      if (((next - home) & mask) >= ((next - slot) & mask)) {
        this.index[slot] = this.index[next]!;
        slot = next;
      }
    }
    this.index[slot] = 0;
    this.tokens[at] = undefined;
    this.bytes -= this.sizes[at]!;
    this.size--;
    this.oldest = (at + 1) % this.tokens.length;
  }

  /** The fingerprint table, with the tokens still remembered in it, oldest first (newer ones are added as they come). */
  private startFingerprints(): Fingerprints {
    const table: Fingerprints = new Int32Array(2 * FINGERPRINT_SLOTS);
    for (let i = 0; i < this.size; i++) {
      const at = (this.oldest + i) % this.tokens.length;
      const hash = this.hashes[at]!;
      if ((hash & (SAMPLING - 1)) !== 0) continue;
      const slot = 2 * ((hash >>> 3) & (FINGERPRINT_SLOTS - 1));
      table[slot] = hash;
      table[slot + 1] = this.steps[at]!;
    }
    return table;
  }
}

/**
 * The fingerprint of a lone string token; a token record's is its hash.
 * @example
 * ```ts
 * fingerprintOfString('abc') === fingerprintOfString('abc'); // true
 * ```
 * @internal
 */
export function fingerprintOfString(text: string): number {
  if (text.length <= HASHED_STRING_UNITS) return finish(hashString(text, LONE_STRING));
  // A long token is sampled: 32 units spread over it and its last 32, a cost that does not grow with it.
  const stride = Math.floor(text.length / 32);
  let hash = Math.imul(LONE_STRING, 0x5bd1e995) ^ text.length;
  for (let i = 0; i < 32; i++) hash = mix(hash, text.charCodeAt(i * stride));
  for (let i = text.length - 32; i < text.length; i++) hash = mix(hash, text.charCodeAt(i));
  return finish(hash);
}

/** Two tokens, as they were hashed: a lone string equals the same string only, a record its equal. */
function same(a: Token, b: Token): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return sameToken(a, b);
}

function matching<H extends Held>(held: H | undefined, token: Token, hash: number): H | undefined {
  return held !== undefined && held.hash === hash && same(held.token, token) ? held : undefined;
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

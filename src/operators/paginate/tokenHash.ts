import { PaginationError } from '../../errors/PaginationError';
import { canonicalJson, MAX_DEPTH } from '../../tokens/canonicalJson';
import { isPlainRecord } from '../../util/isPlainRecord';

/** UTF-16 units a hash reads at most from one string: a huge one is sampled, so a page costs the same whatever its token. */
const HASHED_UNITS = 64 * 1024;
/** What {@link TokenHasher.bytes} counts for a value besides its characters. */
const VALUE_BYTES = 16;

// Seeds that keep values of different kinds apart.
const NULL = 0x1b873593;
const TRUE = 0x2a4e6c8b;
const FALSE = 0x6b8d0f2f;
const STRING = 0x1f3d5b79;
const NUMBER = 0x5c4bcea9;
const BIGINT = 0x3c5e7a9d;
const ARRAY = 0x7e95761e;
const RECORD = 0x4cf5ad43;
const INSTANCE = 0x2e1b2138;
const BYTES = 0x68e31da4;
const DATE = 0x3b3b0e4f;
const SET = 0x5f356495;
const MAP = 0x1a6f1e13;
const IDENTITY = 0x0d5e4c2b;

const float = new Float64Array(1);
const floatWords = new Int32Array(float.buffer);

/** What a value is, for hashing and comparing: the kinds canonicalJson spells apart. */
type Kind = 'array' | 'record' | 'bytes' | 'date' | 'set' | 'map' | 'fields' | 'json' | 'identity';

/** Tokens are not spelled into text: a value that cannot be compared is refused with canonicalJson's message. */
class Unusable extends Error {}

/**
 * A 32-bit hash of a token's value, equal for tokens that {@link sameToken}
 * says are the same, computed in one walk over the token without building
 * any text, and the memory the token holds (estimated). Values compare as
 * `canonicalJson` spells them:
 * - strings, numbers (`NaN` equal to itself, `-0` to `0`), booleans, BigInts
 *   and null (`undefined` in a list is null; a member set to `undefined` is no
 *   member), lists in order, plain objects whatever the order of their keys;
 * - `Uint8Array` by its bytes, `Date` by its time, `Set` and `Map` by their
 *   members whatever their order;
 * - a class instance with fields of its own (lib-dynamodb's `NumberValue`) by
 *   its class name and fields; one without, but with a `toJSON` method (a
 *   `URL`) by its class name and what `toJSON` returns; any other (state kept
 *   in `#private` fields) by identity: the same object only.
 * Functions, symbols, other binary views, cycles and nesting past 512 levels
 * are a PaginationError naming where they are.
 * @example
 * ```ts
 * const hasher = new TokenHasher();
 * hasher.hash({ Key: { a: 1, b: 2 } }) === hasher.hash({ Key: { b: 2, a: 1 } }); // true
 * ```
 * @internal
 */
export class TokenHasher {
  /** The memory the last token hashed holds: 2 bytes per character of its strings, 16 per value. */
  bytes = 0;

  /** @throws {PaginationError} for a token that cannot be compared. */
  hash(token: Readonly<Record<string, unknown>>): number {
    this.bytes = 0;
    try {
      // Depth 1: the token record's members are where canonicalJson's depth 1 is.
      return finish(this.record(token, 1, RECORD));
    } catch (error) {
      if (!(error instanceof Unusable)) throw error;
      canonicalJson(token, 'The next token'); // throws the message that names the member at fault
      throw new PaginationError('The next token cannot be used: it cannot be compared');
    }
  }

  private value(value: unknown, depth: number): number {
    switch (typeof value) {
      case 'string':
        this.bytes += VALUE_BYTES + 2 * value.length;
        return hashString(value, STRING);
      case 'number':
        this.bytes += VALUE_BYTES;
        return hashNumber(value);
      case 'boolean':
        return value ? TRUE : FALSE;
      case 'bigint':
        this.bytes += VALUE_BYTES;
        return hashString(String(value), BIGINT);
      case 'undefined':
        return NULL;
      case 'object':
        if (value === null) return NULL;
        if (depth < MAX_DEPTH) return this.object(value, depth + 1);
    }
    throw new Unusable();
  }

  private object(value: object, depth: number): number {
    this.bytes += VALUE_BYTES;
    // The usual token, checked first: an object literal, as JSON and the SDK's deserializers make them.
    if (Object.getPrototypeOf(value) === Object.prototype) return this.record(value as Record<string, unknown>, depth, RECORD);
    switch (kindOf(value)) {
      case 'array': {
        const list = value as readonly unknown[];
        let hash = ARRAY ^ list.length;
        for (let i = 0; i < list.length; i++) hash = mix(hash, this.value(list[i], depth));
        return hash;
      }
      case 'record':
        return this.record(value as Record<string, unknown>, depth, RECORD);
      case 'fields':
        return mix(hashString(className(value), INSTANCE), this.fields(value as Record<string, unknown>, depth));
      case 'json':
        return mix(hashString(className(value), INSTANCE), this.value((value as { toJSON(): unknown }).toJSON(), depth));
      case 'bytes': {
        const bytes = value as Uint8Array;
        this.bytes += bytes.length;
        let hash = BYTES ^ bytes.length;
        for (let i = 0; i < bytes.length; i++) hash = mix(hash, bytes[i]!);
        return hash;
      }
      case 'date':
        return mix(DATE, hashNumber((value as Date).getTime()));
      case 'set': {
        let sum = 0;
        for (const member of value as Set<unknown>) sum = (sum + finish(this.value(member, depth))) | 0;
        return mix(SET ^ (value as Set<unknown>).size, sum);
      }
      case 'map': {
        let sum = 0;
        for (const [key, member] of value as Map<unknown, unknown>) {
          sum = (sum + finish(mix(this.value(key, depth), this.value(member, depth)))) | 0;
        }
        return mix(MAP ^ (value as Map<unknown, unknown>).size, sum);
      }
      case 'identity':
        return mix(IDENTITY, identityOf(value));
    }
  }

  /**
   * A plain record's members whatever their order: a sum of each member's hash. By for...in, whose keyed reads
   * use the record's enum cache (Object.keys and a loop took a fifth of a page); a plain record inherits no
   * enumerable member, or (a polluted Object.prototype) the same ones for equal tokens.
   */
  private record(record: Readonly<Record<string, unknown>>, depth: number, seed: number): number {
    let sum = 0;
    let count = 0;
    for (const key in record) {
      const member = record[key];
      if (member === undefined) continue;
      sum = (sum + this.member(key, member, depth, seed)) | 0;
      count++;
    }
    return mix(seed ^ count, sum);
  }

  /** A class instance's own fields, as {@link record} hashes a record's members (inherited ones left out). */
  private fields(instance: Readonly<Record<string, unknown>>, depth: number): number {
    let sum = 0;
    let count = 0;
    for (const key of Object.keys(instance)) {
      const member = instance[key];
      if (member === undefined) continue;
      sum = (sum + this.member(key, member, depth, RECORD)) | 0;
      count++;
    }
    return mix(RECORD ^ count, sum);
  }

  private member(key: string, member: unknown, depth: number, seed: number): number {
    this.bytes += VALUE_BYTES + 2 * key.length;
    return finish(mix(keyHash(key, seed), this.value(member, depth)));
  }
}

/**
 * Whether two tokens are the same value, as {@link TokenHasher} hashes them.
 * Only asked when their hashes agree: a token that repeats.
 * @example
 * ```ts
 * sameToken({ Key: { a: 1, b: [NaN] } }, { Key: { b: [NaN], a: 1 } }); // true
 * ```
 * @internal
 */
export function sameToken(a: unknown, b: unknown): boolean {
  return same(a, b, 1);
}

function same(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true;
  if (a === null || a === undefined) return b === null || b === undefined;
  if (typeof a !== typeof b) return false;
  if (typeof a === 'number') return a !== a && b !== b; // NaN
  if (typeof a !== 'object' || b === null || depth >= MAX_DEPTH) return false;
  const kind = kindOf(a);
  if (kind !== kindOf(b as object)) return false;
  const next = depth + 1;
  switch (kind) {
    case 'array': {
      const [x, y] = [a as readonly unknown[], b as readonly unknown[]];
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) if (!same(x[i], y[i], next)) return false;
      return true;
    }
    case 'record':
      return sameRecord(a as Record<string, unknown>, b as Record<string, unknown>, next);
    case 'fields':
      return (
        className(a) === className(b as object) && sameRecord(a as Record<string, unknown>, b as Record<string, unknown>, next)
      );
    case 'json':
      return (
        className(a) === className(b as object) &&
        same((a as { toJSON(): unknown }).toJSON(), (b as { toJSON(): unknown }).toJSON(), next)
      );
    case 'bytes': {
      const [x, y] = [a as Uint8Array, b as Uint8Array];
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
      return true;
    }
    case 'date':
      return same((a as Date).getTime(), (b as Date).getTime(), next);
    case 'set':
      return sameMembers([...(a as Set<unknown>)], [...(b as Set<unknown>)], next);
    case 'map':
      return sameMembers([...(a as Map<unknown, unknown>)], [...(b as Map<unknown, unknown>)], next);
    case 'identity':
      return false;
  }
}

function sameRecord(a: Record<string, unknown>, b: Record<string, unknown>, depth: number): boolean {
  let count = 0;
  for (const key of Object.keys(a)) {
    const member = a[key];
    if (member === undefined) continue;
    const other = b[key];
    if (other === undefined || !Object.hasOwn(b, key) || !same(member, other, depth)) return false;
    count++;
  }
  for (const key of Object.keys(b)) if (b[key] !== undefined) count--;
  return count === 0;
}

/** The same members whatever their order, each matched once (a Set may hold two equal objects). */
function sameMembers(a: unknown[], b: unknown[], depth: number): boolean {
  if (a.length !== b.length) return false;
  const unmatched = [...b];
  for (const member of a) {
    const at = unmatched.findIndex((other) => same(member, other, depth));
    if (at < 0) return false;
    unmatched.splice(at, 1);
  }
  return true;
}

function kindOf(value: object): Kind {
  if (Array.isArray(value)) return 'array';
  if (isPlainRecord(value)) return 'record';
  if (Object.prototype.toString.call(value) === '[object Uint8Array]') return 'bytes';
  if (value instanceof Date) return 'date';
  if (value instanceof Set) return 'set';
  if (value instanceof Map) return 'map';
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Promise || value instanceof WeakMap) {
    throw new Unusable();
  }
  if (Object.keys(value).some((key) => (value as Record<string, unknown>)[key] !== undefined)) return 'fields';
  return typeof (value as { toJSON?: unknown }).toJSON === 'function' ? 'json' : 'identity';
}

function className(value: object): string {
  const name: unknown = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return typeof name === 'string' ? name : '';
}

/** Numbers for objects compared by identity, in order of first sight; a hash of such a token is its object's. */
const identities = new WeakMap<object, number>();
let identitiesGiven = 0;

function identityOf(value: object): number {
  let id = identities.get(value);
  if (id === undefined) identities.set(value, (id = ++identitiesGiven));
  return id;
}

/**
 * A member name's hash, from its length and three of its characters: the tokens of one pagination have the same
 * names, and whole names were a fifth of a token's hash. Tokens that differ only in a name may share a hash,
 * which costs a member-by-member comparison, never a false alarm.
 */
function keyHash(key: string, seed: number): number {
  const last = key.length - 1;
  return mix(seed ^ key.length, key.charCodeAt(0) | (key.charCodeAt(last >> 1) << 8) | (key.charCodeAt(last) << 16));
}

/**
 * A multiply-xorshift hash of a string, taking two UTF-16 units a step; a huge one is sampled (a stride, and its whole end).
 * @example
 * ```ts
 * finish(hashString('abc', seed)) === finish(hashString('abc', seed)); // true
 * ```
 * @internal
 */
export function hashString(text: string, seed: number): number {
  let hash = Math.imul(seed, 0x5bd1e995) ^ text.length;
  const { length } = text;
  if (length > HASHED_UNITS) {
    const stride = Math.ceil(length / HASHED_UNITS);
    for (let i = 0; i < length; i += stride) hash = mix(hash, text.charCodeAt(i));
    for (let i = length - 1024; i < length; i++) hash = mix(hash, text.charCodeAt(i));
    return hash;
  }
  let i = 0;
  for (; i + 1 < length; i += 2) hash = mix(hash, text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16));
  if (i < length) hash = mix(hash, text.charCodeAt(i));
  return hash;
}

function hashNumber(value: number): number {
  if ((value | 0) === value) return mix(NUMBER, value | 0); // -0 too
  if (value !== value) return mix(NUMBER, 0x7ff80000); // every NaN
  float[0] = value;
  return mix(mix(NUMBER, floatWords[0]!), floatWords[1]!);
}

/**
 * One step of the hashes here: the word mixed into the hash (multiply, xorshift).
 * @example
 * ```ts
 * let hash = seed;
 * for (const word of words) hash = mix(hash, word);
 * ```
 * @internal
 */
export function mix(hash: number, word: number): number {
  const mixed = Math.imul(hash ^ word, 0x5bd1e995);
  return mixed ^ (mixed >>> 15);
}

/**
 * murmur3's finaliser: every bit of the input reaches every bit of the hash.
 * @example
 * ```ts
 * const sampled = (finish(hash) & 7) === 0; // the low bits are as good as the high ones
 * ```
 * @internal
 */
export function finish(hash: number): number {
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}

import { bytesToBase64 } from './base64';
import { isPlainRecord } from '../util/isPlainRecord';
import { PaginationError } from '../errors/PaginationError';

/**
 * How deep a token or an input may nest. Python's json gives up near 1,000
 * levels and DynamoDB allows 32; far below the JS stack, whatever the caller's depth.
 * @internal
 */
export const MAX_DEPTH = 512;

/**
 * Text equal for equal values (tokens, request inputs) and different for
 * different ones, whatever the order their keys came in. JSON with sorted keys
 * for JSON data; the values JSON cannot tell apart are tagged, so none of them
 * collides with another or with a plain object: `NaN`, `Infinity`, `12n`,
 * `{"$bytes":…}` for a Uint8Array, `{"$date":ms}`, `{"$set":[…]}` and
 * `{"$map":[[k,v],…]}` (members sorted, insertion order does not count) and
 * `{"$instance":name,"fields":{…}}`; a plain object's own keys starting with
 * `$` get one more `$`. Functions and symbols, cycles, and values nested deeper
 * than {@link MAX_DEPTH} are a PaginationError naming where they are.
 *
 * @param subject What the value is, for error messages.
 * @default subject 'The value'
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [NaN, new Set([2, 1])] }); // '{"a":[NaN,{"$set":[1,2]}],"b":1}'
 * ```
 * @throws {PaginationError} for a value that cannot be spelled.
 * @internal
 */
export function canonicalJson(value: unknown, subject = 'The value'): string {
  // Most tokens are JSON data with keys in order: then the native JSON.stringify says the same, and its flat
  // string hashes faster (in a Map) than one built by concatenation.
  if (inOrder(value, 0)) return JSON.stringify(value);
  return plainJson(value, 0) ?? new Canonical(subject).spell(value, 0);
}

/** True when `value` is JSON data (no undefined, no `$` keys, finite numbers) whose objects list their keys in order. */
function inOrder(value: unknown, depth: number): boolean {
  if (typeof value !== 'object') {
    return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
  }
  if (value === null) return true;
  if (depth === MAX_DEPTH) return false; // too deep, or a cycle: the tagged spelling says which
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!inOrder(value[i], depth + 1)) return false;
    return true;
  }
  if (!isPlainRecord(value)) return false;
  let previous: string | undefined;
  for (const key in value) {
    if ((previous !== undefined && key < previous) || key.charCodeAt(0) === 36 /* $ */ || !inOrder(value[key], depth + 1)) {
      return false;
    }
    previous = key;
  }
  return true;
}

// What JSON.stringify escapes; strings without them are quoted as they are, the common case.
// eslint-disable-next-line no-control-regex -- control characters are what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * The canonical text of JSON data (no undefined, no `$` keys, finite numbers) in any key order, in one pass that
 * builds the text as it checks; undefined for anything else, which the tagged spelling handles.
 */
function plainJson(value: unknown, depth: number): string | undefined {
  switch (typeof value) {
    case 'string':
      return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return 'null';
  if (depth === MAX_DEPTH) return undefined; // too deep, or a cycle: the tagged spelling says which
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const item = plainJson(value[i], depth + 1);
      if (item === undefined) return undefined;
      out += i === 0 ? item : `,${item}`;
    }
    return `${out}]`;
  }
  if (!isPlainRecord(value)) return undefined;
  const keys = Object.keys(value);
  for (let i = 1; i < keys.length; i++) {
    if (keys[i]! < keys[i - 1]!) {
      keys.sort();
      break;
    }
  }
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const member = plainJson(value[key], depth + 1);
    if (member === undefined || key.charCodeAt(0) === 36 /* $ */) return undefined;
    out += `${i === 0 ? '' : ','}${NEEDS_ESCAPE.test(key) ? JSON.stringify(key) : `"${key}"`}:${member}`;
  }
  return `${out}}`;
}

/**
 * A member's path as `a.b[0]`, its middle left out when it is very deep.
 * @example
 * ```ts
 * pathText(['Key', 'list', 0]); // 'Key.list[0]'
 * ```
 * @internal
 */
export function pathText(path: readonly (string | number)[]): string {
  const steps = path.length > 12 ? [...path.slice(0, 6), '…', ...path.slice(-3)] : path;
  return steps.map((step, i) => (typeof step === 'number' ? `[${step}]` : `${i ? '.' : ''}${step}`)).join('');
}

/** One spelling: keeps the path and the objects above it, to name a cycle or a fault. */
class Canonical {
  private readonly path: (string | number)[] = [];
  private readonly above: object[] = [];

  constructor(private readonly subject: string) {}

  spell(value: unknown, depth: number): string {
    switch (typeof value) {
      case 'string':
        return JSON.stringify(value);
      case 'number':
        return Number.isFinite(value) ? JSON.stringify(value) : String(value);
      case 'bigint':
        return `${value}n`;
      case 'boolean':
        return String(value);
      case 'undefined':
        return 'null';
      case 'object':
        return value === null ? 'null' : this.object(value, depth);
      default:
        throw this.fault(`is a ${typeof value}, which has no value to compare`);
    }
  }

  private object(value: object, depth: number): string {
    if (depth === MAX_DEPTH) throw this.fault(`nests deeper than ${MAX_DEPTH} levels`);
    if (this.above.includes(value)) throw this.fault('refers to itself (a cycle)');
    this.above.push(value);
    const text = this.container(value, depth + 1);
    this.above.pop();
    return text;
  }

  private container(value: object, depth: number): string {
    if (Array.isArray(value)) return `[${this.each(value, (v) => this.spell(v, depth)).join(',')}]`;
    if (isPlainRecord(value)) return this.record(value, depth);
    const kind = Object.prototype.toString.call(value).slice(8, -1);
    if (kind === 'Uint8Array') return `{"$bytes":"${bytesToBase64(value as Uint8Array)}"}`;
    if (value instanceof Date) return `{"$date":${this.spell(value.getTime(), depth)}}`;
    if (value instanceof Set)
      return `{"$set":[${this.each([...value], (v) => this.spell(v, depth))
        .sort()
        .join(',')}]}`;
    if (value instanceof Map) {
      const entries = this.each([...value], ([k, v]) => `[${this.spell(k, depth)},${this.spell(v, depth)}]`);
      return `{"$map":[${entries.sort().join(',')}]}`;
    }
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Promise || value instanceof WeakMap) {
      throw this.fault(`is ${/^[AEIOU]/.test(kind) ? 'an' : 'a'} ${kind}, which has no value to compare`);
    }
    // A class instance (lib-dynamodb's NumberValue, ...): its own fields, under its class name.
    const name: unknown = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    return `{"$instance":${JSON.stringify(typeof name === 'string' ? name : '')},"fields":${this.record(value as Record<string, unknown>, depth)}}`;
  }

  private record(value: Record<string, unknown>, depth: number): string {
    // Members that JSON.stringify would leave out are left out here too, so both ways agree.
    const keys = Object.keys(value).filter((key) => value[key] !== undefined);
    if (keys.length > 1) keys.sort();
    let out = '{';
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      this.path.push(key);
      out += `${i ? ',' : ''}${JSON.stringify(key.startsWith('$') ? `$${key}` : key)}:${this.spell(value[key], depth)}`;
      this.path.pop();
    }
    return out + '}';
  }

  private each<T>(items: readonly T[], spell: (item: T) => string): string[] {
    const texts: string[] = [];
    // A loop, not map(): holes are spelled (null) as JSON.stringify does.
    for (let i = 0; i < items.length; i++) {
      this.path.push(i);
      texts.push(spell(items[i]!));
      this.path.pop();
    }
    return texts;
  }

  private fault(what: string): PaginationError {
    const at = this.path.length ? `its member ${pathText(this.path)}` : 'it';
    return new PaginationError(`${this.subject} cannot be used: ${at} ${what}`);
  }
}

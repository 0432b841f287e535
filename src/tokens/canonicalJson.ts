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
 * `{"$map":[[k,v],…]}` (members sorted, insertion order does not count),
 * `{"$instance":name,"fields":{…}}` for a class instance with fields of its
 * own, and `{"$instance":name,"json":…}` for one without but with a `toJSON`
 * method (a `URL`); a plain object's own keys starting with
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
  return new Canonical(subject).spell(value, 0);
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
    // A class instance (lib-dynamodb's NumberValue, ...): its own fields, under its class name; without any, what
    // its toJSON says (a URL's address).
    const name: unknown = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    const named = `{"$instance":${JSON.stringify(typeof name === 'string' ? name : '')}`;
    const fields = value as Record<string, unknown>;
    const toJSON: unknown = fields['toJSON'];
    if (typeof toJSON === 'function' && !Object.keys(fields).some((key) => fields[key] !== undefined)) {
      return `${named},"json":${this.spell(toJSON.call(value), depth)}}`;
    }
    return `${named},"fields":${this.record(fields, depth)}}`;
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

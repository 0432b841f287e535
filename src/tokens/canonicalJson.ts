import { bytesToBase64 } from './base64';
import { isPlainRecord } from '../util/isPlainRecord';

/**
 * JSON with sorted keys and bytes spelled out, so equal values (tokens, request
 * inputs) have equal text whatever the order their keys came in.
 * @internal
 */
export function canonicalJson(value: unknown): string {
  // Most tokens already have their keys in order: then the native JSON.stringify says the same, twice as fast.
  return inOrder(value) ? JSON.stringify(value) : slowCanonicalJson(value);
}

/** True when `value` is JSON data whose objects list their keys in sorted order. */
function inOrder(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return typeof value !== 'undefined';
  if (Array.isArray(value)) return value.every(inOrder);
  if (!isPlainRecord(value)) return false;
  let previous: string | undefined;
  for (const key in value) {
    if ((previous !== undefined && key < previous) || !inOrder(value[key])) return false;
    previous = key;
  }
  return true;
}

function slowCanonicalJson(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + slowCanonicalJson(value[i]);
    return out + ']';
  }
  if (value instanceof Uint8Array) return `{"$bytes":"${bytesToBase64(value)}"}`;
  if (isPlainRecord(value)) {
    // Members that JSON.stringify would leave out are left out here too, so both ways agree.
    const keys = Object.keys(value).filter((key) => value[key] !== undefined);
    if (keys.length > 1) keys.sort();
    let out = '{';
    for (let i = 0; i < keys.length; i++)
      out += `${i ? ',' : ''}${JSON.stringify(keys[i])}:${slowCanonicalJson(value[keys[i]!])}`;
    return out + '}';
  }
  return JSON.stringify(value) ?? 'null';
}

import { bytesToBase64 } from './base64';
import { isPlainRecord } from './pythonSemantics';

/**
 * JSON with sorted keys and bytes spelled out, so equal values (tokens, request
 * inputs) have equal text whatever the order their keys came in.
 * @internal
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i]);
    return out + ']';
  }
  if (value instanceof Uint8Array) return `{"$bytes":"${bytesToBase64(value)}"}`;
  if (isPlainRecord(value)) {
    const keys = Object.keys(value);
    if (keys.length > 1) keys.sort();
    let out = '{';
    for (let i = 0; i < keys.length; i++) out += `${i ? ',' : ''}${JSON.stringify(keys[i])}:${canonicalJson(value[keys[i]!])}`;
    return out + '}';
  }
  return JSON.stringify(value) ?? 'null';
}

import { isPlainRecord } from '../util/isPlainRecord';

// botocore decides with Python's truthiness and `==`; JMESPath's own notion differs
// (0 is truthy there, and `true == 1` is false), so the specs are read the Python way.

/** Python's `bool(value)`: null, false, 0, '', [] and {} are false. @internal */
export function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (ArrayBuffer.isView(value)) return value.byteLength > 0;
  if (isPlainRecord(value)) {
    for (const _ in value) return true;
    return false;
  }
  return true;
}

/** Python's `a == b` on JSON-like data: `true == 1`, `1 == 1.0`, deep on lists and dicts. @internal */
export function pythonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const aNumeric = typeof a === 'number' || typeof a === 'boolean';
  const bNumeric = typeof b === 'number' || typeof b === 'boolean';
  if (aNumeric || bNumeric) return aNumeric && bNumeric && Number(a) === Number(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => pythonEquals(item, b[i]));
  }
  if (isPlainRecord(a) && isPlainRecord(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && pythonEquals(a[key], b[key]));
  }
  return false;
}

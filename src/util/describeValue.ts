import { isPlainRecord } from './isPlainRecord';

/** A short description of a value for error messages. @internal */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') {
    if (isPlainRecord(value)) return 'an object';
    // A Map, Date, class instance...: say which, or "expected an object, got an object" would be the message.
    const name: unknown = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== '' ? `an instance of ${name}` : 'an object that is not a plain one';
  }
  return `${typeof value} ${String(value)}`;
}

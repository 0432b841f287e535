/** An object literal (or `Object.create(null)`), as JSON and SDK outputs build them. @internal */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || value === Object.prototype) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return true;
  // Another realm's Object.prototype (node:vm, or structuredClone under jest).
  return (
    Object.getPrototypeOf(proto) === null &&
    Object.prototype.hasOwnProperty.call(proto, 'constructor') &&
    typeof proto.constructor === 'function' &&
    proto.constructor.name === 'Object'
  );
}

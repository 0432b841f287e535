/** An error class, as `this` in its static methods. @internal */
export type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * `instanceof` that works across copies of the library. An app may load both
 * the CommonJS and the ES module build (a Nest app importing an ES module
 * helper); each copy has its own error classes, so the other copy's errors
 * would fail a plain `instanceof`. Each class marks its prototype with a
 * `Symbol.for` brand, the same in every copy, and its `Symbol.hasInstance`
 * looks for that brand. Subclasses keep the ordinary prototype check.
 * @example
 * ```ts
 * const BRAND: unique symbol = Symbol.for('rxjs-aws.SpecError');
 * class SpecError extends Error {
 *   static [Symbol.hasInstance](value: unknown): boolean {
 *     return isInstance(this, SpecError, BRAND, value);
 *   }
 * }
 * brand(SpecError, BRAND);
 * ```
 * @internal
 */
export function isInstance(target: ErrorClass, branded: ErrorClass, key: symbol, value: unknown): boolean {
  try {
    if (target !== branded) return Function.prototype[Symbol.hasInstance].call(target, value);
    return typeof value === 'object' && value !== null && (value as { [key: symbol]: unknown })[key] === true;
  } catch {
    // A Proxy whose trap throws (or a revoked one) is no error of ours: `instanceof` in a catch block must not throw.
    return false;
  }
}

/** Marks `cls`'s instances with `key`, on the prototype: no cost per error, and no own property to show. @internal */
export function brand(cls: ErrorClass, key: symbol): void {
  Object.defineProperty(cls.prototype, key, { value: true });
}

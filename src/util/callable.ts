import { SpecError } from '../errors/SpecError';
import { describeValue } from './describeValue';

/**
 * A function option, checked.
 * @throws {SpecError} naming `field` when `value` is not a function.
 * @example
 * ```ts
 * const random = callable(options.random, 'options.random'); // () => number
 * ```
 * @internal
 */
export function callable<F extends (...args: never[]) => unknown>(value: F | undefined, field: string): F {
  if (typeof value !== 'function') throw new SpecError(field, `expected a function, got ${describeValue(value)}`);
  return value;
}

/**
 * An object option, checked for the methods that will be called on it
 * (`schedule` and `now` of a scheduler, `sign` and `verify` of a signer).
 * @throws {SpecError} naming `field` when one is missing.
 * @example
 * ```ts
 * const scheduler = withMethods(options.scheduler, 'options.scheduler', 'a scheduler', ['schedule', 'now']);
 * ```
 * @internal
 */
export function withMethods<T extends object>(value: T, field: string, what: string, methods: readonly (keyof T & string)[]): T {
  const missing =
    typeof value !== 'object' || value === null
      ? undefined
      : methods.find((method) => typeof (value as Record<string, unknown>)[method] !== 'function');
  if (typeof value !== 'object' || value === null || missing !== undefined) {
    const lacking = missing === undefined ? '' : ` (it has no ${missing} method)`;
    throw new SpecError(field, `expected ${what}, got ${describeValue(value)}${lacking}`);
  }
  return value;
}

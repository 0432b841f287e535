import { SpecError } from '../errors/SpecError';
import { describeValue } from './describeValue';

/**
 * A time in seconds, checked: a finite number of at least `min`. The one
 * validator for seconds, whether they come from a spec or from options.
 * @throws {SpecError} naming `field` otherwise.
 * @example
 * ```ts
 * seconds(spec.delay, 'delay', { min: 0 }); // 20
 * seconds('5', 'options.delay', { min: 0 }); // SpecError: options.delay: expected a number of seconds of at least 0, got "5"
 * ```
 * @internal
 */
export function seconds(value: unknown, field: string, { min }: { readonly min: number }): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new SpecError(field, `expected a number of seconds of at least ${min}, got ${describeValue(value)}`);
  }
  return value;
}

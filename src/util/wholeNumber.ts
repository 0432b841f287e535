import { SpecError } from '../errors/SpecError';
import { describeValue } from './describeValue';

/**
 * A count, checked: a safe integer of at least `min` (and at most `max`).
 * The one whole-number check, for specs and options alike.
 * @throws {SpecError} naming `field` otherwise.
 * @example
 * ```ts
 * wholeNumber(options.maxAttempts, 'options.maxAttempts', { min: 1 }); // 25
 * wholeNumber(2.5, 'options.maxAttempts', { min: 1 }); // SpecError: options.maxAttempts: expected a whole number of at least 1, got number 2.5
 * ```
 * @internal
 */
export function wholeNumber(
  value: unknown,
  field: string,
  { min, max }: { readonly min: number; readonly max?: number },
): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || (max !== undefined && value > max)) {
    const range = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new SpecError(field, `expected a whole number ${range}, got ${describeValue(value)}`);
  }
  return value;
}

import { SpecError } from '../errors/SpecError';
import { closestName } from './closestName';
import { describeValue } from './describeValue';

/**
 * An options argument, checked: undefined (no options) or an object whose
 * own keys are all in `known`. A misspelled option is refused, not ignored.
 * @throws {SpecError} whose field is the path of the option at fault: `options.pagesize: unknown option; did you mean pageSize?`
 * @example
 * ```ts
 * const options = optionsRecord(given, 'options', ['pageSize', 'maxItems']);
 * ```
 * @internal
 */
export function optionsRecord(value: unknown, field: string, known: readonly string[]): Readonly<Record<string, unknown>> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SpecError(field, `expected an object of options, got ${describeValue(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const meant = closestName(key, known);
    throw new SpecError(
      `${field}.${key}`,
      meant === undefined ? `unknown option; the options are ${known.join(', ')}` : `unknown option; did you mean ${meant}?`,
    );
  }
  return value as Record<string, unknown>;
}

import { acceptorState, type CompiledAcceptor } from './compileAcceptor';
import { compileExpression } from './compileExpression';
import { describeValue } from '../util/describeValue';
import { isPlainRecord } from '../util/isPlainRecord';
import { SpecError } from '../errors/SpecError';
import type { AcceptorState } from './types';
import { errorCodesOf } from './WaiterResponse';

const COMPARATORS: Record<string, (result: unknown, expected: string) => boolean> = {
  stringEquals: (result, expected) => result === expected,
  booleanEquals: (result, expected) => result === (expected === 'true'),
  allStringEquals: (result, expected) => Array.isArray(result) && result.length > 0 && result.every((item) => item === expected),
  anyStringEquals: (result, expected) => Array.isArray(result) && result.some((item) => item === expected),
};

/** Compiles one acceptor of a Smithy `@waitable` waiter. @internal */
export function compileSmithyAcceptor(spec: unknown, field: string): CompiledAcceptor {
  if (!isPlainRecord(spec)) throw new SpecError(field, `expected an acceptor object, got ${describeValue(spec)}`);
  const state = acceptorState(spec['state'], `${field}.state`);
  const acceptor = compileMatcher(spec, state, field);
  if (spec['message'] === undefined) return acceptor;
  if (state !== 'failure') {
    throw new SpecError(`${field}.message`, `is only valid on an acceptor with a failure state, not ${state}`);
  }
  const message = compileExpression(spec['message'], `${field}.message`);
  return { ...acceptor, message: (r) => (r.ok ? readable(message.search(r.output)) : undefined) };
}

/** A message result as Smithy allows it: a string, or a list of strings. Anything else says nothing. */
function readable(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string')) return value.join('; ');
  return undefined;
}

function compileMatcher(spec: Record<string, unknown>, state: AcceptorState, field: string): CompiledAcceptor {
  const matcher = spec['matcher'];
  if (!isPlainRecord(matcher))
    throw new SpecError(`${field}.matcher`, `expected a matcher object, got ${describeValue(matcher)}`);
  const kinds = Object.keys(matcher);
  if (kinds.length !== 1) {
    throw new SpecError(
      `${field}.matcher`,
      `must set exactly one of output, inputOutput, success, errorType; sets ${kinds.length}`,
    );
  }
  const kind = kinds[0]!;
  const value = matcher[kind];
  const at = `${field}.matcher.${kind}`;
  switch (kind) {
    case 'output':
    case 'inputOutput': {
      if (!isPlainRecord(value)) throw new SpecError(at, `expected a PathMatcher object, got ${describeValue(value)}`);
      const expression = compileExpression(value['path'], `${at}.path`);
      const { expected, comparator } = value;
      if (typeof expected !== 'string')
        throw new SpecError(`${at}.expected`, `expected a string, got ${describeValue(expected)}`);
      // Anything else would silently read as false.
      if (comparator === 'booleanEquals' && expected !== 'true' && expected !== 'false') {
        throw new SpecError(
          `${at}.expected`,
          `a booleanEquals comparator expects "true" or "false", got ${JSON.stringify(expected)}`,
        );
      }
      // Own keys only: 'toString' or '__proto__' must not find Object.prototype's members.
      const compare =
        typeof comparator === 'string' && Object.hasOwn(COMPARATORS, comparator) ? COMPARATORS[comparator] : undefined;
      if (!compare) {
        throw new SpecError(
          `${at}.comparator`,
          `expected stringEquals, booleanEquals, allStringEquals or anyStringEquals, got ${describeValue(comparator)}`,
        );
      }
      return {
        state,
        matcher: kind,
        explanation: `For expression "${expression.source}" the ${comparator} comparator matched expected "${expected}"`,
        matches:
          kind === 'output'
            ? (r) => r.ok && compare(expression.search(r.output), expected)
            : (r) => r.ok && compare(expression.search({ input: r.input, output: r.output }), expected),
      };
    }
    case 'success':
      if (typeof value !== 'boolean') throw new SpecError(at, `expected a boolean, got ${describeValue(value)}`);
      return {
        state,
        matcher: kind,
        explanation: value ? 'Matched a successful response' : 'Matched an error response',
        matches: (r) => r.ok === value,
      };
    case 'errorType': {
      if (typeof value !== 'string' || value === '')
        throw new SpecError(at, `expected an error shape name, got ${describeValue(value)}`);
      // An absolute shape ID matches on its name part only.
      const name = value.slice(value.indexOf('#') + 1);
      return {
        state,
        matcher: kind,
        explanation: `Matched expected error type: ${name}`,
        matches: (r) => !r.ok && errorCodesOf(r.error).includes(name),
      };
    }
    default:
      throw new SpecError(at, 'is not a Smithy matcher (output, inputOutput, success, errorType)');
  }
}

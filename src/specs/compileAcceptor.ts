import { compileExpression } from './compileExpression';
import { describeValue } from '../util/describeValue';
import { pythonEquals } from './pythonSemantics';
import { isPlainRecord } from '../util/isPlainRecord';
import { SpecError } from '../errors/SpecError';
import type { AcceptorState } from './types';
import { errorCodesOf, statusOf, type WaiterResponse } from './WaiterResponse';

/**
 * An acceptor ready to test responses.
 * @example
 * ```ts
 * const [active] = compileWaiter(tableExistsSpec).acceptors;
 * active.matches({ ok: true, input: {}, output: { Table: { TableStatus: 'ACTIVE' } } }); // true
 * ```
 */
export interface CompiledAcceptor {
  readonly state: AcceptorState;
  /** The matcher kind as the spec names it (`path`, `errorType`, ...). */
  readonly matcher: string;
  /** Why it matched, in botocore's words: `For expression "Table.TableStatus" we matched expected path: "ACTIVE"`. */
  readonly explanation: string;
  matches(response: WaiterResponse): boolean;
  /**
   * The reason a failure acceptor gives for the response it matched, from the
   * Smithy acceptor's `message` expression over the output: a string, or a
   * list of strings joined by `; `. `undefined` when it has none or finds none.
   */
  message?(response: WaiterResponse): string | undefined;
}

const STATES = new Set<unknown>(['success', 'failure', 'retry']);

/** Compiles one botocore `waiters-2.json` acceptor. @internal */
export function compileAcceptor(spec: unknown, field: string): CompiledAcceptor {
  if (!isPlainRecord(spec)) throw new SpecError(field, `expected an acceptor object, got ${describeValue(spec)}`);
  const state = acceptorState(spec['state'], `${field}.state`);
  if (!('expected' in spec)) throw new SpecError(`${field}.expected`, 'is required');
  const { matcher, expected } = spec;
  // Not String(matcher): a junk matcher such as {"toString": 1} would throw a TypeError.
  const base = { state, matcher: matcher as string };
  switch (matcher) {
    case 'path':
    case 'pathAll':
    case 'pathAny': {
      const expression = compileExpression(spec['argument'], `${field}.argument`);
      const test = PATH_TESTS[matcher];
      return {
        ...base,
        explanation: `For expression "${expression.source}" ${PATH_WORDING[matcher](expected)}`,
        matches: (r) => r.ok && test(expression.search(r.output), expected),
      };
    }
    case 'status':
      if (!Number.isInteger(expected))
        throw new SpecError(`${field}.expected`, `expected an HTTP status code, got ${describeValue(expected)}`);
      return { ...base, explanation: `Matched expected HTTP status code: ${expected}`, matches: (r) => statusOf(r) === expected };
    case 'error':
      if (typeof expected !== 'string' && typeof expected !== 'boolean') {
        throw new SpecError(`${field}.expected`, `expected an error code or a boolean, got ${describeValue(expected)}`);
      }
      return {
        ...base,
        explanation: `Matched expected service error code: ${pythonString(expected)}`,
        matches:
          typeof expected === 'boolean' ? (r) => !r.ok === expected : (r) => !r.ok && errorCodesOf(r.error).includes(expected),
      };
    default:
      throw new SpecError(`${field}.matcher`, `expected path, pathAll, pathAny, status or error, got ${describeValue(matcher)}`);
  }
}

/**
 * Why a waiter ended on a failure acceptor, in botocore's words, followed by
 * the acceptor's own `message` for the response when it gives one.
 * @internal
 */
export function failureReason(acceptor: CompiledAcceptor, response: WaiterResponse): string {
  let message: string | undefined;
  try {
    message = acceptor.message?.(response);
  } catch {
    // A message too costly to evaluate must not hide the failure it explains.
  }
  return `Waiter encountered a terminal failure state: ${acceptor.explanation}${message === undefined ? '' : `: ${message}`}`;
}

/** Validates an acceptor state. @internal */
export function acceptorState(value: unknown, field: string): AcceptorState {
  if (!STATES.has(value)) throw new SpecError(field, `expected success, failure or retry, got ${describeValue(value)}`);
  return value as AcceptorState;
}

const PATH_TESTS = {
  path: (result: unknown, expected: unknown) => pythonEquals(result, expected),
  // Only a non-empty list counts: a string is never taken apart into characters.
  pathAll: (result: unknown, expected: unknown) =>
    Array.isArray(result) && result.length > 0 && result.every((item) => pythonEquals(item, expected)),
  pathAny: (result: unknown, expected: unknown) => Array.isArray(result) && result.some((item) => pythonEquals(item, expected)),
};

const PATH_WORDING = {
  path: (expected: unknown) => `we matched expected path: "${pythonString(expected)}"`,
  pathAll: (expected: unknown) => `all members matched expected path: "${pythonString(expected)}"`,
  pathAny: (expected: unknown) => `we matched expected path: "${pythonString(expected)}" at least once`,
};

/** `str(value)` as Python prints the JSON value, so explanations read as botocore's do. */
function pythonString(value: unknown): string {
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null) return 'None';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

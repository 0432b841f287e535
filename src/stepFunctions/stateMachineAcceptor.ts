import type { AcceptorSpec, AcceptorState, SmithyAcceptorSpec } from '../specs/types';
import { jsonPathOf, jsonPathOfNode, lengthComparisonOf, nodeWords, parseJmesPath, type JmesPathNode } from './jsonPathOf';

/** A Choice rule of Amazon States Language (JSONPath), as plain JSON. @internal */
export type ChoiceRule = Readonly<Record<string, unknown>>;

/**
 * How one acceptor is tested in a state machine: on the call's output
 * (`response`), on its error (`error`), or not at all, with the reason.
 * `list` acceptors need their values collected and tested by Pass states first.
 * @internal
 */
export type StateMachineAcceptor =
  | { readonly on: 'response' | 'error'; readonly state: AcceptorState; readonly rule: ChoiceRule; readonly explanation: string }
  | { readonly on: 'response'; readonly state: AcceptorState; readonly list: ListTest; readonly explanation: string }
  | { readonly on: 'never'; readonly reason: string };

/**
 * An acceptor over a list: `path` collects it (a JSONPath with `[*]`),
 * `tests` computes intrinsic functions of it (`values` is the list), and
 * `rule` decides on their results (`at` is where they are).
 * @internal
 */
export interface ListTest {
  readonly path: string;
  tests(values: string): Record<string, string>;
  rule(at: string): ChoiceRule;
}

/** Where the compiled machine keeps things in its state. @internal */
export const STATE = {
  input: '$.input',
  response: '$.response',
  error: '$.error',
  attempt: '$.attempt.n',
} as const;

const ALWAYS: ChoiceRule = { Variable: STATE.attempt, IsPresent: true };

/**
 * Plans one acceptor, botocore's or Smithy's, as Choice rules over JSONPath.
 * `explanation` is what the waiter's WaiterError would say; `exceptions` names
 * the SDK exception of a wire code where they differ (a bound waiter's).
 * @internal
 */
export function stateMachineAcceptor(
  spec: AcceptorSpec | SmithyAcceptorSpec,
  explanation: string,
  exceptions?: Readonly<Record<string, string>>,
): StateMachineAcceptor {
  const { state } = spec;
  const matcher = spec.matcher;
  if (typeof matcher === 'string') {
    const botocore = spec as AcceptorSpec;
    switch (matcher) {
      case 'path':
        return pathAcceptor(state, botocore.argument!, botocore.expected, 'python', STATE.response, explanation);
      case 'pathAll':
      case 'pathAny':
        return listAcceptor(state, botocore.argument!, botocore.expected, matcher === 'pathAll', STATE.response, explanation);
      case 'status':
        return statusAcceptor(state, botocore.expected as number, explanation);
      case 'error': {
        if (typeof botocore.expected === 'boolean') {
          return { on: botocore.expected ? 'error' : 'response', state, rule: ALWAYS, explanation };
        }
        const code = botocore.expected as string;
        return { on: 'error', state, rule: errorRule(code, exceptions?.[code]), explanation };
      }
    }
  }
  if ('success' in matcher) return { on: matcher.success ? 'response' : 'error', state, rule: ALWAYS, explanation };
  if ('errorType' in matcher) {
    // Smithy names the exception itself.
    const exception = matcher.errorType.slice(matcher.errorType.indexOf('#') + 1);
    return { on: 'error', state, rule: errorRule(exception, exception), explanation };
  }
  const inputOutput = 'inputOutput' in matcher;
  const { path, expected, comparator } = inputOutput ? matcher.inputOutput : matcher.output;
  const root = inputOutput ? undefined : STATE.response;
  if (comparator === 'allStringEquals' || comparator === 'anyStringEquals') {
    return listAcceptor(state, path, expected, comparator === 'allStringEquals', root, explanation);
  }
  return pathAcceptor(state, path, comparator === 'booleanEquals' ? expected === 'true' : expected, 'strict', root, explanation);
}

/**
 * JSONPath of a JMESPath expression over the output, or for Smithy's
 * `inputOutput` (root undefined) over `{ input, output }`.
 */
function locate(expression: string, root: string | undefined): { path: string; wildcards: number } | { reason: string } {
  const found = jsonPathOf(expression, root ?? '$');
  if (!found.ok) return { reason: `${JSON.stringify(expression)} ${found.reason}` };
  if (root !== undefined) return found;
  for (const [member, at] of [
    ['input', STATE.input],
    ['output', STATE.response],
  ] as const) {
    const prefix = `$.${member}`;
    if (found.path === prefix || found.path.startsWith(`${prefix}.`) || found.path.startsWith(`${prefix}[`)) {
      return { path: at + found.path.slice(prefix.length), wildcards: found.wildcards };
    }
  }
  return { reason: `${JSON.stringify(expression)} reads neither input nor output of the inputOutput document` };
}

function pathAcceptor(
  state: AcceptorState,
  expression: string,
  expected: unknown,
  equality: 'python' | 'strict',
  root: string | undefined,
  explanation: string,
): StateMachineAcceptor {
  if (root !== undefined) {
    const length = lengthComparisonOf(expression, root);
    if (length) return lengthAcceptor(state, expression, length, expected, explanation);
    const node = parseJmesPath(expression);
    if (node && BOOLEAN_NODES.has(node.type)) {
      const rule = booleanRule(node, root);
      if (typeof rule === 'string') return { on: 'never', reason: `${JSON.stringify(expression)} ${rule}` };
      if (typeof expected !== 'boolean') {
        return { on: 'never', reason: `compares a comparison's boolean with ${JSON.stringify(expected)}` };
      }
      return { on: 'response', state, rule: expected ? rule : { Not: rule }, explanation };
    }
  }
  const at = locate(expression, root);
  if ('reason' in at) return { on: 'never', reason: at.reason };
  if (at.wildcards > 0) {
    return { on: 'never', reason: `${JSON.stringify(expression)} is a list compared as a whole, which Choice rules cannot do` };
  }
  const rule = equalsRule(at.path, expected, equality);
  if (!rule) return { on: 'never', reason: `expects ${JSON.stringify(expected)}, which Choice rules cannot compare with` };
  return { on: 'response', state, rule, explanation };
}

const BOOLEAN_NODES = new Set(['Comparator', 'AndExpression', 'OrExpression', 'NotExpression']);

/**
 * The Choice rule of a JMESPath expression that is always a boolean:
 * `==` / `!=` between a member and a literal (JMESPath's equality is strict
 * and null-safe, so a missing member is simply not equal), and `&&`, `||`,
 * `!` of such. Returns the reason as a string where it cannot.
 */
function booleanRule(node: JmesPathNode, root: string): ChoiceRule | string {
  switch (node.type) {
    case 'AndExpression':
    case 'OrExpression': {
      const left = booleanRule(node.left!, root);
      if (typeof left === 'string') return left;
      const right = booleanRule(node.right!, root);
      if (typeof right === 'string') return right;
      return { [node.type === 'AndExpression' ? 'And' : 'Or']: [left, right] };
    }
    case 'NotExpression': {
      const inner = booleanRule(node.child ?? node.left!, root);
      return typeof inner === 'string' ? inner : { Not: inner };
    }
    case 'Comparator': {
      if (node.name !== 'EQ' && node.name !== 'NE') {
        return `uses an ordering comparison, which gives null rather than false on a missing member: no Choice rule says that`;
      }
      const [member, literal] = node.right?.type === 'Literal' ? [node.left!, node.right] : [node.right!, node.left!];
      if (literal.type !== 'Literal') return 'compares two members, which Choice rules cannot';
      const at = jsonPathOfNode(member, root);
      if (!at.ok) return at.reason;
      if (at.wildcards > 0) return 'compares a list as a whole, which Choice rules cannot';
      const equal = strictEquals(at.path, literal.value);
      if (!equal) return `compares with ${JSON.stringify(literal.value)}, which Choice rules cannot`;
      return node.name === 'EQ' ? equal : { Not: equal };
    }
    default:
      return `uses ${nodeWords(node)} among its conditions, which has no JSONPath form`;
  }
}

/** JMESPath's `==` with a literal: same type and value; null equals a missing member too. */
function strictEquals(variable: string, literal: unknown): ChoiceRule | undefined {
  return equalsRule(variable, literal, 'strict');
}

const NUMERIC: Record<string, string> = {
  EQ: 'NumericEquals',
  NE: 'NumericEquals',
  GT: 'NumericGreaterThan',
  GTE: 'NumericGreaterThanEquals',
  LT: 'NumericLessThan',
  LTE: 'NumericLessThanEquals',
};

/** `length(<projection>) > n` and the like: States.ArrayLength of the collected list. */
function lengthAcceptor(
  state: AcceptorState,
  expression: string,
  length: NonNullable<ReturnType<typeof lengthComparisonOf>>,
  expected: unknown,
  explanation: string,
): StateMachineAcceptor {
  if (!length.ok) return { on: 'never', reason: `${JSON.stringify(expression)} ${length.reason}` };
  // The comparison is a boolean: Python's == with anything else than a boolean never holds, which is no acceptor.
  if (typeof expected !== 'boolean') {
    return { on: 'never', reason: `compares a comparison's boolean with ${JSON.stringify(expected)}` };
  }
  const { path, base, comparator, value } = length;
  return {
    on: 'response',
    state,
    list: {
      path,
      tests: (values) => ({ 'length.$': `States.ArrayLength(${values})` }),
      rule: (at) => {
        const compare = { Variable: `${at}.length`, [NUMERIC[comparator]!]: value };
        const holds = comparator === 'NE' ? { Not: compare } : compare;
        // Without the member JMESPath's length() fails, and nothing matches.
        return { And: [{ Variable: base, IsPresent: true }, expected ? holds : { Not: holds }] };
      },
    },
    explanation,
  };
}

function listAcceptor(
  state: AcceptorState,
  expression: string,
  expected: unknown,
  all: boolean,
  root: string | undefined,
  explanation: string,
): StateMachineAcceptor {
  // ArrayContains compares JSON values; Python's `1 == True` for other types would be guessed.
  if (typeof expected !== 'string') {
    return {
      on: 'never',
      reason: `expects ${JSON.stringify(expected)} in a list: States.ArrayContains compares JSON values, not with Python's == on non-strings`,
    };
  }
  const at = locate(expression, root);
  if ('reason' in at) return { on: 'never', reason: at.reason };
  const contains = (at: string) => ({ Variable: `${at}.contains`, BooleanEquals: true });
  return {
    on: 'response',
    state,
    list: {
      path: at.wildcards > 0 ? at.path : `${at.path}[*]`,
      tests: (values) => ({
        'unique.$': `States.ArrayLength(States.ArrayUnique(${values}))`,
        'contains.$': `States.ArrayContains(${values}, ${intrinsicString(expected)})`,
      }),
      // All: one distinct value, and it is the expected one (so the list is not empty).
      rule: (at) => (all ? { And: [{ Variable: `${at}.unique`, NumericEquals: 1 }, contains(at)] } : contains(at)),
    },
    explanation,
  };
}

/** A string literal of an intrinsic function: quoted, with ' { } \\ escaped. */
function intrinsicString(value: string): string {
  return `'${value.replace(/['{}\\]/g, (c) => `\\${c}`)}'`;
}

function statusAcceptor(state: AcceptorState, status: number, explanation: string): StateMachineAcceptor {
  // A successful call is a 200 to the Step Functions SDK integration; it does not pass the status on.
  if (status === 200) return { on: 'response', state, rule: ALWAYS, explanation };
  if (status >= 200 && status < 300) {
    return { on: 'never', reason: `expects HTTP ${status}, and a successful SDK task does not report its status` };
  }
  // Step Functions' Cause of an SDK error ends "(Service: <name>, Status Code: <status>, Request ID: ...)".
  return {
    on: 'error',
    state,
    rule: { Variable: `${STATE.error}.Cause`, StringMatches: `*(Service: *, Status Code: ${status},*` },
    explanation,
  };
}

/**
 * Step Functions names an SDK error `<Service>.<Exception>`, and which
 * exception name it uses cannot be known here: AWS documents the error name of
 * the API reference with `Exception` appended (`S3.BucketAlreadyExistsException`)
 * and reports the Java SDK v2's class (`Rds.DbInstanceNotFoundException` for the
 * shape `DBInstanceNotFoundFault`, wire code `DBInstanceNotFound`); moto appends
 * `Exception` to the shape (`redshift.ClusterNotFoundFaultException`). So the
 * rule takes any of them, for the wire code and, where it is known, the
 * exception; the service part before the dot is left open.
 */
function errorRule(code: string, exception: string | undefined): ChoiceRule {
  const names = new Set([code, withException(code), javaException(code)]);
  if (exception !== undefined)
    for (const name of [exception, withException(exception), javaException(exception)]) names.add(name);
  const variable = `${STATE.error}.Error`;
  const rules = [...names].map((name) => ({ Variable: variable, StringMatches: `*.${name.replace(/[\\*]/g, (c) => `\\${c}`)}` }));
  return rules.length === 1 ? rules[0]! : { Or: rules };
}

function withException(name: string): string {
  return name.endsWith('Exception') ? name : `${name}Exception`;
}

/**
 * The Java SDK v2's exception class of a shape name: a `Fault` suffix becomes
 * `Exception` (one is added where neither is there), and every word is
 * capitalized alone (`DBInstanceNotFoundFault` gives `DbInstanceNotFoundException`).
 */
function javaException(shape: string): string {
  const stem = shape.replace(/Fault$/, '').replace(/Exception$/, '');
  const words = stem
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .replace(/([a-z])(?=[A-Z][A-Za-z0-9])/g, '$1 ')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([0-9])([A-Za-z])/g, '$1 $2')
    .trim()
    .split(/ +/);
  return `${words.map((word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()).join('')}Exception`;
}

function equalsRule(variable: string, expected: unknown, equality: 'python' | 'strict'): ChoiceRule | undefined {
  const present = { Variable: variable, IsPresent: true };
  const typed = (type: string, test: Record<string, unknown>): ChoiceRule => ({
    And: [present, { Variable: variable, [type]: true }, { Variable: variable, ...test }],
  });
  if (typeof expected === 'string') return typed('IsString', { StringEquals: expected });
  if (expected === null) return { Or: [{ Not: present }, { Variable: variable, IsNull: true }] };
  const python = equality === 'python';
  if (typeof expected === 'boolean') {
    const bool = typed('IsBoolean', { BooleanEquals: expected });
    // Python: True == 1 and False == 0.
    return python ? { Or: [bool, typed('IsNumeric', { NumericEquals: expected ? 1 : 0 })] } : bool;
  }
  if (typeof expected === 'number' && Number.isFinite(expected)) {
    const number = typed('IsNumeric', { NumericEquals: expected });
    return python && (expected === 0 || expected === 1)
      ? { Or: [number, typed('IsBoolean', { BooleanEquals: expected === 1 })] }
      : number;
  }
  return undefined;
}

import { compile, TreeInterpreter, type JSONValue } from '@jmespath-community/jmespath';
import { SpecError } from '../errors/SpecError';
import type { CompiledExpression } from './compileExpression';
import { carryJmespath, installJmespath, type JmespathEngine } from './jmespathEngine';
import type { PaginatorSpec, SmithyWaiterSpec, WaiterSpec } from './types';

type ExpressionNode = ReturnType<typeof compile>;
type Interpreter = typeof TreeInterpreter;

/**
 * Work one evaluation may do: a step per node visited plus one per element of
 * every list it builds. A projection over a 1 MB page uses a few tens of
 * thousands; an expression that doubles its result at every step (4 million
 * results from one small page) is stopped well before it takes seconds.
 * @example
 * ```ts
 * // Items[].id over a page of n items takes about 3n steps: fine up to some 300,000 items.
 * const fits = (items: number) => 3 * items < JMESPATH_STEP_LIMIT;
 * ```
 */
export const JMESPATH_STEP_LIMIT = 1_000_000;

/**
 * Size one evaluation may build, read or compare, in characters and values:
 * the characters of every string it builds, the characters and elements its
 * functions are given, the values `==` and `to_string` walk, and the values
 * of its result reached through the lists and objects it built (a value
 * reached twice counts twice). Steps alone do not bound memory: one
 * `pad_left` or a few doublings through `replace` or `join` build hundreds of
 * megabytes in a few steps, and 30 nested `[@, @]` make a result of 2^30
 * values that JSON.stringify would never finish. A 1 MB page fits many times over.
 * @example
 * ```ts
 * // to_string(@) of a page of n characters walks about n and builds about n.
 * const fits = (pageCharacters: number) => 2 * pageCharacters < JMESPATH_SIZE_LIMIT;
 * ```
 */
export const JMESPATH_SIZE_LIMIT = 10_000_000;

class LimitExceeded extends Error {
  constructor(readonly problem: string) {
    super(problem);
  }
}

let steps = 0;
let size = 0;
// The lists and objects this evaluation built (the rest is the data, or a literal of the expression), with what
// walking each costs once known: a built value reached many times is walked once.
let built = new Map<object, { walk?: number; reaches?: number }>();

function charge(amount: number): void {
  size += amount;
  if (size > JMESPATH_SIZE_LIMIT) {
    throw new LimitExceeded(
      `built, read or compared more than ${JMESPATH_SIZE_LIMIT} characters and values on one value; ` +
        'the expression grows its result without bound',
    );
  }
}

const room = () => JMESPATH_SIZE_LIMIT - size;

/** Charges what writing out all of `value` costs, a character or value at a time: a cycle, or a list reached 2^30 times, stops at the limit. */
function chargeWalk(value: unknown): void {
  if (typeof value === 'string') return charge(value.length + 1);
  if (typeof value !== 'object' || value === null) return charge(1);
  const known = built.get(value);
  if (known?.walk !== undefined) return charge(known.walk);
  const before = size;
  charge(1);
  if (Array.isArray(value)) {
    for (const element of value) chargeWalk(element);
  } else {
    for (const key of Object.keys(value)) {
      charge(key.length);
      chargeWalk((value as Record<string, unknown>)[key]);
    }
  }
  if (known) known.walk = size - before;
}

/** Charges a value for each way the result reaches it through what this evaluation built: 30 nested `[@, @]` are refused. */
function chargeReaches(value: unknown): void {
  const known = typeof value === 'object' && value !== null ? built.get(value) : undefined;
  if (known === undefined) return;
  if (known.reaches !== undefined) return charge(known.reaches);
  const before = size;
  for (const child of Array.isArray(value) ? value : Object.values(value as object)) {
    charge(1);
    chargeReaches(child);
  }
  known.reaches = size - before;
}

/** What a function is charged for an argument: a string's characters, a list's elements. */
const shallowSize = (value: unknown) => (typeof value === 'string' || Array.isArray(value) ? value.length + 1 : 1);

// The node types whose result is a new list or object (or, for a slice, a new string).
const BUILDS = new Set([
  'MultiSelectList',
  'MultiSelectHash',
  'Projection',
  'ValueProjection',
  'FilterProjection',
  'Flatten',
  'Slice',
]);
// `==` and `!=` walk both sides: what they walk is charged (one value compared with itself excepted).
const COMPARES = new Set(['EQ', 'NE']);

type Node = Parameters<Interpreter['visit']>[0];

// Built on first use: the dependency's interpreter is set up (and, in the CommonJS build, the dependency loaded)
// only when an expression needs the full evaluator.
let interpreter: Interpreter | undefined;

/** A private interpreter: its `visit` counts work, and its function table gets bounded, linear versions. */
function boundedInterpreter(): Interpreter {
  const counting = new (TreeInterpreter.constructor as new () => Interpreter)();
  const visit = counting.visit;
  counting.visit = function (node, value) {
    let result: unknown;
    if (node.type === 'Field') {
      // Only the data's own members: `constructor` or `__proto__` of a page is null, as for a plain path.
      const name = (node as { name: string }).name;
      result = isRecord(value) && Object.hasOwn(value, name) ? (value[name] ?? null) : null;
    } else if (node.type === 'Comparator' && COMPARES.has((node as { name: string }).name)) {
      result = compared(this, visit, node, value);
    } else {
      result = visit.call(this, node, value);
      if (BUILDS.has(node.type)) builds(result);
    }
    steps += Array.isArray(result) ? result.length + 1 : 1;
    if (steps > JMESPATH_STEP_LIMIT) {
      throw new LimitExceeded(
        `took more than ${JMESPATH_STEP_LIMIT} steps of work on one value; the expression grows its result without bound`,
      );
    }
    return result as ReturnType<Interpreter['visit']>;
  };
  // `let` expressions evaluate in a child interpreter: it must count into the same budget.
  const withScope = counting.withScope;
  counting.withScope = function (scope) {
    const child = withScope.call(this, scope);
    child.visit = counting.visit;
    child.withScope = counting.withScope;
    return child;
  };
  boundFunctions(counting.runtime._functionTable);
  return counting;
}

/** Records a value a step built: a string is charged for its characters, a list or object kept for `chargeReaches`. */
function builds(result: unknown): void {
  if (typeof result === 'string') charge(result.length + 1);
  else if (typeof result === 'object' && result !== null) built.set(result, {});
}

/** `left == right` (or `!=`), charged for what the comparison walks; the comparison stays the dependency's. */
function compared(
  self: Interpreter,
  visit: Interpreter['visit'],
  node: Node,
  value: Parameters<Interpreter['visit']>[1],
): unknown {
  const { left, right } = node as unknown as { left: Node; right: Node };
  const first = self.visit(left, value);
  const second = self.visit(right, value);
  if (first !== second) {
    chargeWalk(first);
    chargeWalk(second);
  }
  const literal = (v: unknown) => ({ type: 'Literal', value: v }) as unknown as Node;
  return visit.call(self, { ...node, left: literal(first), right: literal(second) } as Node, value);
}

const isRecord = (value: unknown): value is Record<string, JSONValue> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

type JmespathFunction = (args: JSONValue[]) => JSONValue;
type FunctionTable = Interpreter['runtime']['_functionTable'];

type Replacement = (args: JSONValue[], original: JmespathFunction) => JSONValue;

// The functions that build more than they are given check the size first, before building it.
const pad: Replacement = (args, original) => {
  if (typeof args[1] === 'number' && args[1] > room()) charge(args[1]);
  return original(args);
};
const join: Replacement = (args, original) => {
  const [separator, list] = args as [string, string[]];
  let length = separator.length * Math.max(list.length - 1, 0);
  for (const element of list) length += element.length;
  if (length > room()) charge(length);
  return original(args);
};
const toString: Replacement = (args, original) => {
  // JSON.stringify of a value that reaches one list 2^30 times would not end: it is walked first, within the limit.
  if (typeof args[0] !== 'string') chargeWalk(args[0]);
  return original(args);
};
// The dependency's `replace` with a count allocates `count` entries up front and repeats `String.replace`, which
// reads `$&` in the replacement as "the match" (doubling the string each time) and rescans what it inserted. This
// one replaces the first `count` occurrences (all without a count) as written, in one pass, and checks the size of
// the result before building it. Without a count it answers as the dependency does.
const replace: Replacement = (args) => {
  const [subject, old, replacement, count = Infinity] = args as [string, string, string, number?];
  if (count !== Infinity && !(Number.isInteger(count) && count >= 0)) {
    throw new Error('invalid-value: expecting a non-negative integer.');
  }
  // Where `old` is found, left to right without overlaps; an empty `old` is found between characters, as split('') cuts.
  const find = (from: number) => (old === '' ? (from < subject.length ? from : -1) : subject.indexOf(old, from));
  const step = Math.max(old.length, 1);
  let found = 0;
  for (let at = find(old === '' ? 1 : 0); at !== -1 && found < count; at = find(at + step)) found++;
  const length = subject.length + found * (replacement.length - old.length);
  if (length > room()) charge(length);
  if (found < count) return subject.split(old).join(replacement);
  const pieces: string[] = [];
  let from = 0;
  for (let at = find(old === '' ? 1 : 0), left = count; left > 0; at = find(at + step), left--) {
    pieces.push(subject.slice(from, at), replacement);
    from = at + old.length;
  }
  pieces.push(subject.slice(from));
  return pieces.join('');
};

// The dependency trims with a regular expression that takes quadratic time on a long run of
// trimmed characters; these do the same in one pass.
const trimmed = (chars: unknown) => {
  const set = typeof chars === 'string' && chars !== '' ? chars : undefined;
  return (c: string) => (set === undefined ? /[\s\x85]/.test(c) : set.includes(c));
};
const trimLeft = (subject: string, chars: unknown) => {
  const inSet = trimmed(chars);
  let start = 0;
  while (start < subject.length && inSet(subject[start]!)) start++;
  return subject.slice(start);
};
const trimRight = (subject: string, chars: unknown) => {
  const inSet = trimmed(chars);
  let end = subject.length;
  while (end > 0 && inSet(subject[end - 1]!)) end--;
  return subject.slice(0, end);
};

/** Gives the function table bounded, linear versions of the functions that build or scan, and charges every call. */
function boundFunctions(functions: FunctionTable): void {
  /** Replaces function `name`'s implementation, keeping its signature (which the runtime checks before calling). */
  const replaceFunction = (name: string, implementation: Replacement) => {
    const entry = functions[name]!;
    const original = entry._func as JmespathFunction;
    functions[name] = { ...entry, _func: (args: JSONValue[]) => implementation(args, original) };
  };
  replaceFunction('pad_left', pad);
  replaceFunction('pad_right', pad);
  replaceFunction('join', join);
  replaceFunction('to_string', toString);
  replaceFunction('replace', replace);
  replaceFunction('trim_left', ([subject, chars]) => trimLeft(subject as string, chars));
  replaceFunction('trim_right', ([subject, chars]) => trimRight(subject as string, chars));
  replaceFunction('trim', ([subject, chars]) => trimLeft(trimRight(subject as string, chars), chars));
  // Every function is charged for the strings and lists it is given (most read them whole: `length` of a string
  // counts its code points, and a projection may give it the same long string a million times), and for a new
  // string it returns; a new list or object it returns is kept for `chargeReaches`.
  for (const name of Object.keys(functions)) {
    replaceFunction(name, (args, original) => {
      for (const arg of args) charge(shallowSize(arg));
      const result = original(args);
      if (!args.includes(result)) builds(result);
      return result;
    });
  }
}

/**
 * The full JMESPath evaluator (`@jmespath-community/jmespath`), bounded: an
 * evaluation doing more than {@link JMESPATH_STEP_LIMIT} steps of work, or
 * building more than {@link JMESPATH_SIZE_LIMIT} characters and values, ends
 * with a SpecError naming the expression instead of running on for seconds or
 * exhausting the heap.
 * @example
 * ```ts
 * fullJmespath.compile('Reservations[].Instances[].State.Name', 'argument').search(page);
 * ```
 */
export const fullJmespath: JmespathEngine = {
  compile(source, field) {
    let ast: ExpressionNode;
    try {
      ast = compile(source);
    } catch (error) {
      throw new SpecError(field, `invalid JMESPath expression ${JSON.stringify(source)}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    return bounded(source, field, ast);
  },
};

function bounded(source: string, field: string, ast: ExpressionNode): CompiledExpression {
  return {
    source,
    search(data) {
      steps = 0;
      size = 0;
      try {
        const result = (interpreter ??= boundedInterpreter()).search(ast, data as JSONValue);
        chargeReaches(result);
        return result;
      } catch (error) {
        if (error instanceof LimitExceeded) throw new SpecError(field, `evaluating ${JSON.stringify(source)} ${error.problem}`);
        // Runtime type errors mean the data has no such shape: no match, like a missing key.
        return null;
      } finally {
        built = new Map();
      }
    },
  };
}

/**
 * Lets specs and `search()` use any JMESPath expression, not only plain member
 * paths (`Table.TableStatus`, which need nothing). Call it once at start-up
 * when a spec needs more (`Reservations[].Instances[].State.Name`, functions,
 * filters): without it such a spec is refused with a SpecError saying so. It
 * is a separate call so that apps that do not need it do not bundle JMESPath.
 * @example
 * ```ts
 * import { useFullJmespath, waitFor } from 'rxjs-aws';
 * import { InstanceRunning } from 'rxjs-aws/ec2';
 *
 * useFullJmespath();
 * waitFor(InstanceRunning, client, { InstanceIds: [id] }, { maxWaitTime: 600 }).subscribe();
 * ```
 */
export function useFullJmespath(): void {
  installJmespath(fullJmespath);
}

/**
 * Makes a shipped spec carry the full evaluator it needs (a generated module wraps each spec one of whose
 * expressions is more than a plain member path): compiling that very object, bound or through its `.spec` with a send
 * of your own, then needs no `useFullJmespath()`, and only modules with such a spec load JMESPath.
 * @example
 * ```ts
 * const spec = withFullJmespath({ operation: 'DescribeInstances', delay: 15, maxAttempts: 40, acceptors });
 * waitFor(spec, send, { InstanceIds: [id] }); // no useFullJmespath() needed
 * ```
 * @internal
 */
export function withFullJmespath<T extends PaginatorSpec | WaiterSpec | SmithyWaiterSpec>(spec: T): T {
  return carryJmespath(spec, fullJmespath);
}

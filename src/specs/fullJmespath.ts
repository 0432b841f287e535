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

class StepLimitExceeded extends Error {}

// A private interpreter: its `visit` counts work, and its function table gets linear trims.
const interpreter = new (TreeInterpreter.constructor as new () => Interpreter)();
const visit = interpreter.visit;
let steps = 0;
interpreter.visit = function (node, value) {
  const result = visit.call(this, node, value);
  steps += Array.isArray(result) ? result.length + 1 : 1;
  if (steps > JMESPATH_STEP_LIMIT) throw new StepLimitExceeded();
  return result;
};
// `let` expressions evaluate in a child interpreter: it must count into the same budget.
const withScope = interpreter.withScope;
interpreter.withScope = function (scope) {
  const child = withScope.call(this, scope);
  child.visit = interpreter.visit;
  child.withScope = interpreter.withScope;
  return child;
};

// The dependency trims with a regular expression that takes quadratic time on a long run of
// trimmed characters; these do the same in one pass.
const functions = interpreter.runtime._functionTable;
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
const replaceTrim = (name: string, trim: (subject: string, chars: unknown) => string) => {
  functions[name] = { ...functions[name]!, _func: ([subject, chars]: JSONValue[]) => trim(subject as string, chars) };
};
replaceTrim('trim_left', trimLeft);
replaceTrim('trim_right', trimRight);
replaceTrim('trim', (subject, chars) => trimLeft(trimRight(subject, chars), chars));

/**
 * The full JMESPath evaluator (`@jmespath-community/jmespath`), bounded: an
 * evaluation doing more than {@link JMESPATH_STEP_LIMIT} steps of work ends
 * with a SpecError naming the expression instead of running on for seconds.
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
      try {
        return interpreter.search(ast, data as JSONValue);
      } catch (error) {
        if (error instanceof StepLimitExceeded) {
          throw new SpecError(
            field,
            `evaluating ${JSON.stringify(source)} took more than ${JMESPATH_STEP_LIMIT} steps of work on one value; ` +
              'the expression grows its result without bound',
          );
        }
        // Runtime type errors mean the data has no such shape: no match, like a missing key.
        return null;
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

import { compile, TreeInterpreter, type JSONValue } from '@jmespath-community/jmespath';

type ExpressionNode = ReturnType<typeof compile>;
import { isPlainRecord } from './pythonSemantics';
import { SpecError } from './SpecError';

/**
 * A JMESPath expression parsed once, evaluated many times.
 * @example
 * ```ts
 * const [items] = compilePaginator(scanSpec).resultKeys;
 * items.search({ Items: [1, 2] }); // [1, 2]
 * ```
 */
export interface CompiledExpression {
  /** The expression as written in the spec. */
  readonly source: string;
  /** Evaluates the expression; a JMESPath type error (`length(null)`) yields `null`. */
  search(data: unknown): unknown;
}

/**
 * Parses a JMESPath expression, naming `field` in the SpecError if it does not parse.
 * @internal
 */
export function compileExpression(source: unknown, field: string): CompiledExpression {
  if (typeof source !== 'string' || source === '') {
    throw new SpecError(field, `expected a JMESPath expression (a non-empty string), got ${describe(source)}`);
  }
  let ast: ExpressionNode;
  try {
    ast = compile(source);
  } catch (error) {
    throw new SpecError(field, `invalid JMESPath expression ${JSON.stringify(source)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return {
    source,
    search(data) {
      try {
        return TreeInterpreter.search(ast, data as JSONValue);
      } catch {
        // Runtime type errors mean the data has no such shape: no match, like a missing key.
        return null;
      }
    },
  };
}

/** A short description of a value for error messages. @internal */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') {
    if (isPlainRecord(value)) return 'an object';
    // A Map, Date, class instance...: say which, or "expected an object, got an object" would be the message.
    const name: unknown = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== '' ? `an instance of ${name}` : 'an object that is not a plain one';
  }
  return `${typeof value} ${String(value)}`;
}

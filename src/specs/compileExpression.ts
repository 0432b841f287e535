import { compile, TreeInterpreter, type JSONValue } from '@jmespath-community/jmespath';

type ExpressionNode = ReturnType<typeof compile>;
import { describeValue } from '../util/describeValue';
import { SpecError } from '../errors/SpecError';

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
    throw new SpecError(field, `expected a JMESPath expression (a non-empty string), got ${describeValue(source)}`);
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

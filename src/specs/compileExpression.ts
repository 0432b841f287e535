import { describeValue } from '../util/describeValue';
import { SpecError } from '../errors/SpecError';
import { installedJmespath, type JmespathEngine } from './jmespathEngine';

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

// JMESPath's unquoted identifier, joined by dots: every shipped paginator expression and most waiter paths.
const MEMBER_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** True when `source` compiles to a direct accessor, without the full evaluator. @internal */
export function isPlainMemberPath(source: string): boolean {
  return MEMBER_PATH.test(source);
}

/**
 * Parses a JMESPath expression, naming `field` in the SpecError if it does not parse.
 * A plain member path (`Table.TableStatus`) becomes a direct accessor; anything
 * else needs `engine`, by default the one `useFullJmespath()` installed.
 * @internal
 */
export function compileExpression(
  source: unknown,
  field: string,
  engine: JmespathEngine | undefined = installedJmespath(),
): CompiledExpression {
  if (typeof source !== 'string' || source === '') {
    throw new SpecError(field, `expected a JMESPath expression (a non-empty string), got ${describeValue(source)}`);
  }
  if (isPlainMemberPath(source)) return memberPath(source);
  if (!engine) {
    throw new SpecError(
      field,
      `${JSON.stringify(source)} is not a plain member path (such as "Table.TableStatus"); ` +
        "it needs the full JMESPath evaluator: call useFullJmespath() from 'rxjs-aws' once at start-up",
    );
  }
  return engine.compile(source, field);
}

/**
 * JMESPath's field access, member by member: `null` for a missing member, a
 * `null` value or a parent that is not an object (arrays included).
 */
function memberPath(source: string): CompiledExpression {
  const members = source.split('.');
  // Where Object.prototype has a member of that name (toString, __proto__), only the data's own counts.
  const read = members.some((name) => name in Object.prototype) ? ownMember : member;
  return {
    source,
    search(data) {
      let value = data;
      try {
        for (let i = 0; i < members.length; i++) value = read(value, members[i]!);
      } catch {
        // A revoked Proxy or a throwing getter has no such member, as the full evaluator also answers.
        return null;
      }
      return value ?? null;
    },
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const member = (value: unknown, name: string) => (isObject(value) ? value[name] : undefined);
const ownMember = (value: unknown, name: string) => (isObject(value) && Object.hasOwn(value, name) ? value[name] : undefined);

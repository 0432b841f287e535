import { mergeMap, type OperatorFunction } from 'rxjs';
import { compileExpression } from '../../specs/compileExpression';
import { fullJmespath } from '../../specs/fullJmespath';

// prettier-ignore
type Letter = 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'h' | 'i' | 'j' | 'k' | 'l' | 'm' | 'n' | 'o' | 'p' | 'q' | 'r' | 's' | 't' | 'u' | 'v' | 'w' | 'x' | 'y' | 'z' | '_';
type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';
type IdentifierTail<S extends string> = S extends ''
  ? true
  : S extends `${Letter | Uppercase<Letter> | Digit}${infer Rest}`
    ? IdentifierTail<Rest>
    : false;
/** A JMESPath unquoted identifier: `[A-Za-z_][A-Za-z0-9_]*`. */
type IsIdentifier<S extends string> = S extends `${Letter | Uppercase<Letter>}${infer Rest}` ? IdentifierTail<Rest> : false;

/** The members of a plain dotted member path (`Table.TableStatus`), or `undefined` for any other expression. */
type MemberPath<E extends string> = E extends `${infer Head}.${infer Rest}`
  ? IsIdentifier<Head> extends true
    ? MemberPath<Rest> extends infer Tail extends string[]
      ? [Head, ...Tail]
      : undefined
    : undefined
  : IsIdentifier<E> extends true
    ? [E]
    : undefined;

/**
 * What JMESPath finds at a member path of a value of type `T`: `null` where a
 * member is missing or a value on the way is no object (a list, a scalar),
 * `unknown` where the type does not say.
 */
type ValueAt<T, Path extends string[]> = unknown extends T
  ? unknown
  : Path extends [infer Head extends string, ...infer Rest extends string[]]
    ? T extends null | undefined
      ? null
      : T extends readonly unknown[] | string | number | boolean | bigint
        ? null
        : Head extends keyof T
          ? ValueAt<T[Head], Rest>
          : unknown
    : T extends undefined
      ? null
      : T;

/** What `search` emits for a value: the elements of a list one by one, anything else as it is. */
type Emitted<V> = V extends readonly (infer Element)[] ? Element : V;

/**
 * What `search(expression)` emits for pages of type `Page`: typed for a plain
 * dotted member path (`Table.TableStatus`, `Items`), with `null` where a page
 * lacks a member, and `unknown` for any other expression (a projection, a
 * filter, a function), whose result the page type does not tell.
 * @example
 * ```ts
 * type Status = SearchResult<DescribeTableCommandOutput, 'Table.TableStatus'>; // TableStatus | null
 * type Rows = SearchResult<ScanCommandOutput, 'Items'>; // Record<string, AttributeValue> | null
 * type Ids = SearchResult<DescribeInstancesCommandOutput, 'Reservations[].Instances[].InstanceId'>; // unknown
 * ```
 */
export type SearchResult<Page, Expression extends string> = string extends Expression
  ? unknown
  : MemberPath<Expression> extends infer Path extends string[]
    ? Emitted<ValueAt<Page, Path>>
    : unknown;

/**
 * Applies a JMESPath expression to every page: botocore's `PageIterator.search`.
 * A list result is emitted item by item; any other result (`null` included)
 * is emitted as it is. The expression is parsed once, here. An evaluation that
 * does more than `JMESPATH_STEP_LIMIT` (1,000,000) steps of work on one page
 * errors with a SpecError naming the expression.
 *
 * The values are typed from the pages for a plain dotted member path
 * (`search('Table.TableStatus')` on `DescribeTable` pages emits
 * `TableStatus | null`), and `unknown` for other expressions: name the type
 * then (`search<string>('Reservations[].Instances[].InstanceId')`).
 *
 * @example
 * ```ts
 * paginate(describeInstancesSpec, send, {})
 *   .pipe(search<string>('Reservations[].Instances[].InstanceId'))
 *   .subscribe((id) => console.log(id));
 * ```
 */
export function search<Page, Expression extends string>(
  expression: Expression,
): OperatorFunction<Page, SearchResult<Page, Expression>>;
export function search<T>(expression: string): OperatorFunction<unknown, T>;
export function search(expression: string): OperatorFunction<unknown, unknown> {
  const compiled = compileExpression(expression, 'expression', fullJmespath);
  return mergeMap((page) => {
    const found = compiled.search(page);
    return Array.isArray(found) ? found : [found];
  });
}

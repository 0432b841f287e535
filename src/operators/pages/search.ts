import { mergeMap, type OperatorFunction } from 'rxjs';
import { compileExpression } from '../../specs/compileExpression';
import { fullJmespath } from '../../specs/fullJmespath';

/**
 * What `search(expression)` emits for pages of type `Page`: typed for a plain
 * dotted member path (`Table.TableStatus`, `Items`), with `null` where a page
 * lacks a member or a value on the way is no object (JMESPath does not step
 * into a list without a projection), the elements of a list one by one, and
 * `unknown` for any other expression (a projection, a filter, a function),
 * whose result the page type does not tell.
 * @example
 * ```ts
 * type Status = SearchResult<DescribeTableCommandOutput, 'Table.TableStatus'>; // TableStatus | null
 * type Rows = SearchResult<ScanCommandOutput, 'Items'>; // Record<string, AttributeValue> | null
 * type Ids = SearchResult<DescribeInstancesCommandOutput, 'Reservations[].Instances[].InstanceId'>; // unknown
 * ```
 */
export type SearchResult<Page, Expression extends string> = string extends Expression
  ? unknown
  : // Not a plain member path: JMESPath's syntax, a member that starts with a digit, or an empty member.
    Expression extends
        | `${string}${'[' | ']' | '*' | '|' | '&' | '(' | ')' | '@' | '"' | "'" | '`' | '?' | '!' | '=' | '<' | '>' | '{' | '}' | ':' | ',' | ' ' | '\\' | '$' | '-'}${string}`
        | `${'0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9'}${string}`
        | ''
        | `.${string}`
        | `${string}.`
        | `${string}..${string}`
    ? unknown
    : unknown extends Page
      ? unknown
      : Page extends null | undefined | readonly unknown[] | string | number | boolean | bigint
        ? null
        : Expression extends `${infer Member}.${infer Rest}`
          ? Member extends keyof Page
            ? SearchResult<Page[Member], Rest>
            : unknown
          : Expression extends keyof Page
            ? Page[Expression] extends infer Value
              ? Value extends readonly (infer Element)[]
                ? Element
                : Value extends undefined
                  ? null
                  : Value
              : never
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

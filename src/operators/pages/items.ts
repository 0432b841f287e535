import { mergeMap, type OperatorFunction } from 'rxjs';
import { compilePaginator, type CompiledPaginator } from '../../specs/compilePaginator';
import { SpecError } from '../../errors/SpecError';
import type { CompiledExpression } from '../../specs/compileExpression';
import type { BoundPaginator, ResultItemOf, ResultPage } from '../../specs/bound';
import type { PaginatorSpec } from '../../specs/types';

/**
 * Flattens pages into the items of one result key: botocore's `ResultKeyIterator`.
 *
 * A second argument names which of the spec's result keys to take; by
 * default the first, the one `maxItems` counts. A list yields its elements,
 * any other value is one item (`items(Scan, 'Count')` yields each page's
 * count), and a page without the key yields nothing.
 *
 * With a bound spec (`dynamodb.Scan`) both are typed: the key must be one of
 * the spec's result keys, the items are what that key holds, and the pages
 * must be ones that declare the key, so piping another paginator's pages
 * (`paginate(ListTables, …).pipe(items(Scan))`, which would yield nothing) is
 * a compile error.
 *
 * @param spec The paginator the pages came from.
 * @param resultKey One of the spec's `result_key` entries, as written there. @default the first
 * @throws {SpecError} at once, when the spec has no such result key.
 *
 * @example
 * ```ts
 * paginate(Scan, client, { TableName: 'music' })
 *   .pipe(items(Scan), take(10))
 *   .subscribe((item) => console.log(item)); // Record<string, AttributeValue>
 * paginate(Scan, client, { TableName: 'music' })
 *   .pipe(items(Scan, 'Count'), reduce((a, b) => a + b, 0))
 *   .subscribe((count) => console.log(count)); // number
 * ```
 */
export function items<Item = unknown>(
  spec: PaginatorSpec | CompiledPaginator<unknown, unknown>,
  resultKey?: string,
): OperatorFunction<unknown, Item>;
export function items<I, O, Item, Keys extends string>(
  spec: BoundPaginator<I, O, Item, unknown, Keys>,
): OperatorFunction<ResultPage<O, Keys>, Item>;
export function items<I, O, Keys extends string, K extends Keys>(
  spec: BoundPaginator<I, O, unknown, unknown, Keys>,
  resultKey: K,
): OperatorFunction<ResultPage<O, K>, ResultItemOf<O, K>>;
export function items<Item = unknown>(
  spec: PaginatorSpec | CompiledPaginator<unknown, unknown> | BoundPaginator<unknown, unknown, unknown, unknown, string>,
  resultKey?: string,
): OperatorFunction<unknown, Item> {
  const paginator = compilePaginator(spec);
  const key = resultKey === undefined ? paginator.resultKeys[0] : paginator.resultKeys.find((k) => k.source === resultKey);
  if (!key) {
    const known = paginator.resultKeys.map((k) => k.source).join(', ') || 'none';
    throw new SpecError(
      'result_key',
      `has no ${resultKey === undefined ? 'entry' : JSON.stringify(resultKey)} (result keys: ${known})`,
    );
  }
  return mergeMap((page) => itemsOf(key, page) as Item[]);
}

/**
 * The items a page holds under a result key: the elements of a list, a
 * scalar as one item (not its characters), nothing for a missing key.
 * @example
 * ```ts
 * itemsOf(compilePaginator(Scan).resultKeys[0]!, { Items: [a, b] }); // [a, b]
 * ```
 * @internal
 */
export function itemsOf(key: CompiledExpression, page: unknown): readonly unknown[] {
  const found = key.search(page);
  return Array.isArray(found) ? found : found === null || found === undefined ? [] : [found];
}

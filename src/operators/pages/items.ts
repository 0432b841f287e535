import { mergeMap, type OperatorFunction } from 'rxjs';
import { compilePaginator, type CompiledPaginator } from '../../specs/compilePaginator';
import { SpecError } from '../../errors/SpecError';
import type { BoundPaginator } from '../../specs/bound';
import type { PaginatorSpec } from '../../specs/types';

/**
 * Flattens pages into the items of one result key: botocore's `ResultKeyIterator`.
 *
 * A second argument names which of the spec's result keys to take; by
 * default the first, the one `maxItems` counts.
 *
 * @param spec The paginator the pages came from.
 *
 * @example
 * ```ts
 * paginate(scanSpec, send, { TableName: 'music' })
 *   .pipe(items(scanSpec), take(10))
 *   .subscribe((item) => console.log(item));
 * ```
 */
export function items<I, O, Item>(spec: BoundPaginator<I, O, Item>): OperatorFunction<O, Item>;
export function items<Item = unknown>(
  spec: PaginatorSpec | CompiledPaginator<unknown, unknown>,
  resultKey?: string,
): OperatorFunction<unknown, Item>;
export function items<Item = unknown>(
  spec: PaginatorSpec | CompiledPaginator<unknown, unknown> | BoundPaginator<unknown, unknown, unknown>,
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
  return mergeMap((page) => {
    const found = key.search(page);
    // A scalar where a list was expected is still a result: one item, not its characters.
    return (Array.isArray(found) ? found : found === null || found === undefined ? [] : [found]) as Item[];
  });
}

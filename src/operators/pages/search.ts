import { mergeMap, type OperatorFunction } from 'rxjs';
import { compileExpression } from '../../specs/compileExpression';

/**
 * Applies a JMESPath expression to every page: botocore's `PageIterator.search`.
 * A list result is emitted item by item; any other result (`null` included)
 * is emitted as it is. The expression is parsed once, here.
 *
 * @example
 * ```ts
 * paginate(describeInstancesSpec, send, {})
 *   .pipe(search('Reservations[].Instances[].InstanceId'))
 *   .subscribe((id) => console.log(id));
 * ```
 */
export function search<T = unknown>(expression: string): OperatorFunction<unknown, T> {
  const compiled = compileExpression(expression, 'expression');
  return mergeMap((page) => {
    const found = compiled.search(page);
    return (Array.isArray(found) ? found : [found]) as T[];
  });
}

import { mergeMap, type OperatorFunction } from 'rxjs';
import { compileExpression } from '../../specs/compileExpression';
import { fullJmespath } from '../../specs/fullJmespath';

/**
 * Applies a JMESPath expression to every page: botocore's `PageIterator.search`.
 * A list result is emitted item by item; any other result (`null` included)
 * is emitted as it is. The expression is parsed once, here. An evaluation that
 * does more than `JMESPATH_STEP_LIMIT` (1,000,000) steps of work on one page
 * errors with a SpecError naming the expression.
 *
 * @example
 * ```ts
 * paginate(describeInstancesSpec, send, {})
 *   .pipe(search('Reservations[].Instances[].InstanceId'))
 *   .subscribe((id) => console.log(id));
 * ```
 */
export function search<T = unknown>(expression: string): OperatorFunction<unknown, T> {
  const compiled = compileExpression(expression, 'expression', fullJmespath);
  return mergeMap((page) => {
    const found = compiled.search(page);
    return (Array.isArray(found) ? found : [found]) as T[];
  });
}

import { isPlainRecord } from '../util/isPlainRecord';

/**
 * A DynamoDB read request as the governor sends it: with
 * `ReturnConsumedCapacity`, so that its answer says what it cost. The
 * caller's own `TOTAL` or `INDEXES` is kept; otherwise (`NONE`, or nothing)
 * a copy asks for `TOTAL`, and `added` says the answer's `ConsumedCapacity`
 * is the governor's, to be taken out again.
 * @example
 * ```ts
 * askForConsumedCapacity({ TableName: 'music' }); // { input: { TableName: 'music', ReturnConsumedCapacity: 'TOTAL' }, added: true }
 * ```
 * @internal
 */
export function askForConsumedCapacity(input: Record<string, unknown>): { input: Record<string, unknown>; added: boolean } {
  const asked = input['ReturnConsumedCapacity'];
  if (asked === 'TOTAL' || asked === 'INDEXES') return { input, added: false };
  return { input: { ...input, ReturnConsumedCapacity: 'TOTAL' }, added: true };
}

/**
 * The read capacity units an answer consumed (`ConsumedCapacity.CapacityUnits`,
 * summed over a list), or undefined when it does not say.
 * @internal
 */
export function consumedUnits(output: unknown): number | undefined {
  if (!isPlainRecord(output)) return undefined;
  const consumed = output['ConsumedCapacity'];
  let total: number | undefined;
  for (const entry of Array.isArray(consumed) ? consumed : [consumed]) {
    const units = isPlainRecord(entry) ? entry['CapacityUnits'] : undefined;
    if (typeof units === 'number' && Number.isFinite(units) && units >= 0) total = (total ?? 0) + units;
  }
  return total;
}

/** The table a request reads (`TableName`), if it names one. @internal */
export function tableOf(input: unknown): string | undefined {
  if (!isPlainRecord(input)) return undefined;
  const name = input['TableName'];
  return typeof name === 'string' ? name : undefined;
}

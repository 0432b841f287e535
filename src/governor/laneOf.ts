import { isBound } from '../specs/bound';
import { isPlainRecord } from '../util/isPlainRecord';
import type { LaneId } from './Governor';

/**
 * The service and operation a spec sends to, as far as it tells: a bound
 * spec's `service.serviceId` and its `operation` (`dynamodb.Scan`), its
 * waiter spec's `operation`, or its command's name (`ScanCommand`); a
 * compiled paginator's `operation`; a botocore waiter spec's `operation`.
 * A paginator spec of one's own tells nothing.
 * @example
 * ```ts
 * laneOf(dynamodb.Scan); // { service: 'DynamoDB', operation: 'Scan' }
 * laneOf({ input_token: 'NextToken', output_token: 'NextToken' }); // {}
 * ```
 * @internal
 */
export function laneOf(spec: unknown): LaneId {
  if (!isPlainRecord(spec)) return {};
  if (!isBound(spec)) return qualified(spec['operation']);
  const named = qualified((spec as { operation?: unknown }).operation);
  const inner = qualified((spec.spec as { operation?: unknown }).operation);
  const { name } = spec.command;
  const operation =
    named.operation ?? inner.operation ?? (name.endsWith('Command') && name.length > 7 ? name.slice(0, -7) : undefined);
  const service = spec.service?.serviceId ?? named.service;
  return { ...(service !== undefined && { service }), ...(operation !== undefined && { operation }) };
}

/** `dynamodb.Scan` as its service and operation; `DescribeTable` as an operation alone. */
function qualified(operation: unknown): LaneId {
  if (typeof operation !== 'string' || operation === '') return {};
  const dot = operation.lastIndexOf('.');
  return dot < 0 ? { operation } : { service: operation.slice(0, dot), operation: operation.slice(dot + 1) };
}

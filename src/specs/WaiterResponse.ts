import { isPlainRecord } from '../util/isPlainRecord';

/**
 * What one waiter attempt produced, as acceptors see it: the request input and
 * either the output (`ok: true`) or the error the call failed with.
 * @example
 * ```ts
 * const notFound: WaiterResponse = { ok: false, input: { TableName: 't' }, error: new ResourceNotFoundException({ message: 'gone', $metadata: {} }) };
 * ```
 */
export type WaiterResponse<I = unknown, O = unknown> =
  | { readonly ok: true; readonly input: I; readonly output: O }
  | { readonly ok: false; readonly input: I; readonly error: unknown };

/**
 * `$metadata.httpStatusCode` of an SDK v3 output or service exception.
 * Undefined, never a throw, for a value whose members cannot be read (a
 * throwing getter, a revoked Proxy): errors come from anywhere.
 * @internal
 */
export function statusOf(response: WaiterResponse): number | undefined {
  const source = response.ok ? response.output : response.error;
  if (typeof source !== 'object' || source === null) return undefined;
  try {
    const metadata = (source as { $metadata?: unknown }).$metadata;
    if (!isPlainRecord(metadata)) return undefined;
    const status = metadata['httpStatusCode'];
    return typeof status === 'number' ? status : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The codes a failed call answers to, its wire code first: what `error` and
 * `errorType` acceptors compare with. Of an SDK v3 exception, two members:
 *
 * - `Error.Code`, the code on the wire, which SDK v3 keeps there for the query,
 *   EC2 and REST-XML protocols and for JSON services in query-compatible mode
 *   (`ClusterNotFound`, `AWS.SimpleQueueService.NonExistentQueue`);
 * - `name`, the modelled exception (`ClusterNotFoundFault`), which on JSON,
 *   REST-JSON and S3, and for every code the SDK does not model, is the wire
 *   code itself.
 *
 * Its top-level `Code` and `code` are not read: on REST-JSON services (Backup,
 * Chime) they are modelled members holding data. Of any other error, one whose
 * `name` is missing or the generic `Error` (a Node error, a plain object), its
 * `Code`, else its `code`. Empty, never a throw, for an error whose members
 * cannot be read.
 * @internal
 */
export function errorCodesOf(error: unknown): readonly string[] {
  if (typeof error !== 'object' || error === null) return typeof error === 'string' ? [error] : [];
  let name: unknown, Code: unknown, code: unknown, wire: unknown;
  try {
    ({ name, Code, code } = error as { name?: unknown; Code?: unknown; code?: unknown });
    const envelope = (error as { Error?: unknown }).Error;
    if (typeof envelope === 'object' && envelope !== null) wire = (envelope as { Code?: unknown }).Code;
  } catch {
    return [];
  }
  const codes = typeof wire === 'string' ? [wire] : [];
  const own = typeof name === 'string' && name !== 'Error' ? name : typeof Code === 'string' ? Code : code;
  if (typeof own === 'string' && own !== wire) codes.push(own);
  if (codes.length === 0 && typeof name === 'string') codes.push(name);
  return codes;
}

/**
 * The service error code of a failed call as botocore names it, the wire code
 * where the exception carries one ({@link errorCodesOf}'s first).
 * @internal
 */
export function errorCodeOf(error: unknown): string | undefined {
  return errorCodesOf(error)[0];
}

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
 * The service error code of a failed call: an SDK v3 exception's `name`, or
 * the `Code` / `code` of errors that carry it there. Undefined, never a
 * throw, for an error whose members cannot be read.
 * @internal
 */
export function errorCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return typeof error === 'string' ? error : undefined;
  let name: unknown, Code: unknown, code: unknown;
  try {
    ({ name, Code, code } = error as { name?: unknown; Code?: unknown; code?: unknown });
  } catch {
    return undefined;
  }
  if (typeof name === 'string' && name !== 'Error') return name;
  if (typeof Code === 'string') return Code;
  if (typeof code === 'string') return code;
  return typeof name === 'string' ? name : undefined;
}

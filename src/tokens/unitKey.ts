import type { CompiledPaginator } from '../specs/compilePaginator';
import { sha256 } from '../util/sha256';
import { bytesToBase64 } from './base64';
import { canonicalJson } from './canonicalJson';

/**
 * What a page or an item is, as text, for {@link unitKey}: the same for the
 * same page in any run, different for another.
 * @internal
 */
export type UnitIdentity =
  /** A page, or the item at `offset` of it, by the tokens it was requested with and the token that follows it. */
  | { readonly kind: 'page' | 'item'; readonly start: string | null; readonly end: string | null; readonly offset: number }
  /** An item by the tokens that resume right after it (DynamoDB: its key), whatever page it came on. */
  | { readonly kind: 'item-key'; readonly tokens: string };

/**
 * A page's or item's key: 128 bits of SHA-256 over the query (`scope`) and
 * what the unit is, in base64url (22 characters). It is made of content, not
 * of positions: a page whose boundaries moved (an item deleted before it, a
 * new page size) gets another key, so it is done again rather than skipped.
 * @param scope {@link queryScope} of the run, so that two queries' pages never share a key.
 * @example
 * ```ts
 * unitKey(scope, { kind: 'page', start: null, end: 'eyJFeGNsdXNpdmVTdGFydEtleSI6…', offset: 0 }); // 'q0dB7k…' (22 characters)
 * ```
 * @internal
 */
export function unitKey(scope: string, unit: UnitIdentity): string {
  const text =
    unit.kind === 'item-key'
      ? JSON.stringify([scope, unit.kind, unit.tokens])
      : JSON.stringify([scope, unit.kind, unit.start, unit.end, unit.offset]);
  return bytesToBase64(sha256(text).subarray(0, 16)).replace(/[+/=]/g, (c) => (c === '+' ? '-' : c === '/' ? '_' : ''));
}

/**
 * The query a key is for: the operation (when the spec is bound to one), the
 * paginator's tokens and result key, and the input without its token members.
 * @throws {PaginationError} for an input that cannot be spelled (a function, a cycle).
 * @example
 * ```ts
 * queryScope(compilePaginator(Scan), { TableName: 'music' }); // '{"input":{"TableName":"music"},…}'
 * ```
 * @internal
 */
export function queryScope(paginator: CompiledPaginator<unknown, unknown>, input: unknown): string {
  const rest: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const name of paginator.inputTokens) delete rest[name];
  return canonicalJson(
    {
      operation: paginator.operation ?? null,
      inputTokens: paginator.inputTokens,
      resultKey: paginator.resultKeys[0]?.source ?? null,
      input: rest,
    },
    'The input (the scope of page keys)',
  );
}

/**
 * Seals resume tokens so that a client holding one can neither edit it nor
 * replay it against another query. `scope` names the operation (when the
 * paginator is bound to one) and the paginator, and holds the request's input
 * without its token members, as canonical JSON that tells apart every value
 * (`NaN` from `null`, a `Set`'s members, bytes from look-alike objects): a
 * token is only good for the query it was issued for. `rxjs-aws/signing` has
 * an HMAC implementation.
 *
 * @example
 * ```ts
 * import { hmacTokenSigner } from 'rxjs-aws/signing';
 * const signer: TokenSigner = hmacTokenSigner([process.env.TOKEN_KEY!]);
 * fullResult(Scan, client, { TableName }, { maxItems: 50, startingToken: fromBrowser, signer });
 * ```
 */
export interface TokenSigner {
  /** The token sealed for `scope`. */
  sign(token: string, scope: string): string;
  /** The token inside `sealed`; throws a PaginationError if it was not sealed, by an accepted key, for `scope`. */
  verify(sealed: string, scope: string): string;
}

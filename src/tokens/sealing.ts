import type { CompiledPaginator } from '../specs/compilePaginator';
import { PaginationError } from '../errors/PaginationError';
import { canonicalJson } from './canonicalJson';
import { encodeResumeToken, type ResumePoint } from './resumeToken';
import type { TokenSigner } from './TokenSigner';

/** Sealing and opening tokens for one query; both are plain when there is no signer. @internal */
export interface Sealing {
  readonly seal: ((token: string) => string) | undefined;
  readonly open: (token: string) => string;
  /** The token to hand out for `point`: encoded, and sealed when there is a signer (for errors built with one). */
  readonly token: (point: ResumePoint) => string;
}

/**
 * The signer's seal for this query, and the opener of sealed starting tokens.
 * A sealed token is bound to the query: the operation (`paginator.operation`,
 * when it is bound to one), the paginator's tokens and keys, and the input
 * without its token members. With a signer, an input that carries a token
 * member itself is refused: that token would reach the service unverified.
 * An empty starting token is no token, so it is not verified.
 *
 * @example
 * ```ts
 * const { seal, open } = sealing(compilePaginator(Scan), { TableName: 'music' }, hmacTokenSigner([key]));
 * open(seal!(token)) === token; // true, for this query only
 * ```
 * @throws {PaginationError} when the input carries a token member while a signer is given, or cannot be a
 * scope (a function, a cycle, too deep).
 * @internal
 */
export function sealing(
  paginator: CompiledPaginator<unknown, unknown>,
  input: unknown,
  signer: TokenSigner | undefined,
): Sealing {
  if (!signer) return { seal: undefined, open: (token: string) => token, token: encodeResumeToken };
  const rest: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const name of paginator.inputTokens) {
    if (rest[name] !== undefined && rest[name] !== null) {
      throw new PaginationError(
        `The input sets the token member ${JSON.stringify(name)} while a signer is given: pass the token as startingToken, where it is verified`,
      );
    }
    delete rest[name];
  }
  const scope = `${paginatorIdentity(paginator)}\n${canonicalJson(rest, 'The input (the scope of signed tokens)')}`;
  const seal = (token: string) => signer.sign(token, scope);
  return {
    seal,
    open: (token: string) => (token === '' ? token : signer.verify(token, scope)),
    token: (point: ResumePoint) => seal(encodeResumeToken(point)),
  };
}

/** What tells this paginator from another: its operation when bound to one, its token members and keys. */
function paginatorIdentity(paginator: CompiledPaginator<unknown, unknown>): string {
  return JSON.stringify({
    operation: paginator.operation ?? null,
    inputTokens: paginator.inputTokens,
    outputTokens: paginator.outputTokens.map((token) => token.source),
    limitKey: paginator.limitKey ?? null,
    moreResults: paginator.moreResults?.source ?? null,
    resultKeys: paginator.resultKeys.map((key) => key.source),
  });
}

import type { CompiledPaginator } from '../specs/compilePaginator';
import { canonicalJson } from './canonicalJson';
import type { TokenSigner } from './TokenSigner';

/** Sealing and opening tokens for one query; both are plain when there is no signer. @internal */
export interface Sealing {
  readonly seal: ((token: string) => string) | undefined;
  readonly open: (token: string) => string;
}

/**
 * The signer's seal for this query, and the opener of sealed starting tokens.
 * A sealed token is bound to the query: the input without its token members.
 * @internal
 */
export function sealing(
  paginator: CompiledPaginator<unknown, unknown>,
  input: unknown,
  signer: TokenSigner | undefined,
): Sealing {
  if (!signer) return { seal: undefined, open: (token: string) => token };
  const rest: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const name of paginator.inputTokens) delete rest[name];
  const scope = canonicalJson(rest);
  return { seal: (token: string) => signer.sign(token, scope), open: (token: string) => signer.verify(token, scope) };
}

import type { CompiledPaginator } from '../specs/compilePaginator';
import { PaginationError } from '../errors/PaginationError';
import { canonicalJson, MAX_DEPTH } from './canonicalJson';
import { encodeResumeToken, MAX_STARTING_TOKEN_LENGTH, refuseOversizedToken, type ResumePoint } from './resumeToken';
import type { TokenSigner } from './TokenSigner';

/** Sealing and opening tokens for one query; both are plain when there is no signer. @internal */
export interface Sealing {
  /**
   * The input to send: with a signer, a copy taken at the call, the one the scope was computed from, so that a
   * token verified for it is never spent on an input changed since; without one, the input as given.
   */
  readonly input: unknown;
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
 * The input is copied here, member by member, and the scope is computed from
 * the copy, which is the input to send: changing the caller's object after
 * the call (or a getter answering differently the second time) cannot make a
 * token verified for one query read another. An empty starting token is no
 * token, so it is not verified.
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
  if (!signer) return { input, seal: undefined, open: (token: string) => token, token: encodeResumeToken };
  const snapshot = copyOf(input, []);
  const rest: Record<string, unknown> = { ...(snapshot as Record<string, unknown>) };
  for (const name of paginator.inputTokens) {
    if (rest[name] !== undefined && rest[name] !== null) {
      throw new PaginationError(
        `The input sets the token member ${JSON.stringify(name)} while a signer is given: pass the token as startingToken, where it is verified`,
      );
    }
    delete rest[name];
  }
  const scope = `${paginatorIdentity(paginator)}\n${canonicalJson(rest, 'The input (the scope of signed tokens)')}`;
  const seal = (token: string) => {
    const sealed = signer.sign(token, scope);
    if (sealed.length > MAX_STARTING_TOKEN_LENGTH) {
      throw new PaginationError(
        `The resume token cannot be written: sealed, it is ${sealed.length} characters long, and a starting token may have at most ${MAX_STARTING_TOKEN_LENGTH}`,
      );
    }
    return sealed;
  };
  return {
    input: snapshot,
    seal,
    open: (token: string) => {
      if (token === '') return token;
      refuseOversizedToken(token); // before the signer decodes and hashes it
      return signer.verify(token, scope);
    },
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

/**
 * A copy of `value` that keeps every type the SDK serializes (a Uint8Array or Buffer, a Date, a Set or Map, a
 * class instance such as lib-dynamodb's NumberValue, with its prototype and its own fields), read once. A cycle,
 * or nesting deeper than `MAX_DEPTH`, is left as it is: `canonicalJson` then names it.
 */
function copyOf(value: unknown, above: object[]): unknown {
  if (typeof value !== 'object' || value === null || above.includes(value) || above.length > MAX_DEPTH) return value;
  if (Object.prototype.toString.call(value) === '[object Uint8Array]') return Uint8Array.prototype.slice.call(value);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value; // canonicalJson refuses these
  if (value instanceof Date) return new Date(value.getTime());
  above.push(value);
  let copy: object;
  if (Array.isArray(value)) copy = Array.from(value, (item) => copyOf(item, above));
  else if (value instanceof Set) copy = new Set(Array.from(value, (item) => copyOf(item, above)));
  else if (value instanceof Map) copy = new Map(Array.from(value, ([k, v]) => [copyOf(k, above), copyOf(v, above)]));
  else {
    const record: Record<string, unknown> = Object.create(Object.getPrototypeOf(value) as object | null) as Record<
      string,
      unknown
    >;
    for (const key of Object.keys(value)) {
      Object.defineProperty(record, key, {
        value: copyOf((value as Record<string, unknown>)[key], above),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    copy = record;
  }
  above.pop();
  return copy;
}

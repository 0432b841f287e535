import { createHmac, timingSafeEqual } from 'node:crypto';
import { PaginationError } from '../errors/PaginationError';
import { SpecError } from '../errors/SpecError';
import { describeValue } from '../util/describeValue';
import type { TokenSigner } from './TokenSigner';

const PREFIX = 'rxaws1.';

/**
 * A {@link TokenSigner} using HMAC-SHA256 (node:crypto). The first key signs;
 * every key verifies, so keys can be rotated: put the new key first and keep
 * the old one until the tokens it signed have expired from your clients.
 * Sealed tokens look like `rxaws1.<token>.<mac>` (base64url parts, accepted
 * only exactly as written: no junk characters, padding or spare bits); unsigned
 * botocore tokens are refused where a signer is given.
 *
 * @param keys Secrets of at least 32 bytes, newest first.
 * @example
 * ```ts
 * const signer = hmacTokenSigner([process.env.TOKEN_KEY_2026!, process.env.TOKEN_KEY_2025!]);
 * const page = await lastValueFrom(fullResult(Scan, client, { TableName }, { maxItems: 25, signer }));
 * res.json({ items: page.Items, next: page.NextToken }); // tamper-proof, and only good for this query
 * ```
 */
export function hmacTokenSigner(keys: readonly (string | Uint8Array)[]): TokenSigner {
  // Messages say what a key is, never what it says: they end up in logs.
  if (!Array.isArray(keys)) {
    throw new SpecError('keys', `expected a list of keys (strings or Uint8Arrays), got ${kindOf(keys)}; pass [key]`);
  }
  if (keys.length === 0) throw new SpecError('keys', 'at least one key is needed');
  const secrets = Array.from(keys, (key: unknown, i) => {
    const bytes =
      typeof key === 'string'
        ? Buffer.from(key, 'utf8')
        : Object.prototype.toString.call(key) === '[object Uint8Array]'
          ? Buffer.from(key as Uint8Array)
          : undefined;
    if (bytes === undefined) throw new SpecError(`keys[${i}]`, `expected a string or a Uint8Array, got ${kindOf(key)}`);
    if (bytes.length < 32) throw new SpecError(`keys[${i}]`, `a key needs at least 32 bytes, got ${bytes.length}`);
    return bytes;
  });
  const mac = (secret: Buffer, token: string, scope: string) =>
    createHmac('sha256', secret).update(`rxjs-aws resume token\n${scope}\n${token}`).digest();
  return {
    sign(token, scope) {
      return `${PREFIX}${Buffer.from(token, 'utf8').toString('base64url')}.${mac(secrets[0]!, token, scope).toString('base64url')}`;
    },
    verify(sealed, scope) {
      const parts = sealed.startsWith(PREFIX) ? sealed.slice(PREFIX.length).split('.') : [];
      if (parts.length !== 2)
        throw new PaginationError(
          'Bad starting token: it is not a signed token (a signer was given, so unsigned tokens are refused)',
        );
      const [body, given] = parts.map((part) => Buffer.from(part, 'base64url')) as [Buffer, Buffer];
      // Node skips characters outside the alphabet, and padding and spare bits would let many texts spell one
      // token: only the text sign() writes is accepted.
      if (body.toString('base64url') !== parts[0] || given.toString('base64url') !== parts[1]) {
        throw new PaginationError('Bad starting token: it is not one a signer wrote (characters outside base64url, or altered)');
      }
      const token = body.toString('utf8');
      const valid = secrets.some((secret) => {
        const expected = mac(secret, token, scope);
        return expected.length === given.length && timingSafeEqual(expected, given);
      });
      if (!valid) {
        throw new PaginationError(
          'Bad starting token: its signature does not match; it was altered, signed with a key no longer accepted, or issued for another query',
        );
      }
      return token;
    },
  };
}

/** What a key argument is, without its value. */
function kindOf(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  return typeof value === 'object' ? describeValue(value) : `a ${typeof value}`;
}

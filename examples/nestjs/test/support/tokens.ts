/**
 * Resume tokens as a client sees them, and as a client could edit them. The
 * app's tokens are sealed: `rxaws1.<base64url of the botocore token>.<base64url
 * of the HMAC>`, where the botocore token is base64 of JSON
 * (`{"ExclusiveStartKey": …}`). Sealing does not hide the token: anyone can
 * read it, only the app's keys can make a mac that fits it.
 */
import { firstValueFrom, of } from 'rxjs';
import { compilePaginator, paginate, resumeTokenOf, type TokenSigner } from 'rxjs-aws';
import { Scan } from 'rxjs-aws/dynamodb';
import { hmacTokenSigner } from 'rxjs-aws/signing';
import type { TokenKeys } from './testApp';

/** A sealed token: the prefix, the token, and a mac of 32 bytes (43 base64url characters). */
export const SEALED_TOKEN = /^rxaws1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/;

/** A botocore-format token, as botocore and the AWS CLI make them, and as the app seals them: base64 of the JSON. */
export const botocoreToken = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64');

/** The botocore token inside a sealed token, decoded, and its mac: what any client can read from it, without a key. */
export function unseal(sealed: string): { inner: any; mac: string } {
  const match = /^rxaws1\.([^.]+)\.([^.]+)$/.exec(sealed);
  if (!match) throw new Error(`not a sealed token: ${sealed}`);
  const botocore = Buffer.from(match[1]!, 'base64url').toString('utf8');
  return { inner: JSON.parse(Buffer.from(botocore, 'base64').toString('utf8')), mac: match[2]! };
}

/** `sealed` with the botocore token of `inner` in place of its own and its mac kept: a client's forgery. */
export function tampered(sealed: string, inner: unknown): string {
  return `rxaws1.${Buffer.from(botocoreToken(inner)).toString('base64url')}.${unseal(sealed).mac}`;
}

/**
 * The botocore token of `inner`, sealed with `keys` for a Scan of `TableName`
 * as the app seals its own: for tokens the app could have handed out, though
 * it hands out other ones (e.g. before the table was re-created with another
 * key). The scope it is bound to comes from rxjs-aws itself, not from this
 * test: a Scan over a stub DynamoDB, whose signer seals `inner` in place of
 * the token it is given.
 */
export async function sealedForScan(keys: TokenKeys, TableName: string, inner: unknown): Promise<string> {
  const signer = hmacTokenSigner(keys);
  const substitute: TokenSigner = {
    sign: (_token, scope) => signer.sign(botocoreToken(inner), scope),
    verify: (token, scope) => signer.verify(token, scope),
  };
  const stubScan = () => of({ Items: [], LastEvaluatedKey: { pk: { S: 'any' } } });
  // The bound Scan, compiled: its scope names the operation, as the app's tokens do.
  const page = await firstValueFrom(paginate(compilePaginator(Scan), stubScan as never, { TableName }, { signer: substitute }));
  return resumeTokenOf(page)!;
}

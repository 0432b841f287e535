import { lastValueFrom, of, take, toArray } from 'rxjs';
import { fullResult, paginate, PaginationError, resumeTokenOf, SpecError, type Send } from '../../src';
import { hmacTokenSigner } from '../../src/signing';

const KEY_2026 = 'k'.repeat(32);
const KEY_2025 = 'o'.repeat(32);
const scope = JSON.stringify({ TableName: 'tenant-a' });

type Input = { TableName: string; ExclusiveStartKey?: Record<string, { S: string }> };
type Page = { Items: number[]; LastEvaluatedKey?: Record<string, { S: string }> };
const spec = { input_token: 'ExclusiveStartKey', output_token: 'LastEvaluatedKey', result_key: 'Items', limit_key: 'Limit' };
const send: Send<Input, Page> = (input) => {
  const n = input.ExclusiveStartKey ? Number(input.ExclusiveStartKey.pk!.S) : 0;
  return of({ Items: [n], ...(n < 5 && { LastEvaluatedKey: { pk: { S: String(n + 1) } } }) });
};

describe('hmacTokenSigner', () => {
  const signer = hmacTokenSigner([KEY_2026]);

  it('opens what it sealed, for the same scope', () => {
    const sealed = signer.sign('eyJOZXh0VG9rZW4iOiAiYSJ9', scope);
    expect(sealed).toMatch(/^rxaws1\.[\w-]+\.[\w-]+$/);
    expect(signer.verify(sealed, scope)).toBe('eyJOZXh0VG9rZW4iOiAiYSJ9');
  });

  it('refuses a tampered token, a tampered mac, another scope and an unsigned token', () => {
    const sealed = signer.sign('token', scope);
    const [prefix, body, mac] = sealed.split('.');
    const edited = `${prefix}.${Buffer.from('t0ken').toString('base64url')}.${mac}`;
    expect(() => signer.verify(edited, scope)).toThrow(/signature does not match/);
    expect(() => signer.verify(`${prefix}.${body}.${mac!.slice(1)}A`, scope)).toThrow(PaginationError);
    expect(() => signer.verify(sealed, JSON.stringify({ TableName: 'tenant-b' }))).toThrow(/another query/);
    expect(() => signer.verify('eyJOZXh0VG9rZW4iOiAiYSJ9', scope)).toThrow(/not a signed token/);
  });

  it('rotates keys: the first signs, all verify, a dropped key no longer does', () => {
    const old = hmacTokenSigner([KEY_2025]).sign('token', scope);
    const rotated = hmacTokenSigner([KEY_2026, KEY_2025]);
    expect(rotated.verify(old, scope)).toBe('token');
    expect(rotated.sign('token', scope)).toBe(signer.sign('token', scope));
    expect(() => signer.verify(old, scope)).toThrow(PaginationError);
  });

  it('wants at least one key of 32 bytes', () => {
    expect(() => hmacTokenSigner([])).toThrow(SpecError);
    expect(() => hmacTokenSigner(['short'])).toThrow(/32 bytes/);
  });
});

describe('paginate and fullResult with a signer', () => {
  const signer = hmacTokenSigner([KEY_2026]);

  it('hands out sealed tokens that resume the same query, and nothing else', async () => {
    const first = await lastValueFrom(paginate(spec, send, { TableName: 'tenant-a' }, { signer }).pipe(take(2), toArray()));
    const token = resumeTokenOf(first[1]!)!;
    expect(token).toMatch(/^rxaws1\./);
    const rest = await lastValueFrom(
      paginate(spec, send, { TableName: 'tenant-a' }, { signer, startingToken: token }).pipe(toArray()),
    );
    expect(rest.map((p) => p.Items[0])).toEqual([2, 3, 4, 5]);
    await expect(
      lastValueFrom(paginate(spec, send, { TableName: 'tenant-b' }, { signer, startingToken: token })),
    ).rejects.toThrow(/another query/);
  });

  it('rejects an edited ExclusiveStartKey pointing into another partition', async () => {
    const { NextToken } = await lastValueFrom(fullResult(spec, send, { TableName: 'tenant-a' }, { signer, maxItems: 2 }));
    const [prefix, body, mac] = NextToken!.split('.');
    const inner = Buffer.from(body!, 'base64url').toString('utf8');
    const forged = Buffer.from(Buffer.from(inner, 'base64').toString('utf8').replace('"2"', '"tenant-b#9"')).toString('base64');
    const tampered = `${prefix}.${Buffer.from(forged).toString('base64url')}.${mac}`;
    await expect(
      lastValueFrom(fullResult(spec, send, { TableName: 'tenant-a' }, { signer, startingToken: tampered })),
    ).rejects.toThrow(PaginationError);
    await expect(
      lastValueFrom(fullResult(spec, send, { TableName: 'tenant-a' }, { signer, startingToken: inner })),
    ).rejects.toThrow(/not a signed token/);
    const rest = await lastValueFrom(fullResult(spec, send, { TableName: 'tenant-a' }, { signer, startingToken: NextToken }));
    expect(rest.Items).toEqual([2, 3, 4, 5]);
  });

  it('seals the resume token that an error carries', async () => {
    let calls = 0;
    const failing: Send<Input, Page> = (input) =>
      ++calls === 3
        ? Promise.reject(new Error('boom'))
        : lastValueFrom(send(input, { abortSignal: new AbortController().signal }) as never);
    const error = await lastValueFrom(paginate(spec, failing, { TableName: 'tenant-a' }, { signer })).catch((e: unknown) => e);
    expect(signer.verify(resumeTokenOf(error)!, scope)).toBeTruthy();
  });
});

import vm from 'node:vm';
import { lastValueFrom, of, take, toArray } from 'rxjs';
import { compilePaginator, fullResult, paginate, PaginationError, resumeTokenOf, SpecError, type Send } from '../../src';
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

  it('refuses junk characters, padding and spare bits, which Node would skip', () => {
    const sealed = signer.sign('eyJOZXh0VG9rZW4iOiAiYSJ9', scope);
    const [, body, mac] = sealed.split('.') as [string, string, string];
    const spare = mac.slice(0, -1) + String.fromCharCode(mac.charCodeAt(42) + 1); // 43 chars: the last holds 2 spare bits
    for (const forged of [
      `rxaws1.${body.slice(0, 5)}!${body.slice(5)}.${mac}`,
      `rxaws1.${body} .${mac}`,
      `rxaws1.${body}.${mac}=`,
      `rxaws1.${body}.${mac.slice(0, 10)}\n${mac.slice(10)}`,
      `rxaws1.${body}.${spare}`,
    ]) {
      expect(() => signer.verify(forged, scope)).toThrow(
        new PaginationError('Bad starting token: it is not one a signer wrote (characters outside base64url, or altered)'),
      );
    }
    expect(Buffer.from(spare, 'base64url').equals(Buffer.from(mac, 'base64url'))).toBe(true);
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

  it.each([
    [null, 'keys', 'expected a list of keys (strings or Uint8Arrays), got null; pass [key]'],
    [undefined, 'keys', 'expected a list of keys (strings or Uint8Arrays), got undefined; pass [key]'],
    [KEY_2026, 'keys', 'expected a list of keys (strings or Uint8Arrays), got a string of 32 characters; pass [key]'],
    [[12345], 'keys[0]', 'expected a string or a Uint8Array, got a number'],
    [[KEY_2026, { key: KEY_2026 }], 'keys[1]', 'expected a string or a Uint8Array, got an object'],
    [[KEY_2026, null], 'keys[1]', 'expected a string or a Uint8Array, got null'],
  ])('refuses %p with a SpecError naming the argument, never a TypeError, and never showing the key', (keys, field, problem) => {
    let error: unknown;
    try {
      hmacTokenSigner(keys as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect(error).toMatchObject({ field, problem });
    expect((error as Error).message).not.toContain(KEY_2026);
  });

  it('takes a Buffer or a Uint8Array as a key, from any realm', () => {
    const bytes = new Uint8Array(32).fill(7);
    const sealed = hmacTokenSigner([bytes]).sign('t', scope);
    expect(hmacTokenSigner([Buffer.from(bytes)]).verify(sealed, scope)).toBe('t');
    const foreign = vm.runInNewContext('new Uint8Array(32).fill(7)') as Uint8Array;
    expect(hmacTokenSigner([foreign]).verify(sealed, scope)).toBe('t');
  });
});

describe('paginate and fullResult with a signer', () => {
  const signer = hmacTokenSigner([KEY_2026]);

  it('seals the resume token of a token-cycle error like every other token it hands out', async () => {
    // The service sends the same next token forever: the second page is a cycle.
    const looping: Send<Input, Page> = () => of({ Items: [1], LastEvaluatedKey: { pk: { S: '1' } } });
    const error = await lastValueFrom(paginate(spec, looping, { TableName: 'tenant-a' }, { signer }).pipe(toArray())).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PaginationError);
    const { resumeToken } = error as PaginationError;
    expect(resumeToken).toMatch(/^rxaws1\./);
    // It is good for the query it was issued for, and resumes there.
    const resumed = paginate(spec, send, { TableName: 'tenant-a' }, { signer, startingToken: resumeToken! });
    expect((await lastValueFrom(resumed.pipe(take(1)))).Items).toBeDefined();
  });

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
    const token = resumeTokenOf(error)!;
    expect(token).toMatch(/^rxaws1\./);
    const rest = await lastValueFrom(
      paginate(spec, send, { TableName: 'tenant-a' }, { signer, startingToken: token }).pipe(toArray()),
    );
    expect(rest.map((p) => p.Items[0])).toEqual([2, 3, 4, 5]);
  });

  /** A sealed token for `input`'s second page, tried against `other`: the error, or the pages. */
  async function replay(input: Record<string, unknown>, other: Record<string, unknown>, paginator: object = spec) {
    const anySend = send as unknown as Send<Record<string, unknown>, Page>;
    const pages = paginate(paginator as typeof spec, anySend, input, { signer });
    const token = resumeTokenOf((await lastValueFrom(pages.pipe(take(1), toArray())))[0]!)!;
    return lastValueFrom(
      paginate(paginator as typeof spec, anySend, other, { signer, startingToken: token }).pipe(toArray()),
    ).catch((e: unknown) => e);
  }

  it.each([
    ['Set contents', { V: new Set(['a']) }, { V: new Set(['b']) }],
    ['Map contents', { V: new Map([['k', 1]]) }, { V: new Map([['k', 2]]) }],
    ['NaN and null', { V: NaN }, { V: null }],
    ['Infinity and null', { V: Infinity }, { V: null }],
    ['bytes and an object spelled like them', { V: new Uint8Array([1]) }, { V: { $bytes: 'AQ==' } }],
    ['a BigInt and a number', { V: 1n }, { V: 1 }],
    ['a Date and its text', { V: new Date(0) }, { V: '1970-01-01T00:00:00.000Z' }],
  ])('binds a token to the input, telling apart %s', async (_, a, b) => {
    expect(await replay({ TableName: 't', ...a }, { TableName: 't', ...b })).toEqual(
      new PaginationError(
        'Bad starting token: its signature does not match; it was altered, signed with a key no longer accepted, or issued for another query',
      ),
    );
    expect(await replay({ TableName: 't', ...a }, { TableName: 't', ...a })).toHaveLength(5);
  });

  it('a Set or Map in another order is the same query', async () => {
    expect(await replay({ V: new Set(['a', 'b']) }, { V: new Set(['b', 'a']) })).toHaveLength(5);
    expect(
      await replay(
        {
          V: new Map([
            ['a', 1],
            ['b', 2],
          ]),
        },
        {
          V: new Map([
            ['b', 2],
            ['a', 1],
          ]),
        },
      ),
    ).toHaveLength(5);
  });

  it('binds a token to the operation and to the paginator', async () => {
    const compiled = compilePaginator<Record<string, unknown>, Page>(spec);
    const scan = { ...compiled, operation: 'dynamodb.Scan' };
    const query = { ...compiled, operation: 'dynamodb.Query' };
    const input = { TableName: 't' };
    const anySend = send as unknown as Send<Record<string, unknown>, Page>;
    const first = await lastValueFrom(paginate(scan, anySend, input, { signer }).pipe(take(1)));
    const token = resumeTokenOf(first)!;
    await expect(lastValueFrom(paginate(query, anySend, input, { signer, startingToken: token }))).rejects.toThrow(
      /another query/,
    );
    await expect(lastValueFrom(paginate(compiled, anySend, input, { signer, startingToken: token }))).rejects.toThrow(
      /another query/,
    );
    const otherKeys = { ...spec, result_key: 'Other' };
    await expect(lastValueFrom(paginate(otherKeys, anySend, input, { signer, startingToken: token }))).rejects.toThrow(
      /another query/,
    );
    expect(await lastValueFrom(paginate(scan, anySend, input, { signer, startingToken: token }).pipe(toArray()))).toHaveLength(5);
  });

  it('takes the operation from a bound spec that names it', () => {
    class ScanCommand {}
    const bound = { spec, command: ScanCommand, operation: 'dynamodb.Scan' };
    expect(compilePaginator(bound).operation).toBe('dynamodb.Scan');
    expect(compilePaginator({ spec, command: ScanCommand }).operation).toBeUndefined();
  });

  it('refuses an input that carries its own token while a signer is given: it would bypass the signer', async () => {
    const input = { TableName: 'tenant-a', ExclusiveStartKey: { pk: { S: 'tenant-b#9' } } };
    await expect(lastValueFrom(paginate(spec, send, input, { signer }))).rejects.toThrow(
      new PaginationError(
        'The input sets the token member "ExclusiveStartKey" while a signer is given: pass the token as startingToken, where it is verified',
      ),
    );
    await expect(lastValueFrom(fullResult(spec, send, input, { signer }))).rejects.toThrow(PaginationError);
    // Without a signer, a token in the input is the caller's own business, as in botocore.
    expect((await lastValueFrom(paginate(spec, send, input).pipe(toArray()))).length).toBeGreaterThan(0);
    const blank = { TableName: 'tenant-a', ExclusiveStartKey: undefined };
    expect(await lastValueFrom(paginate(spec, send, blank, { signer }).pipe(toArray()))).toHaveLength(6);
  });

  it('reads an empty starting token as no token, with a signer too', async () => {
    expect(
      await lastValueFrom(paginate(spec, send, { TableName: 'a' }, { signer, startingToken: '' }).pipe(toArray())),
    ).toHaveLength(6);
  });

  it('refuses an input that cannot be a scope, naming the member', async () => {
    await expect(lastValueFrom(paginate(spec, send, { TableName: 'a', Hook: () => 1 } as Input, { signer }))).rejects.toThrow(
      new PaginationError(
        'The input (the scope of signed tokens) cannot be used: its member Hook is a function, which has no value to compare',
      ),
    );
  });
});

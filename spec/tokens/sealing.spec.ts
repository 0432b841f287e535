import { lastValueFrom, toArray } from 'rxjs';
import { fullResult, paginate } from '../../src';
import { compilePaginator } from '../../src/specs/compilePaginator';
import { PaginationError } from '../../src/errors/PaginationError';
import { hmacTokenSigner } from '../../src/tokens/hmacTokenSigner';
import { decodeStartingToken, encodeResumeToken } from '../../src/tokens/resumeToken';
import { sealing } from '../../src/tokens/sealing';

const scanSpec = { input_token: 'ExclusiveStartKey', output_token: 'LastEvaluatedKey', result_key: 'Items' };
const scan = compilePaginator(scanSpec);
const signer = hmacTokenSigner(['k'.repeat(32)]);
const point = { ExclusiveStartKey: { pk: { S: 'a' } } };

describe('sealing', () => {
  it('without a signer: plain tokens both ways, and token() is the botocore encoding', () => {
    const plain = sealing(scan, { TableName: 't' }, undefined);
    expect(plain.seal).toBeUndefined();
    expect(plain.open('abc')).toBe('abc');
    expect(plain.token(point)).toBe(encodeResumeToken(point));
  });

  it('with a signer: token() seals what an error carries (the cycle error), and open() takes it back', () => {
    const sealed = sealing(scan, { TableName: 't' }, signer);
    const token = sealed.token(point);
    expect(token).toMatch(/^rxaws1\./);
    expect(decodeStartingToken(sealed.open(token), scan.inputTokens).tokens).toEqual(point);
    expect(() => sealing(scan, { TableName: 'u' }, signer).open(token)).toThrow(/another query/);
  });

  it('refuses a sealed token longer than a starting token may be before the signer reads it', () => {
    const verify = jest.fn(() => 'never');
    const opened = sealing(scan, { TableName: 't' }, { sign: (token) => token, verify });
    expect(() => opened.open(`rxaws1.${'A'.repeat(40_000_000)}.mac`)).toThrow(
      /40000011 characters long, and a starting token may have at most 1048576/,
    );
    expect(verify).not.toHaveBeenCalled();
  });

  it('refuses to seal a token that, sealed, would be longer than a starting token may be', () => {
    const sealed = sealing(scan, { TableName: 't' }, signer);
    const fits = encodeResumeToken({ ExclusiveStartKey: 'x'.repeat(500_000) });
    expect(sealed.open(sealed.seal!(fits))).toBe(fits);
    expect(() => sealed.token({ ExclusiveStartKey: 'x'.repeat(600_000) })).toThrow(
      /^The resume token cannot be written: sealed, it is \d+ characters long, and a starting token may have at most 1048576$/,
    );
  });

  it('reads an empty starting token as no token, unverified', () => {
    expect(sealing(scan, { TableName: 't' }, signer).open('')).toBe('');
  });

  it('refuses an input carrying a token member (null and undefined are no token)', () => {
    expect(() => sealing(scan, { TableName: 't', ExclusiveStartKey: { pk: { S: 'b' } } }, signer)).toThrow(PaginationError);
    expect(() => sealing(scan, { TableName: 't', ExclusiveStartKey: '' }, signer)).toThrow(/"ExclusiveStartKey"/);
    const blank = sealing(scan, { TableName: 't', ExclusiveStartKey: null }, signer);
    expect(blank.open(sealing(scan, { TableName: 't' }, signer).token(point))).toBeTruthy();
  });

  describe('binds the scope to what is sent', () => {
    /** A send that records each request and answers one item, then a token, then the last page. */
    function recording() {
      const sent: Record<string, unknown>[] = [];
      const send = async (input: Record<string, unknown>) => {
        sent.push(input);
        return input['ExclusiveStartKey'] === undefined
          ? { Items: [{ n: 1 }, { n: 2 }], LastEvaluatedKey: { pk: { S: 'a' } } }
          : { Items: [{ n: 3 }] };
      };
      return { sent, send };
    }

    it('sends the input as it was at the call: changing it before subscribing cannot spend a "public" token on "secret"', async () => {
      const { send } = recording();
      const query = () => ({ TableName: 'public', Filter: { Expression: 'visible' } });
      const issued = await lastValueFrom(fullResult(scanSpec, send, query(), { maxItems: 1, signer }));
      const input = query();
      const { sent, send: later } = recording();
      const pages = paginate(scanSpec, later, input, { startingToken: issued.NextToken as string, signer });
      input.TableName = 'secret';
      input.Filter.Expression = 'all';
      await lastValueFrom(pages.pipe(toArray()));
      expect(sent).toHaveLength(2);
      for (const request of sent) expect(request).toMatchObject(query());
    });

    it('reads a getter once: an input answering "public" to the seal and "secret" to the request is sent as "public"', async () => {
      const { send } = recording();
      const issued = await lastValueFrom(fullResult(scanSpec, send, { TableName: 'public' }, { maxItems: 1, signer }));
      let reads = 0;
      const input = {
        get TableName() {
          return reads++ === 0 ? 'public' : 'secret';
        },
      };
      const { sent, send: later } = recording();
      await lastValueFrom(
        paginate(scanSpec, later, input, { startingToken: issued.NextToken as string, signer }).pipe(toArray()),
      );
      expect(sent.map((request) => request['TableName'])).toEqual(['public', 'public']);
    });

    it('copies every type a request may carry, keeping its class: bytes, dates, sets, maps, class instances', () => {
      class NumberValue {
        constructor(readonly value: string) {}
      }
      const input = {
        TableName: 't',
        bytes: Buffer.from('abc'),
        when: new Date(5),
        tags: new Set(['a']),
        map: new Map([['k', [1]]]),
        n: new NumberValue('12'),
        list: [{ a: 1 }],
      };
      const copy = sealing(scan, input, signer).input as typeof input;
      expect(copy).toEqual(input);
      expect(copy).not.toBe(input);
      expect(Buffer.isBuffer(copy.bytes) && copy.bytes !== input.bytes).toBe(true);
      expect(copy.when).toBeInstanceOf(Date);
      expect(copy.tags).not.toBe(input.tags);
      expect(copy.map.get('k')).not.toBe(input.map.get('k'));
      expect(copy.n).toBeInstanceOf(NumberValue);
      expect(copy.list[0]).not.toBe(input.list[0]);
      expect(sealing(scan, input, undefined).input).toBe(input);
    });

    it('still names a cycle in the input', () => {
      const input: Record<string, unknown> = { TableName: 't' };
      input['self'] = input;
      expect(() => sealing(scan, input, signer)).toThrow(/cycle/);
    });
  });
});

import { compilePaginator } from '../../src/specs/compilePaginator';
import { PaginationError } from '../../src/errors/PaginationError';
import { hmacTokenSigner } from '../../src/tokens/hmacTokenSigner';
import { decodeStartingToken, encodeResumeToken } from '../../src/tokens/resumeToken';
import { sealing } from '../../src/tokens/sealing';

const scan = compilePaginator({ input_token: 'ExclusiveStartKey', output_token: 'LastEvaluatedKey', result_key: 'Items' });
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

  it('reads an empty starting token as no token, unverified', () => {
    expect(sealing(scan, { TableName: 't' }, signer).open('')).toBe('');
  });

  it('refuses an input carrying a token member (null and undefined are no token)', () => {
    expect(() => sealing(scan, { TableName: 't', ExclusiveStartKey: { pk: { S: 'b' } } }, signer)).toThrow(PaginationError);
    expect(() => sealing(scan, { TableName: 't', ExclusiveStartKey: '' }, signer)).toThrow(/"ExclusiveStartKey"/);
    const blank = sealing(scan, { TableName: 't', ExclusiveStartKey: null }, signer);
    expect(blank.open(sealing(scan, { TableName: 't' }, signer).token(point))).toBeTruthy();
  });
});

import { base64ToBytes, bytesToBase64, textToBase64 } from '../../src/tokens/base64';
import { decodeStartingToken, encodeResumeToken } from '../../src/tokens/resumeToken';

describe('base64 without Buffer (browsers)', () => {
  const realBuffer = globalThis.Buffer;
  beforeAll(() => {
    // @ts-expect-error: removed on purpose, as in a browser
    delete globalThis.Buffer;
  });
  afterAll(() => {
    globalThis.Buffer = realBuffer;
  });

  it('round-trips bytes of every value, across the chunk size', () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256);
    expect(Array.from(base64ToBytes(bytesToBase64(bytes)))).toEqual(Array.from(bytes));
  });

  it('encodes UTF-8 text the way Node does', () => {
    expect(textToBase64('héllo ✓ 😀')).toBe(realBuffer.from('héllo ✓ 😀', 'utf8').toString('base64'));
  });

  it('carries botocore resume tokens, bytes included', () => {
    const token = encodeResumeToken({ ExclusiveStartKey: { pk: { B: new Uint8Array([1, 2, 255]) } }, boto_truncate_amount: 2 });
    const decoded = decodeStartingToken(token, ['ExclusiveStartKey']);
    expect(decoded.truncate).toBe(2);
    expect(decoded.tokens).toEqual({ ExclusiveStartKey: { pk: { B: new Uint8Array([1, 2, 255]) } } });
  });
});

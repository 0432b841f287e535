import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { sha256 } from '../../src/util/sha256';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const nodeSha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('sha256', () => {
  it('is the FIPS 180-4 digest: the standard vectors, and every padding length around a block', () => {
    expect(hex(sha256('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex(sha256(''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    for (let length = 0; length <= 130; length++) expect(hex(sha256('a'.repeat(length)))).toBe(nodeSha256('a'.repeat(length)));
  });

  it("agrees with node:crypto on any text's UTF-8 bytes", () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => hex(sha256(text)) === nodeSha256(text)));
  });
});

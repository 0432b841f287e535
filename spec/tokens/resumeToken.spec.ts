import fc from 'fast-check';
import { PaginationError } from '../../src/errors/PaginationError';
import { decodeStartingToken, encodeResumeToken, MAX_STARTING_TOKEN_LENGTH } from '../../src/tokens/resumeToken';
import fixtureJson from '../fixtures/resume-tokens.json';

// Produced by botocore itself (see the fixture's "generator"); bytes are tagged as {"$bytes": base64},
// NaN and infinities as {"$float": "NaN" | "Infinity" | "-Infinity"}.
interface Fixture {
  readonly encode: readonly { name: string; token: Record<string, unknown>; encoded: string }[];
  readonly decode: readonly {
    startingToken: string;
    inputTokens: string[];
    botocore: { tokens: Record<string, unknown>; truncate: number } | { error: string };
  }[];
}
const fixture = fixtureJson as unknown as Fixture;

function untag(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untag);
  if (typeof value !== 'object' || value === null) return value;
  const bytes = (value as { $bytes?: string }).$bytes;
  if (typeof bytes === 'string') return new Uint8Array(Buffer.from(bytes, 'base64'));
  const float = (value as { $float?: string }).$float;
  if (typeof float === 'string') return Number(float);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, untag(v)]));
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const json = (token: string): string => Buffer.from(token, 'base64').toString('utf8');

function rejection(token: string, inputTokens: readonly string[]): PaginationError {
  try {
    decodeStartingToken(token, inputTokens);
  } catch (error) {
    expect(error).toBeInstanceOf(PaginationError);
    return error as PaginationError;
  }
  throw new Error(`expected ${JSON.stringify(token)} to be rejected`);
}

describe('encodeResumeToken', () => {
  it.each(fixture.encode.map((c) => [c.name, c] as const))('matches botocore byte for byte: %s', (_, c) => {
    expect(encodeResumeToken(untag(c.token) as Record<string, unknown>)).toBe(c.encoded);
  });

  it('writes what json.dumps writes for values JSON.stringify cannot', () => {
    const token = encodeResumeToken({
      a: NaN,
      b: Infinity,
      c: -Infinity,
      d: -0,
      e: 12345678901234567890n,
      f: undefined,
      g: [undefined],
    });
    expect(json(token)).toBe(
      '{"a": NaN, "b": Infinity, "c": -Infinity, "d": 0, "e": 12345678901234567890, "f": null, "g": [null]}',
    );
  });

  it('escapes lone surrogates as json.dumps does, and reads them back', () => {
    const token = encodeResumeToken({ T: '\ud83d|\ude00' });
    expect(json(token)).toBe('{"T": "\\ud83d|\\ude00"}');
    expect(decodeStartingToken(token, ['T']).tokens).toEqual({ T: '\ud83d|\ude00' });
  });

  it('treats Buffers as bytes and keeps an existing boto_encoded_keys key in place', () => {
    const token = encodeResumeToken({ boto_encoded_keys: 'stale', T: Buffer.from('hi') });
    expect(json(token)).toBe('{"boto_encoded_keys": [["T"]], "T": "aGk="}');
    expect(json(encodeResumeToken({ boto_encoded_keys: 'kept', T: 'x' }))).toBe('{"boto_encoded_keys": "kept", "T": "x"}');
  });

  it('refuses what Python cannot serialize with a PaginationError naming where it is', () => {
    const loop: Record<string, unknown> = {};
    loop['self'] = loop;
    expect(() => encodeResumeToken({ T: loop })).toThrow(
      new PaginationError('The resume token cannot be written: its member T.self refers to itself (a cycle)'),
    );
    const top: Record<string, unknown> = {};
    top['T'] = [top];
    expect(() => encodeResumeToken(top)).toThrow(/member T\[0\] refers to itself/);
    expect(() => encodeResumeToken({ T: { d: [new Date(0)] } })).toThrow(
      /member T.d\[0\] is of type Date: Object of type Date is not JSON serializable/,
    );
    expect(() => encodeResumeToken({ T: new Map() })).toThrow(PaginationError);
    expect(() => encodeResumeToken({ T: new Set([1]) })).toThrow(/of type Set/);
    expect(() => encodeResumeToken({ T: Symbol('s') })).toThrow(/of type symbol/);
  });

  it('refuses a token nested deeper than 512 levels (200,000 gave a RangeError), and writes 512', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(() => encodeResumeToken({ T: deep })).toThrow(PaginationError);
    expect(() => encodeResumeToken({ T: deep })).toThrow(/nests deeper than 512 levels/);
    let ok: unknown = 'bottom';
    for (let i = 0; i < 511; i++) ok = { a: ok };
    expect(decodeStartingToken(encodeResumeToken({ T: ok }), ['T']).tokens).toEqual({ T: ok });
  });

  it('round-trips a token of the largest length a starting token may have (a 6 MB one gave a RangeError)', () => {
    // encoded: 8 characters of JSON around it, in base64.
    const big = 'x'.repeat((MAX_STARTING_TOKEN_LENGTH / 4) * 3 - 16);
    const encoded = encodeResumeToken({ T: big });
    expect(encoded.length).toBeLessThanOrEqual(MAX_STARTING_TOKEN_LENGTH);
    expect(decodeStartingToken(encoded, ['T'])).toEqual({ tokens: { T: big }, truncate: 0 });
    const raw = 'x'.repeat(MAX_STARTING_TOKEN_LENGTH);
    expect(decodeStartingToken(raw, ['T'])).toEqual({ tokens: { T: raw }, truncate: 0 });
    // One character more, and the token could never be given back: refused when written, naming the member.
    expect(() => encodeResumeToken({ T: `${big}xyz`, U: 'u' })).toThrow(
      new PaginationError(
        'The resume token cannot be written: its member T makes it 1048584 characters long, and a starting token may have at most 1048576',
      ),
    );
    const half = 'x'.repeat(MAX_STARTING_TOKEN_LENGTH / 2 - 2);
    expect(decodeStartingToken(`${half}___${half}`, ['T', 'U']).tokens).toEqual({ T: half, U: half });
  });
});

describe('decodeStartingToken', () => {
  // botocore sends an empty starting token as a token; here it is no token (a deliberate difference, tested below).
  const cases = fixture.decode
    .filter((c) => c.startingToken !== '')
    .map((c) => [`${JSON.stringify(c.startingToken).slice(0, 40)} with ${c.inputTokens.length} input token(s)`, c] as const);
  it.each(cases)('agrees with botocore on %s', (_, c) => {
    if ('error' in c.botocore) {
      expect(rejection(c.startingToken, c.inputTokens).message).toMatch(/^Bad starting token: .*"___"-separated parts/);
      return;
    }
    const botoTokens = untag(c.botocore.tokens) as Record<string, unknown>;
    const tokens = Object.fromEntries(c.inputTokens.map((name) => [name, name in botoTokens ? botoTokens[name] : null]));
    expect(decodeStartingToken(c.startingToken, c.inputTokens)).toEqual({ tokens, truncate: c.botocore.truncate });
  });

  it('reads an empty string as no token', () => {
    expect(decodeStartingToken('', ['A', 'B'])).toEqual({ tokens: { A: null, B: null }, truncate: 0 });
  });

  it('reads NaN and infinities as Python does, even next to strings spelling them or the marker used for NaN', () => {
    const token = b64('{"A": [NaN, "NaN", "\\u0000NaN", "\\" NaN"], "B": -Infinity, "C": {"d": Infinity}}');
    expect(decodeStartingToken(token, ['A', 'B', 'C']).tokens).toEqual({
      A: [NaN, 'NaN', '\u0000NaN', '" NaN'],
      B: -Infinity,
      C: { d: Infinity },
    });
    // Not JSON either way: passed on as the service's own token, as botocore does.
    for (const text of ['{"A": NaNa}', '{"A": -NaN}', '{"A": +Infinity}', '{"A": Infinity']) {
      expect(decodeStartingToken(b64(text), ['A'])).toEqual({ tokens: { A: b64(text) }, truncate: 0 });
    }
  });

  it('refuses a starting token nested deeper than 512 levels (200,000 gave a RangeError)', () => {
    const deep = `{"NextToken": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    expect(rejection(b64(deep), ['NextToken']).message).toBe('Bad starting token: it nests deeper than 512 levels');
  });

  it('refuses a string for a map token (DynamoDB ExclusiveStartKey), naming the token', () => {
    const options = { mapTokens: ['ExclusiveStartKey'] };
    expect(() => decodeStartingToken('abc123', ['ExclusiveStartKey'], options)).toThrow(
      new PaginationError(
        'Bad starting token: it gives "ExclusiveStartKey" the string "abc123", but "ExclusiveStartKey" takes a map, which only a token from resumeTokenOf (or botocore) can carry',
      ),
    );
    expect(() => decodeStartingToken(encodeResumeToken({ ExclusiveStartKey: 5 }), ['ExclusiveStartKey'], options)).toThrow(
      /gives "ExclusiveStartKey" a number/,
    );
    const key = { pk: { S: 'a' } };
    expect(decodeStartingToken(encodeResumeToken({ ExclusiveStartKey: key }), ['ExclusiveStartKey'], options).tokens).toEqual({
      ExclusiveStartKey: key,
    });
    expect(decodeStartingToken('', ['ExclusiveStartKey'], options).tokens).toEqual({ ExclusiveStartKey: null });
    expect(decodeStartingToken('abc123', ['ExclusiveStartKey']).tokens).toEqual({ ExclusiveStartKey: 'abc123' });
  });

  it('round-trips any JSON tokens, bytes and truncate amounts', () => {
    const names = ['NextToken', 'Marker', 'ExclusiveStartKey'];
    // NaN and infinities too (as Python's json reads them), but not -0 (written as Python's int 0).
    const number = fc.oneof(
      fc.double().map((n) => n + 0),
      fc.constantFrom(NaN, Infinity, -Infinity),
    );
    const bytes = fc.uint8Array().map((array) => new Uint8Array(array));
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('NaN', 'Infinity', '\u0000NaN', '" NaN'));
    const leaf = fc.oneof(fc.constant(null), fc.boolean(), text, fc.maxSafeInteger(), number, bytes);
    const value = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('tree')), fc.dictionary(fc.string(), tie('tree'))),
    })).tree;
    const token = fc.record({ NextToken: value, Marker: value, ExclusiveStartKey: value }, { requiredKeys: [] });
    fc.assert(
      fc.property(token, fc.option(fc.nat(), { nil: undefined }), (tokens, truncate) => {
        const encoded = encodeResumeToken(truncate === undefined ? tokens : { ...tokens, boto_truncate_amount: truncate });
        const expected = Object.fromEntries(
          names.map((name) => [name, name in tokens ? (tokens as Record<string, unknown>)[name] : null]),
        );
        expect(decodeStartingToken(encoded, names)).toEqual({ tokens: expected, truncate: truncate ?? 0 });
      }),
    );
  });

  it('takes a raw service token whole, even one containing "___" or decoding from base64 to non-dicts', () => {
    for (const raw of ['abc123', 'abc___def', 'NQ==', b64('"text"'), b64('\ufeff{"NextToken": "x"}')]) {
      expect(decodeStartingToken(raw, ['NextToken'])).toEqual({ tokens: { NextToken: raw }, truncate: 0 });
    }
  });

  it('is strict about base64, where Python would skip junk characters and decode anyway', () => {
    const junky = `${b64('{"NextToken": "x"}').slice(0, 8)}!${b64('{"NextToken": "x"}').slice(8)}`;
    expect(decodeStartingToken(junky, ['NextToken'])).toEqual({ tokens: { NextToken: junky }, truncate: 0 });
  });

  it('orders tokens as the input tokens and fills the missing ones with null', () => {
    const decoded = decodeStartingToken(encodeResumeToken({ B: 'b' }), ['A', 'B', 'C']);
    expect(Object.entries(decoded.tokens)).toEqual([
      ['A', null],
      ['B', 'b'],
      ['C', null],
    ]);
  });

  it('rejects keys that are not input tokens, naming them and the input tokens', () => {
    const error = rejection(encodeResumeToken({ NextToken: 'a', Bogus: 1, Other: null }), ['NextToken', 'Marker']);
    expect(error.message).toBe(
      'Bad starting token: unexpected key(s) "Bogus", "Other"; this paginator\'s input tokens are "NextToken", "Marker"',
    );
    expect(rejection(encodeResumeToken({ NextToken: 'a' }), []).message).toMatch(/"NextToken".*input tokens are \(none\)/);
  });

  it.each([[-1], [1.5], ['3'], [null], [true], [2 ** 53], [[1]]])('rejects the truncate amount %p', (amount) => {
    const token = b64(JSON.stringify({ NextToken: 'a', boto_truncate_amount: amount }));
    expect(rejection(token, ['NextToken']).message).toMatch(
      /^Bad starting token: the truncate amount must be a non-negative integer, not /,
    );
  });

  it.each(['abc___-1', 'abc___99999999999999999999'])('rejects the deprecated truncate amount in %p', (token) => {
    expect(rejection(token, ['NextToken']).message).toMatch(/truncate amount must be a non-negative integer/);
  });

  it.each([
    ['not a list', { T: 'aGk=', boto_encoded_keys: 'T' }, /must be a list of paths/],
    ['an empty path', { T: 'aGk=', boto_encoded_keys: [[]] }, /\[\] is not a non-empty path/],
    ['a path that is not a list', { T: 'aGk=', boto_encoded_keys: ['T'] }, /"T" is not a non-empty path/],
    ['a missing key', { T: 'aGk=', boto_encoded_keys: [['U']] }, /\["U"\] does not exist/],
    ['an index into a dict', { T: { a: 'aGk=' }, boto_encoded_keys: [['T', 0]] }, /\["T",0\] does not exist/],
    ['a key into a list', { T: ['aGk='], boto_encoded_keys: [['T', '0']] }, /\["T","0"\] does not exist/],
    ['a negative index', { T: ['aGk='], boto_encoded_keys: [['T', -1]] }, /does not exist/],
    ['an index past the end', { T: ['aGk='], boto_encoded_keys: [['T', 1]] }, /does not exist/],
    ['a step into a string', { T: 'aGk=', boto_encoded_keys: [['T', 'x']] }, /does not exist/],
    ['a number', { T: 5, boto_encoded_keys: [['T']] }, /\["T"\] does not lead to a base64 string/],
    ['a dict', { T: {}, boto_encoded_keys: [['T']] }, /does not lead to a base64 string/],
    ['a string that is not base64', { T: 'a!b', boto_encoded_keys: [['T']] }, /does not lead to a base64 string/],
    ['the same path twice', { T: 'aGk=', boto_encoded_keys: [['T'], ['T']] }, /does not lead to a base64 string/],
  ])('rejects boto_encoded_keys with %s', (_, dict, problem) => {
    expect(rejection(b64(JSON.stringify(dict)), ['T']).message).toMatch(problem);
  });

  describe('bounds a token before reading it', () => {
    it('refuses a token longer than 1 MiB, saying so, before parsing it (a forged 40 MB one took 2.7 s to refuse)', () => {
      const forged = b64(JSON.stringify({ NextToken: 'x'.repeat(30_000_000) }));
      const message = `Bad starting token: it is ${forged.length} characters long, and a starting token may have at most 1048576 (the tokens AWS services return are a few KB)`;
      expect(rejection(forged, ['NextToken']).message).toBe(message);
      expect(rejection('x'.repeat(MAX_STARTING_TOKEN_LENGTH + 1), ['NextToken']).message).toMatch(/1048577 characters long/);
    });

    it("reads an old-style truncate amount of up to 4300 digits, as Python's int() does", () => {
      // botocore 1.43.11 (the oracle): 'abc___' + 4299 zeros + '2' sends NextToken 'abc' and skips 2 items.
      expect(decodeStartingToken(`abc___${'0'.repeat(4299)}2`, ['NextToken'])).toEqual({
        tokens: { NextToken: 'abc' },
        truncate: 2,
      });
      expect(decodeStartingToken(`abc___${'0_'.repeat(4299)}2`, ['NextToken']).truncate).toBe(2);
    });

    it.each([4301, 300_000])(
      "refuses an old-style truncate amount of %p digits, which Python's int() does not read",
      (digits) => {
        // It was read (a 300,000-digit 0…01 skipped the first item); botocore sends the whole text to the service as a token.
        const token = `abc___${'0'.repeat(digits - 1)}1`;
        expect(rejection(token, ['NextToken']).message).toBe(
          'Bad starting token: its last "___"-separated part, the truncate amount, has more than 4300 digits, more than ' +
            "Python's int() reads (botocore would send the whole text to the service as one token)",
        );
      },
    );
  });

  it('rejects a deprecated token with more parts than input tokens', () => {
    expect(rejection('a___b___c', ['NextToken']).message).toBe(
      'Bad starting token: "a___b___c" has 3 "___"-separated parts but the input tokens are only "NextToken"',
    );
  });
});

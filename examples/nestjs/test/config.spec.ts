/**
 * TOKEN_KEYS, and the TOKEN_SIGNER provider built from it when createApp()
 * is given no keys.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TokenSigner } from 'rxjs-aws';
import { hmacTokenSigner } from 'rxjs-aws/signing';
import { createApp } from '../src/app';
import { governorOptionsFromEnv, TOKEN_SIGNER, tokenKeysFromEnv } from '../src/config';

const KEY_A = 'a'.repeat(32);
const KEY_B = 'the second key: also of 32 bytes or more';
/** Never called: these apps are not listening. */
// Never sent through: these tests only build the app.
const client = { send: () => Promise.reject(new Error('no DynamoDB here')) } as unknown as DynamoDBClient;
const wait = { delay: 1, maxWaitTime: 1 };

describe('tokenKeysFromEnv', () => {
  it('is undefined when TOKEN_KEYS is unset or blank', () => {
    expect(tokenKeysFromEnv({})).toBeUndefined();
    expect(tokenKeysFromEnv({ TOKEN_KEYS: '' })).toBeUndefined();
    expect(tokenKeysFromEnv({ TOKEN_KEYS: '  ' })).toBeUndefined();
  });

  it('splits at commas, newest first, dropping the spaces around each key', () => {
    expect(tokenKeysFromEnv({ TOKEN_KEYS: KEY_A })).toEqual([KEY_A]);
    expect(tokenKeysFromEnv({ TOKEN_KEYS: ` ${KEY_B} , ${KEY_A}` })).toEqual([KEY_B, KEY_A]);
  });

  it('counts bytes, not characters', () => {
    expect(tokenKeysFromEnv({ TOKEN_KEYS: '€'.repeat(11) })).toEqual(['€'.repeat(11)]);
  });

  it('refuses a key under 32 bytes, or an empty one, saying which without saying what it is', () => {
    const short = 'short but secret';
    expect(() => tokenKeysFromEnv({ TOKEN_KEYS: `${KEY_A},${short}` })).toThrow(
      'TOKEN_KEYS: key 2 of 2 has 16 bytes; each key needs at least 32',
    );
    expect(() => tokenKeysFromEnv({ TOKEN_KEYS: `${short},${KEY_A}` })).not.toThrow(KEY_A);
    expect(() => tokenKeysFromEnv({ TOKEN_KEYS: `${short},${KEY_A}` })).not.toThrow(short);
    expect(() => tokenKeysFromEnv({ TOKEN_KEYS: `${KEY_A},` })).toThrow('TOKEN_KEYS: key 2 of 2 has 0 bytes');
    expect(() => tokenKeysFromEnv({ TOKEN_KEYS: 'a'.repeat(31) })).toThrow('key 1 of 1 has 31 bytes');
  });
});

describe('the TOKEN_SIGNER of createApp()', () => {
  const saved = process.env['TOKEN_KEYS'];
  afterEach(() => {
    if (saved === undefined) delete process.env['TOKEN_KEYS'];
    else process.env['TOKEN_KEYS'] = saved;
  });

  /** The signer the app was built with (the app is closed again). */
  async function signerOf(options: { tokenKeys?: string[] }): Promise<TokenSigner> {
    const app = await createApp({ client, wait, logger: false, ...options });
    try {
      return app.get<TokenSigner>(TOKEN_SIGNER);
    } finally {
      await app.close();
    }
  }

  it('signs with the first of the keys given, and accepts them all', async () => {
    process.env['TOKEN_KEYS'] = 'an unrelated key in the environment (not used)';
    const signer = await signerOf({ tokenKeys: [KEY_B, KEY_A] });
    expect(hmacTokenSigner([KEY_B]).verify(signer.sign('token', 'scope'), 'scope')).toBe('token');
    expect(signer.verify(hmacTokenSigner([KEY_A]).sign('token', 'scope'), 'scope')).toBe('token');
    expect(() => signer.verify(hmacTokenSigner(['an unrelated key in the environment (not used)']).sign('t', 's'), 's')).toThrow(
      /signature does not match/,
    );
  });

  it('takes the keys of TOKEN_KEYS when given none', async () => {
    process.env['TOKEN_KEYS'] = `${KEY_B},${KEY_A}`;
    const signer = await signerOf({});
    expect(hmacTokenSigner([KEY_B]).verify(signer.sign('token', 'scope'), 'scope')).toBe('token');
    expect(signer.verify(hmacTokenSigner([KEY_A]).sign('token', 'scope'), 'scope')).toBe('token');
  });

  it('does not start without keys', async () => {
    delete process.env['TOKEN_KEYS'];
    await expect(createApp({ client, wait, logger: false })).rejects.toThrow(/^No token keys: set TOKEN_KEYS/);
    process.env['TOKEN_KEYS'] = 'too short';
    await expect(createApp({ client, wait, logger: false })).rejects.toThrow('TOKEN_KEYS: key 1 of 1 has 9 bytes');
  });
});

describe('governorOptionsFromEnv', () => {
  it('caps every DynamoDB operation at DYNAMODB_RATE requests a second; unset, the rate is learnt', () => {
    expect(governorOptionsFromEnv({})).toEqual({});
    expect(governorOptionsFromEnv({ DYNAMODB_RATE: ' ' })).toEqual({});
    expect(governorOptionsFromEnv({ DYNAMODB_RATE: '2.5' })).toEqual({ rate: { DynamoDB: 2.5 } });
  });

  it('refuses anything but a number above 0', () => {
    for (const text of ['0', '-1', 'fast', 'Infinity']) {
      expect(() => governorOptionsFromEnv({ DYNAMODB_RATE: text })).toThrow(
        `DYNAMODB_RATE must be a number of requests a second above 0, got ${JSON.stringify(text)}`,
      );
    }
  });
});

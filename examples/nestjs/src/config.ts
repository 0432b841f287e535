import type { GovernorOptions, WaitForOptions } from 'rxjs-aws';

/** Injection token of the DynamoDB client (an `@aws-sdk/client-dynamodb` `DynamoDBClient`). */
export const DYNAMODB_CLIENT = Symbol('DYNAMODB_CLIENT');

/** Injection token of the {@link WaitForOptions} of `/ready` and `/events`. */
export const TABLE_WAIT_OPTIONS = Symbol('TABLE_WAIT_OPTIONS');

/**
 * Injection token of the `TokenSigner` (rxjs-aws's `hmacTokenSigner`) that
 * seals the resume tokens of `/items` and `/scan`, and opens the ones clients
 * hand back.
 */
export const TOKEN_SIGNER = Symbol('TOKEN_SIGNER');

/**
 * Injection token of the app's one `Governor` (rxjs-aws's `createGovernor`):
 * every DynamoDB request of every endpoint and every client goes through it,
 * so concurrent requests share one rate per operation and all slow down
 * together when DynamoDB throttles.
 */
export const GOVERNOR = Symbol('GOVERNOR');

/** The fewest bytes a key of TOKEN_KEYS may have (what `hmacTokenSigner` requires). */
export const MIN_TOKEN_KEY_BYTES = 32;

/** Seconds between two DescribeTable calls of a wait, unless TABLE_WAIT_DELAY_SECONDS says otherwise. */
export const DEFAULT_WAIT_DELAY = 1;
/** Seconds a wait may take, unless TABLE_WAIT_MAX_SECONDS says otherwise. */
export const DEFAULT_MAX_WAIT_TIME = 20;

/**
 * The waiter options from the environment: `TABLE_WAIT_DELAY_SECONDS` (1)
 * and `TABLE_WAIT_MAX_SECONDS` (20), both in seconds, fractions allowed.
 * The spec's own values (20 s, 25 attempts) suit a real AWS account, not a demo.
 */
export function waitOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): WaitForOptions {
  return {
    delay: secondsFrom(env, 'TABLE_WAIT_DELAY_SECONDS', DEFAULT_WAIT_DELAY),
    maxWaitTime: secondsFrom(env, 'TABLE_WAIT_MAX_SECONDS', DEFAULT_MAX_WAIT_TIME),
  };
}

/**
 * The governor's options from the environment: `DYNAMODB_RATE`, the most
 * requests a second of each DynamoDB operation (a Scan of one table and a
 * Scan of another count together). Unset, the rate is learnt from
 * DynamoDB's throttling, as `createGovernor` does by default.
 */
export function governorOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): GovernorOptions {
  const text = env['DYNAMODB_RATE'];
  if (text === undefined || text.trim() === '') return {};
  const rate = Number(text);
  if (!Number.isFinite(rate) || rate <= 0)
    throw new Error(`DYNAMODB_RATE must be a number of requests a second above 0, got ${JSON.stringify(text)}`);
  return { rate: { DynamoDB: rate } };
}

function secondsFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error(`${name} must be a number of seconds above 0, got ${JSON.stringify(text)}`);
  return seconds;
}

/**
 * The token keys from `TOKEN_KEYS`: comma-separated, newest first, each at
 * least {@link MIN_TOKEN_KEY_BYTES} bytes of UTF-8 (spaces around a key are
 * dropped). The first key signs, every key is accepted: to rotate, put a new
 * key in front and drop the old one once the tokens it signed no longer matter.
 * `undefined` when the variable is unset or blank. Error messages say which
 * key is wrong, never what it is.
 */
export function tokenKeysFromEnv(env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  const text = env['TOKEN_KEYS'];
  if (text === undefined || text.trim() === '') return undefined;
  const keys = text.split(',').map((key) => key.trim());
  keys.forEach((key, i) => {
    const bytes = Buffer.byteLength(key, 'utf8');
    if (bytes < MIN_TOKEN_KEY_BYTES) {
      throw new Error(
        `TOKEN_KEYS: key ${i + 1} of ${keys.length} has ${bytes} bytes; each key needs at least ${MIN_TOKEN_KEY_BYTES}`,
      );
    }
  });
  return keys;
}

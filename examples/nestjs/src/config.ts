import type { WaitForOptions } from 'rxjs-aws';

/** Injection token of the DynamoDB client (an `@aws-sdk/client-dynamodb` `DynamoDBClient`). */
export const DYNAMODB_CLIENT = Symbol('DYNAMODB_CLIENT');

/** Injection token of the {@link WaitForOptions} of `/ready` and `/events`. */
export const TABLE_WAIT_OPTIONS = Symbol('TABLE_WAIT_OPTIONS');

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

function secondsFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`${name} must be a number of seconds above 0, got ${JSON.stringify(text)}`);
  return seconds;
}

import { InjectionToken } from '@angular/core';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createGovernor, type Governor, type WaitForOptions } from 'rxjs-aws';

/** The DynamoDB client the app talks through: a `DynamoDBClient` in the app, a fake in tests. */
export const DYNAMODB = new InjectionToken<DynamoDBClient>('rxjs-aws example: DynamoDB client');

/** How TableExists polls. botocore's own delay is 20 s; a local table answers faster. */
export const TABLE_WAIT = new InjectionToken<WaitForOptions>('rxjs-aws example: TableExists options', {
  factory: () => ({ delay: 1, maxAttempts: 120 }),
});

/** Items per Scan page (the request's `Limit`). */
export const SCAN_PAGE_SIZE = new InjectionToken<number>('rxjs-aws example: Scan page size', {
  factory: () => 10,
});

/** The tables to choose from, and the one shown first. */
export const DEMO_TABLES = new InjectionToken<{ readonly names: readonly string[]; readonly initial: string }>(
  'rxjs-aws example: tables',
  { factory: () => ({ names: ['music', 'podcasts'], initial: 'music' }) },
);

/**
 * The app's one governor: every DynamoDB request of the app (the polls, the
 * list, the count) goes through it, so they share one rate per operation and
 * all slow down together when DynamoDB throttles. Scans are held to 5 a
 * second, slow enough to watch the count's progress; DescribeTable's rate is
 * learnt from throttling.
 */
export const GOVERNOR = new InjectionToken<Governor>('rxjs-aws example: governor', {
  factory: () => createGovernor({ rate: { 'DynamoDB.Scan': 5 } }),
});

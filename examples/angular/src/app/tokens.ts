import { InjectionToken } from '@angular/core';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { WaitForOptions } from 'rxjs-aws';

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

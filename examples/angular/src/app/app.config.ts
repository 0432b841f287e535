import { type ApplicationConfig, provideBrowserGlobalErrorListeners, provideZonelessChangeDetection } from '@angular/core';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DEMO_TABLES, DYNAMODB } from './tokens';

/** `?endpoint=` and `?table=` pick the loopback DynamoDB and the table shown first. */
const query = new URLSearchParams(globalThis.location?.search ?? '');

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    {
      provide: DYNAMODB,
      // A local DynamoDB (dynalite) on loopback, never AWS: it checks no signature, so the credentials are fake.
      useFactory: () =>
        new DynamoDBClient({
          endpoint: query.get('endpoint') ?? 'http://127.0.0.1:8000',
          region: 'us-east-1',
          credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' },
          maxAttempts: 1,
        }),
    },
    { provide: DEMO_TABLES, useValue: { names: ['music', 'podcasts'], initial: query.get('table') ?? 'music' } },
  ],
};

/**
 * `npm start`: the app on PORT (3000), against DYNAMODB_ENDPOINT, or an
 * embedded DynamoDB (dynalite) when there is none. A demo table, DEMO_TABLE
 * ("music"), is created at start and filled with DEMO_ITEMS (120) items once
 * it is ACTIVE, which takes CREATE_TABLE_MS (5000) on the embedded DynamoDB:
 * time to watch `/tables/music/events`. HOST (127.0.0.1) is the address to
 * listen on; Ctrl-C closes the app, then the embedded DynamoDB.
 *
 * DYNAMODB_RATE caps the requests a second of each DynamoDB operation, for
 * the whole app (its one governor); unset, the rate is learnt from throttling.
 *
 * TOKEN_KEYS (comma-separated, newest first, 32 bytes or more each) are the
 * keys that sign the resume tokens of `/items` and `/scan`; without it, a
 * random key is made at start, and the tokens handed out die with the process.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createApp } from './app';
import { MIN_TOKEN_KEY_BYTES, tokenKeysFromEnv, waitOptionsFromEnv } from './config';
import { createDemoTable, fillDemoTable } from './demoTable';

async function main(): Promise<void> {
  // The SDK warns at every start on Node 20 that its 2027 releases need Node 22: noise in a demo.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const port = Number(process.env.PORT ?? 3000);
  const table = process.env.DEMO_TABLE ?? 'music';
  const itemCount = Number(process.env.DEMO_ITEMS ?? 120);
  const wait = waitOptionsFromEnv();
  const tokenKeys = tokenKeysFromEnv() ?? [randomTokenKey()];

  const embedded = process.env.DYNAMODB_ENDPOINT ? undefined : await startEmbedded(Number(process.env.CREATE_TABLE_MS ?? 5000));
  const endpoint = process.env.DYNAMODB_ENDPOINT ?? embedded!.endpoint;
  const local = embedded !== undefined || /^https?:\/\/(localhost|127\.|\[::1\])/.test(endpoint);
  const client = new DynamoDBClient({
    endpoint,
    region: process.env.AWS_REGION ?? 'us-east-1',
    // A local DynamoDB takes any key; a remote endpoint gets the SDK's usual credential chain.
    ...(local && !process.env.AWS_ACCESS_KEY_ID && { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  });

  const app = await createApp({ client, wait, tokenKeys });
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await app.close();
      client.destroy();
      await embedded?.stop();
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void close());

  const host = process.env.HOST ?? '127.0.0.1';
  await app.listen(port, host);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${(app.getHttpServer().address() as AddressInfo).port}`;
  console.log(`rxjs-aws NestJS example on ${url}, DynamoDB at ${endpoint}${embedded ? ' (embedded dynalite)' : ''}`);

  const created = await createDemoTable(client, table);
  console.log(`${created ? 'Creating' : 'Using'} table ${table}; try:`);
  console.log(`  curl -N ${url}/tables/${table}/events`);
  console.log(`  curl ${url}/tables/${table}/ready`);
  console.log(`  curl '${url}/tables/${table}/items?limit=5'`);
  console.log(`  curl -N '${url}/tables/${table}/scan?pageSize=50'`);
  console.log(`  curl -N '${url}/tables/${table}/count?segments=4'`);
  console.log(`  curl ${url}/governor`);
  if (created) {
    await fillDemoTable(client, table, itemCount, wait);
    console.log(`Table ${table} is ACTIVE with ${itemCount} items.`);
  }
}

/** A key for this run only, when TOKEN_KEYS is not set: fine for a demo, not for more than one instance or a restart. */
function randomTokenKey(): Uint8Array {
  console.warn(
    'TOKEN_KEYS is not set: resume tokens are signed with a random key made now, so the ones handed out ' +
      'will not survive a restart (nor work on another instance). Set TOKEN_KEYS to keep them valid.',
  );
  return randomBytes(MIN_TOKEN_KEY_BYTES);
}

/** dynalite on a free loopback port, in memory. */
async function startEmbedded(createTableMs: number): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const server: Server = dynalite({ createTableMs, deleteTableMs: 500, updateTableMs: 500 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

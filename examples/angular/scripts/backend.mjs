// A loopback DynamoDB for the example: dynalite (in memory) with a seeded demo table.
// dynalite answers CORS preflights itself (Access-Control-Allow-Origin: *, the requested
// headers and method), so the browser's DynamoDB client talks to it directly: no proxy.
//
//   npm run backend [-- --port 8000]
//
// `music` is seeded, then switched to on-demand billing: UPDATING for a few seconds, so an
// app opened at once sees TableExists retry until it is ACTIVE. `podcasts` does not exist
// at first (ResourceNotFoundException, which TableExists retries) and is created later.
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';

// The SDK warns on every Node 20 start that its 2027 releases need Node 22: true, and noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const require = createRequire(import.meta.url);
const dynalite = require('dynalite');

const ARTISTS = [
  'Nina Simone',
  'Miles Davis',
  'Björk',
  'Fela Kuti',
  'Kate Bush',
  'Sun Ra',
  'Cesária Évora',
  'Talk Talk',
  'Alice Coltrane',
];
const WORDS = ['Blue', 'Night', 'River', 'Glass', 'Echo', 'Morning', 'Paper', 'Gold', 'Static', 'Harbour', 'Velvet', 'Ash'];

/** The demo's songs: `song-001`…, deterministic. */
export function demoItems(count) {
  return Array.from({ length: count }, (_, i) => ({
    pk: { S: `song-${String(i + 1).padStart(3, '0')}` },
    title: { S: `${WORDS[(i * 7) % WORDS.length]} ${WORDS[(i * 5 + 3) % WORDS.length]}` },
    artist: { S: ARTISTS[i % ARTISTS.length] },
    year: { N: String(1960 + ((i * 13) % 60)) },
  }));
}

/**
 * Starts dynalite on loopback and creates the `music` table with `items` songs
 * (ACTIVE when this resolves). `updateTableMs` / `createTableMs` are how long
 * dynalite keeps a table UPDATING / CREATING.
 */
export async function startBackend({ port = 0, items = 45, updateTableMs = 3000, createTableMs = 2000 } = {}) {
  const server = dynalite({ createTableMs, updateTableMs, deleteTableMs: 100 });
  // Scans can be held back (setScanDelay), so that one is in flight when the app cancels it; a Scan whose
  // client hung up before its answer is counted as aborted.
  let scanDelayMs = 0;
  let abortedScans = 0;
  const [answer] = server.listeners('request');
  server.removeAllListeners('request');
  server.on('request', (req, res) => {
    if (req.method !== 'POST' || !String(req.headers['x-amz-target']).endsWith('.Scan')) return answer(req, res);
    res.once('close', () => {
      if (!res.writableFinished) abortedScans++;
    });
    if (scanDelayMs === 0) return answer(req, res);
    setTimeout(() => {
      if (!res.destroyed && !req.socket.destroyed) answer(req, res);
    }, scanDelayMs).unref();
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${server.address().port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' },
  });
  const untilActive = async (TableName) => {
    for (;;) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName })).catch(() => ({}));
      if (Table?.TableStatus === 'ACTIVE') return;
      await sleep(25);
    }
  };
  const createTable = async (TableName, billing = { BillingMode: 'PAY_PER_REQUEST' }) => {
    await client.send(
      new CreateTableCommand({
        TableName,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        ...billing,
      }),
    );
  };

  await createTable('music', { ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } });
  await untilActive('music');
  const songs = demoItems(items);
  for (let i = 0; i < songs.length; i += 25) {
    const batch = songs.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    await client.send(new BatchWriteItemCommand({ RequestItems: { music: batch } }));
  }

  return {
    endpoint,
    client,
    createTable,
    untilActive,
    /** From now on, every Scan is answered `ms` later (0: at once). */
    setScanDelay: (ms) => {
      scanDelayMs = ms;
    },
    /** Scans whose client hung up before the answer. */
    abortedScans: () => abortedScans,
    /** Switches `music` to on-demand billing: UPDATING for `updateTableMs`, then ACTIVE. */
    updateMusic: () => client.send(new UpdateTableCommand({ TableName: 'music', BillingMode: 'PAY_PER_REQUEST' })),
    close: async () => {
      client.destroy();
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const portArg = process.argv.indexOf('--port');
  const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 8000;
  console.log(`dynalite on 127.0.0.1:${port}: creating and seeding music (tables are CREATING for 3 s)…`);
  const backend = await startBackend({ port, updateTableMs: 8000, createTableMs: 3000 });
  await backend.updateMusic();
  console.log(`music (45 songs) is UPDATING for 8 s; podcasts is created in 20 s.`);
  console.log(`Open the app with ?endpoint=${backend.endpoint} (the default for port 8000). Ctrl-C stops.`);
  setTimeout(() => {
    backend.createTable('podcasts').then(
      () => console.log('podcasts: CREATING for 3 s'),
      (error) => console.error('podcasts:', error.message),
    );
  }, 20_000).unref();
  process.once('SIGINT', () => backend.close().then(() => process.exit(0)));
}

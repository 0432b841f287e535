/**
 * `npm start`: rxjs-aws end to end on an embedded DynamoDB (dynalite), no AWS
 * account needed. `npm start -- --endpoint http://host:port` (or AWS_ENDPOINT_URL)
 * runs it against that endpoint instead, with no region or credentials needed.
 */
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import { concatMap, lastValueFrom, mergeMap, range, startWith, Subject, tap, timer, toArray } from 'rxjs';
import { paginate, waitFor, waitForAttempts, type ProgressHook } from '../src';
import { Scan, TableExists } from '../src/services/generated/dynamodb';

const ITEMS = 3000;
const PAGE_SIZE = 200;

async function main(): Promise<void> {
  // The SDK warns on every Node 20 start that its 2027 releases need Node 22: true, and noise in a demo.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const endpointArg = process.argv.indexOf('--endpoint');
  const endpoint = endpointArg > 0 ? process.argv[endpointArg + 1] : process.env.AWS_ENDPOINT_URL;
  const embedded = endpoint === undefined && !process.env.AWS_ACCESS_KEY_ID ? await startDynalite() : undefined;
  const local = embedded?.endpoint ?? endpoint;
  const client = new DynamoDBClient(local === undefined ? {} : localClientConfig(local));
  const TableName = `rxjs-aws-demo-${Date.now()}`;
  console.log(`DynamoDB: ${embedded ? `embedded dynalite at ${embedded.endpoint}` : (endpoint ?? 'AWS')}; table ${TableName}`);
  const started = Date.now();
  try {
    await client.send(
      new CreateTableCommand({
        TableName,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await lastValueFrom(
      waitForAttempts(TableExists, client, { TableName }, { delay: embedded ? 0.25 : 5 }).pipe(
        tap(({ attempt, state, elapsed, response }) => {
          const status = response.ok ? response.output.Table?.TableStatus : String((response.error as Error).name);
          console.log(`  TableExists attempt ${attempt}: ${status} -> ${state} (${elapsed.toFixed(2)}s)`);
        }),
      ),
    );

    await lastValueFrom(
      range(0, ITEMS / 25).pipe(
        mergeMap(
          (batch) =>
            client.send(
              new BatchWriteItemCommand({
                RequestItems: {
                  [TableName]: Array.from({ length: 25 }, (_, i) => ({
                    PutRequest: { Item: { pk: { S: `item-${batch * 25 + i}` }, n: { N: String(batch * 25 + i) } } },
                  })),
                },
              }),
            ),
          4,
        ),
        toArray(),
      ),
    );
    console.log(`  loaded ${ITEMS} items`);

    // A slow consumer: each page is "processed" for 30 ms, and only then is the next one requested.
    // The progress hook hears every request the pagination sends.
    let calls = 0;
    const progress: ProgressHook = (event) => {
      if (event.type === 'request') calls++;
    };
    // Demand starts at one page; each processed page asks for the next.
    const demand = new Subject<void>();
    let items = 0;
    let lastPageItems = 0;
    const pages = await lastValueFrom(
      paginate(Scan, client, { TableName }, { pageSize: PAGE_SIZE, demand: demand.pipe(startWith(undefined)), progress }).pipe(
        concatMap((page) =>
          timer(30).pipe(
            tap(() => {
              lastPageItems = page.Items?.length ?? 0;
              items += lastPageItems;
              drawProgress(items, ITEMS);
              demand.next();
            }),
          ),
        ),
        toArray(),
        tap(() => process.stdout.write('\n')),
      ),
      { defaultValue: [] },
    ).then((done) => done.length);
    console.log(`Summary: ${pages} pages, ${items} items, ${calls} Scan calls, ${((Date.now() - started) / 1000).toFixed(2)}s`);
    if (pages > 0 && lastPageItems === 0) {
      // 3,000 items in pages of 200: the 15th page is full, so DynamoDB cannot know it is the last
      // and returns a LastEvaluatedKey; only the 16th Scan finds nothing more.
      console.log('  (the last page is empty: a full page always carries a LastEvaluatedKey, so one more Scan is needed)');
    }

    // Cancelling with a signal: a wait for a table that never comes, given 0.3 s. It ends then with the signal's
    // reason (a TimeoutError here), whether a DescribeTable is in flight (it is aborted) or it sleeps between attempts.
    let polls = 0;
    const cancelled = await lastValueFrom(
      waitFor(
        TableExists,
        client,
        { TableName: `${TableName}-never` },
        {
          delay: 0.1,
          abortSignal: AbortSignal.timeout(300),
          progress: (event) => {
            if (event.type === 'request') polls++;
          },
        },
      ),
    ).catch((error: unknown) => error);
    console.log(
      `  TableExists of a table that never comes, abortSignal: AbortSignal.timeout(300): ${(cancelled as Error).name} after ${polls} DescribeTable calls`,
    );
    await client.send(new DeleteTableCommand({ TableName }));
  } finally {
    client.destroy();
    await embedded?.stop();
  }
}

/**
 * A local endpoint (dynalite, DynamoDB Local, LocalStack) needs no AWS account: the SDK still
 * insists on a region and signs every request, so both default to placeholders unless the
 * environment names its own.
 */
function localClientConfig(endpoint: string): DynamoDBClientConfig {
  const env = process.env;
  return {
    endpoint,
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(!env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE && { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  };
}

function drawProgress(done: number, total: number): void {
  const width = 40;
  const filled = Math.round((done / total) * width);
  process.stdout.write(`\r  scan [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
}

async function startDynalite(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  // dynalite ships no types; its factory returns a node http.Server.

  const dynalite = require('dynalite') as (options: object) => import('node:http').Server;
  const server = dynalite({ createTableMs: 1000, deleteTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

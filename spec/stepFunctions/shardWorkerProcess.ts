/**
 * One Lambda invocation of the shard worker, as an OS process, for
 * shardWorker.spec.ts: argv[2] is JSON { endpoint, item, budgetMs, pageCostMs }.
 * Each page's work writes every item to the `done` table with a conditional
 * put (the idempotent commit) and prints one JSON line per event on stdout:
 * `commit` per item written, `duplicate` per item already there, `page` per
 * page, `result` at the end. The deadline is a clock that moves by
 * `pageCostMs` when a page's work is done, never by wall-clock speed.
 */
import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { Scan } from '../../src/services/generated/dynamodb';
import { hmacTokenSigner } from '../../src/signing';
import { shardWorker, type ShardWorkItem } from '../../src/stepFunctions';

export const SIGNER_KEY = 'shard worker test key, 32 bytes or more';
export const QUERY = { TableName: 'source' };
export const PAGE_SIZE = 4;

const say = (event: object) => process.stdout.write(`${JSON.stringify(event)}\n`);

async function main(): Promise<void> {
  const { endpoint, item, budgetMs, pageCostMs } = JSON.parse(process.argv[2]!) as {
    endpoint: string;
    item: ShardWorkItem;
    budgetMs: number;
    pageCostMs: number;
  };
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDFAKEFORTESTS0000', secretAccessKey: 'fake-secret-access-key-for-local-tests' },
    maxAttempts: 1,
  });
  let elapsed = 0;
  const read = shardWorker({
    paginator: Scan,
    client,
    query: QUERY,
    signer: hmacTokenSigner([SIGNER_KEY]),
    pageSize: PAGE_SIZE,
    margin: pageCostMs / 1000,
    async work(page, key) {
      for (const source of page.Items ?? []) {
        try {
          await client.send(
            new PutItemCommand({
              TableName: 'done',
              Item: { pk: source['pk']!, page: { S: key.idempotencyKey } },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
          say({ event: 'commit', pk: source['pk']!.S, page: key.idempotencyKey });
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
          say({ event: 'duplicate', pk: source['pk']!.S, page: key.idempotencyKey });
        }
      }
      elapsed += pageCostMs;
      say({ event: 'page', page: key.idempotencyKey, elapsed });
    },
  });
  const result = await read(item, { getRemainingTimeInMillis: () => budgetMs - elapsed });
  say({ event: 'result', result, elapsed });
  client.destroy();
}

// The test imports the constants above; only a worker process runs.
if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
    process.exit(1);
  });
}

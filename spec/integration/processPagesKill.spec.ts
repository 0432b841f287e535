/**
 * kill -9, twenty times, in the middle of a processPages run: a child process
 * scans 10,000 items of an in-process dynalite (pages of 50, concurrency 4,
 * work that ends in a random order) and commits each page to a sink table,
 * saving the checkpoint `onCheckpoint` gives after every page. The test kills
 * the child with SIGKILL at a random event of its run (a Scan arriving, a
 * commit arriving, a checkpoint saved: counted, never timed), and starts it
 * again from the last checkpoint saved, until a run ends by itself.
 *
 * A commit records the page's `idempotencyKey` with it, in one conditional
 * write: the pages whose commit reached the server but whose checkpoint was
 * not saved yet when the process died (at most the `concurrency` in flight)
 * are read again on restart, and their commit is refused as already done.
 * That the keys are the same in the restarted process is what makes every
 * item committed exactly once; that the checkpoints work is what keeps the
 * refused commits down to the pages in flight at a kill.
 *
 * KILL_SEED=7 npx jest spec/integration/processPagesKill  # other kill points
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTable, putItems, startDynalite, type DynaliteServer } from '../support/startDynalite';

const ITEMS = 10_000;
const PAGE_SIZE = 50;
const CONCURRENCY = 4;
const KILLS = 20;
const SEED = Number(process.env['KILL_SEED'] ?? 20260612);

const CHILD = `
const { readFileSync, writeFileSync, renameSync, existsSync } = require('node:fs');
const { DynamoDBClient, ScanCommand, PutItemCommand } = require('@aws-sdk/client-dynamodb');
const { processPages } = require('./rxjs-aws.cjs');

const { endpoint, checkpointFile, seed, pageSize, concurrency } = JSON.parse(process.argv[2]);
const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const spec = { input_token: 'ExclusiveStartKey', output_token: 'LastEvaluatedKey', limit_key: 'Limit', result_key: 'Items' };
const send = (input, { abortSignal }) => client.send(new ScanCommand(input), { abortSignal });
let state = seed >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = Math.imul(state ^ (state >>> 15), state | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

// The page's items and its key in one conditional write: a page already committed is refused, and that is done.
const work = async (page, { idempotencyKey }) => {
  await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 4)));
  const items = (page.Items || []).map((item) => ({ S: item.pk.S }));
  try {
    await client.send(new PutItemCommand({
      TableName: 'Sink',
      Item: { pk: { S: idempotencyKey }, items: { L: items } },
      ConditionExpression: 'attribute_not_exists(pk)',
    }));
  } catch (error) {
    if (error.name !== 'ConditionalCheckFailedException') throw error;
  }
};

const saved = existsSync(checkpointFile) ? readFileSync(checkpointFile, 'utf8') : undefined;
processPages(spec, send, { TableName: 'Source' }, work, {
  pageSize,
  concurrency,
  ...(saved !== undefined && { startingToken: saved }),
  onCheckpoint: (checkpoint) => {
    writeFileSync(checkpointFile + '.tmp', checkpoint);
    renameSync(checkpointFile + '.tmp', checkpointFile);
    process.send({ saved: true });
  },
}).subscribe({
  error: (error) => {
    console.error(error);
    process.exit(2);
  },
  complete: () => process.exit(0),
});
`;

/** mulberry32: the same kill points every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type EventKind = 'scan' | 'commit' | 'saved';

describe('processPages killed with SIGKILL at 20 random points, each run restarted from the last checkpoint saved', () => {
  let dir: string;
  let ddb: DynaliteServer;
  let client: DynamoDBClient;
  // The child being run, and the event that kills it: the n-th of its kind in this run.
  let child: ChildProcess | undefined;
  let killAt: { kind: EventKind; n: number } | undefined;
  let seen: Record<EventKind, number> = { scan: 0, commit: 0, saved: 0 };

  const event = (kind: EventKind) => {
    seen[kind]++;
    if (child && killAt?.kind === kind && seen[kind] === killAt.n) child.kill('SIGKILL');
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rxjs-aws-kill-'));
    buildSync({
      entryPoints: [join(__dirname, '..', '..', 'src', 'index.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: join(dir, 'rxjs-aws.cjs'),
      logLevel: 'error',
    });
    writeFileSync(join(dir, 'child.cjs'), CHILD);
    ddb = await startDynalite({
      interceptRequest: (_req, _res, record) => {
        if (record.operation === 'Scan') event('scan');
        else if (record.operation === 'PutItem') event('commit');
        return false;
      },
    });
    client = ddb.client();
    await createTable(client, 'Source', { waitForActive: true });
    await createTable(client, 'Sink', { waitForActive: true });
    await putItems(client, 'Source', ITEMS, (i) => ({ pk: { S: `item-${String(i).padStart(5, '0')}` } }));
  }, 300_000);

  afterAll(async () => {
    child?.kill('SIGKILL');
    await ddb?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** One run of the child; resolves with how it ended. */
  async function run(seed: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
    seen = { scan: 0, commit: 0, saved: 0 };
    const checkpointFile = join(dir, 'checkpoint');
    const args = { endpoint: ddb.endpoint, checkpointFile, seed, pageSize: PAGE_SIZE, concurrency: CONCURRENCY };
    const started = fork(join(dir, 'child.cjs'), [JSON.stringify(args)], {
      execArgv: [],
      env: {
        ...process.env,
        NODE_PATH: join(__dirname, '..', '..', 'node_modules'),
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    child = started;
    let stderr = '';
    started.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    started.on('message', () => event('saved'));
    const [code, signal] = (await once(started, 'exit')) as [number | null, NodeJS.Signals | null];
    child = undefined;
    return { code, signal, stderr };
  }

  test(`every item of ${ITEMS} committed exactly once, at concurrency ${CONCURRENCY}`, async () => {
    const random = prng(SEED);
    const kinds: EventKind[] = ['scan', 'commit', 'saved'];
    const kills: string[] = [];
    for (let k = 0; k < KILLS; k++) {
      killAt = { kind: kinds[Math.floor(random() * kinds.length)]!, n: 1 + Math.floor(random() * 10) };
      const ended = await run(SEED + k);
      if (ended.code === 2) throw new Error(`run ${k} failed:\n${ended.stderr}`);
      kills.push(ended.signal === 'SIGKILL' ? `${killAt.kind} ${killAt.n}` : `ended (${ended.code})`);
    }
    killAt = undefined;
    const last = await run(SEED + KILLS);
    expect(last).toEqual({ code: 0, signal: null, stderr: '' });
    const killed = kills.filter((k) => !k.startsWith('ended')).length;
    expect(killed).toBe(KILLS);

    // Every item is in exactly one committed page.
    const committed = new Map<string, number>();
    let commits = 0;
    let key: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: 'Sink', ExclusiveStartKey: key }));
      for (const row of page.Items ?? []) {
        commits++;
        for (const item of row['items']!.L!) committed.set(item.S!, (committed.get(item.S!) ?? 0) + 1);
      }
      key = page.LastEvaluatedKey;
    } while (key);
    expect(committed.size).toBe(ITEMS);
    expect([...committed.values()].every((count) => count === 1)).toBe(true);
    // 200 pages of 50 and the empty page after them.
    expect(commits).toBe(ITEMS / PAGE_SIZE + 1);
    // A page was committed again only if its work was in flight when a kill came: at most `concurrency` a kill.
    const attempts = ddb.requestsFor('PutItem').length;
    expect(attempts - commits).toBeLessThanOrEqual(CONCURRENCY * KILLS);
    // The last checkpoint says that nothing is left.
    expect(existsSync(join(dir, 'checkpoint'))).toBe(true);
    const finished = JSON.parse(Buffer.from(readFileSync(join(dir, 'checkpoint'), 'utf8'), 'base64').toString()) as object;
    expect(finished).toEqual({ rxjs_aws_checkpoint: 1, unit: 'pages', finished: true });
    console.log(
      `kill -9: ${killed} kills (${kills.join(', ')}); ${attempts} commits sent for ${commits} pages ` +
        `(${attempts - commits} refused as done); ${ddb.requestsFor('Scan').length} Scans for ${commits} pages`,
    );
  }, 600_000);
});

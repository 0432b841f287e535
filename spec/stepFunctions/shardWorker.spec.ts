/**
 * The worker contract across OS processes: the shards of a scan of dynalite
 * run in worker processes at once, some killed mid-shard (after a few
 * commits) and run again from the same item, as a Map's retry would. Every
 * item is committed exactly once (conditional puts), and every invocation
 * stops by its deadline, on a clock moved by events.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { lastValueFrom, toArray } from 'rxjs';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { paginate, PaginationError, items } from '../../src';
import { Scan } from '../../src/services/generated/dynamodb';
import { hmacTokenSigner } from '../../src/signing';
import { planShards, shardWorker, type ShardResult, type ShardWorkItem } from '../../src/stepFunctions';
import { createTable, putItems, startDynalite, type DynaliteServer } from '../support/startDynalite';
import { QUERY, SIGNER_KEY } from './shardWorkerProcess';

const ITEMS = 100;
const SEGMENTS = 4;
const PAGE_COST_MS = 1000;
// Room for three pages: the margin is one page, so a fourth would start with too little left.
const BUDGET_MS = 3.5 * PAGE_COST_MS;
const MAX_PAGES = 3;

const signer = hmacTokenSigner([SIGNER_KEY]);

type Event =
  | { event: 'commit' | 'duplicate'; pk: string; page: string }
  | { event: 'page'; page: string; elapsed: number }
  | { event: 'result'; result: ShardResult; elapsed: number };

describe('shardWorker in worker processes against dynalite', () => {
  let ddb: DynaliteServer;
  let client: DynamoDBClient;
  let dir: string;
  let script: string;

  beforeAll(async () => {
    ddb = await startDynalite();
    client = ddb.client();
    await createTable(client, 'source');
    await createTable(client, 'done');
    await putItems(client, 'source', ITEMS);
    dir = mkdtempSync(join(tmpdir(), 'shard-worker-'));
    script = join(dir, 'worker.js');
    // One bundle for all processes: each starts in a fraction of ts-node's time.
    buildSync({
      entryPoints: [join(__dirname, 'shardWorkerProcess.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      outfile: script,
      packages: 'external',
      logLevel: 'error',
    });
  });
  afterAll(async () => {
    client?.destroy();
    await ddb?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs one invocation; with `killAfterCommits`, SIGKILLs it once it has committed that many items. */
  function invoke(item: ShardWorkItem, killAfterCommits?: number): Promise<{ events: Event[]; killed: boolean }> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [script, JSON.stringify({ endpoint: ddb.endpoint, item, budgetMs: BUDGET_MS, pageCostMs: PAGE_COST_MS })],
        { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_PATH: join(__dirname, '../../node_modules') } },
      );
      const events: Event[] = [];
      let buffered = '';
      let stderr = '';
      let killed = false;
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const event = JSON.parse(buffered.slice(0, newline)) as Event;
          buffered = buffered.slice(newline + 1);
          // Lines printed before the kill landed are real commits too: keep them.
          events.push(event);
          if (killed) continue;
          const commits = events.filter((e) => e.event === 'commit').length;
          if (killAfterCommits !== undefined && commits >= killAfterCommits) {
            killed = true;
            child.kill('SIGKILL');
          }
        }
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('exit', (code) => {
        if (killed || code === 0) resolve({ events, killed });
        else reject(new Error(`worker exited with ${code}: ${stderr}`));
      });
    });
  }

  it('commits every item exactly once though workers are killed mid-shard and re-run, each stopping by its deadline', async () => {
    const manifest = planShards(QUERY, { totalSegments: SEGMENTS, signer });
    // (segment, invocation) -> kill after this many commits: the first part of two shards, the second part of another.
    const kills = new Map([
      ['0:0', 2],
      ['2:0', 5],
      ['1:1', 1],
    ]);
    const invocations: { segment: number; events: Event[]; killed: boolean }[] = [];

    // The Map's part: each shard loops on `next` (the Choice) and retries a failed invocation from the same item.
    await Promise.all(
      manifest.map(async (first) => {
        let item = first;
        for (let invocation = 0; ; invocation++) {
          const run = await invoke(item, kills.get(`${item.segment}:${invocation}`));
          invocations.push({ segment: item.segment, ...run });
          if (run.killed) continue;
          const { result } = run.events.find((e) => e.event === 'result') as Extract<Event, { event: 'result' }>;
          if (result.done) return;
          item = result.next;
        }
      }),
    );

    const done = await lastValueFrom(paginate(Scan, client, { TableName: 'done' }).pipe(items(Scan), toArray()));
    const committed = invocations.flatMap(({ events }) => events.filter((e) => e.event === 'commit'));
    const duplicates = invocations.flatMap(({ events }) => events.filter((e) => e.event === 'duplicate'));
    const all = invocations.flatMap(({ events }) => events);

    // Exactly once: every source item is in `done` once, and no item was written by two commits.
    // (A process killed between its write and its report leaves a commit unreported: the table is the record.)
    expect(done.map((i) => i['pk']!.S).sort()).toEqual(
      Array.from({ length: ITEMS }, (_, i) => `item-${String(i).padStart(5, '0')}`),
    );
    expect(new Set(committed.map((e) => (e as { pk: string }).pk)).size).toBe(committed.length);
    expect(committed.length).toBeGreaterThanOrEqual(ITEMS - kills.size);
    // At least once: the killed parts were delivered again, with the same page keys, and their commits deduplicated.
    expect(invocations.filter(({ killed }) => killed)).toHaveLength(kills.size);
    expect(duplicates.length).toBeGreaterThanOrEqual(2 + 5 + 1);
    for (const duplicate of duplicates) {
      const first = all.find((e) => e.event === 'commit' && e.pk === (duplicate as { pk: string }).pk) as
        { page: string } | undefined;
      // Unreported first commits (see above) have no line to compare with.
      if (first) expect((duplicate as { page: string }).page).toBe(first.page);
    }
    // By the deadline: no invocation that finished read more than its budget allowed, nor ran past it.
    const finished = invocations.filter(({ killed }) => !killed);
    for (const { events } of finished) {
      const result = events.find((e) => e.event === 'result') as Extract<Event, { event: 'result' }>;
      expect(result.result.pages).toBeLessThanOrEqual(MAX_PAGES);
      expect(result.elapsed).toBeLessThanOrEqual(BUDGET_MS);
    }
    expect(finished.some(({ events }) => events.some((e) => e.event === 'result' && !e.result.done))).toBe(true);
    // Every shard ended done, once.
    const ends = finished.flatMap(({ segment, events }) =>
      events.some((e) => e.event === 'result' && e.result.done) ? [segment] : [],
    );
    expect(ends.sort()).toEqual([0, 1, 2, 3]);
  });
});

describe('shardWorker and planShards', () => {
  let ddb: DynaliteServer;
  let client: DynamoDBClient;
  beforeAll(async () => {
    ddb = await startDynalite();
    client = ddb.client();
    await createTable(client, 'source');
    await putItems(client, 'source', 30);
  });
  afterAll(async () => {
    client?.destroy();
    await ddb?.stop();
  });

  const worker = (work: (items: number, key: string) => void, marginMs = 10) =>
    shardWorker({
      paginator: Scan,
      client,
      query: QUERY,
      signer,
      pageSize: 4,
      marginMs,
      work: (page, key) => work(page.Items?.length ?? 0, key.idempotencyKey),
    });

  it('reads a whole segment in one invocation when time allows, with page keys in sequence', async () => {
    const [item] = planShards(QUERY, { totalSegments: 1, signer });
    const keys: string[] = [];
    let read = 0;
    const result = await worker((n, key) => ((read += n), keys.push(key)))(item!, { getRemainingTimeInMillis: () => 60_000 });
    expect(read).toBe(30);
    expect(result).toEqual({ done: true, segment: 0, pages: keys.length });
    expect(keys).toEqual(keys.map((_, i) => `0/1/${i}`));
  });

  it('stops at the deadline with the next item, which goes on where it stopped', async () => {
    const [item] = planShards(QUERY, { totalSegments: 1, signer });
    let remaining = 25; // three pages at 10 ms each, then the margin of 10 is reached
    const seen: string[] = [];
    const first = await worker((_, key) => {
      seen.push(key);
      remaining -= 10;
    })(item!, { getRemainingTimeInMillis: () => remaining });
    expect(first).toMatchObject({ done: false, segment: 0, pages: 2, next: { segment: 0, totalSegments: 1, sequence: 2 } });
    const rest = await worker((_, key) => seen.push(key))((first as { next: ShardWorkItem }).next, {
      getRemainingTimeInMillis: () => 60_000,
    });
    expect(rest.done).toBe(true);
    expect(seen).toEqual(seen.map((_, i) => `0/1/${i}`));
  });

  it('refuses an item edited, made for another query, or with no time for a page', async () => {
    const [item] = planShards(QUERY, { totalSegments: 2, signer });
    const clock = { getRemainingTimeInMillis: () => 60_000 };
    await expect(worker(() => {})({ ...item!, segment: 1 }, clock)).rejects.toThrow(
      new PaginationError('Bad shard work item: segment is 1, its sealed token says 0'),
    );
    const [other] = planShards({ TableName: 'other' }, { totalSegments: 2, signer });
    await expect(worker(() => {})(other!, clock)).rejects.toThrow(PaginationError);
    await expect(worker(() => {}, 100)(item!, { getRemainingTimeInMillis: () => 50 })).rejects.toThrow(
      new PaginationError('no time for a page of segment 0: less than marginMs (100 ms) left'),
    );
  });

  it('refuses plans that could not be scanned', () => {
    expect(() => planShards(QUERY, { totalSegments: 0, signer })).toThrow(PaginationError);
    expect(() => planShards({ ...QUERY, Segment: 1 }, { totalSegments: 2, signer })).toThrow(
      new PaginationError('the query must not have Segment: the shards set it'),
    );
  });

  it('splits the scan as Segment / TotalSegments do: the shards together read every item once', async () => {
    const shards = planShards(QUERY, { totalSegments: 3, signer });
    let total = 0;
    for (const shard of shards) {
      await worker((n) => (total += n))(shard, { getRemainingTimeInMillis: () => 60_000 });
    }
    const direct = await client.send(new ScanCommand({ TableName: 'source', Select: 'COUNT' }));
    expect(total).toBe(direct.Count);
  });
});

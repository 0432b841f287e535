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
import { DeleteItemCommand, DynamoDBClient, ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { paginate, PaginationError, items, SpecError } from '../../src';
import { Scan } from '../../src/services/generated/dynamodb';
import { hmacTokenSigner } from '../../src/signing';
import { planShards, shardWorker, type PageKey, type ShardResult, type ShardWorkItem } from '../../src/stepFunctions';
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

  const worker = (work: (items: number, key: PageKey) => void, margin = 0.01) =>
    shardWorker({
      paginator: Scan,
      client,
      query: QUERY,
      signer,
      pageSize: 4,
      margin,
      work: (page, key) => work(page.Items?.length ?? 0, key),
    });

  it('reads a whole segment in one invocation when time allows, each page keyed by its content', async () => {
    const [item] = planShards(QUERY, { totalSegments: 1, signer });
    const keys: PageKey[] = [];
    let read = 0;
    const result = await worker((n, key) => ((read += n), keys.push(key)))(item!, { getRemainingTimeInMillis: () => 60_000 });
    expect(read).toBe(30);
    expect(result).toEqual({ done: true, segment: 0, pages: keys.length });
    expect(keys.map((key) => key.sequence)).toEqual(keys.map((_, i) => i));
    for (const key of keys) expect(key.idempotencyKey).toMatch(/^0\/1\/[\w-]{43}$/);
    expect(new Set(keys.map((key) => key.idempotencyKey)).size).toBe(keys.length);
    // Delivered again, the same pages have the same keys.
    const again: PageKey[] = [];
    await worker((_, key) => again.push(key))(item!, { getRemainingTimeInMillis: () => 60_000 });
    expect(again).toEqual(keys);
  });

  it('stops at the deadline with the next item, which goes on where it stopped', async () => {
    const [item] = planShards(QUERY, { totalSegments: 1, signer });
    let remaining = 25; // three pages at 10 ms each, then the margin of 10 is reached
    const seen: number[] = [];
    const first = await worker((_, key) => {
      seen.push(key.sequence);
      remaining -= 10;
    })(item!, { getRemainingTimeInMillis: () => remaining });
    expect(first).toMatchObject({ done: false, segment: 0, pages: 2, next: { segment: 0, totalSegments: 1, sequence: 2 } });
    const rest = await worker((_, key) => seen.push(key.sequence))((first as { next: ShardWorkItem }).next, {
      getRemainingTimeInMillis: () => 60_000,
    });
    expect(rest.done).toBe(true);
    expect(seen).toEqual(seen.map((_, i) => i));
  });

  it('refuses an item edited, made for another query, or with no time for a page', async () => {
    const [item] = planShards(QUERY, { totalSegments: 2, signer });
    const clock = { getRemainingTimeInMillis: () => 60_000 };
    await expect(worker(() => {})({ ...item!, segment: 1 }, clock)).rejects.toThrow(
      new PaginationError('Bad shard work item: segment is 1, its sealed token says 0'),
    );
    const [other] = planShards({ TableName: 'other' }, { totalSegments: 2, signer });
    await expect(worker(() => {})(other!, clock)).rejects.toThrow(PaginationError);
    await expect(worker(() => {}, 0.1)(item!, { getRemainingTimeInMillis: () => 50 })).rejects.toThrow(
      new PaginationError('no time for a page of segment 0: less than options.margin (0.1 s) left'),
    );
    // A clock that answers NaN has no time left, rather than all the time in the world.
    await expect(worker(() => {})(item!, { getRemainingTimeInMillis: () => NaN })).rejects.toThrow(/no time for a page/);
  });

  it('refuses plans that could not be scanned, with a SpecError naming the argument (a PaginationError before)', () => {
    expect(() => planShards(QUERY, { totalSegments: 0, signer })).toThrow(
      new SpecError('options.totalSegments', 'expected a whole number from 1 to 1000000, got number 0'),
    );
    expect(() => planShards({ ...QUERY, Segment: 1 }, { totalSegments: 2, signer })).toThrow(
      new SpecError('query.Segment', 'must not be set: each shard sets it'),
    );
    expect(() => planShards(null as never, { totalSegments: 2, signer })).toThrow(
      new SpecError('query', 'expected a request object, got null'),
    );
    expect(() => planShards(QUERY, { totalSegment: 2, signer } as never)).toThrow(
      new SpecError('options.totalSegment', 'unknown option; did you mean totalSegments?'),
    );
    expect(() => planShards(QUERY, { totalSegments: 2 } as never)).toThrow(
      new SpecError('options.signer', 'expected a TokenSigner, got nothing'),
    );
  });

  it('checks its options when called, with SpecErrors naming them, and takes the margin in seconds', () => {
    const options = { paginator: Scan, client, query: QUERY, signer, work: () => {} };
    expect(() => shardWorker({ ...options, marginMs: 1000 } as never)).toThrow(
      new SpecError('options.marginMs', 'unknown option; did you mean margin?'),
    );
    expect(() => shardWorker({ ...options, marginMS: 1000 } as never)).toThrow(
      new SpecError('options.marginMS', 'unknown option; did you mean margin?'),
    );
    expect(() => shardWorker({ ...options, margin: NaN })).toThrow(
      new SpecError('options.margin', 'expected a number of seconds of at least 0, got number NaN'),
    );
    expect(() => shardWorker({ ...options, pageSize: 0 })).toThrow(
      new SpecError('options.pageSize', 'expected a whole number of at least 1, got number 0'),
    );
    expect(() => shardWorker({ ...options, work: undefined } as never)).toThrow(
      new SpecError('options.work', 'expected a function, got nothing'),
    );
    expect(() => shardWorker({ ...options, client: {} } as never)).toThrow(
      new SpecError('options.client', 'expected an SDK client, got an object (it has no send method)'),
    );
    expect(() => shardWorker({ ...options, paginator: Scan.spec } as never)).toThrow(SpecError);
    expect(() => shardWorker({ ...options, query: 'source' } as never)).toThrow(
      new SpecError('options.query', 'expected a request object, got "source"'),
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

/**
 * The per-page recipe (README): a page's effects are committed with its idempotencyKey, and a page whose key is
 * recorded already is skipped. Keys were positions (segment/total/sequence): a page re-read after a crash with
 * other items in it was skipped whole, and the items new to it were lost.
 */
describe('shardWorker page keys with the per-page recipe, against dynalite', () => {
  let ddb: DynaliteServer;
  let client: DynamoDBClient;
  beforeAll(async () => {
    ddb = await startDynalite();
    client = ddb.client();
  });
  afterAll(async () => {
    client?.destroy();
    await ddb?.stop();
  });

  /** A table of `n` items, and the recipe's record; `crashAfter` pages committed, an invocation dies (a throw). */
  async function setUp(table: string, n: number) {
    await createTable(client, table);
    await putItems(client, table, n);
    const recorded = new Set<string>();
    const done = new Set<string>();
    const run = async (item: ShardWorkItem, pageSize: number, crashAfter?: number) => {
      let committed = 0;
      return shardWorker({
        paginator: Scan,
        client,
        query: { TableName: table },
        signer,
        pageSize,
        margin: 0,
        work: (page: ScanCommandOutput, key) => {
          if (recorded.has(key.idempotencyKey)) return;
          for (const source of page.Items ?? []) done.add(source['pk']!.S!);
          recorded.add(key.idempotencyKey);
          if (++committed === crashAfter) throw new Error('killed after its commit, before the worker returned');
        },
      })(item, { getRemainingTimeInMillis: () => 60_000 });
    };
    const remaining = async () =>
      (await lastValueFrom(paginate(Scan, client, { TableName: table }).pipe(items(Scan), toArray()))).map((i) => i['pk']!.S!);
    return { run, done, remaining };
  }

  it('loses no item when one was deleted between a crash and the retry', async () => {
    const { run, done, remaining } = await setUp('deleted', 12);
    const [item] = planShards({ TableName: 'deleted' }, { totalSegments: 1, signer });
    await expect(run(item!, 4, 2)).rejects.toThrow(/killed after its commit/);
    // An item of the second page, committed already, is deleted before the Map retries the same item: the second
    // page, read again from the same token, now ends one item later.
    const order = await remaining();
    await client.send(new DeleteItemCommand({ TableName: 'deleted', Key: { pk: { S: order[4]! } } }));
    await expect(run(item!, 4)).resolves.toMatchObject({ done: true });
    expect([...done].sort()).toEqual([...order].sort());
    for (const pk of await remaining()) expect(done.has(pk)).toBe(true);
  });

  it('loses no item when the retry reads with another pageSize', async () => {
    const { run, done, remaining } = await setUp('resized', 16);
    const [item] = planShards({ TableName: 'resized' }, { totalSegments: 1, signer });
    await expect(run(item!, 4, 2)).rejects.toThrow(/killed after its commit/);
    expect(done.size).toBe(8);
    // The redeployed worker reads 8 a page: its pages hold other items than the ones recorded, and are done again.
    await expect(run(item!, 8)).resolves.toMatchObject({ done: true });
    expect([...done].sort()).toEqual((await remaining()).sort());
  });
});

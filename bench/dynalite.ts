/**
 * Measurements 3 and 6, against a real server: dynalite (in-memory
 * DynamoDB) in its own process on loopback, one table of 20,000 items.
 *
 *  3. `paginate(Scan, client)` vs SDK v3's `paginateScan`, pages of 100, on
 *     the same client: wall time per full scan (median, order varied per round),
 *     Scan calls counted by the client and cross-checked with the server.
 *     Both can be cancelled: paginateScan and the loop get one abort signal,
 *     paginate makes one per request.
 *  6. `parallelScan` with 1, 2, 4 and 8 segments: throughput, and that every
 *     item arrives exactly once in every run.
 */
import { fork, type ChildProcess } from 'child_process';
import { join } from 'path';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  paginateScan,
  ScanCommand,
  type AttributeValue,
  type ScanCommandInput,
  type ScanCommandOutput,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { type Observable } from 'rxjs';
import { paginate } from '../src';
import { parallelScan, Scan } from '../src/services/generated/dynamodb';
import {
  alternate,
  fakeCredentials,
  main,
  measuring,
  median,
  progress,
  type Goal,
  type Row,
  type Section,
  type WorkerReport,
} from './common';

const quick = process.argv.includes('--quick');
const ITEMS = quick ? 2_000 : 20_000;
const PAGE_SIZE = 100;
const TABLE = 'bench';
const SEGMENTS = [1, 2, 4, 8];
const RAW = 'client.send loop, one signal';
const RAW_ABORT = 'same loop, a new signal per call';
const SDK = 'paginateScan (SDK v3), one signal';
const PAGINATE = 'paginate(Scan, client), a signal per request';

// ---- the server ---------------------------------------------------------------

interface DynaliteProcess {
  readonly endpoint: string;
  counts(): Promise<Record<string, number>>;
  stop(): void;
}

function startServer(): Promise<DynaliteProcess> {
  const child: ChildProcess = fork(join(__dirname, 'dynaliteServer.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`dynalite server exited with ${code}`)));
    child.once('message', (message: { kind: string; port: number }) => {
      resolve({
        endpoint: `http://127.0.0.1:${message.port}`,
        counts: () =>
          new Promise((done) => {
            child.once('message', (reply: { counts: Record<string, number> }) => done(reply.counts));
            child.send({ kind: 'counts' });
          }),
        stop: () => {
          child.removeAllListeners('exit');
          child.kill();
        },
      });
    });
  });
}

/** Client-side count of Scan calls: a middleware that runs once per `send`. */
let scanCalls = 0;

function makeClient(endpoint: string): DynamoDBClient {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: fakeCredentials(), maxAttempts: 1 });
  client.middlewareStack.add(
    (next, context) => (args) => {
      if (context.commandName === 'ScanCommand') scanCalls++;
      return next(args);
    },
    { step: 'initialize', name: 'benchScanCounter' },
  );
  return client;
}

const item = (i: number): Record<string, AttributeValue> => ({
  pk: { S: `item-${String(i).padStart(6, '0')}` },
  n: { N: String(i) },
  payload: { S: `payload of item ${i} `.padEnd(100, '.') },
});

async function load(client: DynamoDBClient, table: string, items: number): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: table,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  while ((await client.send(new DescribeTableCommand({ TableName: table }))).Table?.TableStatus !== 'ACTIVE') {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < items; i += 25) {
    batches.push(Array.from({ length: Math.min(25, items - i) }, (_, j) => ({ PutRequest: { Item: item(i + j) } })));
  }
  // A few batches in flight at once: loading is set-up, not measured.
  const writeAll = async () => {
    for (let batch = batches.pop(); batch; batch = batches.pop()) {
      let pending: WriteRequest[] = batch;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 10) throw new Error('BatchWriteItem kept returning UnprocessedItems');
        const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
        pending = out.UnprocessedItems?.[table] ?? [];
      }
    }
  };
  await Promise.all([writeAll(), writeAll(), writeAll(), writeAll()]);
}

/** paginateScan and the hand-written loop do the same work: how far apart they measure is this run's noise floor. */
const noiseNote = (control: number) => `noise floor this run: paginateScan/raw loop = ${control.toFixed(3)}x, ideally 1`;

// ---- exactly-once bookkeeping -------------------------------------------------

/** Counts deliveries of each item; `problems` says what went wrong, if anything. */
class Tally {
  private readonly seen = new Uint8Array(ITEMS);
  private total = 0;

  add(items: ScanCommandOutput['Items']): void {
    for (const it of items ?? []) {
      const n = Number(it.n?.N);
      this.seen[n] = Math.min(255, this.seen[n]! + 1);
      this.total++;
    }
  }

  problems(): string | undefined {
    let missing = 0;
    let duplicated = 0;
    for (const count of this.seen) {
      if (count === 0) missing++;
      else if (count > 1) duplicated++;
    }
    return missing || duplicated || this.total !== ITEMS
      ? `${this.total} items delivered, ${missing} missing, ${duplicated} more than once`
      : undefined;
  }
}

interface RunLog {
  calls: number[];
  problems: string[];
}

const newLog = (): RunLog => ({ calls: [], problems: [] });

/** Wraps one full scan: checks every item came once and logs the Scan calls it made (measured runs only). */
async function checked(log: RunLog, scan: (tally: Tally) => Promise<void>): Promise<void> {
  const tally = new Tally();
  const before = scanCalls;
  await scan(tally);
  const problem = tally.problems();
  if (problem) log.problems.push(problem);
  if (measuring) log.calls.push(scanCalls - before);
}

const drain = <T>(source: Observable<T>, onValue: (value: T) => void): Promise<void> =>
  new Promise((resolve, reject) => source.subscribe({ next: onValue, error: reject, complete: resolve }));

main(async (): Promise<WorkerReport> => {
  const server = await startServer();
  try {
    const client = makeClient(server.endpoint);
    const t0 = performance.now();
    await load(client, TABLE, ITEMS);
    progress(
      'dynalite',
      `loaded ${ITEMS.toLocaleString('en')} items in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${server.endpoint}`,
    );

    // ---- 3. paginate vs paginateScan ----
    const input: ScanCommandInput = { TableName: TABLE };
    const logs = { raw: newLog(), rawAbort: newLog(), sdk: newLog(), paginate: newLog() };
    const callsBefore = scanCalls;
    const serverBefore = (await server.counts()).Scan ?? 0;
    // Object.assign builds each request, as paginate does (a spread then an added key is a slow path on Node 20).
    const rawLoop = (signalPerCall: boolean) => async (tally: Tally) => {
      let token: ScanCommandOutput['LastEvaluatedKey'];
      const shared = new AbortController().signal;
      do {
        const request = Object.assign({}, input, { Limit: PAGE_SIZE });
        if (token) request.ExclusiveStartKey = token;
        const page = await client.send(new ScanCommand(request), {
          abortSignal: signalPerCall ? new AbortController().signal : shared,
        });
        tally.add(page.Items);
        token = page.LastEvaluatedKey;
      } while (token);
    };
    const samples = await alternate(
      [
        { name: RAW, fn: () => checked(logs.raw, rawLoop(false)) },
        { name: RAW_ABORT, fn: () => checked(logs.rawAbort, rawLoop(true)) },
        {
          name: SDK,
          fn: () =>
            checked(logs.sdk, async (tally) => {
              const pages = paginateScan(
                { client, pageSize: PAGE_SIZE },
                { ...input },
                { abortSignal: new AbortController().signal },
              );
              for await (const page of pages) tally.add(page.Items);
            }),
        },
        {
          name: PAGINATE,
          fn: () =>
            checked(logs.paginate, (tally) =>
              drain(paginate(Scan, client, input, { pageSize: PAGE_SIZE }), (page) => tally.add(page.Items)),
            ),
        },
      ],
      // Two warm-up scans per task: the server process warms up (JIT) too.
      { rounds: quick ? 4 : 8, iterations: quick ? 1 : 3, warmupIterations: 2 },
    );
    const serverScans = ((await server.counts()).Scan ?? 0) - serverBefore;
    const clientScans = scanCalls - callsBefore;
    const ms = (name: string) => samples.median(name);
    const callsOf = (log: RunLog) => [...new Set(log.calls)].join('/');
    const row = (name: string, log: RunLog, to?: string): Row => ({
      name,
      value: ms(name),
      unit: 'ms/scan',
      ...(to !== undefined && { ratio: samples.ratio(name, to), ratioTo: to, ratioRange: samples.ratioRange(name, to) }),
      note: `${((ms(name) * 1000) / median(log.calls)).toFixed(0)} µs/call, ${callsOf(log)} Scan calls per scan; median of ${samples.samples(name).length}`,
    });
    const realRows: Row[] = [
      row(RAW, logs.raw),
      row(RAW_ABORT, logs.rawAbort, RAW),
      row(SDK, logs.sdk, RAW),
      row(PAGINATE, logs.paginate, SDK),
    ];
    const allCalls = Object.values(logs).flatMap((log) => log.calls);
    const sameCalls = allCalls.every((c) => c === allCalls[0]);
    const realNotes = [
      `Scan calls: ${clientScans} counted by the client, ${serverScans} by the server (warm-up included); ` +
        (sameCalls ? 'every scan made the same number of calls.' : 'CALL COUNTS DIFFER between runs or paginators.'),
      ...Object.entries(logs).flatMap(([name, log]) => log.problems.map((p) => `${name}: ${p}`)),
    ];

    // ---- 6. parallelScan ----
    const sections: Section[] = [
      {
        title: `3. Real server: dynalite on loopback, ${ITEMS.toLocaleString('en')} items, pages of ${PAGE_SIZE}, same client`,
        rows: realRows,
        notes: realNotes,
      },
    ];
    const goals: Goal[] = [
      {
        id: '3.real',
        goal: 'paginate(Scan) within 1.05x of paginateScan on dynalite (wall time)',
        measured: samples.ratio(PAGINATE, SDK),
        range: samples.ratioRange(PAGINATE, SDK),
        target: 1.05,
        unit: 'x',
        op: '<=',
        note: noiseNote(samples.ratio(SDK, RAW)),
      },
    ];
    const details: Record<string, unknown> = {
      items: ITEMS,
      pageSize: PAGE_SIZE,
      realServer: { samplesMsPerRound: samples.toJSON(), calls: logs, clientScans, serverScans },
    };

    // ---- 6. parallelScan ----
    const segmentLogs = new Map(SEGMENTS.map((n) => [n, newLog()]));
    const name = (n: number) => `parallelScan, ${n} segment${n > 1 ? 's' : ''}`;
    const parallelSamples = await alternate(
      SEGMENTS.map((n) => ({
        name: name(n),
        fn: () =>
          checked(segmentLogs.get(n)!, (tally) =>
            drain(parallelScan(client, { TableName: TABLE }, { totalSegments: n, pageSize: PAGE_SIZE }), ({ page }) =>
              tally.add(page.Items),
            ),
          ),
      })),
      { rounds: 4, iterations: 1, warmupIterations: 1 },
    );
    const speedUpRange = (task: string): [number, number] => {
      const [low, high] = parallelSamples.ratioRange(task, name(1));
      return [1 / high, 1 / low];
    };
    const rows: Row[] = SEGMENTS.map((n) => {
      const scanMs = parallelSamples.median(name(n));
      const log = segmentLogs.get(n)!;
      return {
        name: name(n),
        value: ITEMS / (scanMs / 1000),
        unit: 'items/s',
        ...(n > 1 && {
          ratio: 1 / parallelSamples.ratio(name(n), name(1)),
          ratioTo: `${name(1)} (speed-up)`,
          ratioRange: speedUpRange(name(n)),
        }),
        note: `${scanMs.toFixed(0)} ms/scan, ${callsOf(log)} Scan calls; ${log.problems.length === 0 ? 'every item exactly once' : 'NOT EXACTLY ONCE'} in ${parallelSamples.samples(name(n)).length} runs`,
      };
    });
    const problems = [...segmentLogs].flatMap(([n, log]) => log.problems.map((p) => `${n} segments: ${p}`));
    sections.push({
      title: `6. Parallel scan: ${ITEMS.toLocaleString('en')} dynalite items, pageSize ${PAGE_SIZE}, concurrency = segments`,
      rows,
      notes: [
        'dynalite is one single-threaded process: more segments overlap client and server work, they cannot add server cores.',
        ...problems,
      ],
    });
    goals.push({
      id: '6.exactly-once',
      goal: 'parallelScan returns every item exactly once (runs with a problem)',
      measured: problems.length,
      target: 0,
      unit: 'runs',
      op: '<=',
    });
    details.parallelScan = { samplesMsPerRound: parallelSamples.toJSON(), logs: Object.fromEntries(segmentLogs) };

    client.destroy();
    return { sections, goals, details };
  } finally {
    server.stop();
  }
});

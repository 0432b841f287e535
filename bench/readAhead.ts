/**
 * Measurement 7, against a real server: read-ahead on a token chain, and
 * parallelScan's speed-up per segment count. dynalite runs in its own process
 * on loopback; every request is held back L ms on the client (the network a
 * loopback server does not have), and the work on a page waits W ms (a write).
 *
 *  7. `processPages(Scan, client, input, work, { prefetch })`, prefetch 0
 *     against prefetch 1: a token chain is serial, so the floor for N pages is
 *     N x max(L, W) when the next read overlaps the work, against N x (L + W)
 *     without it. Ideal speed-up (L + W) / max(L, W), with L and W as measured
 *     this run (reads alone, work alone); the goal is 90% of it.
 *  8. `parallelScan` with 1, 2, 4 and 8 segments under the same latency:
 *     speed-up against one segment, and its share of the ideal (the segment count).
 *
 * Every ratio is a median over the pairs of samples taken in the same round
 * (order varied per round), with the range of those pairs.
 */
import { fork } from 'child_process';
import { join } from 'path';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type AttributeValue,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { lastValueFrom } from 'rxjs';
import { processPages } from '../src';
import { parallelScan, Scan } from '../src/services/generated/dynamodb';
import { alternate, fakeCredentials, main, median, progress, type Goal, type Row, type Section, type Timings } from './common';

const quick = process.argv.includes('--quick');
const PAGE_SIZE = 50;
const PAGES = quick ? 10 : 30;
const ITEMS = PAGE_SIZE * PAGES - 1; // one short of a full last page: no empty page after it
const TABLE = 'readAhead';
const CASES = [
  { latencyMs: 5, workMs: 5 },
  { latencyMs: 10, workMs: 5 },
  { latencyMs: 5, workMs: 10 },
];
const SEGMENTS = [1, 2, 4, 8];
const GOAL_SHARE = 0.9;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function startServer(): Promise<{ endpoint: string; stop(): void }> {
  const child = fork(join(__dirname, 'dynaliteServer.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`dynalite server exited with ${code}`)));
    child.once('message', (message: { port: number }) =>
      resolve({
        endpoint: `http://127.0.0.1:${message.port}`,
        stop: () => {
          child.removeAllListeners('exit');
          child.kill();
        },
      }),
    );
  });
}

async function load(client: DynamoDBClient): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: TABLE,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  while ((await client.send(new DescribeTableCommand({ TableName: TABLE }))).Table?.TableStatus !== 'ACTIVE') await sleep(10);
  const item = (i: number): Record<string, AttributeValue> => ({ pk: { S: `item-${i}` }, n: { N: String(i) } });
  for (let i = 0; i < ITEMS; i += 25) {
    let pending: WriteRequest[] = Array.from({ length: Math.min(25, ITEMS - i) }, (_, j) => ({
      PutRequest: { Item: item(i + j) },
    }));
    while (pending.length > 0) {
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: pending } }));
      pending = out.UnprocessedItems?.[TABLE] ?? [];
    }
  }
}

/** The client, every request held back `latencyMs` first: network latency that loopback lacks. Typed as the client it wraps. */
const withLatency = (client: DynamoDBClient, latencyMs: number): DynamoDBClient =>
  ({
    send: async (command: object, options?: { abortSignal?: AbortSignal }) => {
      await sleep(latencyMs);
      return client.send(command as never, options);
    },
  }) as unknown as DynamoDBClient;

/** Median and range of the same-round ratios of `name` to `to`, as `to`/`name` (a speed-up). */
function speedUp(samples: Timings, name: string, to: string): { median: number; min: number; max: number } {
  const ratios: number[] = [];
  const byRound = samples.toJSON();
  const a = byRound[name]!;
  const b = byRound[to]!;
  a.forEach((round, r) => round.forEach((x) => b[r]!.forEach((y) => ratios.push(y / x))));
  return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}

const range = (s: { median: number; min: number; max: number }, scale = 1) =>
  `median ${(s.median * scale).toFixed(3)}, range ${(s.min * scale).toFixed(3)}-${(s.max * scale).toFixed(3)}`;

main(async () => {
  const server = await startServer();
  const client = new DynamoDBClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: fakeCredentials(),
    maxAttempts: 1,
  });
  try {
    await load(client);
    progress('readAhead', `loaded ${ITEMS} items: ${PAGES} pages of ${PAGE_SIZE}`);
    const sections: Section[] = [];
    const goals: Goal[] = [];
    const details: Record<string, unknown> = { pages: PAGES, pageSize: PAGE_SIZE };
    const input = { TableName: TABLE };
    const rounds = { rounds: quick ? 2 : 6, iterations: quick ? 1 : 2, warmupIterations: 1 };

    // ---- 7. read-ahead ----
    const rows: Row[] = [];
    for (const { latencyMs, workMs } of CASES) {
      const slow = withLatency(client, latencyMs);
      const work = () => sleep(workMs);
      const scan = (prefetch: number, withWork: boolean) => async () => {
        let pages = 0;
        await lastValueFrom(
          processPages(Scan, slow, input, () => (pages++, withWork ? work() : Promise.resolve()), {
            pageSize: PAGE_SIZE,
            prefetch,
          }),
          { defaultValue: undefined },
        );
        if (pages !== PAGES) throw new Error(`expected ${PAGES} pages, got ${pages}`);
      };
      const SERIAL = 'prefetch 0';
      const AHEAD = 'prefetch 1';
      const samples = await alternate(
        [
          { name: SERIAL, fn: scan(0, true) },
          { name: AHEAD, fn: scan(1, true) },
          { name: 'reads alone', fn: scan(0, false) },
          {
            name: 'work alone',
            fn: async () => {
              for (let i = 0; i < PAGES; i++) await work();
            },
          },
        ],
        rounds,
      );
      // L and W as they are on this machine: timers and the server add to the nominal values.
      const l = samples.median('reads alone') / PAGES;
      const w = samples.median('work alone') / PAGES;
      const ideal = (l + w) / Math.max(l, w);
      const measured = speedUp(samples, AHEAD, SERIAL);
      const share = { median: measured.median / ideal, min: measured.min / ideal, max: measured.max / ideal };
      const label = `L=${latencyMs} ms, W=${workMs} ms`;
      rows.push({
        name: `${label}: prefetch 1 vs 0`,
        value: samples.median(AHEAD) / PAGES,
        unit: 'ms/page',
        ratio: measured.median,
        ratioTo: `prefetch 0 (speed-up; ${range(measured)})`,
        note:
          `prefetch 0 ${(samples.median(SERIAL) / PAGES).toFixed(2)} ms/page; measured L ${l.toFixed(2)} ms, W ${w.toFixed(2)} ms; ` +
          `ideal (L+W)/max(L,W) = ${ideal.toFixed(3)}x; share of ideal ${range(share, 100)} %`,
      });
      goals.push({
        id: `7.readAhead.L${latencyMs}W${workMs}`,
        goal: `read-ahead (${label}): shortfall from the ideal speed-up (goal: at least ${GOAL_SHARE * 100}% of it)`,
        measured: (1 - share.median) * 100,
        target: (1 - GOAL_SHARE) * 100,
        unit: '%',
        op: '<=',
        note: `speed-up ${range(measured)}; ideal ${ideal.toFixed(3)}x`,
      });
      details[label] = { samplesMsPerRound: samples.toJSON(), latencyMs: l, workMs: w, ideal, speedUp: measured };
      progress('readAhead', `${label}: speed-up ${measured.median.toFixed(3)}x of ideal ${ideal.toFixed(3)}x`);
    }
    sections.push({
      title: `7. Read-ahead: processPages(Scan, client, input, work, { prefetch }), ${PAGES} dynalite pages of ${PAGE_SIZE}, latency L added per request, work W per page`,
      rows,
      notes: [
        'ideal = (L+W)/max(L,W) with L (reads alone) and W (work alone) as measured in this run; ranges are over same-round pairs',
      ],
    });

    // ---- 8. parallelScan speed-up per segment count ----
    const latencyMs = 5;
    const slow = withLatency(client, latencyMs);
    const name = (n: number) => `${n} segment${n > 1 ? 's' : ''}`;
    const parallel = await alternate(
      SEGMENTS.map((n) => ({
        name: name(n),
        fn: async () => {
          let items = 0;
          await new Promise<void>((resolve, reject) =>
            parallelScan(slow, input, { totalSegments: n, pageSize: PAGE_SIZE }).subscribe({
              next: ({ page }) => (items += page.Items?.length ?? 0),
              error: reject,
              complete: resolve,
            }),
          );
          if (items !== ITEMS) throw new Error(`parallelScan with ${n} segments: ${items} items, expected ${ITEMS}`);
        },
      })),
      rounds,
    );
    sections.push({
      title: `8. parallelScan speed-up per segment count: ${ITEMS} dynalite items, pageSize ${PAGE_SIZE}, L=${latencyMs} ms per request`,
      rows: SEGMENTS.map((n) => {
        const s = speedUp(parallel, name(n), name(1));
        return {
          name: `parallelScan, ${name(n)}`,
          value: parallel.median(name(n)),
          unit: 'ms/scan',
          ...(n > 1 && { ratio: s.median, ratioTo: `1 segment (speed-up; ${range(s)})` }),
          note:
            n > 1 ? `share of the ideal ${n}x: ${range({ median: s.median / n, min: s.min / n, max: s.max / n }, 100)} %` : '',
        };
      }),
      notes: ['dynalite is one single-threaded process: segments overlap latency, they cannot add server cores.'],
    });
    details.parallelScan = { latencyMs, samplesMsPerRound: parallel.toJSON() };
    return { sections, goals, details };
  } finally {
    client.destroy();
    server.stop();
  }
});

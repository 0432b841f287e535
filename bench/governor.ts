/**
 * Measurement 9, the governor against a throttling DynamoDB: dynalite in its
 * own process behind the tests' throttling proxy, which answers
 * ProvisionedThroughputExceededException above N Scan requests a second (a
 * token bucket of N a second holding N, on the proxy's clock). Eight
 * `parallelScan` segments read the whole table each run, through a fresh
 * proxy:
 *
 *  - sharing a governor told N (`rate: { 'DynamoDB.Scan': N }`), as a user
 *    who knows the table's or the API's limit would;
 *  - sharing a governor that is not told N: it learns it from the throttling;
 *  - with no governor, the SDK client retrying on its own: its default 3
 *    attempts, and 10 attempts.
 *
 * N is set from this machine: 0.4 of the rate at which the segments read the
 * table through a proxy that never throttles, so that the service's limit,
 * not the machine, is what the governor meets. Per run: the share of
 * requests throttled (goal <= 1 %), and the pages read a second as a share
 * of N (goal >= 90 %; a run that used the proxy's burst at the start may
 * exceed 100 %), both counted by the proxy. The goals are the governor's told N; the learning
 * one is printed beside them (finding N costs it a handful of throttled
 * requests, so its share depends on the run's length and N).
 */
import { fork, type ChildProcess } from 'child_process';
import { join } from 'path';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type AttributeValue,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { lastValueFrom, take } from 'rxjs';
import { createGovernor, type Governor } from '../src';
import { parallelScan } from '../src/services/generated/dynamodb';
import { fakeCredentials, main, progress, type Goal, type Row, type Section } from './common';

const quick = process.argv.includes('--quick');
const ITEMS = quick ? 600 : 3000;
const SEGMENTS = 8;
const TABLE = 'governed';
/** Seconds a governed run should take at N requests a second. */
const RUN_SECONDS = quick ? 4 : 8;
/** Pages the calibration reads: a few seconds' worth on a busy machine. */
const CALIBRATION_PAGES = quick ? 30 : 80;
const GOALS = { throttledPercent: 1, ratePercent: 90 };

interface Service {
  readonly dynalite: string;
  /** A fresh proxy (a full bucket) allowing `rate` Scan requests a second; its endpoint. */
  proxy(rate: number): Promise<string>;
  counts(): Promise<{ forwarded: number; throttled: number }>;
  stop(): void;
}

function startService(): Promise<Service> {
  const child: ChildProcess = fork(join(__dirname, 'throttlingServer.js'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const reply = <T>(kind: string): Promise<T> =>
    new Promise((resolve) => {
      const listen = (message: { kind: string } & T) => {
        if (message.kind !== kind) return;
        child.off('message', listen);
        resolve(message);
      };
      child.on('message', listen);
    });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`throttling server exited with ${code}`)));
    void reply<{ port: number }>('listening').then(({ port }) =>
      resolve({
        dynalite: `http://127.0.0.1:${port}`,
        async proxy(rate) {
          const answer = reply<{ port: number }>('proxy');
          child.send({ kind: 'proxy', rate, burst: rate });
          return `http://127.0.0.1:${(await answer).port}`;
        },
        counts() {
          const answer = reply<{ forwarded: number; throttled: number }>('counts');
          child.send({ kind: 'counts' });
          return answer;
        },
        stop() {
          child.removeAllListeners('exit');
          child.kill();
        },
      }),
    );
  });
}

const clientOf = (endpoint: string, maxAttempts: number) =>
  new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: fakeCredentials(), maxAttempts });

async function load(client: DynamoDBClient): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: TABLE,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  while ((await client.send(new DescribeTableCommand({ TableName: TABLE }))).Table?.TableStatus !== 'ACTIVE') {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const item = (i: number): Record<string, AttributeValue> => ({ pk: { S: `item-${i}` }, n: { N: String(i) } });
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < ITEMS; i += 25) {
    batches.push(Array.from({ length: Math.min(25, ITEMS - i) }, (_, j) => ({ PutRequest: { Item: item(i + j) } })));
  }
  const writeAll = async () => {
    for (let batch = batches.pop(); batch; batch = batches.pop()) {
      let pending = batch;
      while (pending.length > 0) {
        const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: pending } }));
        pending = out.UnprocessedItems?.[TABLE] ?? [];
      }
    }
  };
  await Promise.all([writeAll(), writeAll(), writeAll(), writeAll()]);
}

interface Run {
  readonly name: string;
  readonly seconds: number;
  /** Requests the proxy let through (pages) and refused. */
  readonly forwarded: number;
  readonly throttled: number;
  /** Pages read a second, as a share of N (over 100 % when the proxy's burst was used). */
  readonly ratePercent: number;
  readonly throttledPercent: number;
  readonly error?: string;
}

main(async () => {
  const service = await startService();
  try {
    await load(clientOf(service.dynalite, 1));
    progress('governor', `loaded ${ITEMS} items`);

    const scan = async (
      name: string,
      rate: number,
      pageSize: number,
      maxAttempts: number,
      governor?: Governor,
      pages = Infinity,
    ): Promise<Run> => {
      const client = clientOf(await service.proxy(rate), maxAttempts);
      let error: string | undefined;
      const started = performance.now();
      try {
        await lastValueFrom(
          parallelScan(client, { TableName: TABLE }, { totalSegments: SEGMENTS, pageSize, ...(governor && { governor }) }).pipe(
            take(pages),
          ),
          { defaultValue: undefined },
        ).then(undefined, (failure: unknown) => {
          error = failure instanceof Error ? failure.name : String(failure);
        });
      } finally {
        client.destroy();
      }
      const seconds = (performance.now() - started) / 1000;
      const { forwarded, throttled } = await service.counts();
      const run: Run = {
        name,
        seconds,
        forwarded,
        throttled,
        ratePercent: (forwarded / seconds / rate) * 100,
        throttledPercent: (throttled / Math.max(1, forwarded + throttled)) * 100,
        ...(error !== undefined && { error }),
      };
      progress(
        'governor',
        `${name}: ${seconds.toFixed(1)} s, ${forwarded} pages, ${throttled} throttled (${run.throttledPercent.toFixed(2)} %), ` +
          `${run.ratePercent.toFixed(1)} % of the allowed rate${error ? `; failed: ${error}` : ''}`,
      );
      return run;
    };

    // How fast this machine reads the table without throttling; N is a share of it.
    const calibration = await scan('calibration (no throttling)', 1e6, 10, 1, undefined, CALIBRATION_PAGES);
    const machineRate = calibration.forwarded / calibration.seconds;
    const limit = Math.max(10, Math.min(200, Math.round(machineRate * 0.4)));
    const pageSize = Math.max(1, Math.ceil(ITEMS / (RUN_SECONDS * limit)));
    progress('governor', `this machine reads ${machineRate.toFixed(0)} pages/s: N = ${limit} Scan/s, pages of ${pageSize}`);

    const told = await scan('governor told N', limit, pageSize, 1, createGovernor({ rate: { 'DynamoDB.Scan': limit } }));
    const learning = await scan('governor not told N', limit, pageSize, 1, createGovernor());
    const sdkDefault = await scan('no governor, SDK retries (3 attempts)', limit, pageSize, 3);
    const sdkTen = await scan('no governor, SDK retries (10 attempts)', limit, pageSize, 10);
    const runs = [told, learning, sdkDefault, sdkTen];

    const rows: Row[] = runs.flatMap((run) => [
      {
        name: `${run.name}: throttled`,
        value: run.throttledPercent,
        unit: '%',
        note: `${run.throttled} of ${run.forwarded + run.throttled} requests${run.error ? `; the scan failed: ${run.error}` : ''}`,
      },
      {
        name: `${run.name}: rate`,
        value: run.ratePercent,
        unit: '% of N',
        note: `${run.forwarded} pages in ${run.seconds.toFixed(1)} s`,
      },
    ]);
    const sections: Section[] = [
      {
        title: `9. governor: ${SEGMENTS} parallelScan segments against a throttling DynamoDB (N = ${limit} Scan/s, burst N)`,
        rows,
        notes: [
          `N is 0.4 of this machine's unthrottled rate (${machineRate.toFixed(0)} pages/s); pages of ${pageSize} items, ${ITEMS} items`,
          'rate: pages read a second, as a share of N; over 100 % when a run used the burst the proxy allows at the start',
          'without a governor each throttled request is retried by the SDK client (its standard strategy), out of sight of the others',
        ],
      },
    ];
    // The goals are the shared governor's, told the limit as a user who knows it would be; the one learning
    // it is shown beside it: finding N costs it a handful of throttled requests, whatever the run's length.
    const goals: Goal[] = [
      {
        id: 'governor-throttled',
        goal: '9. segments sharing a governor: requests throttled',
        measured: told.throttledPercent,
        target: GOALS.throttledPercent,
        unit: '%',
        op: '<=',
        note: `learning N instead: ${learning.throttledPercent.toFixed(2)} %, ${learning.throttled} requests`,
        ...(told.error !== undefined && { skipped: `the governed scan failed: ${told.error}` }),
      },
      {
        id: 'governor-rate',
        goal: '9. segments sharing a governor: share of the allowed rate',
        measured: told.ratePercent,
        target: GOALS.ratePercent,
        unit: '%',
        op: '>=',
        note: `learning N instead: ${learning.ratePercent.toFixed(1)} %`,
        ...(told.error !== undefined && { skipped: `the governed scan failed: ${told.error}` }),
      },
    ];
    return { sections, goals, details: { limit, pageSize, items: ITEMS, machineRate, runs: [calibration, ...runs] } };
  } finally {
    service.stop();
  }
});

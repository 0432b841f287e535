/**
 * Measurement 2, flat memory: retained heap (after forced GC, `--expose-gc`)
 * at the start, middle and end of
 *  - one pagination of 1,000,000 pages from a synchronous send (`of(page)`),
 *    the middle reading taken from inside the subscriber at page 500,000;
 *  - 100,000 subscribe/unsubscribe cycles of `waitFor`, unsubscribed while the
 *    request is in flight (a send that only ends when aborted), and while
 *    waiting out the delay after a `retry` response.
 */
import { of } from 'rxjs';
import type { DescribeTableCommandInput, ScanCommandInput } from '@aws-sdk/client-dynamodb';
import { compilePaginator, compileWaiter, paginate, waitFor, type Send } from '../src';
import { Scan, TableExists } from '../src/services/generated/dynamodb';
import {
  heapAfterGc,
  main,
  MB,
  nextTick,
  progress,
  scanPage,
  type FakeScanPage,
  type Goal,
  type Row,
  type WorkerReport,
} from './common';

const quick = process.argv.includes('--quick');
const PAGES = quick ? 100_000 : 1_000_000;
const CYCLES = quick ? 10_000 : 100_000;
const LIMIT_MB = 5;

const scanSpec = compilePaginator<ScanCommandInput, FakeScanPage>(Scan.spec);
const tableExists = compileWaiter<DescribeTableCommandInput, unknown>(TableExists.spec);

interface Readings {
  start: number;
  mid: number;
  end: number;
  ms: number;
}

/** One synchronous pagination of `total` pages; `atMid` runs inside the subscriber at the middle page. */
function paginateSync(total: number, atMid?: () => void): number {
  let served = 0;
  let pages = 0;
  let completed = false;
  const send: Send<ScanCommandInput, FakeScanPage> = () => of(scanPage(served++, total));
  paginate(scanSpec, send, { TableName: 'bench' }).subscribe({
    next: () => {
      if (++pages === total / 2) atMid?.();
    },
    error: (error: unknown) => {
      throw error;
    },
    complete: () => (completed = true),
  });
  if (!completed || pages !== total) throw new Error(`sync pagination: ${pages} pages, completed ${completed}`);
  return pages;
}

function measurePaginate(): Readings {
  paginateSync(20_000); // warm-up: JIT code and lazily built state are not growth
  const start = heapAfterGc();
  let mid = NaN;
  const t0 = performance.now();
  paginateSync(PAGES, () => (mid = heapAfterGc()));
  const ms = performance.now() - t0;
  const end = heapAfterGc();
  return { start, mid, end, ms };
}

const waitInput: DescribeTableCommandInput = { TableName: 'bench' };

/** A send like the SDK's: pending until its signal aborts it. */
const pendingSend: Send<DescribeTableCommandInput, unknown> = (_input, { abortSignal }) =>
  new Promise((_resolve, reject) => abortSignal.addEventListener('abort', () => reject(abortSignal.reason), { once: true }));

/** Answers at once that the table is still being created: the waiter then sleeps its delay (20 s). */
const creatingSend: Send<DescribeTableCommandInput, unknown> = () =>
  of({ Table: { TableStatus: 'CREATING' }, $metadata: { httpStatusCode: 200 } });

async function cycles(send: Send<DescribeTableCommandInput, unknown>, count: number, atMid?: () => void): Promise<void> {
  for (let i = 1; i <= count; i++) {
    const subscription = waitFor(tableExists, send, waitInput, { maxWaitTime: 600 }).subscribe({
      error: (error: unknown) => {
        throw error;
      },
    });
    subscription.unsubscribe();
    // Let the aborts' rejections and cleared timers settle now and then, as an event loop would.
    if (i % 1000 === 0) await nextTick();
    if (i === count / 2) atMid?.();
  }
  await nextTick();
}

async function measureWaitFor(send: Send<DescribeTableCommandInput, unknown>): Promise<Readings> {
  await cycles(send, 2_000); // warm-up
  const start = heapAfterGc();
  let mid = NaN;
  const t0 = performance.now();
  await cycles(send, CYCLES, () => (mid = heapAfterGc()));
  const ms = performance.now() - t0;
  const end = heapAfterGc();
  return { start, mid, end, ms };
}

function rows(readings: Readings, count: number, what: string): Row[] {
  const mb = (bytes: number) => bytes / MB;
  return [
    { name: 'retained heap at start', value: mb(readings.start), unit: 'MB' },
    { name: 'retained heap at middle', value: mb(readings.mid), unit: 'MB', note: 'gc() from inside the run' },
    { name: 'retained heap at end', value: mb(readings.end), unit: 'MB' },
    { name: 'growth, max(middle, end) - start', value: mb(Math.max(readings.mid, readings.end) - readings.start), unit: 'MB' },
    {
      name: `time per ${what}`,
      value: (readings.ms * 1000) / count,
      unit: 'µs',
      note: `${count.toLocaleString('en')} in ${(readings.ms / 1000).toFixed(2)} s, GC readings included`,
    },
  ];
}

main(async (): Promise<WorkerReport> => {
  progress('memory', `${PAGES.toLocaleString('en')} synchronous pages`);
  const pages = measurePaginate();
  progress('memory', `${CYCLES.toLocaleString('en')} waitFor cycles, unsubscribed in flight`);
  const inFlight = await measureWaitFor(pendingSend);
  progress('memory', `${CYCLES.toLocaleString('en')} waitFor cycles, unsubscribed during the delay`);
  const midDelay = await measureWaitFor(creatingSend);

  const growth = (r: Readings) => (Math.max(r.mid, r.end) - r.start) / MB;
  const goal = (id: string, text: string, r: Readings): Goal => ({
    id,
    goal: text,
    measured: growth(r),
    target: LIMIT_MB,
    unit: 'MB',
  });
  return {
    sections: [
      { title: `2a. Flat memory: paginate, ${PAGES.toLocaleString('en')} pages from of(page)`, rows: rows(pages, PAGES, 'page') },
      {
        title: `2b. Flat memory: waitFor, ${CYCLES.toLocaleString('en')} subscribe/unsubscribe cycles, request in flight (aborted)`,
        rows: rows(inFlight, CYCLES, 'cycle'),
      },
      {
        title: `2c. Flat memory: waitFor, ${CYCLES.toLocaleString('en')} subscribe/unsubscribe cycles, during the 20 s delay (timers cleared)`,
        rows: rows(midDelay, CYCLES, 'cycle'),
      },
    ],
    goals: [
      goal('2.pages', `${PAGES.toLocaleString('en')} sync pages complete; retained heap grows < ${LIMIT_MB} MB`, pages),
      goal(
        '2.waitFor-inflight',
        `${CYCLES.toLocaleString('en')} waitFor cycles (in flight): heap grows < ${LIMIT_MB} MB`,
        inFlight,
      ),
      goal('2.waitFor-delay', `${CYCLES.toLocaleString('en')} waitFor cycles (mid-delay): heap grows < ${LIMIT_MB} MB`, midDelay),
    ],
    details: { pages: PAGES, cycles: CYCLES, bytes: { paginate: pages, waitForInFlight: inFlight, waitForMidDelay: midDelay } },
  };
});

/**
 * The workload run under `node --cpu-prof` when a goal is missed (or with
 * --profile): paginate's hot path from measurement 1, 200,000 pages from an
 * in-process send that returns a resolved Promise and reads its abort signal
 * as an SDK call does, five times over.
 */
import type { ScanCommandInput } from '@aws-sdk/client-dynamodb';
import { compilePaginator, paginate } from '../src';
import { Scan } from '../src/services/generated/dynamodb';
import { answerWithSignal, main, progress, scanPage, type FakeScanPage } from './common';

const PAGES = 200_000;
const RUNS = 5;
const spec = compilePaginator<ScanCommandInput, FakeScanPage>(Scan.spec);

main(async () => {
  let total = 0;
  for (let run = 0; run < RUNS; run++) {
    let served = 0;
    await new Promise<void>((resolve, reject) =>
      paginate(spec, (_input, { abortSignal }) => answerWithSignal(scanPage(served++, PAGES), abortSignal), {
        TableName: 'bench',
      }).subscribe({
        next: (page) => (total += page.Items.length),
        error: reject,
        complete: resolve,
      }),
    );
  }
  progress('profile', `${total.toLocaleString('en')} pages profiled`);
  return { sections: [], goals: [], details: { pages: total } };
});

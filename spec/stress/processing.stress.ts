/**
 * Memory of metered work, measured after full garbage collections:
 *
 * - processPages with the first page's work stuck and 10,000 pages of 100 KB
 *   behind it: the reads stop at `concurrency + prefetch` pages, and the heap
 *   stays where it was (what `mergeMap(work, 2)` would hold is 10,000 pages, 1 GB);
 * - processItems over 200,000 items (2,000 pages of 100, answered at once)
 *   with a consumer slower than the reads (a microtask per item, a turn of
 *   the event loop every 100): the heap stays flat through the run, where
 *   `items()` then `concatMap` holds every page read ahead of the consumer
 *   (measured on 50,000 items: its buffer costs time with the square of its length).
 *
 * Not in `npm test`: `npm run test:stress` (jest.stress.config.js, node --expose-gc).
 */
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';
import { concatMap, lastValueFrom, NEVER, of } from 'rxjs';
import { compilePaginator, items, paginate, processItems, processPages, type Send } from '../../src';

const collectGarbage: () => void =
  (globalThis as { gc?: () => void }).gc ?? (setFlagsFromString('--expose-gc'), runInNewContext('gc'));
const MB = 1024 * 1024;
const heap = () => {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
};
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

type Input = { NextToken?: string };
type Output = { Items: string[]; NextToken?: string };
const spec = compilePaginator<Input, Output>({ input_token: 'NextToken', output_token: 'NextToken', result_key: 'Items' });

/** `pages` pages of `perPage` items of `itemBytes` characters, each made when it is asked for; `later`: answered on a later turn. */
function source(pages: number, perPage: number, itemBytes: number, later = true) {
  let reads = 0;
  const send: Send<Input, Output> = (input) => {
    reads++;
    const n = input.NextToken === undefined ? 0 : Number(input.NextToken);
    const page: Output = {
      Items: Array.from({ length: perPage }, (_, i) => `${n}/${i}/`.padEnd(itemBytes, 'x')),
      ...(n < pages - 1 && { NextToken: String(n + 1) }),
    };
    return later ? turn().then(() => page) : of(page);
  };
  return { send, reads: () => reads };
}

describe('memory of metered work', () => {
  test('processPages: one page stuck, 10,000 pages of 100 KB behind it: 3 reads, and a flat heap', async () => {
    const before = heap();
    const { send, reads } = source(10_000, 1, 100 * 1024);
    let done = 0;
    const subscription = processPages(spec, send, {}, (page) => (page.Items[0]!.startsWith('0/') ? NEVER : of(done++)), {
      concurrency: 2,
      prefetch: 1,
    }).subscribe();
    for (let i = 0; i < 50; i++) await turn();
    const grown = heap() - before;
    console.log(
      `processPages, page 0 stuck: ${reads()} reads of 10,000 pages, ${done} done, heap +${(grown / MB).toFixed(2)} MB`,
    );
    expect(reads()).toBe(3);
    expect(grown).toBeLessThan(5 * MB);
    subscription.unsubscribe();
  });

  test('processItems over 200,000 items with a slow consumer: the heap stays flat, where items() then concatMap grows', async () => {
    const measure = async (
      pages: number,
      run: (send: Send<Input, Output>, work: (item: string) => Promise<number>) => Promise<unknown>,
    ) => {
      const { send, reads } = source(pages, 100, 100, false);
      const before = heap();
      let most = 0;
      let count = 0;
      const work = async () => {
        await (count % 100 === 0 ? turn() : Promise.resolve());
        if (++count % 20_000 === 0) most = Math.max(most, heap() - before);
        return count;
      };
      await run(send, work);
      return { most, count, reads: reads() };
    };
    const metered = await measure(2000, (send, work) =>
      lastValueFrom(processItems(spec, send, {}, work, { prefetch: 1 }), { defaultValue: undefined }),
    );
    // On fewer items: concatMap's buffer is an array shifted once per item, so its time grows with the square.
    const piped = await measure(500, (send, work) =>
      lastValueFrom(paginate(spec, send, {}).pipe(items<string>(spec), concatMap(work)), { defaultValue: undefined }),
    );
    console.log(
      `consumed slower than read: processItems, 200,000 items, heap at most +${(metered.most / MB).toFixed(2)} MB ` +
        `(${metered.reads} reads); items() then concatMap, 50,000 items, +${(piped.most / MB).toFixed(2)} MB (${piped.reads} reads)`,
    );
    expect(metered.count).toBe(200_000);
    expect(piped.count).toBe(50_000);
    expect(metered.most).toBeLessThan(5 * MB);
    expect(piped.most).toBeGreaterThan(5 * MB);
  });
});

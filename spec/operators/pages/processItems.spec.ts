import { concatMap, lastValueFrom, NEVER, of, Subject, toArray } from 'rxjs';
import {
  compilePaginator,
  items,
  paginate,
  PaginationError,
  processItems,
  processPages,
  resumeTokenOf,
  SpecError,
  type Send,
} from '../../../src';

/**
 * A table of numbered items in key order, read as DynamoDB reads one: a page is
 * the `Limit` items after the key `NextToken` names, and its `NextToken` is the
 * key of its last item (absent after the last page). `rows` can change between runs.
 */
type Input = { NextToken?: string; Limit?: number };
type Output = { Items: number[]; NextToken?: string };
const spec = compilePaginator<Input, Output>({
  input_token: 'NextToken',
  output_token: 'NextToken',
  limit_key: 'Limit',
  result_key: 'Items',
});

function table(count: number) {
  const rows = Array.from({ length: count }, (_, i) => i);
  const reads: Input[] = [];
  const send: Send<Input, Output> = (input) => {
    reads.push(input);
    const after = input.NextToken === undefined ? -1 : Number(input.NextToken);
    const from = rows.findIndex((row) => row > after);
    const page = from < 0 ? [] : rows.slice(from, from + (input.Limit ?? 5));
    const more = from >= 0 && from + page.length < rows.length;
    return of({ Items: page, ...(more && { NextToken: String(page[page.length - 1]) }) });
  };
  return { rows, reads, send };
}

/** Item work that ends when the test says so. */
function manualWork() {
  const running = new Map<number, Subject<number>>();
  const started: number[] = [];
  const work = (item: number) => {
    started.push(item);
    const done = new Subject<number>();
    running.set(item, done);
    return done;
  };
  const finish = (item: number) => {
    const done = running.get(item)!;
    running.delete(item);
    done.next(item);
    done.complete();
  };
  const fail = (item: number, error: unknown) => {
    const done = running.get(item)!;
    running.delete(item);
    done.error(error);
  };
  return { work, finish, fail, running, started };
}

/** The items a resumed run works on, to the end. */
async function resumeFrom(send: Send<Input, Output>, startingToken: string | undefined, options: object = {}): Promise<number[]> {
  return lastValueFrom(
    processItems(spec, send, {}, (item: number) => of(item), {
      ...options,
      ...(startingToken !== undefined && { startingToken }),
    }).pipe(toArray()),
  );
}

describe('processItems', () => {
  it('reads only the pages the work needs, where items() then concatMap reads them all', () => {
    const problem = table(100);
    const slow = new Subject<void>();
    const seen: number[] = [];
    const piped = paginate(spec, problem.send, {})
      .pipe(
        items<number>(spec),
        concatMap((item: number) => slow.pipe(concatMap(() => of(item)))),
      )
      .subscribe((item) => seen.push(item));
    expect(problem.reads).toHaveLength(20); // all 20 pages for the first item's sake
    piped.unsubscribe();

    const { send, reads } = table(100);
    const { work, finish } = manualWork();
    processItems(spec, send, {}, work).subscribe();
    for (let item = 0; item < 7; item++) finish(item);
    // Items 0..6 done, item 7 in work: pages 0 and 1 read, no more.
    expect(reads).toHaveLength(2);
  });

  it.each([0, 1, 3])('holds at most 1 + prefetch pages behind a stuck item, with prefetch %i', (prefetch) => {
    const { send, reads } = table(10_000);
    const subscription = processItems(spec, send, {}, (item: number) => (item === 0 ? NEVER : of(item)), {
      concurrency: 4,
      prefetch,
    }).subscribe();
    expect(reads).toHaveLength(1 + prefetch);
    subscription.unsubscribe();
  });

  it('resumes at the item: a checkpoint inside a page counts the items done, with the page size, as maxItems tokens do', async () => {
    const { send } = table(23);
    const failure = new Error('item 7');
    const seen: number[] = [];
    const error = await lastValueFrom(
      processItems(spec, send, {}, (item: number) => (item === 7 ? Promise.reject(failure) : of(seen.push(item))), {
        pageSize: 5,
      }),
    ).catch((e: unknown) => e);
    expect(error).toBe(failure);
    const token = resumeTokenOf(failure)!;
    // botocore's format: the page's token, the page size it was read at, and the 2 items of it done.
    expect(JSON.parse(atob(token))).toEqual({ NextToken: '4', Limit: 5, boto_truncate_amount: 2 });
    // Resumed with another page size, it reads that page at the recorded size and skips exactly the items done.
    const rest = await resumeFrom(send, token, { pageSize: 3 });
    expect([...seen, ...rest]).toEqual(Array.from({ length: 23 }, (_, i) => i));
  });

  it('skips, on resume, the items done out of order past the oldest unfinished one', async () => {
    const { send } = table(23);
    const { work, finish, fail, started } = manualWork();
    let failure: unknown;
    processItems(spec, send, {}, work, { concurrency: 3, prefetch: 1 }).subscribe({ error: (e: unknown) => (failure = e) });
    for (const item of [0, 2, 3, 4, 6]) finish(item);
    fail(1, new Error('item 1'));
    // Items 5 and 7 are in flight: their outcome is waited for.
    expect(failure).toBeUndefined();
    finish(5);
    finish(7);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(await resumeFrom(send, resumeTokenOf(failure))).toEqual([1, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22]);
  });

  it('with resumeAfter, a checkpoint names the last item done by its key, and survives an item deleted before it', async () => {
    const run = async (options: object) => {
      const { rows, send } = table(23);
      const failure = new Error('item 7');
      const done: number[] = [];
      await lastValueFrom(
        processItems(spec, send, {}, (item: number) => (item === 7 ? Promise.reject(failure) : of(done.push(item))), options),
      ).catch(() => undefined);
      rows.splice(rows.indexOf(5), 1); // deleted between the runs, before where the first one stopped
      const token = resumeTokenOf(failure)!;
      return { token: JSON.parse(atob(token)) as unknown, all: [...done, ...(await resumeFrom(send, token, options))] };
    };
    const byCount = await run({});
    expect(byCount.token).toEqual({ NextToken: '4', boto_truncate_amount: 2 });
    // botocore's count of the items done skips one item too many once an item before them is gone: item 7 is lost.
    expect(byCount.all).not.toContain(7);
    const byKey = await run({ resumeAfter: (item: number) => ({ NextToken: String(item) }) });
    expect(byKey.token).toEqual({ NextToken: '6' });
    expect(byKey.all.sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, i) => i));
  });

  it('knows items done out of order by their key with resumeAfter, so that another page size still skips them', async () => {
    const run = async (options: object) => {
      const { send } = table(23);
      const { work, finish, fail } = manualWork();
      let failure: unknown;
      processItems(spec, send, {}, work, { ...options, concurrency: 3 }).subscribe({ error: (e: unknown) => (failure = e) });
      finish(0);
      finish(2);
      finish(3);
      fail(1, new Error('item 1'));
      finish(4);
      return resumeFrom(send, resumeTokenOf(failure), { ...options, pageSize: 3 });
    };
    // By position, the items of pages read at another size are other items: done again, never skipped.
    expect(await run({})).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
    expect(await run({ resumeAfter: (item: number) => ({ NextToken: String(item) }) })).toEqual([
      1,
      ...Array.from({ length: 18 }, (_, i) => i + 5),
    ]);
  });

  it('passes pages without items, and gives a checkpoint after each item', async () => {
    const pages: Output[] = [
      { Items: [0, 1], NextToken: 'a' },
      { Items: [], NextToken: 'b' },
      { Items: [], NextToken: 'c' },
      { Items: [2] },
    ];
    const send: Send<Input, Output> = (input) => of(pages[input.NextToken === undefined ? 0 : ' abc'.indexOf(input.NextToken)]!);
    const checkpoints: string[] = [];
    const seen = await lastValueFrom(
      processItems(spec, send, {}, (item: number) => of(item), { onCheckpoint: (c) => void checkpoints.push(c) }).pipe(toArray()),
    );
    expect(seen).toEqual([0, 1, 2]);
    expect(checkpoints).toHaveLength(3);
    expect(JSON.parse(atob(checkpoints[0]!))).toEqual({ NextToken: null, boto_truncate_amount: 1 });
    expect(await resumeFrom(send, checkpoints[1])).toEqual([2]);
    expect(await resumeFrom(send, checkpoints[2])).toEqual([]);
  });

  it('refuses a spec without result_key, a resumeAfter that gives no input tokens, and a checkpoint of processPages', async () => {
    const { send } = table(10);
    expect(() => processItems({ input_token: 'NextToken', output_token: 'NextToken' }, send, {}, () => of(1))).toThrow(
      new SpecError('result_key', 'is needed by processItems: it names the items (this paginator has none)'),
    );
    const started: number[] = [];
    const refused = await lastValueFrom(
      processItems(spec, send, {}, (item: number) => of(started.push(item)), { resumeAfter: () => ({ ExclusiveStartKey: 1 }) }),
    ).catch((e: unknown) => e);
    expect(refused).toEqual(
      new SpecError('options.resumeAfter', 'must return a record of input tokens (NextToken), got one with "ExclusiveStartKey"'),
    );
    expect(started).toEqual([]);
    const checkpoints: string[] = [];
    await lastValueFrom(processPages(spec, send, {}, () => of(1), { onCheckpoint: (c) => void checkpoints.push(c) }));
    await expect(lastValueFrom(processItems(spec, send, {}, () => of(1), { startingToken: checkpoints.pop()! }))).rejects.toEqual(
      new PaginationError(
        'Bad starting token: a checkpoint of processPages or processItems, but it is a checkpoint of processPages, which counts pages: resume it with processPages',
      ),
    );
  });
});

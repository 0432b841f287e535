import { lastValueFrom, NEVER, Observable, of, Subject, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { paginate, PaginationError, processPages, resumeTokenOf, SpecError, type Send, type WorkContext } from '../../../src';
import { hmacTokenSigner } from '../../../src/signing';
import { manual, spec, type Input, type Output } from '../../support/manualPages';

/** Pages 0..last at once, one item each (its number). */
const pagesUpTo =
  (last: number): Send<Input, Output> =>
  (input) => {
    const n = input.NextToken === undefined ? 0 : Number(input.NextToken);
    return of({ Items: [n], ...(n < last && { NextToken: String(n + 1) }) });
  };
const instant = pagesUpTo(9);

/** Work that finishes when the test says so, per page number; `calls` counts the works started per page. */
function manualWork() {
  const running = new Map<number, Subject<string>>();
  const calls = new Map<number, number>();
  const work = (page: Output) => {
    const n = page.Items[0]!;
    calls.set(n, (calls.get(n) ?? 0) + 1);
    const done = new Subject<string>();
    running.set(n, done);
    return done;
  };
  const finish = (n: number) => {
    const done = running.get(n)!;
    running.delete(n);
    done.next(`wrote ${n}`);
    done.complete();
  };
  const fail = (n: number, error: unknown) => {
    const done = running.get(n)!;
    running.delete(n);
    done.error(error);
  };
  return { work, finish, fail, running, calls };
}

/** Runs to the end with work that completes at once, recording the pages worked on. */
async function runAll(startingToken: string | undefined, last = 9): Promise<number[]> {
  const worked: number[] = [];
  await lastValueFrom(
    processPages(spec, pagesUpTo(last), {}, (page) => of(worked.push(page.Items[0]!)), {
      ...(startingToken !== undefined && { startingToken }),
    }),
    { defaultValue: undefined },
  );
  return worked;
}

const failureOf = (subscribe: (observer: { error: (e: unknown) => void }) => void): (() => unknown) => {
  let failure: unknown;
  subscribe({ error: (e) => (failure = e) });
  return () => failure;
};

describe('processPages', () => {
  it('requests the next page only when the work has room for it', () => {
    const { send, calls, respond } = manual(5);
    const { work, finish } = manualWork();
    const results: string[] = [];
    processPages(spec, send, {}, work).subscribe((r) => results.push(r));
    expect(calls).toEqual([0]);
    respond();
    // Page 0 is in work: concatMap would have asked for page 1 already.
    expect(calls).toEqual([0]);
    finish(0);
    expect(results).toEqual(['wrote 0']);
    expect(calls).toEqual([0, 1]);
  });

  it('keeps at most `concurrency` pages in work and `prefetch` more read', () => {
    const { send, calls, respond, inFlight } = manual(20);
    const { work, finish, running } = manualWork();
    let completed = 0;
    let done = false;
    processPages(spec, send, {}, work, { concurrency: 2, prefetch: 1 }).subscribe({
      next: () => completed++,
      complete: () => (done = true),
    });
    let mostAhead = 0;
    const check = () => {
      expect(running.size).toBeLessThanOrEqual(2);
      mostAhead = Math.max(mostAhead, calls.length - completed);
    };
    while (!done) {
      // Answer every request there is, then finish the oldest work: the reads wait for the work.
      while (inFlight() > 0) {
        respond();
        check();
      }
      finish(Math.min(...running.keys()));
      check();
    }
    expect(completed).toBe(21);
    expect(calls).toHaveLength(21);
    // Two pages in work and one read ahead, never more.
    expect(mostAhead).toBe(3);
  });

  it.each([
    { concurrency: 2, prefetch: 0 },
    { concurrency: 2, prefetch: 3 },
    { concurrency: 8, prefetch: 1 },
  ])(
    'with %o and the first page stuck, reads stop at concurrency + prefetch pages, with 10,000 behind them',
    ({ concurrency, prefetch }) => {
      const calls: number[] = [];
      const many: Send<Input, Output> = (input) => {
        calls.push(Number(input.NextToken ?? 0));
        return pagesUpTo(10_000)(input, { abortSignal: new AbortController().signal });
      };
      const subscription = processPages(spec, many, {}, (page) => (page.Items[0] === 0 ? NEVER : of(page.Items[0])), {
        concurrency,
        prefetch,
      }).subscribe();
      // Pages past the stuck one were done out of order, but the stuck one holds the reads back.
      expect(calls).toHaveLength(concurrency + prefetch);
      subscription.unsubscribe();
    },
  );

  it('emits what the work emits and completes after the last work', async () => {
    const results = await lastValueFrom(
      processPages(spec, instant, {}, (page, { index }) => of(page.Items[0]! * 10, index), { concurrency: 3 }).pipe(toArray()),
    );
    expect(results).toEqual([0, 0, 10, 1, 20, 2, 30, 3, 40, 4, 50, 5, 60, 6, 70, 7, 80, 8, 90, 9]);
  });

  it('resumes after the pages done in order, and skips the pages done out of order', async () => {
    const { send, respond } = manual(9);
    const { work, finish, fail, calls } = manualWork();
    const failure = failureOf((observer) => processPages(spec, send, {}, work, { concurrency: 3 }).subscribe(observer));
    respond();
    respond();
    respond();
    finish(0);
    finish(2);
    respond(); // page 3, in work
    const boom = new Error('write failed');
    fail(1, boom);
    // Page 3's work is still in flight: its outcome is waited for.
    expect(failure()).toBeUndefined();
    finish(3);
    expect(failure()).toBe(boom);
    const token = resumeTokenOf(boom)!;
    // Pages 0, 2 and 3 are done, page 1 is not: the resume reads from page 1 and works on every page but 2 and 3.
    const resumed = await runAll(token);
    expect(resumed).toEqual([1, 4, 5, 6, 7, 8, 9]);
    expect([...calls.entries()]).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
    // The checkpoint is processPages' own: paginate refuses it rather than redo the pages it names.
    await expect(lastValueFrom(paginate(spec, instant, {}, { startingToken: token }))).rejects.toThrow(PaginationError);
  });

  it('does again a page done past the watermark whose boundaries changed, rather than skip an item', async () => {
    const { send, respond } = manual(9);
    const { work, finish, fail } = manualWork();
    const failure = failureOf((observer) => processPages(spec, send, {}, work, { concurrency: 2 }).subscribe(observer));
    respond();
    respond();
    finish(1);
    fail(0, new Error('write failed'));
    const token = resumeTokenOf(failure())!;
    // The same page 1 is skipped; a page 1 that now ends elsewhere (two items, its next token another) is done again.
    expect(await runAll(token)).toEqual([0, 2, 3, 4, 5, 6, 7, 8, 9]);
    const worked: number[][] = [];
    const changed: Send<Input, Output> = (input) => {
      const n = Number(input.NextToken ?? 0);
      return of(n === 1 ? { Items: [1, 2], NextToken: '3' } : { Items: [n], ...(n < 9 && { NextToken: String(n + 1) }) });
    };
    await lastValueFrom(processPages(spec, changed, {}, (page) => of(worked.push(page.Items)), { startingToken: token }));
    expect(worked).toEqual([[0], [1, 2], [3], [4], [5], [6], [7], [8], [9]]);
  });

  it('waits, with concurrency 1 and prefetch, for the work in flight when a read fails, and resumes after it', async () => {
    const { send, respond, fail: failRead, calls } = manual(9);
    const { work, finish } = manualWork();
    const failure = failureOf((observer) => processPages(spec, send, {}, work, { prefetch: 1 }).subscribe(observer));
    respond(); // page 0, in work; page 1 is read ahead
    expect(calls).toEqual([0, 1]);
    const readError = new Error('read failed');
    failRead(readError);
    expect(failure()).toBeUndefined();
    finish(0);
    expect(failure()).toBe(readError);
    // Page 0 committed before the stream ended: the resume starts at page 1 and repeats nothing.
    expect(await runAll(resumeTokenOf(readError))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('ends after maxDrainTime seconds when the work in flight does not end, without the pages it left undone', async () => {
    const failed = new Error('page 1');
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ cold, expectObservable }) => {
      // Page 0 never ends, page 1 fails at 1 ms, page 2 commits at 3 ms; the drain gives up at 1 + 3 ms.
      const works = ['-', '-#', '--a|'];
      const run$ = processPages(spec, instant, {}, (page) => cold(works[page.Items[0]!]!, { a: 'wrote 2' }, failed), {
        concurrency: 3,
        maxDrainTime: 0.003,
      });
      expectObservable(run$).toBe('--a-#', { a: 'wrote 2' }, failed);
    });
    // Page 0's work was cut off and page 1's failed: both are done again; page 2 committed and is not.
    expect(await runAll(resumeTokenOf(failed))).toEqual([0, 1, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('gives each run its own resume point for an error two runs share, and one to a primitive rejection', async () => {
    const shared = new Error('module-level error');
    const failAt = (n: number) => (page: Output) => (page.Items[0] === n ? Promise.reject(shared) : Promise.resolve());
    const a = await lastValueFrom(processPages(spec, instant, {}, failAt(2))).catch((e: unknown) => e);
    const b = await lastValueFrom(processPages(spec, instant, {}, failAt(7))).catch((e: unknown) => e);
    expect(a).toBe(shared);
    expect(b).toBeInstanceOf(PaginationError);
    expect((b as PaginationError).cause).toBe(shared);
    expect(await runAll(resumeTokenOf(a))).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await runAll(resumeTokenOf(b))).toEqual([7, 8, 9]);

    const timedOut = await lastValueFrom(
      processPages(spec, instant, {}, (page) => (page.Items[0] === 4 ? Promise.reject('ETIMEDOUT') : Promise.resolve())),
    ).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(PaginationError);
    expect((timedOut as PaginationError).cause).toBe('ETIMEDOUT');
    expect(await runAll(resumeTokenOf(timedOut))).toEqual([4, 5, 6, 7, 8, 9]);
  });

  it('cancels on unsubscribe the work in flight and the read in flight', () => {
    const signals: AbortSignal[] = [];
    const pending: Array<Subject<Output>> = [];
    const send: Send<Input, Output> = (_input, { abortSignal }) => {
      signals.push(abortSignal);
      const answer = new Subject<Output>();
      pending.push(answer);
      return answer;
    };
    const cancelled: number[] = [];
    const subscription = processPages(
      spec,
      send,
      {},
      (page) => new Observable<never>(() => () => void cancelled.push(page.Items[0]!)),
      { prefetch: 1 },
    ).subscribe();
    pending[0]!.next({ Items: [0], NextToken: '1' });
    pending[0]!.complete();
    expect(signals).toHaveLength(2); // page 0 in work, page 1 being read
    subscription.unsubscribe();
    expect(cancelled).toEqual([0]);
    expect(signals[1]!.aborted).toBe(true);
  });

  it('errors the stream when the work throws or returns something that is not an ObservableInput', async () => {
    const thrown = new Error('work threw');
    await expect(
      lastValueFrom(
        processPages(spec, instant, {}, () => {
          throw thrown;
        }),
      ),
    ).rejects.toBe(thrown);
    await expect(lastValueFrom(processPages(spec, instant, {}, () => undefined as never))).rejects.toThrow(TypeError);
  });

  describe('onCheckpoint', () => {
    it('gives after each page the checkpoint that resumes after everything done, and a finished one at the end', async () => {
      const { send, respond } = manual(4);
      const { work, finish } = manualWork();
      const checkpoints: string[] = [];
      let done = false;
      processPages(spec, send, {}, work, { concurrency: 2, onCheckpoint: (c) => void checkpoints.push(c) }).subscribe({
        complete: () => (done = true),
      });
      respond();
      respond();
      finish(1); // page 0 not done: the checkpoint starts at page 0 and skips page 1
      expect(await runAll(checkpoints[0], 4)).toEqual([0, 2, 3, 4]);
      finish(0);
      expect(await runAll(checkpoints[1], 4)).toEqual([2, 3, 4]);
      respond();
      respond();
      finish(2);
      finish(3);
      respond();
      finish(4);
      expect(done).toBe(true);
      expect(checkpoints).toHaveLength(5);
      // Nothing left: a resume from the last checkpoint reads nothing and does nothing.
      const reads: unknown[] = [];
      const last = checkpoints[4]!;
      await lastValueFrom(
        processPages(
          spec,
          (input) => (reads.push(input), instant(input, { abortSignal: AbortSignal.abort() })),
          {},
          () => of(1),
          {
            startingToken: last,
          },
        ),
        { defaultValue: undefined },
      );
      expect(reads).toEqual([]);
    });

    it('waits for a save that returns a Promise, gives the next one the newest checkpoint, and completes after the last', async () => {
      const saves: Array<{ checkpoint: string; resolve: () => void }> = [];
      const { work, finish } = manualWork();
      let done = false;
      processPages(spec, instant, {}, work, {
        concurrency: 4,
        onCheckpoint: (checkpoint) => new Promise<void>((resolve) => saves.push({ checkpoint, resolve })),
      }).subscribe({ complete: () => (done = true) });
      finish(0);
      finish(1);
      finish(2);
      expect(saves).toHaveLength(1); // one save at a time
      saves[0]!.resolve();
      await new Promise((resolve) => setImmediate(resolve));
      expect(saves).toHaveLength(2);
      // The second save has what pages 1 and 2 did too: the checkpoints in between were skipped.
      expect(await runAll(saves[1]!.checkpoint)).toEqual([3, 4, 5, 6, 7, 8, 9]);
      for (let n = 3; n <= 9; n++) finish(n);
      saves[1]!.resolve();
      await new Promise((resolve) => setImmediate(resolve));
      expect(done).toBe(false);
      saves[2]!.resolve();
      await new Promise((resolve) => setImmediate(resolve));
      expect(done).toBe(true);
      expect(await runAll(saves[2]!.checkpoint)).toEqual([]);
    });

    it('ends the stream, with a checkpoint, when it throws or its save fails', async () => {
      const { send, respond } = manual(9);
      const { work, finish } = manualWork();
      const saveFailed = new Error('disk full');
      const failure = failureOf((observer) =>
        processPages(spec, send, {}, work, { onCheckpoint: () => Promise.reject(saveFailed) }).subscribe(observer),
      );
      respond();
      finish(0);
      await new Promise((resolve) => setImmediate(resolve));
      expect(failure()).toBe(saveFailed);
      expect(await runAll(resumeTokenOf(saveFailed))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);

      const thrown = new Error('callback threw');
      let calls = 0;
      const threw = await lastValueFrom(
        processPages(spec, instant, {}, () => of(1), {
          onCheckpoint: () => {
            if (++calls === 3) throw thrown;
          },
        }),
      ).catch((e: unknown) => e);
      expect(threw).toBe(thrown);
      expect(await runAll(resumeTokenOf(threw))).toEqual([3, 4, 5, 6, 7, 8, 9]);

      const notASave = await lastValueFrom(
        processPages(spec, instant, {}, () => of(1), { onCheckpoint: () => 42 as never }),
      ).catch((e: unknown) => e);
      expect(notASave).toBeInstanceOf(TypeError);
      expect(await runAll(resumeTokenOf(notASave))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });
  });

  describe('idempotencyKey', () => {
    it('is the same for the same page in a resumed run, and differs between pages and between queries', async () => {
      const keys = async (input: object, startingToken?: string) => {
        const seen: Array<[number, string]> = [];
        await lastValueFrom(
          processPages(
            spec,
            instant,
            input,
            (page: Output, { idempotencyKey }: WorkContext) => of(seen.push([page.Items[0]!, idempotencyKey])),
            { ...(startingToken && { startingToken }) },
          ),
        );
        return new Map(seen);
      };
      const first = await keys({});
      expect(new Set(first.values()).size).toBe(10);
      expect([...first.values()].every((key) => /^[A-Za-z0-9_-]{22}$/.test(key))).toBe(true);
      const pages = await lastValueFrom(paginate(spec, instant, {}).pipe(toArray()));
      const resumed = await keys({}, resumeTokenOf(pages[3]));
      expect([...resumed]).toEqual([...first].slice(4));
      const other = await keys({ Filter: 'another query' });
      expect([...other.values()].some((key) => [...first.values()].includes(key))).toBe(false);
    });
  });

  it('hands out sealed tokens and checkpoints with a signer, and refuses altered ones', async () => {
    const signer = hmacTokenSigner(['a key of at least thirty-two bytes, for tests']);
    const { send, respond } = manual(9);
    const { work, finish, fail } = manualWork();
    const failure = failureOf((observer) => processPages(spec, send, {}, work, { signer, concurrency: 2 }).subscribe(observer));
    respond();
    respond();
    finish(1);
    fail(0, new Error('page 0'));
    const token = resumeTokenOf(failure())!;
    expect(token.startsWith('rxaws1.')).toBe(true);
    const worked: number[] = [];
    const resume = (startingToken: string) =>
      lastValueFrom(
        processPages(spec, instant, {}, (page) => of(worked.push(page.Items[0]!)), { signer, startingToken }),
        {
          defaultValue: undefined,
        },
      );
    await resume(token);
    expect(worked).toEqual([0, 2, 3, 4, 5, 6, 7, 8, 9]);
    const other = hmacTokenSigner(['another key of at least thirty-two bytes']);
    await expect(
      lastValueFrom(processPages(spec, instant, {}, () => of(1), { signer: other, startingToken: token })),
    ).rejects.toThrow(PaginationError);
  });

  it('refuses a checkpoint that was altered or is processItems', async () => {
    const { send, respond } = manual(9);
    const { work, finish, fail } = manualWork();
    const failure = failureOf((observer) => processPages(spec, send, {}, work, { concurrency: 2 }).subscribe(observer));
    respond();
    respond();
    finish(1);
    fail(0, new Error('page 0'));
    const token = resumeTokenOf(failure())!;
    const json = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as Record<string, unknown>;
    const forged = (change: Record<string, unknown>) => Buffer.from(JSON.stringify({ ...json, ...change })).toString('base64');
    const refusal = (startingToken: string) =>
      lastValueFrom(processPages(spec, instant, {}, () => of(1), { startingToken })).then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(await refusal(forged({ done: ['not a key'] }))).toEqual(
      new PaginationError(
        'Bad starting token: a checkpoint of processPages or processItems, but its done keys must be a list of 22-character keys',
      ),
    );
    expect(await refusal(forged({ unit: 'items' }))).toEqual(
      new PaginationError(
        'Bad starting token: a checkpoint of processPages or processItems, but it is a checkpoint of processItems, which counts items: resume it with processItems',
      ),
    );
    expect(await refusal(forged({ extra: 1 }))).toEqual(
      new PaginationError('Bad starting token: a checkpoint of processPages or processItems, but unexpected key(s) "extra"'),
    );
    expect(await refusal(forged({ within: -1 }))).toBeInstanceOf(PaginationError);
  });

  it('checks its options when called', () => {
    const ok = () => of(1);
    expect(() => processPages(spec, instant, {}, ok, { concurrency: 0 })).toThrow(
      new SpecError('options.concurrency', 'expected a whole number from 1 to 1000, got number 0'),
    );
    // A concurrency that would make a loop or a bound of nothing is refused, not run.
    expect(() => processPages(spec, instant, {}, ok, { concurrency: Number.MAX_SAFE_INTEGER })).toThrow(
      new SpecError('options.concurrency', `expected a whole number from 1 to 1000, got number ${Number.MAX_SAFE_INTEGER}`),
    );
    expect(() => processPages(spec, instant, {}, ok, { prefetch: -1 })).toThrow(
      new SpecError('options.prefetch', 'expected a whole number of at least 0, got number -1'),
    );
    expect(() => processPages(spec, instant, {}, ok, { maxDrainTime: -1 })).toThrow(
      new SpecError('options.maxDrainTime', 'expected a number of seconds of at least 0, got number -1'),
    );
    expect(() => processPages(spec, instant, {}, ok, { concurency: 2 } as never)).toThrow(
      new SpecError('options.concurency', 'unknown option; did you mean concurrency?'),
    );
    expect(() => processPages(spec, instant, {}, ok, { pagesize: 2 } as never)).toThrow(
      new SpecError('options.pagesize', 'unknown option; did you mean pageSize?'),
    );
    expect(() => processPages(spec, instant, {}, ok, { resumeAfter: () => ({}) } as never)).toThrow(SpecError);
    expect(() => processPages(spec, instant, {}, ok, { demand: of(1) } as never)).toThrow(
      new SpecError('options.demand', 'is not an option of processPages: its work asks for the pages it has room for'),
    );
    expect(() => processPages(spec, instant, {}, ok, { onCheckpoint: 'save' } as never)).toThrow(
      new SpecError('options.onCheckpoint', 'expected a function, got "save"'),
    );
    expect(() => processPages(spec, instant, {}, undefined as never)).toThrow(
      new SpecError('work', 'expected a function, got nothing'),
    );
  });

  it('keeps a flat stack when pages and work are synchronous', () => {
    let count = 0;
    processPages(spec, pagesUpTo(50_000), {}, () => of(1), { concurrency: 4, prefetch: 2 }).subscribe(() => count++);
    expect(count).toBe(50_001);
  });
});

import { filter, lastValueFrom, of, Subject, toArray } from 'rxjs';
import { paginate, processPages, resumeTokenOf, SpecError, type Send } from '../../../src';
import { hmacTokenSigner } from '../../../src/signing';
import { manual, spec, type Input, type Output } from '../../support/manualPages';

const instant: Send<Input, Output> = (input) => {
  const n = input.NextToken === undefined ? 0 : Number(input.NextToken);
  return of({ Items: [n], ...(n < 9 && { NextToken: String(n + 1) }) });
};

/** Work that finishes when the test says so, per page number. */
function manualWork() {
  const running = new Map<number, Subject<string>>();
  const work = (page: Output) => {
    const done = new Subject<string>();
    running.set(page.Items[0]!, done);
    return done;
  };
  const finish = (n: number) => {
    const done = running.get(n)!;
    running.delete(n);
    done.next(`wrote ${n}`);
    done.complete();
  };
  const fail = (n: number, error: unknown) => running.get(n)!.error(error);
  return { work, finish, fail, running };
}

describe('processPages', () => {
  it('requests the next page only when the work has room for it', () => {
    const { send, calls, respond } = manual(5);
    const { work, finish } = manualWork();
    const results: string[] = [];
    paginate(spec, send, {})
      .pipe(processPages(work))
      .subscribe((r) => results.push(r));
    expect(calls).toEqual([0]);
    respond();
    // Page 0 is in work: concatMap would have asked for page 1 already.
    expect(calls).toEqual([0]);
    finish(0);
    expect(results).toEqual(['wrote 0']);
    expect(calls).toEqual([0, 1]);
  });

  it('keeps at most `concurrency` pages in work and `prefetch` more fetched', () => {
    const { send, calls, respond, inFlight } = manual(20);
    const { work, finish, running } = manualWork();
    let completed = 0;
    let done = false;
    paginate(spec, send, {})
      .pipe(processPages(work, { concurrency: 2, prefetch: 1 }))
      .subscribe({ next: () => completed++, complete: () => (done = true) });
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

  it('emits what the work emits and completes after the last work', async () => {
    const results = await lastValueFrom(
      paginate(spec, instant, {}).pipe(
        processPages((page, index) => of(page.Items[0]! * 10, index), { concurrency: 3 }),
        toArray(),
      ),
    );
    expect(results).toEqual([0, 0, 10, 1, 20, 2, 30, 3, 40, 4, 50, 5, 60, 6, 70, 7, 80, 8, 90, 9]);
  });

  it('resumes after the pages done in order, not after pages done out of order', () => {
    const { send, respond } = manual(10);
    const { work, finish, fail } = manualWork();
    let failure: unknown;
    paginate(spec, send, {})
      .pipe(processPages(work, { concurrency: 3 }))
      .subscribe({ error: (e: unknown) => (failure = e) });
    respond();
    respond();
    respond();
    finish(0);
    finish(2);
    const boom = new Error('write failed');
    fail(1, boom);
    expect(failure).toBe(boom);
    // Pages 0 done; page 2 too, but page 1 before it was not: resume right after page 0.
    const token = resumeTokenOf(boom)!;
    const rest = paginate(spec, instant, {}, { startingToken: token });
    return lastValueFrom(rest.pipe(toArray())).then((pages) =>
      expect(pages.map((p) => p.Items[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]),
    );
  });

  it('resumes from the starting token when the first page fails, and after the prefix when a read fails', async () => {
    const first = new Error('first page');
    const start = resumeTokenOf((await lastValueFrom(paginate(spec, instant, {}).pipe(toArray())))[3]!)!;
    await expect(
      lastValueFrom(paginate(spec, instant, {}, { startingToken: start }).pipe(processPages(() => Promise.reject(first)))),
    ).rejects.toBe(first);
    expect(resumeTokenOf(first)).toBe(start);

    const { send, respond, fail } = manual(10);
    const { work, finish } = manualWork();
    let failure: unknown;
    paginate(spec, send, {})
      .pipe(processPages(work, { concurrency: 2, prefetch: 1 }))
      .subscribe({ error: (e: unknown) => (failure = e) });
    respond();
    respond();
    respond();
    finish(1);
    const readError = new Error('read failed');
    fail(readError);
    expect(failure).toBe(readError);
    // Page 1 finished but page 0 did not: resume at the beginning, though page 2 was read.
    expect(resumeTokenOf(readError)).toBeUndefined();
  });

  it('errors the stream when the work throws or returns something that is not an ObservableInput', async () => {
    const thrown = new Error('work threw');
    await expect(
      lastValueFrom(
        paginate(spec, instant, {}).pipe(
          processPages(() => {
            throw thrown;
          }),
        ),
      ),
    ).rejects.toBe(thrown);
    await expect(lastValueFrom(paginate(spec, instant, {}).pipe(processPages(() => undefined as never)))).rejects.toThrow(
      TypeError,
    );
  });

  it('hands out sealed tokens with a signer, and resumes from them', async () => {
    const signer = hmacTokenSigner(['a key of at least thirty-two bytes, for tests']);
    const failure = new Error('page 3');
    await expect(
      lastValueFrom(
        paginate(spec, instant, {}, { signer }).pipe(
          processPages((page) => (page.Items[0] === 3 ? Promise.reject(failure) : Promise.resolve(page))),
        ),
      ),
    ).rejects.toBe(failure);
    const token = resumeTokenOf(failure)!;
    // Sealed: a pagination signed with another key does not take it.
    const other = hmacTokenSigner(['another key of at least thirty-two bytes']);
    await expect(lastValueFrom(paginate(spec, instant, {}, { signer: other, startingToken: token }))).rejects.toThrow();
    const rest = await lastValueFrom(paginate(spec, instant, {}, { signer, startingToken: token }).pipe(toArray()));
    expect(rest.map((p) => p.Items[0])).toEqual([3, 4, 5, 6, 7, 8, 9]);
  });

  it('refuses, when piped, a source it cannot meter instead of buffering it', () => {
    const notMeterable = new SpecError(
      'source',
      'processPages meters the reads of a paginate(...) Observable and must come right after it; ' +
        'this source cannot be metered (put filter, map and the like inside the work, or after the operator)',
    );
    const pages$ = paginate(spec, instant, {});
    expect(() =>
      pages$.pipe(
        filter(() => true),
        processPages(() => of(1)),
      ),
    ).toThrow(notMeterable);
    expect(() => of({ Items: [] }).pipe(processPages(() => of(1)))).toThrow(notMeterable);
    expect(() => paginate(spec, instant, {}, { demand: of(1) }).pipe(processPages(() => of(1)))).toThrow(
      new SpecError('options.demand', 'cannot be given when the work meters the pages (processPages)'),
    );
  });

  it('checks its options when called', () => {
    expect(() => processPages(() => of(1), { concurrency: 0 })).toThrow(
      new SpecError('options.concurrency', 'expected a whole number of at least 1, got number 0'),
    );
    expect(() => processPages(() => of(1), { prefetch: -1 })).toThrow(
      new SpecError('options.prefetch', 'expected a whole number of at least 0, got number -1'),
    );
    expect(() => processPages(() => of(1), { concurrent: 2 } as never)).toThrow(SpecError);
    expect(() => processPages(undefined as never)).toThrow(new SpecError('work', 'expected a function, got nothing'));
  });

  it('keeps a flat stack when pages and work are synchronous', async () => {
    const many: Send<Input, Output> = (input) => {
      const n = input.NextToken === undefined ? 0 : Number(input.NextToken);
      return of({ Items: [n], ...(n < 50_000 && { NextToken: String(n + 1) }) });
    };
    let count = 0;
    paginate(spec, many, {})
      .pipe(processPages(() => of(1), { concurrency: 4, prefetch: 2 }))
      .subscribe(() => count++);
    expect(count).toBe(50_001);
  });
});

import { lastValueFrom, of, Subject, toArray } from 'rxjs';
import { paginate, paginateIterable, resumeTokenOf, SpecError, type Send } from '../../../src';
import { manual, spec, type Input, type Output } from '../../support/manualPages';

describe('paginate prefetch', () => {
  it('fetches at most `prefetch` pages beyond what demand allows, one request in flight', () => {
    const { send, calls, respond, inFlight } = manual(10);
    const demand = new Subject<void>();
    const pages: number[] = [];
    paginate(spec, send, {}, { demand, prefetch: 2 }).subscribe((p) => pages.push(p.Items[0]!));
    // Nothing allowed yet, but two pages may be read ahead.
    expect(calls).toEqual([0]);
    respond();
    expect(calls).toEqual([0, 1]);
    respond();
    expect(calls).toEqual([0, 1]);
    expect(pages).toEqual([]);
    demand.next();
    expect(pages).toEqual([0]);
    expect(calls).toEqual([0, 1, 2]);
    expect(inFlight()).toBe(1);
    demand.next();
    demand.next();
    expect(pages).toEqual([0, 1]);
    respond();
    expect(pages).toEqual([0, 1, 2]);
    expect(calls).toEqual([0, 1, 2, 3]);
  });

  it('without demand, sends the next request before delivering a page, so it overlaps the work', () => {
    const { send, calls, respond } = manual(5);
    const seenAtDelivery: number[] = [];
    paginate(spec, send, {}, { prefetch: 1 }).subscribe(() => seenAtDelivery.push(calls.length));
    respond();
    respond();
    expect(seenAtDelivery).toEqual([2, 3]);
  });

  it("keeps today's order by default: the next request only after the page was delivered", () => {
    const { send, calls, respond } = manual(5);
    const seenAtDelivery: number[] = [];
    paginate(spec, send, {}).subscribe(() => seenAtDelivery.push(calls.length));
    respond();
    respond();
    expect(seenAtDelivery).toEqual([1, 2]);
  });

  it('delivers the pages read ahead before a failure, and resumes after the last one delivered', () => {
    const { send, calls, respond, fail } = manual(10);
    const demand = new Subject<void>();
    const pages: number[] = [];
    let failure: unknown;
    paginate(spec, send, {}, { demand, prefetch: 2 }).subscribe({
      next: (p) => pages.push(p.Items[0]!),
      error: (e: unknown) => (failure = e),
    });
    respond();
    respond();
    demand.next();
    const boom = new Error('boom');
    fail(boom);
    expect(failure).toBeUndefined();
    demand.next();
    expect(pages).toEqual([0, 1]);
    expect(failure).toBe(boom);
    expect(resumeTokenOf(boom)).toBeDefined();
    expect(calls).toEqual([0, 1, 2]);
  });

  it('reads the same pages with or without read-ahead, and keeps a flat stack on synchronous pages', async () => {
    const send: Send<Input, Output> = (input) => {
      const n = input.NextToken === undefined ? 0 : Number(input.NextToken);
      return of({ Items: [n], ...(n < 100_000 && { NextToken: String(n + 1) }) });
    };
    let inOrder = 0;
    const all = await lastValueFrom(paginate(spec, send, {}, { prefetch: 3 }).pipe(toArray()));
    for (const [i, page] of all.entries()) if (page.Items[0] === i) inOrder++;
    expect(inOrder).toBe(100_001);
    expect(all).toHaveLength(100_001);
  });

  it('completes after the allowed pages when demand completes, dropping what was read ahead', async () => {
    const send: Send<Input, Output> = (input) => {
      const n = input.NextToken === undefined ? 0 : Number(input.NextToken);
      return of({ Items: [n], NextToken: String(n + 1) });
    };
    const pages = await lastValueFrom(paginate(spec, send, {}, { demand: of(1, 2), prefetch: 1 }).pipe(toArray()));
    expect(pages.map((p) => p.Items[0])).toEqual([0, 1]);
  });

  it("reads one page ahead of paginateIterable's next() calls", async () => {
    const { send, calls, respond } = manual(5);
    const pages = paginateIterable(spec, send, {}, { prefetch: 1 });
    const first = pages.next();
    respond();
    expect((await first).value).toEqual({ Items: [0], NextToken: '1' });
    // Page 1 is being read while the caller works on page 0.
    expect(calls).toEqual([0, 1]);
    respond();
    expect(calls).toEqual([0, 1]);
    expect((await pages.next()).value).toEqual({ Items: [1], NextToken: '2' });
    expect(calls).toEqual([0, 1, 2]);
    await pages.return?.();
  });

  it('is checked with the other options', () => {
    const { send } = manual(1);
    expect(() => paginate(spec, send, {}, { prefetch: -1 })).toThrow(
      new SpecError('options.prefetch', 'expected a whole number of at least 0, got number -1'),
    );
    expect(() => paginate(spec, send, {}, { prefetch: 1.5 })).toThrow(SpecError);
    expect(() => paginate(spec, send, {}, { prefech: 1 } as never)).toThrow(
      new SpecError('options.prefech', 'unknown option; did you mean prefetch?'),
    );
  });
});

/**
 * PageCursor on its own: botocore's PageIterator one response at a time. Expectations marked
 * "botocore" were produced by botocore 1.43.11 (/work/shared/oracle/botocore_trace.py) on the
 * same scripted responses.
 */
import { PageCursor, type PageStep } from '../../../src/operators/paginate/PageCursor';
import { pagePlan, type PaginateOptions } from '../../../src/operators/paginate/PaginateOptions';
import { PaginationError } from '../../../src/errors/PaginationError';
import { compilePaginator } from '../../../src/specs/compilePaginator';
import { encodeResumeToken } from '../../../src/tokens/resumeToken';
import type { PaginatorSpec } from '../../../src/specs/types';

type Rec = Record<string, unknown>;

const single: PaginatorSpec = { input_token: 'NextToken', output_token: 'NextToken', limit_key: 'Limit', result_key: 'Items' };
const versions: PaginatorSpec = {
  input_token: ['KeyMarker', 'VersionIdMarker'],
  output_token: ['NextKeyMarker', 'NextVersionIdMarker'],
  result_key: 'Versions',
};

type PageLimits = Pick<PaginateOptions, 'pageSize' | 'maxItems' | 'startingToken'>;

const cursor = (spec: PaginatorSpec, input: Rec = {}, limits: PageLimits = {}) => {
  const paginator = compilePaginator<Rec, Rec>(spec);
  return new PageCursor<Rec, Rec>(paginator, pagePlan(paginator, input, limits));
};

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Feeds `pages` to a cursor as botocore's loop would, collecting requests and steps until it stops. */
function run(spec: PaginatorSpec, pages: Rec[], limits: PageLimits = {}, input: Rec = {}) {
  const c = cursor(spec, input, limits);
  const requests: Rec[] = [];
  const steps: PageStep<Rec>[] = [];
  for (const page of pages) {
    requests.push(c.request());
    const step = c.accept(deepFreeze(page));
    steps.push(step);
    if (step.then !== 'next') break;
  }
  return { requests, steps, pages: steps.map((s) => s.page), last: steps[steps.length - 1]! };
}

const b64json = (value: string): string => Buffer.from(value).toString('base64');

describe('PageCursor', () => {
  describe('request()', () => {
    it('is the caller input plus the limit, in a new object every time, the input untouched', () => {
      const input = deepFreeze({ TableName: 't', Nested: { a: 1 } });
      const c = cursor(single, input, { pageSize: 25 });
      const first = c.request();
      const again = c.request();
      expect(first).toEqual({ TableName: 't', Nested: { a: 1 }, Limit: 25 });
      expect(first).not.toBe(input);
      expect(again).not.toBe(first);
      first.NextToken = 'mine';
      first.Limit = 1;
      expect(c.request()).toEqual({ TableName: 't', Nested: { a: 1 }, Limit: 25 });
      expect(input).toEqual({ TableName: 't', Nested: { a: 1 } });
    });

    it('writes a string pageSize as given', () => {
      expect(cursor(single, {}, { pageSize: '10' }).request()).toEqual({ Limit: '10' });
    });

    it('carries the next token, in a new object per request, without touching the input', () => {
      const input = deepFreeze({ T: 't' });
      const c = cursor(single, input);
      c.request();
      c.accept({ Items: [1], NextToken: 'a' });
      const one = c.request();
      const two = c.request();
      expect(one).toEqual({ T: 't', NextToken: 'a' });
      expect(two).not.toBe(one);
      expect(input).toEqual({ T: 't' });
    });

    it('starts from a starting token', () => {
      expect(cursor(single, { T: 't' }, { startingToken: 'abc' }).request()).toEqual({ T: 't', NextToken: 'abc' });
    });

    it("drops a 'None' token instead of sending it (botocore)", () => {
      // botocore: calls [{}, {}] for pages {NextToken: 'None'}, {...}.
      const { requests, steps } = run(single, [{ Items: [1], NextToken: 'None' }, { Items: [2] }]);
      expect(requests).toEqual([{}, {}]);
      expect(steps[0]!.then).toBe('next');
      expect(steps[0]!.resumePoint).toEqual({ NextToken: 'None' });
      expect(cursor(single, {}, { startingToken: 'None___2' }).request()).toEqual({});
    });

    it('drops a caller token once the service says there is none (botocore)', () => {
      // botocore: calls [{VersionIdMarker: 'stale'}, {KeyMarker: 'k1'}, {KeyMarker: 'k2', VersionIdMarker: 'v2'}].
      const { requests } = run(
        versions,
        [
          { Versions: [1], NextKeyMarker: 'k1' },
          { Versions: [2], NextKeyMarker: 'k2', NextVersionIdMarker: 'v2' },
          { Versions: [3] },
        ],
        {},
        { VersionIdMarker: 'stale' },
      );
      expect(requests.slice(1)).toEqual([{ KeyMarker: 'k1' }, { KeyMarker: 'k2', VersionIdMarker: 'v2' }]);
    });

    it("sends the caller's own token on the first request, and a starting token replaces it (botocore)", () => {
      // botocore: first call {NextToken: 'caller'}, then {} after a page whose token is 'None'.
      expect(cursor(versions, { VersionIdMarker: 'stale' }).request()).toEqual({ VersionIdMarker: 'stale' });
      const { requests } = run(single, [{ Items: [1], NextToken: 'None' }, { Items: [2] }], {}, { NextToken: 'caller' });
      expect(requests).toEqual([{ NextToken: 'caller' }, {}]);
      expect(cursor(single, { NextToken: 'caller' }, { startingToken: 'mine' }).request()).toEqual({ NextToken: 'mine' });
      expect(cursor(versions, { VersionIdMarker: 'stale' }, { startingToken: 'k' }).request()).toEqual({ KeyMarker: 'k' });
    });
    it('keeps an own __proto__ member of the input (JSON.parse makes one) as a member of every request', () => {
      const input = JSON.parse('{"T":"t","__proto__":{"x":1}}') as Rec;
      const c = cursor(single, input);
      for (const request of [c.request(), (c.accept({ Items: [1], NextToken: 'a' }), c.request())]) {
        expect(Object.getPrototypeOf(request)).toBe(Object.prototype);
        expect(Object.prototype.hasOwnProperty.call(request, '__proto__')).toBe(true);
        expect(Object.getOwnPropertyDescriptor(request, '__proto__')?.value).toEqual({ x: 1 });
      }
    });

    it('hands out a fresh request each time, with the input untouched', () => {
      const input = { T: 't' };
      const c = cursor(single, input, { pageSize: 5 });
      const first = c.request();
      c.accept({ Items: [1], NextToken: 'a' });
      const second = c.request();
      expect(second).not.toBe(first);
      expect(first).toEqual({ T: 't', Limit: 5 });
      expect(second).toEqual({ T: 't', Limit: 5, NextToken: 'a' });
      expect(input).toEqual({ T: 't' });
    });
  });

  describe('multi-token paginators', () => {
    it('sends the tokens present and leaves out the null one (botocore)', () => {
      const { requests, steps } = run(versions, [
        { Versions: [1], NextKeyMarker: 'k1' },
        { Versions: [2], NextKeyMarker: 'k2', NextVersionIdMarker: 'v2' },
        { Versions: [3], NextVersionIdMarker: 'v3' },
        { Versions: [4] },
      ]);
      expect(requests).toEqual([{}, { KeyMarker: 'k1' }, { KeyMarker: 'k2', VersionIdMarker: 'v2' }, { VersionIdMarker: 'v3' }]);
      expect(steps.map((s) => s.resumePoint)).toEqual([
        { KeyMarker: 'k1', VersionIdMarker: null },
        { KeyMarker: 'k2', VersionIdMarker: 'v2' },
        { KeyMarker: null, VersionIdMarker: 'v3' },
        undefined,
      ]);
      expect(steps.map((s) => s.then)).toEqual(['next', 'next', 'next', 'complete']);
    });

    it('encodes a resume point with the null token as botocore does', () => {
      const { last } = run(versions, [{ Versions: [1], NextKeyMarker: 'k1' }, { Versions: [2] }], { maxItems: 1 });
      expect(encodeResumeToken(last.resumePoint!)).toBe('eyJLZXlNYXJrZXIiOiAiazEiLCAiVmVyc2lvbklkTWFya2VyIjogbnVsbH0=');
    });

    it('ends when every token is absent', () => {
      const { last } = run(versions, [{ Versions: [1], NextKeyMarker: '', NextVersionIdMarker: null }]);
      expect(last.then).toBe('complete');
      expect(last.resumePoint).toBeUndefined();
    });
  });

  describe('the end of pagination', () => {
    const truncated: PaginatorSpec = {
      input_token: 'Marker',
      output_token: 'NextMarker',
      more_results: 'IsTruncated',
      result_key: 'Items',
    };

    it.each([false, 0, null, '', [], {}])('a falsy more_results (%p) stops even with a token (botocore)', (flag) => {
      const step = cursor(truncated).accept({ Items: [1], IsTruncated: flag, NextMarker: 'x' });
      expect(step.then).toBe('complete');
      expect(step.resumePoint).toBeUndefined();
    });

    it('a missing more_results stops too', () => {
      expect(cursor(truncated).accept({ Items: [1], NextMarker: 'x' }).then).toBe('complete');
    });

    it.each([true, 'false', 1, [0]])('a truthy more_results (%p) goes on with the token', (flag) => {
      const c = cursor(truncated);
      c.request();
      expect(c.accept({ Items: [1], IsTruncated: flag, NextMarker: 'x' })).toMatchObject({
        then: 'next',
        resumePoint: { Marker: 'x' },
      });
      expect(c.request()).toEqual({ Marker: 'x' });
    });

    it('a truthy more_results without a token stops', () => {
      expect(cursor(truncated).accept({ Items: [1], IsTruncated: true }).then).toBe('complete');
    });

    it.each([
      ['an empty string', ''],
      ['zero', 0],
      ['an empty object', {}],
      ['an empty list', []],
      ['false', false],
      ['null', null],
    ])('a token that is %s counts as absent (botocore)', (_, token) => {
      const step = cursor(single).accept({ Items: [1], NextToken: token });
      expect(step).toEqual({ page: { Items: [1], NextToken: token }, then: 'complete' });
    });

    it('a truthy non-string token (an object) is followed as it is', () => {
      const key = { pk: { S: 'a' } };
      const c = cursor({ input_token: 'ExclusiveStartKey', output_token: 'LastEvaluatedKey', result_key: 'Items' });
      c.request();
      expect(c.accept({ Items: [], LastEvaluatedKey: key })).toMatchObject({
        then: 'next',
        resumePoint: { ExclusiveStartKey: key },
      });
      expect(c.request()).toEqual({ ExclusiveStartKey: key });
    });

    it('the page is handed back as it is when nothing is cut', () => {
      const page = deepFreeze({ Items: [1, 2], NextToken: 'a' });
      expect(cursor(single).accept(page).page).toBe(page);
    });

    it('a repeated token is a PaginationError after the page, which resumes at the token the service named', () => {
      const c = cursor(single);
      c.accept({ Items: [1], NextToken: 'a' });
      const step = c.accept({ Items: [2], NextToken: 'a' });
      expect(step.page).toEqual({ Items: [2], NextToken: 'a' });
      expect(step.then).toBeInstanceOf(PaginationError);
      const error = step.then as PaginationError;
      expect(error.message).toBe('The same next token was received twice: {"NextToken":"a"}');
      // The engine that ends the pagination with it sets its resumeToken: where resumeTokenOf(error) says.
      expect(encodeResumeToken(step.resumePoint!)).toBe(encodeResumeToken({ NextToken: 'a' }));
    });

    it('the starting token counts as seen', () => {
      const step = cursor(single, {}, { startingToken: 'a' }).accept({ Items: [1], NextToken: 'a' });
      expect(step.then).toBeInstanceOf(PaginationError);
    });
  });

  describe('maxItems', () => {
    const pages = (): Rec[] => [{ Items: [1, 2], NextToken: '1' }, { Items: [3, 4], NextToken: '2' }, { Items: [5] }];

    it('cuts the first page, resuming inside it with a null token (botocore)', () => {
      const { steps, last } = run(single, pages(), { maxItems: 1 });
      expect(steps).toHaveLength(1);
      expect(last).toEqual({
        page: { Items: [1], NextToken: '1' },
        resumePoint: { NextToken: null, boto_truncate_amount: 1 },
        then: 'complete',
      });
      expect(encodeResumeToken(last.resumePoint!)).toBe('eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==');
    });

    it('cuts a later page, resuming with the token that page was requested with (botocore)', () => {
      const { steps, last, pages: seen } = run(single, pages(), { maxItems: 3 });
      expect(steps).toHaveLength(2);
      expect(seen.map((p) => p.Items)).toEqual([[1, 2], [3]]);
      expect(last.resumePoint).toEqual({ NextToken: '1', boto_truncate_amount: 1 });
      expect(encodeResumeToken(last.resumePoint!)).toBe('eyJOZXh0VG9rZW4iOiAiMSIsICJib3RvX3RydW5jYXRlX2Ftb3VudCI6IDF9');
      expect(last.then).toBe('complete');
    });

    it('stops on a page boundary with the next token and no truncate amount (botocore)', () => {
      const { steps, last } = run(single, pages(), { maxItems: 4 });
      expect(steps).toHaveLength(2);
      expect(last).toEqual({ page: { Items: [3, 4], NextToken: '2' }, resumePoint: { NextToken: '2' }, then: 'complete' });
    });

    it('on the last page, stops without a resume point', () => {
      const { steps, last } = run(single, pages(), { maxItems: 5 });
      expect(steps).toHaveLength(3);
      expect(last).toEqual({ page: { Items: [5] }, then: 'complete' });
    });

    it('0 empties the first page and resumes at its start (botocore)', () => {
      const { last } = run(single, [{ Items: [1, 2], NextToken: 'a' }], { maxItems: 0 });
      expect(last.page).toEqual({ Items: [], NextToken: 'a' });
      expect(encodeResumeToken(last.resumePoint!)).toBe('eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAwfQ==');
    });

    it('cuts a string primary result by characters (botocore)', () => {
      const text: PaginatorSpec = { input_token: 'NextToken', output_token: 'NextToken', result_key: 'Text' };
      const { pages: seen, last } = run(
        text,
        [
          { Text: 'ab', NextToken: 'a' },
          { Text: 'cde', NextToken: 'b' },
        ],
        { maxItems: 3 },
      );
      expect(seen).toEqual([
        { Text: 'ab', NextToken: 'a' },
        { Text: 'c', NextToken: 'b' },
      ]);
      expect(encodeResumeToken(last.resumePoint!)).toBe('eyJOZXh0VG9rZW4iOiAiYSIsICJib3RvX3RydW5jYXRlX2Ftb3VudCI6IDF9');
    });

    it('cuts a nested primary result in a copy, leaving the page and its siblings alone', () => {
      const nested: PaginatorSpec = {
        input_token: 'NextToken',
        output_token: 'NextToken',
        result_key: ['Data.Items', 'Data.Count'],
      };
      const page = deepFreeze({ Data: { Items: [1, 2, 3], Count: 3, Other: { x: 1 } }, Keep: { y: 2 }, NextToken: 'a' });
      const step = cursor(nested, {}, { maxItems: 2 }).accept(page);
      expect(step.page).toEqual({ Data: { Items: [1, 2], Count: 3, Other: { x: 1 } }, Keep: { y: 2 }, NextToken: 'a' });
      expect(page.Data.Items).toEqual([1, 2, 3]);
      expect(step.page.Keep).toBe(page.Keep);
      expect((step.page.Data as Rec).Other).toBe(page.Data.Other);
    });

    it('counts only the first result key, and a page without it as none', () => {
      const two: PaginatorSpec = { input_token: 'NextToken', output_token: 'NextToken', result_key: ['Items', 'Others'] };
      const { steps, last } = run(
        two,
        [{ Others: [1, 2, 3], NextToken: '1' }, { Items: [1, 2], Others: [4], NextToken: '2' }, { Items: [3] }],
        {
          maxItems: 2,
        },
      );
      expect(steps).toHaveLength(2);
      expect(last.resumePoint).toEqual({ NextToken: '2' });
    });
  });

  describe('resuming inside a page', () => {
    const token = (value: Rec) => b64json(JSON.stringify(value));

    it('skips what was delivered, and blanks secondary keys as botocore does', () => {
      // botocore: lists -> [], strings -> '', numbers and booleans kept, anything else (and missing) -> null.
      const spec: PaginatorSpec = {
        input_token: 'NextToken',
        output_token: 'NextToken',
        result_key: ['Items', 'Count', 'Names', 'Meta', 'Flag', 'Missing', 'More', 'Ratio'],
      };
      const c = cursor(spec, {}, { startingToken: token({ NextToken: '1', boto_truncate_amount: 1 }) });
      expect(c.request()).toEqual({ NextToken: '1' });
      const page = deepFreeze({
        Items: ['a', 'b', 'c'],
        Count: 3,
        Names: 'abc',
        Meta: { x: 1 },
        Flag: true,
        More: [1, 2],
        Ratio: 0.5,
        NextToken: '2',
      });
      const step = c.accept(page);
      expect(step.page).toEqual({
        Items: ['b', 'c'],
        Count: 3,
        Names: '',
        Meta: null,
        Flag: true,
        Missing: null,
        More: [],
        Ratio: 0.5,
        NextToken: '2',
      });
      expect(page.Items).toEqual(['a', 'b', 'c']);
      expect(step).toMatchObject({ then: 'next', resumePoint: { NextToken: '2' } });
    });

    it('skips only on the first page', () => {
      const { pages: seen } = run(single, [{ Items: [1, 2, 3], NextToken: '2' }, { Items: [4, 5, 6] }], {
        startingToken: token({ NextToken: '1', boto_truncate_amount: 2 }),
      });
      expect(seen.map((p) => p.Items)).toEqual([[3], [4, 5, 6]]);
    });

    it('adds the skipped items to the truncate amount of a page cut again (botocore)', () => {
      const { last } = run(single, [{ Items: ['a', 'b', 'c'], NextToken: '2' }], {
        startingToken: 'eyJOZXh0VG9rZW4iOiAiMSIsICJib3RvX3RydW5jYXRlX2Ftb3VudCI6IDF9',
        maxItems: 1,
      });
      expect(last.page).toEqual({ Items: ['b'], NextToken: '2' });
      expect(encodeResumeToken(last.resumePoint!)).toBe('eyJOZXh0VG9rZW4iOiAiMSIsICJib3RvX3RydW5jYXRlX2Ftb3VudCI6IDJ9');
    });

    it('counts only what is left of the first page against maxItems', () => {
      const { pages: seen, last } = run(
        single,
        [
          { Items: [1, 2, 3], NextToken: '2' },
          { Items: [4, 5], NextToken: '3' },
        ],
        {
          startingToken: token({ NextToken: '1', boto_truncate_amount: 1 }),
          maxItems: 3,
        },
      );
      expect(seen.map((p) => p.Items)).toEqual([[2, 3], [4]]);
      expect(last.resumePoint).toEqual({ NextToken: '2', boto_truncate_amount: 1 });
    });

    it('sets a primary key that is not a list or string to null (botocore)', () => {
      const spec: PaginatorSpec = { input_token: 'NextToken', output_token: 'NextToken', result_key: ['Items', 'Count'] };
      const step = cursor(spec, {}, { startingToken: token({ NextToken: '1', boto_truncate_amount: 1 }) }).accept({ Count: 3 });
      expect(step.page).toEqual({ Items: null, Count: 3 });
    });

    it('with an old-style token (tok___amount) too', () => {
      const c = cursor(single, {}, { startingToken: 'abc___2' });
      expect(c.request()).toEqual({ NextToken: 'abc' });
      expect(c.accept({ Items: [1, 2, 3] }).page).toEqual({ Items: [3] });
    });

    it('throws a PaginationError at construction for a token that does not fit', () => {
      expect(() => cursor(single, {}, { startingToken: 'a___b___c' })).toThrow(PaginationError);
      expect(() => cursor(single, {}, { startingToken: token({ Other: 'x' }) })).toThrow(/unexpected key/);
    });
  });
});

/**
 * fullResult: botocore's build_full_result. Expected values marked "botocore" were produced by
 * botocore 1.43.11 (/work/shared/oracle/botocore_trace.py) on the same scripted responses.
 */
import { lastValueFrom, NEVER, of, Subject, take, toArray } from 'rxjs';
import { fullResult, PaginationError, resumeTokenOf, SpecError, type PaginatorSpec, type Send } from '../../../src';
import { hmacTokenSigner } from '../../../src/signing';
import { decodeStartingToken } from '../../../src/tokens/resumeToken';

type Page = Record<string, unknown>;
type Input = Record<string, unknown>;

const tokenSpec = (extra: Partial<PaginatorSpec> = {}): PaginatorSpec => ({
  input_token: 'NextToken',
  output_token: 'NextToken',
  ...extra,
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Answers call i with pages[i] (the last one repeats), synchronously; the pages are frozen, so any write throws. */
function script(pages: Page[]) {
  const frozen = pages.map((p) => deepFreeze(p));
  const calls: Input[] = [];
  const send: Send<Input, Page> = (input) => {
    calls.push(input);
    return of(frozen[Math.min(calls.length - 1, frozen.length - 1)]!);
  };
  return { send, calls, pages: frozen };
}

/** Pages 0..last, two items each, token = next page number. */
function numbered(last: number, asPromise = false) {
  const calls: Input[] = [];
  const send: Send<Input, Page> = (input) => {
    calls.push(input);
    const n = input.NextToken === undefined ? 0 : Number(input.NextToken);
    const page = { Items: [2 * n, 2 * n + 1], ...(n < last && { NextToken: String(n + 1) }) };
    return asPromise ? Promise.resolve(page) : of(page);
  };
  return { send, calls };
}

const decode = (token: unknown): unknown => JSON.parse(Buffer.from(String(token), 'base64').toString('utf8'));

describe('fullResult', () => {
  it('concatenates lists and strings and sums numbers, booleans counting as ints (botocore)', async () => {
    const { send, calls } = script([
      { Items: [1, 2], Count: 2, Flag: true, Text: 'ab', NextToken: '1' },
      { Items: [3], Count: 1, Flag: true, Text: 'c', NextToken: '2' },
      { Items: [4, 5], Count: 2, Flag: false, Text: 'de' },
    ]);
    const spec = tokenSpec({ result_key: ['Items', 'Count', 'Flag', 'Text'] });
    const result = await lastValueFrom(fullResult(spec, send, { T: 't' }));
    expect(result).toEqual({ Items: [1, 2, 3, 4, 5], Count: 5, Flag: 2, Text: 'abcde' });
    expect(calls).toEqual([{ T: 't' }, { T: 't', NextToken: '1' }, { T: 't', NextToken: '2' }]);
  });

  it('keeps a lone boolean as it is, and sums floats (botocore)', async () => {
    const one = script([{ Flag: true, Ratio: 0.5 }]);
    const spec = tokenSpec({ result_key: ['Items', 'Flag', 'Ratio'] });
    expect(await lastValueFrom(fullResult(spec, one.send, {}))).toEqual({ Flag: true, Ratio: 0.5 });
    const two = script([
      { Flag: false, Ratio: 0.5, NextToken: 'a' },
      { Flag: false, Ratio: 0.25 },
    ]);
    expect(await lastValueFrom(fullResult(spec, two.send, {}))).toEqual({ Flag: 0, Ratio: 0.75 });
  });

  it('skips a page whose result key is missing or null, and starts from the first value found (botocore)', async () => {
    const { send } = script([
      { NextToken: '1' },
      { Items: null, Count: null, NextToken: '2' },
      { Items: ['a'], Count: 0, NextToken: '3' },
      { Items: ['b'], Count: 4 },
    ]);
    const result = await lastValueFrom(fullResult(tokenSpec({ result_key: ['Items', 'Count'] }), send, {}));
    expect(result).toEqual({ Items: ['a', 'b'], Count: 4 });
  });

  it('leaves out the service token and everything that is not a result key', async () => {
    const { send } = script([
      { Items: [1], Other: 'x', NextToken: '1' },
      { Items: [2], Other: 'y' },
    ]);
    const result = await lastValueFrom(fullResult(tokenSpec({ result_key: 'Items' }), send, {}));
    expect(result).toEqual({ Items: [1, 2] });
    expect('NextToken' in result).toBe(false);
  });

  it('takes non_aggregate_keys from the first page only, nested ones as nested objects (botocore)', async () => {
    const { send } = script([
      { Items: [1], Consumed: { U: 1 }, Stats: { Total: 10, Other: 1 }, NextToken: '1' },
      { Items: [2], Consumed: { U: 2 }, Stats: { Total: 20 }, NextToken: '2' },
      { Items: [3], Consumed: { U: 3 } },
    ]);
    const spec = tokenSpec({ result_key: 'Items', non_aggregate_keys: ['Consumed', 'Stats.Total'] });
    const result = await lastValueFrom(fullResult(spec, send, {}));
    expect(result).toEqual({ Items: [1, 2, 3], Consumed: { U: 1 }, Stats: { Total: 10 } });
  });

  it('writes a non-aggregate key missing from the first page as null (botocore)', async () => {
    const { send } = script([
      { Items: [1], NextToken: '1' },
      { Items: [2], Later: 'x' },
    ]);
    const result = await lastValueFrom(fullResult(tokenSpec({ result_key: 'Items', non_aggregate_keys: ['Later'] }), send, {}));
    expect(result).toEqual({ Items: [1, 2], Later: null });
  });

  it('builds nested dotted result keys into nested objects (botocore)', async () => {
    const { send } = script([{ Data: { Items: [1, 2], X: 1 }, NextToken: '1' }, { Data: { Items: [3] } }]);
    const result = await lastValueFrom(fullResult(tokenSpec({ result_key: 'Data.Items' }), send, {}));
    expect(result).toEqual({ Data: { Items: [1, 2, 3] } });
  });

  it('merges nested non-aggregate keys beside nested result keys (botocore)', async () => {
    const { send } = script([{ Data: { Items: [1], Total: 7 }, NextToken: '1' }, { Data: { Items: [2], Total: 9 } }]);
    const spec = tokenSpec({ result_key: 'Data.Items', non_aggregate_keys: ['Data.Total'] });
    expect(await lastValueFrom(fullResult(spec, send, {}))).toEqual({ Data: { Items: [1, 2], Total: 7 } });
  });

  it('never mutates a page: the first page keeps its own list, and the result owns a new one', async () => {
    const { send, pages } = script([
      { Items: [1, 2], Data: { Rows: ['a'] }, NextToken: '1' },
      { Items: [3], Data: { Rows: ['b'] }, NextToken: '2' },
      { Items: [4], Data: { Rows: ['c'] } },
    ]);
    const result = await lastValueFrom(fullResult(tokenSpec({ result_key: ['Items', 'Data.Rows'] }), send, {}));
    expect(result).toEqual({ Items: [1, 2, 3, 4], Data: { Rows: ['a', 'b', 'c'] } });
    expect(pages[0]).toEqual({ Items: [1, 2], Data: { Rows: ['a'] }, NextToken: '1' });
    expect(result.Items).not.toBe(pages[0]!.Items);
    expect((result.Data as Page).Rows).not.toBe((pages[0]!.Data as Page).Rows);
  });

  // A non-aggregate key that is the parent of result keys (ecr DescribeImageScanFindings: 'imageScanFindings'
  // over 'imageScanFindings.findings' / '.enhancedFindings'): the folded lists must survive the merge of the
  // first page's non-aggregate values, as in botocore, which extends page 1's lists in place.
  // Expected (botocore) findings f1..f4, enhancedFindings e1, e2; actual f1, f2 and e1 only.
  test('keeps every page of result keys nested under a non-aggregate key (ecr DescribeImageScanFindings, botocore)', async () => {
    const spec: PaginatorSpec = {
      input_token: 'nextToken',
      limit_key: 'maxResults',
      non_aggregate_keys: ['registryId', 'repositoryName', 'imageId', 'imageScanStatus', 'imageScanFindings'],
      output_token: 'nextToken',
      result_key: ['imageScanFindings.findings', 'imageScanFindings.enhancedFindings'],
    };
    const { send } = script([
      {
        registryId: '1',
        repositoryName: 'r',
        imageScanStatus: { status: 'COMPLETE' },
        imageScanFindings: {
          findings: [{ name: 'f1' }, { name: 'f2' }],
          enhancedFindings: [{ e: 1 }],
          findingSeverityCounts: { HIGH: 3 },
        },
        nextToken: 't1',
      },
      {
        registryId: '1',
        repositoryName: 'r',
        imageScanFindings: { findings: [{ name: 'f3' }], enhancedFindings: [{ e: 2 }], findingSeverityCounts: { HIGH: 3 } },
        nextToken: 't2',
      },
      {
        registryId: '1',
        repositoryName: 'r',
        imageScanFindings: { findings: [{ name: 'f4' }], enhancedFindings: [], findingSeverityCounts: { HIGH: 3 } },
      },
    ]);
    expect(await lastValueFrom(fullResult(spec, send, { repositoryName: 'r' }))).toEqual({
      imageId: null,
      imageScanFindings: {
        enhancedFindings: [{ e: 1 }, { e: 2 }],
        findingSeverityCounts: { HIGH: 3 },
        findings: [{ name: 'f1' }, { name: 'f2' }, { name: 'f3' }, { name: 'f4' }],
      },
      imageScanStatus: { status: 'COMPLETE' },
      registryId: '1',
      repositoryName: 'r',
    });
  });

  // The same on devops-guru GetResourceCollection ('ResourceCollection' over '.Tags' and '.CloudFormation.StackNames').
  test('keeps every page of result keys nested under a non-aggregate key (devops-guru GetResourceCollection, botocore)', async () => {
    const spec: PaginatorSpec = {
      input_token: 'NextToken',
      non_aggregate_keys: ['ResourceCollection'],
      output_token: 'NextToken',
      result_key: ['ResourceCollection.CloudFormation.StackNames', 'ResourceCollection.Tags'],
    };
    const { send } = script([
      {
        ResourceCollection: { CloudFormation: { StackNames: ['s1'] }, Tags: [{ AppBoundaryKey: 'k', TagValues: ['v1'] }] },
        NextToken: 't1',
      },
      {
        ResourceCollection: { CloudFormation: { StackNames: ['s2', 's3'] }, Tags: [{ AppBoundaryKey: 'k', TagValues: ['v2'] }] },
      },
    ]);
    expect(await lastValueFrom(fullResult(spec, send, {}))).toEqual({
      ResourceCollection: {
        CloudFormation: { StackNames: ['s1', 's2', 's3'] },
        Tags: [
          { AppBoundaryKey: 'k', TagValues: ['v1'] },
          { AppBoundaryKey: 'k', TagValues: ['v2'] },
        ],
      },
    });
  });

  // A result key holding an object that another result key reaches into (result_key ['A', 'A.B']):
  // folding copies the containers, so no page is written and page 1's list is never extended into itself.
  test('never writes into a page when one result key holds an object another result key reaches into', async () => {
    const first = { A: { B: [] as number[] }, NextToken: '1' };
    const pages = [first, { A: { B: [3] } }];
    let i = 0;
    const send: Send<Input, Page> = () => of(pages[i++]!);
    await lastValueFrom(fullResult(tokenSpec({ result_key: ['A', 'A.B'] }), send, {}));
    expect(first.A.B).toEqual([]);
  });

  it('a single page result does not share its list with the page either', async () => {
    const page: Page = { Items: [1, 2] };
    const result = await lastValueFrom(fullResult(tokenSpec({ result_key: 'Items' }), () => of(page), {}));
    (result.Items as number[]).push(3);
    expect(page.Items).toEqual([1, 2]);
  });

  describe('NextToken', () => {
    const spec = tokenSpec({ result_key: 'Items' });
    const pages = (): Page[] => [{ Items: [1, 2], NextToken: '1' }, { Items: [3, 4], NextToken: '2' }, { Items: [5] }];

    it('is absent when pagination ran to its end', async () => {
      const result = await lastValueFrom(fullResult(spec, script(pages()).send, {}));
      expect(result).toEqual({ Items: [1, 2, 3, 4, 5] });
      expect('NextToken' in result).toBe(false);
    });

    it('is absent when maxItems is reached exactly on the last page', async () => {
      const result = await lastValueFrom(fullResult(spec, script(pages()).send, {}, { maxItems: 5 }));
      expect(result).toEqual({ Items: [1, 2, 3, 4, 5] });
    });

    it('points inside the page maxItems cut, byte for byte botocore’s token', async () => {
      const { send, calls } = script(pages());
      const result = await lastValueFrom(fullResult(spec, send, {}, { maxItems: 3 }));
      expect(result).toEqual({ Items: [1, 2, 3], NextToken: 'eyJOZXh0VG9rZW4iOiAiMSIsICJib3RvX3RydW5jYXRlX2Ftb3VudCI6IDF9' });
      expect(decode(result.NextToken)).toEqual({ NextToken: '1', boto_truncate_amount: 1 });
      expect(calls).toHaveLength(2);
    });

    it('is the next service token when maxItems falls on a page boundary (botocore)', async () => {
      const { send, calls } = script(pages());
      const result = await lastValueFrom(fullResult(spec, send, {}, { maxItems: 4 }));
      expect(result).toEqual({ Items: [1, 2, 3, 4], NextToken: 'eyJOZXh0VG9rZW4iOiAiMiJ9' });
      expect(calls).toHaveLength(2);
    });

    it('carries a null token when the first page is cut (botocore)', async () => {
      const result = await lastValueFrom(fullResult(spec, script(pages()).send, {}, { maxItems: 1 }));
      expect(result).toEqual({ Items: [1], NextToken: 'eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==' });
    });

    it('lists every input token of a multi-token paginator (botocore)', async () => {
      const multi: PaginatorSpec = {
        input_token: ['KeyMarker', 'VersionIdMarker'],
        output_token: ['NextKeyMarker', 'NextVersionIdMarker'],
        result_key: 'Versions',
      };
      const { send } = script([{ Versions: [1], NextKeyMarker: 'k1' }, { Versions: [2] }]);
      const result = await lastValueFrom(fullResult(multi, send, {}, { maxItems: 1 }));
      expect(result).toEqual({ Versions: [1], NextToken: 'eyJLZXlNYXJrZXIiOiAiazEiLCAiVmVyc2lvbklkTWFya2VyIjogbnVsbH0=' });
    });

    it('is set when demand ends before the pages do, and resumes right after them', async () => {
      const { send, calls } = numbered(4);
      const result = await lastValueFrom(fullResult(spec, send, {}, { demand: of(1, 2) }));
      expect(result.Items).toEqual([0, 1, 2, 3]);
      expect(calls).toHaveLength(2);
      expect(decodeStartingToken(result.NextToken!, ['NextToken'])).toEqual({ tokens: { NextToken: '2' }, truncate: 0 });
      const rest = await lastValueFrom(fullResult(spec, send, {}, { startingToken: result.NextToken! }));
      expect(rest).toEqual({ Items: [4, 5, 6, 7, 8, 9] });
    });

    it('resumes a cut page without repeating an item, blanking secondary keys the botocore way', async () => {
      // botocore: Count 3 + 1, Flag true + true, Names '' + 'd', Meta null then {x: 2}; Missing stays out.
      const { send, calls } = script([
        { Items: ['a', 'b', 'c'], Count: 3, Names: 'abc', Meta: { x: 1 }, Flag: true, NextToken: '2' },
        { Items: ['d'], Count: 1, Names: 'd', Meta: { x: 2 }, Flag: true },
      ]);
      const resumeSpec = tokenSpec({ result_key: ['Items', 'Count', 'Names', 'Meta', 'Flag', 'Missing'] });
      const startingToken = 'eyJOZXh0VG9rZW4iOiAiMSIsICJib3RvX3RydW5jYXRlX2Ftb3VudCI6IDF9'; // {"NextToken": "1", "boto_truncate_amount": 1}
      const result = await lastValueFrom(fullResult(resumeSpec, send, {}, { startingToken }));
      expect(result).toEqual({ Items: ['b', 'c', 'd'], Count: 4, Names: 'd', Meta: { x: 2 }, Flag: 2 });
      expect(calls).toEqual([{ NextToken: '1' }, { NextToken: '2' }]);
    });
  });

  describe('a result key that changes type', () => {
    const spec = tokenSpec({ result_key: ['Items', 'Count'] });

    it.each([
      ['a list then a string', { Items: [1] }, { Items: 'x' }, 'Items'],
      ['a string then a list', { Items: 'x' }, { Items: [1] }, 'Items'],
      ['a number then a list', { Count: 1 }, { Count: [1] }, 'Count'],
      ['a number then a string', { Count: 1 }, { Count: 'x' }, 'Count'],
      ['a list then a number', { Items: [1] }, { Items: 2 }, 'Items'],
    ])('is a PaginationError: %s', async (kinds, first, second, key) => {
      const { send } = script([{ ...first, NextToken: '1' }, second]);
      const error = await lastValueFrom(fullResult(spec, send, {})).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PaginationError);
      expect((error as Error).message).toBe(
        `result key ${key} changed type between pages (${kinds}); the pages cannot be combined`,
      );
    });

    it('skips an object after a string or number (botocore)', async () => {
      const { send } = script([
        { Items: 'ab', Count: 1, NextToken: '1' },
        { Items: { a: 1 }, Count: { b: 2 } },
      ]);
      expect(await lastValueFrom(fullResult(spec, send, {}))).toEqual({ Items: 'ab', Count: 1 });
    });

    it('skips an object after a list (botocore)', async () => {
      const { send } = script([{ Items: [1], NextToken: '1' }, { Items: { a: 1 }, NextToken: '2' }, { Items: [2] }]);
      expect(await lastValueFrom(fullResult(spec, send, {}))).toEqual({ Items: [1, 2] });
    });

    it('sends nothing more after the error when pages arrive asynchronously', async () => {
      const calls: Input[] = [];
      const send: Send<Input, Page> = async (input) => {
        calls.push(input);
        const n = Number(input.NextToken ?? 0);
        return { Items: n === 1 ? 'x' : [n], NextToken: String(n + 1) };
      };
      await expect(lastValueFrom(fullResult(spec, send, {}))).rejects.toThrow(PaginationError);
      await new Promise((r) => setImmediate(r));
      expect(calls).toHaveLength(2);
    });

    it('sends nothing more after the error when pages arrive synchronously', async () => {
      const calls: Input[] = [];
      const send: Send<Input, Page> = (input) => {
        calls.push(input);
        const n = Number(input.NextToken ?? 0);
        return of({ Items: n === 1 ? 'x' : [n], ...(n < 5 && { NextToken: String(n + 1) }) });
      };
      await expect(lastValueFrom(fullResult(spec, send, {}))).rejects.toThrow(PaginationError);
      expect(calls).toHaveLength(2);
    });
  });

  it('passes a service error through untouched and emits nothing', async () => {
    const boom = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    let call = 0;
    const send: Send<Input, Page> = () =>
      ++call === 2 ? Promise.reject(boom) : Promise.resolve({ Items: [call], NextToken: `t${call}` });
    const emitted: unknown[] = [];
    const error = await new Promise((resolve) =>
      fullResult(tokenSpec({ result_key: 'Items' }), send, {}).subscribe({ next: (r) => emitted.push(r), error: resolve }),
    );
    expect(error).toBe(boom);
    expect(emitted).toEqual([]);
    expect(call).toBe(2);
  });

  it('throws a SpecError naming a bad option when called, sending nothing', () => {
    const { send, calls } = numbered(1);
    expect(() => fullResult(tokenSpec({ result_key: 'Items' }), send, {}, { pageSize: 5 })).toThrow(
      expect.objectContaining({ name: 'SpecError', field: 'options.pageSize' }),
    );
    expect(() => fullResult(tokenSpec({ result_key: 'Items' }), send, {}, { maxItems: 1.5 })).toThrow(
      new SpecError('options.maxItems', 'expected a whole number of at least 0, got number 1.5'),
    );
    expect(calls).toHaveLength(0);
  });

  it('sends nothing before subscription, nor with take(0)', async () => {
    const { send, calls } = numbered(3);
    const result$ = fullResult(tokenSpec({ result_key: 'Items' }), send, {});
    expect(calls).toHaveLength(0);
    expect(await lastValueFrom(result$.pipe(take(0), toArray()))).toEqual([]);
    expect(calls).toHaveLength(0);
  });

  it('starts again from the input on every subscription', async () => {
    const { send, calls } = numbered(1, true);
    const result$ = fullResult(tokenSpec({ result_key: 'Items' }), send, { T: 't' });
    expect(await lastValueFrom(result$)).toEqual({ Items: [0, 1, 2, 3] });
    expect(await lastValueFrom(result$)).toEqual({ Items: [0, 1, 2, 3] });
    expect(calls).toEqual([{ T: 't' }, { T: 't', NextToken: '1' }, { T: 't' }, { T: 't', NextToken: '1' }]);
  });

  it('unsubscribing aborts the request in flight, emits nothing and sends nothing more', () => {
    const signals: AbortSignal[] = [];
    const send: Send<Input, Page> = (input, { abortSignal }) => {
      signals.push(abortSignal);
      return input.NextToken === undefined ? of({ Items: [1], NextToken: 'a' }) : NEVER;
    };
    const emitted: unknown[] = [];
    const subscription = fullResult(tokenSpec({ result_key: 'Items' }), send, {}).subscribe((r) => emitted.push(r));
    expect(signals).toHaveLength(2);
    expect(signals[1]!.aborted).toBe(false);
    subscription.unsubscribe();
    expect(signals[1]!.aborted).toBe(true);
    expect(signals).toHaveLength(2);
    expect(emitted).toEqual([]);
  });

  it('emits exactly one result, after the last page, then completes', () => {
    const replies = new Subject<Page>();
    let sent = 0;
    const send: Send<Input, Page> = () => {
      sent++;
      return replies.pipe(take(1));
    };
    const events: string[] = [];
    fullResult(tokenSpec({ result_key: 'Items' }), send, {}).subscribe({
      next: (r) => events.push(`next ${JSON.stringify(r)}`),
      complete: () => events.push('complete'),
    });
    replies.next({ Items: [1], NextToken: 'a' });
    expect(events).toEqual([]);
    replies.next({ Items: [2] });
    expect(events).toEqual(['next {"Items":[1,2]}', 'complete']);
    expect(sent).toBe(2);
  });
});

describe('fullResult with overlapping result keys', () => {
  it("extends a copy of page 1's list, never page 1's own list (botocore's result, no endless loop)", async () => {
    const spec = { input_token: 'NextToken', output_token: 'NextToken', result_key: ['A', 'A.B'] };
    const page1 = { A: { B: [1, 2] }, NextToken: 't' };
    const send: Send<{ NextToken?: string }, Record<string, unknown>> = (input) =>
      of(input.NextToken ? { A: { B: [3] } } : page1);
    const result = await lastValueFrom(fullResult(spec, send, {}));
    expect(page1).toEqual({ A: { B: [1, 2] }, NextToken: 't' });
    expect((result as { A: { B: number[] } }).A.B).toEqual([1, 2, 1, 2, 3]);
  });
});

describe('fullResult failing after pages it folded', () => {
  /** Items 0..19 in pages of 2 (token: the next offset); the call for offset `failAt` fails. */
  function failingAt(failAt: number) {
    const boom = new Error('connection reset');
    const send: Send<Input, Page> = (input) => {
      const from = input.NextToken === undefined ? 0 : Number(input.NextToken);
      if (from === failAt) return Promise.reject(boom);
      return Promise.resolve({ Items: [from, from + 1], ...(from + 2 < 20 && { NextToken: String(from + 2) }) });
    };
    return { send, boom };
  }
  const spec = tokenSpec({ result_key: 'Items' });
  const failureOf = (source: ReturnType<typeof fullResult>) =>
    lastValueFrom(source).then(
      () => undefined,
      (e: unknown) => e,
    );

  it('its error resumes where it started, not after pages the caller never received', async () => {
    const { send, boom } = failingAt(12);
    const error = await failureOf(fullResult(spec, send, {}));
    expect(error).toBe(boom);
    expect(resumeTokenOf(error)).toBeUndefined();
    // Resumed from the start, against a service that no longer fails: every item once.
    const { send: healthy } = failingAt(-1);
    const result = await lastValueFrom(fullResult(spec, healthy, {}, { startingToken: resumeTokenOf(error) }));
    expect(result.Items).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('started from a token, its error gives that token back', async () => {
    const { send } = failingAt(12);
    const startingToken = Buffer.from(JSON.stringify({ NextToken: '4' })).toString('base64');
    const error = await failureOf(fullResult(spec, send, {}, { startingToken }));
    expect(decode(resumeTokenOf(error))).toEqual({ NextToken: '4' });
  });

  it('started from a token with a signer, its error gives the sealed token back', async () => {
    const signer = hmacTokenSigner(['a secret of at least thirty-two characters']);
    const first = await lastValueFrom(fullResult(spec, failingAt(-1).send, {}, { signer, maxItems: 5 }));
    const error = await failureOf(fullResult(spec, failingAt(12).send, {}, { signer, startingToken: first.NextToken }));
    expect(resumeTokenOf(error)).toBe(first.NextToken);
  });

  it('its cycle error says where it started, in resumeToken as in resumeTokenOf, not past pages it never delivered', async () => {
    // Pages 0, 2, 4, then the token of page 2 again: a cycle after three folded pages.
    const send: Send<Input, Page> = (input) => {
      const from = input.NextToken === undefined ? 0 : Number(input.NextToken);
      return of({ Items: [from, from + 1], NextToken: String(from >= 4 ? 2 : from + 2) });
    };
    const error = await failureOf(fullResult(spec, send, {}));
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as PaginationError).message).toMatch(/returned a token it had returned 2 pages earlier/);
    expect(resumeTokenOf(error)).toBeUndefined();
    expect((error as PaginationError).resumeToken).toBeUndefined();
    const startingToken = Buffer.from(JSON.stringify({ NextToken: '2' })).toString('base64');
    const resumed = await failureOf(fullResult(spec, send, {}, { startingToken }));
    expect((resumed as PaginationError).resumeToken).toBe(startingToken);
    expect(resumeTokenOf(resumed)).toBe(startingToken);
  });
});

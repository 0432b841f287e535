/**
 * parallelScan against dynalite through the real DynamoDBClient: Segment/TotalSegments
 * pagination merged with bounded concurrency, composite resume tokens, aborts (unsubscribing and the
 * abortSignal option).
 */
import { getEventListeners } from 'node:events';
import { firstValueFrom, lastValueFrom, take, tap, toArray } from 'rxjs';
import { DynamoDBClient, ScanCommand, type AttributeValue, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { PaginationError, resumeTokenOf, SpecError, type SdkClient } from '../../../src';
import { parallelScan, type ParallelScanOptions, type ParallelScanPage } from '../../../src/services/generated/dynamodb';
import { createTable, DynaliteServer, putItems, startDynalite } from '../../support/startDynalite';
import { settled, until } from '../../support/until';

const TABLE = 'ParallelScanned';
const N = 2000;
const key = (i: number) => `item-${String(i).padStart(5, '0')}`;
const ALL = Array.from({ length: N }, (_, i) => key(i));
const OPTIONS: ParallelScanOptions = { totalSegments: 4, concurrency: 2, pageSize: 100 };

/** A response held back this long never comes during a test: only an abort ends the request. */
const NEVER_MS = 600_000;

const keysOf = (pages: ParallelScanPage[]) => pages.flatMap(({ page }) => (page.Items ?? []).map((it) => it.pk!.S!));
const resumeTokenFor = (segment: unknown) => JSON.parse(Buffer.from(segment as string, 'base64').toString('utf8')) as unknown;
const decode = (token: string) =>
  JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { segments: Array<string | null | true> };

/** `inner` with its `send` replaced: still a DynamoDBClient by type and by `config.serviceId`. */
const overlay = (inner: DynamoDBClient, fake: SdkClient): DynamoDBClient =>
  Object.assign(Object.create(inner) as DynamoDBClient, { send: fake.send });

/** A client that counts its own Scan requests in flight (sent, no response or error yet). */
function counting(inner: DynamoDBClient) {
  const stats = { inFlight: 0, maxInFlight: 0, signals: [] as AbortSignal[] };
  const counted: SdkClient = {
    send(command, options) {
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      if (options?.abortSignal) stats.signals.push(options.abortSignal);
      return inner.send(command as ScanCommand, options).finally(() => stats.inFlight--);
    },
  };
  return { client: overlay(inner, counted), stats };
}

describe('parallelScan (dynalite)', () => {
  let ddb: DynaliteServer;
  let client: DynamoDBClient;

  beforeAll(async () => {
    ddb = await startDynalite();
    client = ddb.client();
    await createTable(client, TABLE, { waitForActive: true });
    await putItems(client, TABLE, N);
  });
  afterAll(() => ddb?.stop());
  beforeEach(() => {
    ddb.setResponseDelay(undefined);
    ddb.clearRequests();
  });

  const scans = () => ddb.requestsFor('Scan');

  test('4 segments, concurrency 2: every item exactly once, each page from the segment it claims', async () => {
    const pages = await lastValueFrom(parallelScan(client, { TableName: TABLE }, OPTIONS).pipe(toArray()));
    const keys = keysOf(pages);
    expect(keys).toHaveLength(N);
    expect([...keys].sort()).toEqual(ALL);

    const calls = scans();
    expect(pages.length).toBeGreaterThanOrEqual(N / 100);
    expect(calls.length).toBe(pages.length);
    expect(calls.every((c) => c.body.TotalSegments === 4 && c.body.Limit === 100 && c.body.TableName === TABLE)).toBe(true);
    for (let s = 0; s < 4; s++) {
      const mine = pages.filter((p) => p.segment === s);
      expect(mine.length).toBeGreaterThan(0);
      expect(calls.filter((c) => c.body.Segment === s)).toHaveLength(mine.length);
      // Segments are disjoint: each segment's own pages hold only its keys.
      expect(new Set(keysOf(mine)).size).toBe(keysOf(mine).length);
      expect(resumeTokenOf(mine[mine.length - 1]!.page)).toBeUndefined();
    }
    expect(decode(pages[pages.length - 1]!.resumeToken()).segments).toEqual([true, true, true, true]);
  });

  test('never more than 2 Scan requests in flight; segments 2 and 3 start only after 0 or 1 is done', async () => {
    ddb.setResponseDelay((op) => (op === 'Scan' ? 25 : 0));
    const fresh = ddb.client(); // its own connection pool: the server sees one socket per concurrent request
    const socketsBefore = ddb.openSockets();
    const { client: counted, stats } = counting(fresh);
    const pages = await lastValueFrom(parallelScan(counted, { TableName: TABLE }, OPTIONS).pipe(toArray()));
    expect(keysOf(pages)).toHaveLength(N);
    expect(stats.maxInFlight).toBe(2);
    expect(ddb.openSockets() - socketsBefore).toBe(2);

    const segments = scans().map((c) => c.body.Segment as number);
    const lastOf = (s: number) => segments.lastIndexOf(s);
    expect(segments.slice(0, 2).sort()).toEqual([0, 1]);
    expect(segments.indexOf(2)).toBeGreaterThan(Math.min(lastOf(0), lastOf(1)));
    expect(segments.indexOf(3)).toBeGreaterThan(Math.min(Math.max(lastOf(0), lastOf(1)), lastOf(2)));
    // Segment 2 takes the place of the first finished segment, 3 of the second.
    expect(segments.indexOf(3)).toBeGreaterThan(segments.indexOf(2));
  });

  test('unsubscribing aborts both requests in flight and sends nothing more', async () => {
    ddb.setResponseDelay((op) => (op === 'Scan' ? NEVER_MS : 0));
    const { client: counted, stats } = counting(client);
    const closedBefore = ddb.closedSockets();
    const events: string[] = [];
    const subscription = parallelScan(counted, { TableName: TABLE }, OPTIONS).subscribe({
      next: () => events.push('next'),
      error: (e) => events.push(`error ${String(e)}`),
      complete: () => events.push('complete'),
    });
    await until(() => scans().length === 2, 'both Scans to reach the server');
    expect(stats.signals.map((s) => s.aborted)).toEqual([false, false]);
    subscription.unsubscribe();
    expect(stats.signals.map((s) => s.aborted)).toEqual([true, true]);
    // The responses are held back for good: only the aborts can close these sockets.
    await until(() => ddb.closedSockets() === closedBefore + 2, 'both aborted Scans to close their sockets');
    await settled();
    expect(stats.signals).toHaveLength(2);
    expect(scans()).toHaveLength(2);
    expect(events).toEqual([]);
  });

  test('take(1) stops at the first page and aborts the other segment still in flight', async () => {
    let answered = 0;
    ddb.setResponseDelay((op) => (op === 'Scan' && answered++ > 0 ? NEVER_MS : 0));
    const closedBefore = ddb.closedSockets();
    const { client: counted, stats } = counting(client);
    const pages = await lastValueFrom(parallelScan(counted, { TableName: TABLE }, OPTIONS).pipe(take(1), toArray()));
    expect(pages).toHaveLength(1);
    await until(() => ddb.closedSockets() === closedBefore + 1, 'the Scan of the other segment to be aborted');
    await settled();
    expect(stats.signals).toHaveLength(2);
    expect(
      scans()
        .map((c) => c.body.Segment)
        .sort(),
    ).toEqual([0, 1]);
  });

  test('stopping mid-way and resuming from the last page, again and again, reads every item exactly once', async () => {
    const seen: string[] = [];
    const tokens: string[] = [];
    let startingToken: string | undefined;
    for (const chunk of [3, 7, 5, 1, 9, 4, 1000]) {
      const pages = await lastValueFrom(
        parallelScan(client, { TableName: TABLE }, { ...OPTIONS, startingToken }).pipe(take(chunk), toArray()),
      );
      seen.push(...keysOf(pages));
      if (pages.length < chunk) break;
      startingToken = pages[pages.length - 1]!.resumeToken();
      tokens.push(startingToken);
    }
    expect(seen).toHaveLength(N);
    expect([...seen].sort()).toEqual(ALL);

    // The first stop (3 pages, concurrency 2) left segments 2 and 3 unstarted.
    const first = decode(tokens[0]!);
    expect(first.segments.slice(2)).toEqual([null, null]);
    expect(first.segments.slice(0, 2).some((s) => typeof s === 'string')).toBe(true);
    // Later stops record finished segments as done.
    expect(tokens.some((t) => decode(t).segments.includes(true))).toBe(true);
  });

  test('a resumed scan skips done segments entirely', async () => {
    const pages = await lastValueFrom(parallelScan(client, { TableName: TABLE }, OPTIONS).pipe(toArray()));
    const firstDone = pages.findIndex((p) => resumeTokenOf(p.page) === undefined);
    const token = pages[firstDone]!.resumeToken();
    const doneSegment = pages[firstDone]!.segment;
    expect(decode(token).segments[doneSegment]).toBe(true);
    ddb.clearRequests();
    const rest = await lastValueFrom(
      parallelScan(client, { TableName: TABLE }, { ...OPTIONS, startingToken: token }).pipe(toArray()),
    );
    expect(scans().some((c) => c.body.Segment === doneSegment)).toBe(false);
    expect([...keysOf(pages.slice(0, firstDone + 1)), ...keysOf(rest)].sort()).toEqual(ALL);
  });

  test("a page's token is a snapshot at its delivery, even when asked for after later pages", async () => {
    const pages = await lastValueFrom(parallelScan(client, { TableName: TABLE }, OPTIONS).pipe(toArray()));
    for (const j of [0, 4, 9, 15, pages.length - 2]) {
      const rest = await lastValueFrom(
        parallelScan(client, { TableName: TABLE }, { ...OPTIONS, startingToken: pages[j]!.resumeToken() }).pipe(toArray()),
      );
      const before = keysOf(pages.slice(0, j + 1));
      expect([...before, ...keysOf(rest)].sort()).toEqual(ALL);
    }
  });

  test('totalSegments 1 and the default concurrency (all segments at once)', async () => {
    const one = await lastValueFrom(parallelScan(client, { TableName: TABLE }, { totalSegments: 1 }).pipe(toArray()));
    expect(keysOf(one).sort()).toEqual(ALL);
    ddb.clearRequests();
    ddb.setResponseDelay((op) => (op === 'Scan' ? NEVER_MS : 0));
    const subscription = parallelScan(client, { TableName: TABLE }, { totalSegments: 6, pageSize: 50 }).subscribe();
    await until(() => scans().length === 6, 'all six segments to be in flight');
    expect(
      scans()
        .map((c) => c.body.Segment)
        .sort(),
    ).toEqual([0, 1, 2, 3, 4, 5]);
    subscription.unsubscribe();
  });

  describe('abortSignal', () => {
    const isAbortError = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

    test('already aborted: nothing is sent, the Observable errors with the signal’s reason', async () => {
      const { client: counted, stats } = counting(client);
      const error = await lastValueFrom(
        parallelScan(counted, { TableName: TABLE }, { ...OPTIONS, abortSignal: AbortSignal.abort() }),
      ).catch((e: unknown) => e);
      expect(isAbortError(error)).toBe(true);
      const reason = new Error('shutting down');
      const given = await lastValueFrom(
        parallelScan(counted, { TableName: TABLE }, { ...OPTIONS, abortSignal: AbortSignal.abort(reason) }),
      ).catch((e: unknown) => e);
      expect(given).toBe(reason);
      await settled();
      expect(stats.signals).toHaveLength(0);
      expect(scans()).toHaveLength(0);
    });

    test('aborted mid-way: every segment’s request in flight is aborted, no segment starts, the reason is the error', async () => {
      ddb.setResponseDelay((op) => (op === 'Scan' ? NEVER_MS : 0));
      const { client: counted, stats } = counting(client);
      const closedBefore = ddb.closedSockets();
      const controller = new AbortController();
      const scanned = lastValueFrom(
        parallelScan(counted, { TableName: TABLE }, { ...OPTIONS, abortSignal: controller.signal }).pipe(toArray()),
      ).catch((e: unknown) => e);
      await until(() => scans().length === 2, 'both Scans to reach the server');
      const reason = new Error('the user went away');

      controller.abort(reason);

      expect(stats.signals.map((s) => s.aborted)).toEqual([true, true]);
      // The rejection is the reason itself: not an EmptyError, not wrapped.
      expect(await scanned).toBe(reason);
      expect(resumeTokenOf(reason)).toBeUndefined();
      // The responses are held back for good: only the aborts can close these sockets.
      await until(() => ddb.closedSockets() === closedBefore + 2, 'both aborted Scans to close their sockets');
      await settled();
      expect(
        scans()
          .map((c) => c.body.Segment)
          .sort(),
      ).toEqual([0, 1]);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    });

    test('aborted after some pages: the last page’s resumeToken() reads the rest, every item once', async () => {
      const controller = new AbortController();
      const pages: ParallelScanPage[] = [];
      const error = await lastValueFrom(
        parallelScan(client, { TableName: TABLE }, { ...OPTIONS, abortSignal: controller.signal }).pipe(
          tap((page) => {
            pages.push(page);
            if (pages.length === 5) controller.abort();
          }),
        ),
      ).catch((e: unknown) => e);
      expect(isAbortError(error)).toBe(true);
      expect(pages).toHaveLength(5);
      const rest = await lastValueFrom(
        parallelScan(client, { TableName: TABLE }, { ...OPTIONS, startingToken: pages[4]!.resumeToken() }).pipe(toArray()),
      );
      expect([...keysOf(pages), ...keysOf(rest)].sort()).toEqual(ALL);
    });

    test('16 segments in flight hold one listener on the signal, and all 16 Scans abort', async () => {
      ddb.setResponseDelay((op) => (op === 'Scan' ? NEVER_MS : 0));
      const { client: counted, stats } = counting(client);
      const controller = new AbortController();
      const scanned = lastValueFrom(
        parallelScan(counted, { TableName: TABLE }, { totalSegments: 16, abortSignal: controller.signal }),
      ).catch((e: unknown) => e);
      await until(() => scans().length === 16, 'the 16 Scans to reach the server');
      // An EventTarget warns past 10 listeners: the segments do not listen one by one.
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);

      controller.abort();

      expect(stats.signals).toHaveLength(16);
      expect(stats.signals.every((s) => s.aborted)).toBe(true);
      expect(isAbortError(await scanned)).toBe(true);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    });

    test('a scan that completes leaves no listener on a long-lived signal', async () => {
      const controller = new AbortController();
      const pages = await lastValueFrom(
        parallelScan(client, { TableName: TABLE }, { ...OPTIONS, abortSignal: controller.signal }).pipe(toArray()),
      );
      expect(keysOf(pages)).toHaveLength(N);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
      controller.abort();
    });
  });

  describe('bad options: a SpecError thrown by the call, no request sent', () => {
    const cases: Array<[string, object, string, string]> = [
      [
        'totalSegments 0',
        { totalSegments: 0 },
        'options.totalSegments',
        'expected a whole number from 1 to 1000000, got number 0',
      ],
      [
        'totalSegments 1.5',
        { totalSegments: 1.5 },
        'options.totalSegments',
        'expected a whole number from 1 to 1000000, got number 1.5',
      ],
      [
        'totalSegments 1,000,001',
        { totalSegments: 1_000_001 },
        'options.totalSegments',
        'expected a whole number from 1 to 1000000, got number 1000001',
      ],
      [
        'totalSegments NaN',
        { totalSegments: NaN },
        'options.totalSegments',
        'expected a whole number from 1 to 1000000, got number NaN',
      ],
      [
        'totalSegments "4"',
        { totalSegments: '4' },
        'options.totalSegments',
        'expected a whole number from 1 to 1000000, got "4"',
      ],
      ['concurrency 0', { concurrency: 0 }, 'options.concurrency', 'expected a whole number of at least 1, got number 0'],
      ['concurrency 1.5', { concurrency: 1.5 }, 'options.concurrency', 'expected a whole number of at least 1, got number 1.5'],
      ['pageSize 0', { pageSize: 0 }, 'options.pageSize', 'expected a whole number of at least 1, got number 0'],
      ['startingToken 5', { startingToken: 5 }, 'options.startingToken', 'expected a token string, got number 5'],
      ['a misspelled option', { concurency: 2 }, 'options.concurency', 'unknown option; did you mean concurrency?'],
      ['abortsignal', { abortsignal: AbortSignal.abort() }, 'options.abortsignal', 'unknown option; did you mean abortSignal?'],
      [
        'an option of paginate only',
        { maxItems: 10 },
        'options.maxItems',
        'unknown option; the options are totalSegments, concurrency, pageSize, startingToken, governor, progress, abortSignal',
      ],
      [
        'an AbortController for abortSignal',
        { abortSignal: new AbortController() },
        'options.abortSignal',
        'expected an AbortSignal, got an instance of AbortController: pass its signal (controller.signal)',
      ],
      ['abortSignal true', { abortSignal: true }, 'options.abortSignal', 'expected an AbortSignal, got boolean true'],
    ];
    test.each(cases)('%s', (_name, options, field, problem) => {
      let thrown: unknown;
      try {
        parallelScan(client, { TableName: TABLE }, { ...OPTIONS, ...options } as ParallelScanOptions);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(SpecError);
      expect(thrown).toMatchObject({ field, problem });
      expect(scans()).toHaveLength(0);
    });

    test('concurrency Infinity is accepted', () => {
      expect(() => parallelScan(client, { TableName: TABLE }, { ...OPTIONS, concurrency: Infinity })).not.toThrow();
    });
  });

  describe('bad input and tokens: PaginationError on subscription, no request sent', () => {
    const token = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
    const esk = (json: string) => Buffer.from(json).toString('base64');
    const cases: Array<[string, Partial<ParallelScanOptions>, object, RegExp]> = [
      ['Segment in the input', {}, { Segment: 1 }, /must not have Segment or TotalSegments/],
      ['TotalSegments in the input', {}, { TotalSegments: 4 }, /must not have Segment or TotalSegments/],
      ['a token that is no base64', { startingToken: 'not base64!' }, {}, /Bad parallel scan starting token: not base64 JSON/],
      ['base64 of no JSON', { startingToken: esk('{nope') }, {}, /not base64 JSON/],
      [
        'a plain botocore token',
        { startingToken: esk('{"ExclusiveStartKey": {"pk": {"S": "a"}}}') },
        {},
        /not a parallelScan token/,
      ],
      [
        'a token for 8 segments',
        { startingToken: token({ parallelScan: 1, totalSegments: 8, segments: Array(8).fill(null) }) },
        {},
        /made for totalSegments 8, not 4/,
      ],
      [
        'too few segments',
        { startingToken: token({ parallelScan: 1, totalSegments: 4, segments: [null] }) },
        {},
        /"segments" must be a list of 4 entries/,
      ],
      [
        'a number for a segment',
        { startingToken: token({ parallelScan: 1, totalSegments: 4, segments: [null, 5, null, null] }) },
        {},
        /segment 1 is 5, not a botocore token/,
      ],
      [
        'false for a segment',
        { startingToken: token({ parallelScan: 1, totalSegments: 4, segments: [null, null, false, null] }) },
        {},
        /segment 2 is false/,
      ],
      [
        'a raw string for a segment',
        { startingToken: token({ parallelScan: 1, totalSegments: 4, segments: ['abc', null, null, null] }) },
        {},
        /segment 0 is "abc"/,
      ],
      [
        'a segment token with a foreign key',
        { startingToken: token({ parallelScan: 1, totalSegments: 4, segments: [null, null, null, esk('{"NextToken": "x"}')] }) },
        {},
        /segment 3: Bad starting token: unexpected key\(s\) "NextToken"/,
      ],
    ];
    test.each(cases)('%s', async (_name, options, input, message) => {
      const scan$ = parallelScan(client, { TableName: TABLE, ...input }, { ...OPTIONS, ...options });
      const error = await firstValueFrom(scan$).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PaginationError);
      expect((error as Error).message).toMatch(message);
      expect(scans()).toHaveLength(0);
    });
  });

  test('a service error of one segment ends the scan with that error', async () => {
    const error = await lastValueFrom(parallelScan(client, { TableName: 'NoSuchTable' }, OPTIONS)).catch((e: unknown) => e);
    expect((error as Error).name).toBe('ResourceNotFoundException');
  });

  test('a segment whose service repeats a token: the error carries a composite token resuming there', async () => {
    const repeated = { pk: { S: 'loop' } } satisfies Record<string, AttributeValue>;
    const looping: SdkClient = {
      send: async (command) => {
        const { Segment } = (command as ScanCommand).input;
        return {
          Items: [{ pk: { S: `s${Segment}` } }],
          ...(Segment === 1 && { LastEvaluatedKey: repeated }),
        } satisfies Partial<ScanCommandOutput>;
      },
    };
    const error = await lastValueFrom(
      parallelScan(overlay(client, looping), { TableName: TABLE }, { totalSegments: 2 }).pipe(toArray()),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as PaginationError).message).toMatch(/^segment 1: The same next token was received twice/);
    const segments = decode((error as PaginationError).resumeToken!).segments;
    expect(segments[0]).toBe(true);
    expect(resumeTokenFor(segments[1])).toEqual({ ExclusiveStartKey: repeated });
  });
});

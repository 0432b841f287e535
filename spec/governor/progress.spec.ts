/**
 * Progress events: what a pagination or a wait reports through its
 * `progress` option, against dynalite (and the throttling proxy), and in
 * virtual time where a wait's sleeps are the point.
 */
import type { IncomingMessage, ServerResponse } from 'http';
import { EMPTY, lastValueFrom, of, Subject, take, throwError, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  createGovernor,
  fullResult,
  paginate,
  processPages,
  resumeTokenOf,
  waitFor,
  waitForAttempts,
  type ProgressEvent,
  type Send,
  type WaiterSpec,
} from '../../src';
import { parallelScan, Scan } from '../../src/services/generated/dynamodb';
import { parallelScan as parallelScanDocuments } from '../../src/services/generated/lib-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { governorCore } from '../../src/governor/Governor';
import { expectRejected } from '../support/specErrors';
import { createTable, putItems, startDynalite, type DynaliteServer } from '../support/startDynalite';
import { startThrottlingProxy } from '../support/throttlingProxy';
import { settled, until } from '../support/until';

let ddb: DynaliteServer;
/** Set by a test to answer some requests itself (a fault), instead of dynalite. */
let fault: ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined;

beforeAll(async () => {
  ddb = await startDynalite({ interceptRequest: (req, res) => fault?.(req, res) ?? false });
  const setup = ddb.client();
  await createTable(setup, 'music');
  await putItems(setup, 'music', 25);
});

afterEach(() => {
  fault = undefined;
});

afterAll(() => ddb.stop());

/** The events of a run, and the hook that records them. */
function recorder() {
  const events: ProgressEvent[] = [];
  return { events, progress: (event: ProgressEvent) => void events.push(event) };
}

const kinds = (events: readonly ProgressEvent[]) =>
  events.map((event) => {
    if (event.type === 'page') return `page ${event.page}: ${event.items}`;
    if (event.type === 'request') return `request ${event.page ?? event.attempt}.${event.retry}`;
    if (event.type === 'response') return `response ${event.page ?? event.attempt}${event.error ? ' error' : ''}`;
    if (event.type === 'retry') return `retry ${event.page}.${event.retry} in ${event.delay}s`;
    return `wait ${event.attempt} ${event.delay}s`;
  });

describe('a pagination', () => {
  it('reports each request, its answer and latency, and each page with its items', async () => {
    const { events, progress } = recorder();
    await lastValueFrom(paginate(Scan, ddb.client(), { TableName: 'music' }, { pageSize: 10, progress }).pipe(toArray()));
    expect(kinds(events)).toEqual([
      'request 1.0',
      'response 1',
      'page 1: 10',
      'request 2.0',
      'response 2',
      'page 2: 10',
      'request 3.0',
      'response 3',
      'page 3: 5',
    ]);
    const [request, response] = events;
    expect(request).toMatchObject({
      service: 'DynamoDB',
      operation: 'Scan',
      queued: 0,
      input: { TableName: 'music', Limit: 10 },
    });
    expect(response).toMatchObject({ type: 'response', service: 'DynamoDB', operation: 'Scan', request, throttled: false });
    expect(response!.type === 'response' && response.latency).toBeGreaterThan(0);
  });

  it('reports the retries of the retry option, and the tries that follow', async () => {
    let failures = 1;
    fault = (req, res) => {
      if (req.headers['x-amz-target'] !== 'DynamoDB_20120810.Scan' || failures-- <= 0) return false;
      res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'try again' }));
      return true;
    };
    const { events, progress } = recorder();
    await lastValueFrom(
      paginate(Scan, ddb.client(), { TableName: 'music' }, { pageSize: 20, retry: { delay: () => 0.01 }, progress }).pipe(
        toArray(),
      ),
    );
    expect(kinds(events)).toEqual([
      'request 1.0',
      'response 1 error',
      'retry 1.1 in 0.01s',
      'request 1.1',
      'response 1',
      'page 1: 20',
      'request 2.0',
      'response 2',
      'page 2: 5',
    ]);
    expect(events[1]).toMatchObject({ throttled: false, error: { name: 'InternalServerError' } });
  });

  it('reports throttled answers, and the tries the governor sends again, with the time each waited', async () => {
    const proxy = await startThrottlingProxy({ target: ddb.endpoint, rate: 2, burst: 1, operations: ['Scan'] });
    try {
      const { events, progress } = recorder();
      const governor = createGovernor();
      const client = ddb.client({ endpoint: proxy.endpoint });
      await lastValueFrom(
        parallelScan(client, { TableName: 'music' }, { totalSegments: 2, pageSize: 25, governor, progress }).pipe(toArray()),
      );
      const responses = events.filter((event) => event.type === 'response');
      const throttled = responses.filter((event) => event.throttled);
      expect(throttled).toHaveLength(proxy.throttled);
      expect(throttled.length).toBeGreaterThan(0);
      expect(throttled[0]).toMatchObject({ error: { name: 'ProvisionedThroughputExceededException' } });
      const requests = events.filter((event) => event.type === 'request');
      expect(requests).toHaveLength(proxy.forwarded + proxy.throttled);
      // Every try after a throttle says so, and waited for the governor, which the throttle slowed down.
      const retries = requests.filter((event) => event.retry > 0);
      expect(retries).toHaveLength(throttled.length);
      expect(retries.every((event) => event.queued > 0)).toBe(true);
      // Each request says its segment, through its input.
      expect(new Set(requests.map((event) => (event.input as { Segment: number }).Segment))).toEqual(new Set([0, 1]));
    } finally {
      await proxy.stop();
    }
  });

  it('reports a request given up by an unsubscription as cancelled', async () => {
    ddb.setResponseDelay((operation) => (operation === 'Scan' ? 60_000 : 0));
    try {
      const { events, progress } = recorder();
      const subscription = paginate(Scan, ddb.client(), { TableName: 'music' }, { progress }).subscribe();
      await until(() => ddb.requestsFor('Scan').length > 0 && events.length === 1, 'the Scan to be sent');
      subscription.unsubscribe();
      expect(events[1]).toMatchObject({ type: 'response', cancelled: true, throttled: false, request: events[0] });
      expect(events[1]).not.toHaveProperty('error');
    } finally {
      ddb.setResponseDelay(undefined);
      ddb.clearRequests();
    }
  });

  it('fullResult and processPages report the pages they read', async () => {
    const folded = recorder();
    await lastValueFrom(fullResult(Scan, ddb.client(), { TableName: 'music' }, { pageSize: 20, progress: folded.progress }));
    expect(kinds(folded.events).filter((kind) => kind.startsWith('page'))).toEqual(['page 1: 20', 'page 2: 5']);
    const worked = recorder();
    await lastValueFrom(
      processPages(Scan, ddb.client(), { TableName: 'music' }, (page) => of(page.Count), {
        pageSize: 20,
        progress: worked.progress,
      }).pipe(toArray()),
    );
    expect(kinds(worked.events).filter((kind) => kind.startsWith('page'))).toEqual(['page 1: 20', 'page 2: 5']);
  });

  it("the document client's parallelScan forwards them too, in the same lane as the DynamoDB client's", async () => {
    const { events, progress } = recorder();
    const governor = createGovernor({ readCapacity: 1000 });
    const documents = DynamoDBDocumentClient.from(ddb.client());
    const pages = await lastValueFrom(
      parallelScanDocuments(documents, { TableName: 'music' }, { totalSegments: 2, governor, progress }).pipe(toArray()),
    );
    expect(pages.flatMap(({ page }) => page.Items ?? [])).toHaveLength(25);
    expect(events.filter((event) => event.type === 'request').map(({ service, operation }) => `${service}.${operation}`)).toEqual(
      ['DynamoDB.Scan', 'DynamoDB.Scan'],
    );
    expect(Object.keys(governor.stats().lanes)).toEqual(['DynamoDB.Scan']);
    expect(governor.stats().tables['music']!.consumed).toBeGreaterThan(0);
    expect(pages.every(({ page }) => !('ConsumedCapacity' in page))).toBe(true);
  });

  it('reports a send that completed with no response as a failed request: every request has its answer', async () => {
    const { events, progress } = recorder();
    const spec = { input_token: 'NextToken', output_token: 'NextToken', result_key: 'Items' };
    const pages = paginate(spec, () => EMPTY, {}, { progress });
    await expect(lastValueFrom(pages)).rejects.toThrow(/without producing a response/);
    expect(kinds(events)).toEqual(['request 1.0', 'response 1 error']);
  });

  it('counts the items of a page cut by maxItems as delivered', async () => {
    const { events, progress } = recorder();
    await lastValueFrom(
      paginate(Scan, ddb.client(), { TableName: 'music' }, { pageSize: 10, maxItems: 15, progress }).pipe(toArray()),
    );
    expect(kinds(events).filter((kind) => kind.startsWith('page'))).toEqual(['page 1: 10', 'page 2: 5']);
  });
});

describe('a hook that throws', () => {
  // A new error for each test: an error carries where its pagination stopped, once.
  let boom: Error;
  beforeEach(() => {
    boom = new Error('the progress hook failed');
  });
  const throwing = (type: ProgressEvent['type']) => (event: ProgressEvent) => {
    if (event.type === type) throw boom;
  };

  it.each<ProgressEvent['type']>(['request', 'response', 'page'])(
    'on %s errors the pagination with what it threw',
    async (type) => {
      const pages = lastValueFrom(
        paginate(Scan, ddb.client(), { TableName: 'music' }, { pageSize: 10, progress: throwing(type) }),
      );
      await expect(pages).rejects.toBe(boom);
      await settled();
    },
  );

  it('on a page resumes after that page: it was delivered', async () => {
    const delivered: unknown[] = [];
    const failed = await new Promise<unknown>((resolve) =>
      paginate(Scan, ddb.client(), { TableName: 'music' }, { pageSize: 10, progress: throwing('page') }).subscribe({
        next: (page) => delivered.push(page),
        error: resolve,
      }),
    );
    expect(failed).toBe(boom);
    expect(delivered).toHaveLength(1);
    expect(resumeTokenOf(failed)).toBe(resumeTokenOf(delivered[0]));
  });

  it('on a wait errors the wait with what it threw, and polls no more', async () => {
    const waiter: WaiterSpec = {
      delay: 0,
      maxAttempts: 3,
      acceptors: [{ matcher: 'path', argument: 'Status', expected: 'DONE', state: 'success' }],
    };
    let polls = 0;
    // Answered later, as a client does: the wait's timers are set after its subscription.
    const send: Send<object, { Status: string }> = () => (polls++, Promise.resolve({ Status: 'WORKING' }));
    await expect(lastValueFrom(waitFor(waiter, send, {}, { progress: throwing('wait') }))).rejects.toBe(boom);
    await settled();
    expect(polls).toBe(1);
  });

  it('on a retry errors the pagination with what it threw, and leaves no retry timer behind', async () => {
    const scheduler = new TestScheduler(() => undefined);
    const spec = { input_token: 'NextToken', output_token: 'NextToken', result_key: 'Items' };
    const send: Send<object, { Items: number[] }> = () =>
      Promise.reject(Object.assign(new Error('busy'), { name: 'ServiceUnavailable' }));
    const pages = paginate(spec, send, {}, { retry: { delay: () => 1 }, scheduler, progress: throwing('retry') });
    await expect(lastValueFrom(pages)).rejects.toBe(boom);
    expect(scheduler.actions).toHaveLength(0);
  });
});

describe('a wait', () => {
  const waiter: WaiterSpec = {
    delay: 5,
    maxAttempts: 4,
    acceptors: [
      { matcher: 'path', argument: 'Status', expected: 'DONE', state: 'success' },
      { matcher: 'error', expected: 'NotYet', state: 'retry' },
    ],
  };

  it('reports each attempt, and the sleep after it, in virtual time', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, flush }) => {
      const { events, progress } = recorder();
      const replies = [
        cold<{ Status: string }>('-#', undefined, Object.assign(new Error('not yet'), { name: 'NotYet' })),
        cold('--(a|)', { a: { Status: 'WORKING' } }),
        cold('-(a|)', { a: { Status: 'DONE' } }),
      ];
      const send: Send<object, { Status: string }> = () => replies.shift() ?? throwError(() => new Error('too many'));
      waitForAttempts(waiter, send, {}, { scheduler, progress }).subscribe();
      flush();
      expect(kinds(events)).toEqual([
        'request 1.0',
        'response 1 error',
        'wait 1 5s',
        'request 2.0',
        'response 2',
        'wait 2 5s',
        'request 3.0',
        'response 3',
      ]);
      expect(events.filter((event) => event.type === 'response').map((event) => event.latency)).toEqual([0.001, 0.002, 0.001]);
      expect(events[0]).toMatchObject({ attempt: 1, retry: 0 });
      expect(events[0]).not.toHaveProperty('service');
      expect(events[0]).not.toHaveProperty('operation');
    });
  });

  it('names the operation of a botocore waiter spec', () => {
    const { events, progress } = recorder();
    const send: Send<object, { Status: string }> = () => of({ Status: 'DONE' });
    waitFor({ ...waiter, operation: 'DescribeJob' }, send, {}, { progress }).subscribe();
    expect(events[0]).toMatchObject({ type: 'request', operation: 'DescribeJob', attempt: 1 });
  });
});

describe('waiting for the governor', () => {
  it('is given up with the subscription: no request goes, and no timer is left behind', () => {
    const scheduler = new TestScheduler(() => undefined);
    const governor = createGovernor({ rate: 1, scheduler });
    const sent: unknown[] = [];
    const send: Send<{ NextToken?: string }, { Items: number[]; NextToken?: string }> = (input) => {
      sent.push(input);
      return of({ Items: [1], NextToken: `after-${sent.length}` });
    };
    const spec = { input_token: 'NextToken', output_token: 'NextToken', result_key: 'Items' };
    const pages = new Subject<unknown>();
    const subscription = paginate(spec, send, {}, { governor }).pipe(take(3)).subscribe(pages);
    // The first page went at once; the second waits a second for its token.
    expect(sent).toHaveLength(1);
    expect(governor.stats().lanes['*']!.waiting).toBe(1);
    expect(scheduler.actions).toHaveLength(1);
    subscription.unsubscribe();
    expect(governor.stats().lanes['*']!.waiting).toBe(0);
    expect(scheduler.actions).toHaveLength(0);
    scheduler.flush();
    expect(sent).toHaveLength(1);
  });
});

describe('options', () => {
  const spec = { input_token: 'NextToken', output_token: 'NextToken', result_key: 'Items' };
  const send: Send<object, object> = () => of({});
  const waiter: WaiterSpec = { delay: 1, maxAttempts: 1, acceptors: [{ matcher: 'status', expected: 200, state: 'success' }] };
  const scan = (options: object) => parallelScan(ddb.client(), { TableName: 'music' }, { totalSegments: 2, ...options });

  it.each<[string, (options: never) => unknown]>([
    ['paginate', (options) => paginate(spec, send, {}, options)],
    ['fullResult', (options) => fullResult(spec, send, {}, options)],
    ['waitFor', (options) => waitFor(waiter, send, {}, options)],
    ['parallelScan', (options) => scan(options)],
  ])('%s checks governor and progress when called', (_, call) => {
    expectRejected(
      call,
      { governor: { stats: () => ({}) } },
      'options.governor',
      /expected a governor from createGovernor\(\), got an object/,
    );
    expectRejected(call, { progress: 'verbose' }, 'options.progress', /expected a function, got "verbose"/);
    expectRejected(call, { progres: () => undefined }, 'options.progres', /did you mean progress\?/);
    expectRejected(call, { governer: createGovernor() }, 'options.governer', /did you mean governor\?/);
  });

  it('a governor works across copies of the library: it is found by a shared symbol', () => {
    const governor = createGovernor();
    const copy = { stats: () => governor.stats(), [Symbol.for('rxjs-aws.governor')]: governorCore(governor) };
    expect(() => paginate(spec, send, {}, { governor: copy })).not.toThrow();
  });
});

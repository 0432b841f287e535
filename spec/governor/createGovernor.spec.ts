/**
 * The governor's pure parts in virtual time: its clock is a TestScheduler
 * stepped by hand, and requests are granted, answered and cancelled directly
 * through its working side, so every time asserted is exact.
 */
import { TestScheduler } from 'rxjs/testing';
import { createGovernor } from '../../src/governor/createGovernor';
import { governorCore, type GovernorCore, type LaneId } from '../../src/governor/Governor';
import type { Answer, Permit } from '../../src/governor/Lane';
import { compilePaginator, type GovernorOptions } from '../../src';
import { laneOf } from '../../src/governor/laneOf';
import * as dynamodb from '../../src/services/generated/dynamodb';
import * as documents from '../../src/services/generated/lib-dynamodb';
import { expectRejected } from '../support/specErrors';

const SCAN: LaneId = { service: 'DynamoDB', operation: 'Scan' };
const SSM: LaneId = { service: 'SSM', operation: 'GetParametersByPath' };
const THROTTLED: Answer = { ok: false, error: { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } } };
const OK: Answer = { ok: true, output: {} };

/** A governor on a TestScheduler, and what it granted when. */
function virtualGovernor(options: Omit<GovernorOptions, 'scheduler'> = {}) {
  const scheduler = new TestScheduler(() => undefined);
  const governor = createGovernor({ ...options, scheduler });
  const core = governorCore(governor)!;
  const granted: Array<{ at: number; permit: Permit; input: unknown; tag: string }> = [];
  const acquire = (tag: string, lane: LaneId = SCAN, input: unknown = {}) =>
    core.acquire(lane, input, (permit, sent) => granted.push({ at: scheduler.now(), permit, input: sent, tag }));
  /** Runs every timer due by `ms` (absolute), and leaves the clock there. */
  const advanceTo = (ms: number) => {
    scheduler.maxFrames = ms;
    scheduler.flush();
    scheduler.frame = Math.max(scheduler.frame, ms);
  };
  return { scheduler, governor, core, granted, acquire, advanceTo };
}

const atOf = (granted: ReadonlyArray<{ at: number }>) => granted.map(({ at }) => at);

describe('createGovernor: options, checked once', () => {
  it.each<[string, unknown, string, RegExp]>([
    ['an unknown option', { rates: 5 }, 'options.rates', /unknown option; did you mean rate\?/],
    ['a rate of 0', { rate: 0 }, 'options.rate', /expected requests a second, a number above 0, got number 0/],
    ['a rate as text', { rate: '5' }, 'options.rate', /expected requests a second, a number above 0, got "5"/],
    [
      'a bad lane name',
      { rate: { 'SSM.Get.Parameters': 5 } },
      'options.rate.SSM.Get.Parameters',
      /'Service', 'Service.Operation' or '\*'/,
    ],
    ['a bad rate by name', { rate: { SSM: -1 } }, 'options.rate.SSM', /a number above 0, got number -1/],
    ['a share above 1', { readShare: 1.5 }, 'options.readShare', /above 0 and at most 1, got number 1.5/],
    ['a share of 0', { readShare: 0 }, 'options.readShare', /above 0 and at most 1, got number 0/],
    ['unlimited capacity', { readCapacity: Infinity }, 'options.readCapacity', /a finite number, got Infinity/],
    ['a capacity by table', { readCapacity: { music: 'lots' } }, 'options.readCapacity.music', /read capacity units a second/],
    ['fractional retries', { retries: 1.5 }, 'options.retries', /whole number of at least 0, got number 1.5/],
    ['a scheduler without now', { scheduler: { schedule: () => undefined } }, 'options.scheduler', /no now method/],
    ['options that are not an object', 5, 'options', /expected an object of options, got number 5/],
  ])('refuses %s', (_, options, field, problem) => {
    expectRejected(createGovernor as (spec: never) => unknown, options, field, problem);
  });

  it('takes RxJS schedulers as its clock, and Infinity for a lane left unlimited', () => {
    expect(() =>
      createGovernor({ scheduler: new TestScheduler(() => undefined), rate: { DynamoDB: Infinity, '*': 5 } }),
    ).not.toThrow();
  });

  it('is recognized by its working side, which nothing else has', () => {
    expect(governorCore(createGovernor())).toBeDefined();
    expect(governorCore({ stats: () => ({ lanes: {}, tables: {} }) })).toBeUndefined();
  });
});

describe('a lane: a token bucket per service operation', () => {
  it('lets requests go at its rate, one timer at a time', () => {
    const { granted, acquire, advanceTo, scheduler } = virtualGovernor({ rate: 5 });
    for (let i = 0; i < 5; i++) acquire(`r${i}`);
    expect(atOf(granted)).toEqual([0]);
    expect(scheduler.actions).toHaveLength(1);
    advanceTo(1000);
    expect(atOf(granted)).toEqual([0, 200, 400, 600, 800]);
    expect(scheduler.actions).toHaveLength(0);
  });

  it('paces each operation apart, at the rate named for it, its service or the rest', () => {
    const { granted, acquire, advanceTo } = virtualGovernor({ rate: { ssm: 2, 'DynamoDB.Scan': 4, '*': 100 } });
    for (let i = 0; i < 3; i++) {
      acquire(`ssm${i}`, SSM);
      acquire(`scan${i}`, SCAN);
      acquire(`query${i}`, { service: 'DynamoDB', operation: 'Query' });
    }
    advanceTo(2000);
    const times = (prefix: string) => atOf(granted.filter(({ tag }) => tag.startsWith(prefix)));
    expect(times('ssm')).toEqual([0, 500, 1000]);
    expect(times('scan')).toEqual([0, 250, 500]);
    // A tenth of a second's worth may go at once.
    expect(times('query')).toEqual([0, 0, 0]);
  });

  it('names lanes as the spec does, one lane whatever the service name is spelt', () => {
    const { governor, acquire } = virtualGovernor({ rate: 10 });
    acquire('a', { service: 'DynamoDB', operation: 'Scan' });
    acquire('b', { service: 'dynamodb', operation: 'Scan' });
    acquire('c', {});
    expect(Object.keys(governor.stats().lanes)).toEqual(['DynamoDB.Scan', '*']);
    expect(governor.stats().lanes['DynamoDB.Scan']).toMatchObject({ sent: 1, waiting: 1, rate: 10 });
  });

  it('cancelling a wait takes the request out of the queue, and leaves no timer behind', () => {
    const { granted, acquire, advanceTo, scheduler, governor } = virtualGovernor({ rate: 1 });
    acquire('first');
    const second = acquire('second');
    const third = acquire('third');
    expect(governor.stats().lanes['DynamoDB.Scan']!.waiting).toBe(2);
    second();
    expect(scheduler.actions).toHaveLength(1);
    third();
    expect(scheduler.actions).toHaveLength(0);
    expect(governor.stats().lanes['DynamoDB.Scan']!.waiting).toBe(0);
    advanceTo(10_000);
    expect(granted.map(({ tag }) => tag)).toEqual(['first']);
    // Cancelling again, or after the grant, changes nothing.
    second();
    expect(governor.stats().lanes['DynamoDB.Scan']!.waiting).toBe(0);
  });

  it('a lane without a rate starts at 10 a second, and doubles after 16 answers of requests it held back', () => {
    const { granted, acquire, advanceTo, governor } = virtualGovernor();
    for (let i = 0; i < 17; i++) acquire(`r${i}`);
    advanceTo(1600);
    expect(atOf(granted)).toEqual(Array.from({ length: 17 }, (_, i) => i * 100));
    granted.forEach(({ permit }) => permit.settle(OK));
    expect(governor.stats().lanes['DynamoDB.Scan']!.rate).toBeCloseTo(20, 5);
  });
});

describe('throttling, as a lane sees it', () => {
  const rateOf = (governor: ReturnType<typeof createGovernor>) => governor.stats().lanes['DynamoDB.Scan']!.rate;

  it('slows down at a throttle, once per round of requests: those sent before the decrease are no news', () => {
    const { governor, granted, acquire, advanceTo } = virtualGovernor({ rate: 100 });
    for (let i = 0; i < 100; i++) acquire(`r${i}`);
    advanceTo(1000);
    granted.slice(0, 98).forEach(({ permit }) => permit.settle(OK));
    expect(granted[98]!.permit.settle(THROTTLED)).toBe(true);
    const slowed = rateOf(governor);
    expect(slowed).toBeLessThanOrEqual(50);
    expect(granted[99]!.permit.settle(THROTTLED)).toBe(true);
    expect(rateOf(governor)).toBe(slowed);
    expect(governor.stats().lanes['DynamoDB.Scan']).toMatchObject({ sent: 100, throttled: 2 });
    // A request sent after the decrease, throttled too: that is news.
    acquire('after');
    advanceTo(2000);
    granted[100]!.permit.settle(THROTTLED);
    expect(rateOf(governor)).toBeLessThan(slowed);
  });

  it('takes what an SDK client retried on its own as throttling, and pays for those requests', () => {
    const { governor, granted, acquire, advanceTo } = virtualGovernor({ rate: 10 });
    acquire('first');
    granted[0]!.permit.settle({ ok: true, output: { $metadata: { attempts: 3 } } });
    expect(governor.stats().lanes['DynamoDB.Scan']).toMatchObject({ sent: 3, throttled: 1 });
    // Two requests went out unasked: the bucket is in debt, and the next request waits it out.
    acquire('second');
    advanceTo(100);
    expect(granted).toHaveLength(1);
    advanceTo(1000);
    expect(granted).toHaveLength(2);
  });

  it('never goes above the rate given, whatever it learns', () => {
    const { governor, granted, acquire, advanceTo } = virtualGovernor({ rate: 2 });
    let t = 0;
    for (let i = 0; i < 50; i++) {
      const before = granted.length;
      acquire('r');
      acquire('r');
      advanceTo((t += 1000));
      granted.slice(before).forEach(({ permit }) => permit.settle(OK));
    }
    expect(rateOf(governor)).toBe(2);
    const times = atOf(granted);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(500);
  });

  it('forgets nothing when a request is abandoned: no decrease, no increase', () => {
    const { governor, granted, acquire } = virtualGovernor({ rate: 10 });
    acquire('a');
    granted[0]!.permit.abandon();
    granted[0]!.permit.settle(THROTTLED);
    expect(governor.stats().lanes['DynamoDB.Scan']).toMatchObject({ rate: 10, throttled: 0 });
  });
});

describe('DynamoDB read capacity: a share of the table, counted from ConsumedCapacity', () => {
  const READ = (table: string, extra: Record<string, unknown> = {}) => ({ TableName: table, ...extra });

  it('asks for ConsumedCapacity, and takes it out of the page again when the request did not ask', () => {
    const { core, granted } = virtualGovernor({ readCapacity: { music: 100 } });
    (core as GovernorCore).acquire(SCAN, READ('music'), (permit, sent) => granted.push({ at: 0, permit, input: sent, tag: 'a' }));
    expect(granted[0]!.input).toEqual({ TableName: 'music', ReturnConsumedCapacity: 'TOTAL' });
    const page: Record<string, unknown> = { Items: [], ConsumedCapacity: { TableName: 'music', CapacityUnits: 3 } };
    granted[0]!.permit.settle({ ok: true, output: page });
    expect(page).toEqual({ Items: [] });
  });

  it("keeps the request's own ReturnConsumedCapacity, and what it answers", () => {
    const { acquire, granted } = virtualGovernor({ readCapacity: 100 });
    const input = READ('music', { ReturnConsumedCapacity: 'INDEXES' });
    acquire('a', SCAN, input);
    expect(granted[0]!.input).toBe(input);
    const page = { Items: [], ConsumedCapacity: { TableName: 'music', CapacityUnits: 3 } };
    granted[0]!.permit.settle({ ok: true, output: page });
    expect(page.ConsumedCapacity).toEqual({ TableName: 'music', CapacityUnits: 3 });
  });

  it('leaves tables without a capacity, other services and other operations alone', () => {
    const { acquire, granted } = virtualGovernor({ readCapacity: { music: 100 } });
    acquire('other table', SCAN, READ('films'));
    acquire('other operation', { service: 'DynamoDB', operation: 'ListTables' }, READ('music'));
    acquire('other service', SSM, READ('music'));
    expect(granted.map(({ input }) => input)).toEqual([READ('films'), READ('music'), READ('music')]);
  });

  it('sends one read until an answer says what a read costs, then keeps consumption under its share', () => {
    const { acquire, granted, advanceTo, governor } = virtualGovernor({
      rate: 1000,
      readCapacity: { music: 20 },
      readShare: 0.5,
    });
    for (let i = 0; i < 6; i++) acquire(`read${i}`, SCAN, READ('music'));
    expect(granted).toHaveLength(1);
    const answer = (units: number) => ({ ok: true, output: { ConsumedCapacity: { CapacityUnits: units } } }) as const;
    // 10 units a second; each read costs 5: the first answer tells, and the bucket (10 to start) allows one more now.
    granted[0]!.permit.settle(answer(5));
    expect(granted).toHaveLength(2);
    granted[1]!.permit.settle(answer(5));
    // The bucket is at 0 now: a read every half second from here.
    advanceTo(2000);
    granted.slice(2).forEach(({ permit }) => permit.settle(answer(5)));
    expect(atOf(granted.slice(2))).toEqual([500, 1000, 1500, 2000]);
    expect(governor.stats().tables).toEqual({ music: { unitsPerSecond: 10, consumed: 30 } });
  });

  it('charges a read that cost more than expected: the next ones wait the debt out', () => {
    const { acquire, granted, advanceTo } = virtualGovernor({ rate: 1000, readCapacity: { music: 10 }, readShare: 1 });
    acquire('a', SCAN, READ('music'));
    granted[0]!.permit.settle({ ok: true, output: { ConsumedCapacity: { CapacityUnits: 1 } } });
    acquire('b', SCAN, READ('music'));
    granted[1]!.permit.settle({ ok: true, output: { ConsumedCapacity: { CapacityUnits: 39 } } });
    // 10 to start, 40 consumed: 30 units of debt. A read is now thought to cost 20, more than the bucket
    // holds: it waits for a full bucket, (30 + 10) / 10 a second.
    acquire('c', SCAN, READ('music'));
    advanceTo(3999);
    expect(granted).toHaveLength(2);
    advanceTo(4000);
    expect(granted).toHaveLength(3);
  });
});

describe('laneOf: the service and operation a spec names', () => {
  it.each<[string, unknown, LaneId]>([
    ['a bound paginator', dynamodb.Scan, { service: 'DynamoDB', operation: 'Scan' }],
    ['a bound waiter', dynamodb.TableExists, { service: 'DynamoDB', operation: 'DescribeTable' }],
    ["the document client's Scan, by its command", documents.Scan, { service: 'DynamoDB', operation: 'Scan' }],
    ['a compiled bound paginator', compilePaginator(dynamodb.Query), { service: 'dynamodb', operation: 'Query' }],
    [
      'a botocore waiter spec',
      { operation: 'DescribeJob', delay: 1, maxAttempts: 2, acceptors: [] },
      { operation: 'DescribeJob' },
    ],
    ['a paginator spec of ones own', { input_token: 'NextToken', output_token: 'NextToken' }, {}],
    ['nothing', undefined, {}],
  ])('%s', (_, spec, lane) => {
    expect(laneOf(spec)).toEqual(lane);
  });
});

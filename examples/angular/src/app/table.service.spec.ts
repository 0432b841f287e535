import {
  createEnvironmentInjector,
  EnvironmentInjector,
  provideZonelessChangeDetection,
  runInInjectionContext,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { TestBed } from '@angular/core/testing';
import type { DescribeTableCommandOutput, ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { firstValueFrom, lastValueFrom, Subject, toArray } from 'rxjs';
import type { ProgressEvent } from 'rxjs-aws';
import { FakeDynamoDB, sleep, songs, until } from '../testing/fake-dynamodb';
import { TableService } from './table.service';
import { DYNAMODB, GOVERNOR, SCAN_PAGE_SIZE, TABLE_WAIT } from './tokens';

describe('TableService', () => {
  let dynamodb: FakeDynamoDB;
  let service: TableService;
  const described = (table?: string) => dynamodb.requests('DescribeTable', table).length;
  /** Until `n` DescribeTables were sent and all of them answered. */
  const answered = (n: number) => until(() => described() === n && dynamodb.inFlight().length === 0);

  beforeEach(() => {
    dynamodb = new FakeDynamoDB();
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        { provide: DYNAMODB, useValue: dynamodb },
        { provide: TABLE_WAIT, useValue: { delay: 0.02, maxAttempts: 100 } },
        { provide: SCAN_PAGE_SIZE, useValue: 2 },
      ],
    });
    service = TestBed.inject(TableService);
  });

  describe('ready()', () => {
    it('polls TableExists once for all its subscribers, and replays the result afterwards', async () => {
      dynamodb.table('music', 'missing');
      expect(service.ready('music')).toBe(service.ready('music'));
      const got: DescribeTableCommandOutput[] = [];
      service.ready('music').subscribe((output) => got.push(output));
      service.ready('music').subscribe((output) => got.push(output));

      await answered(1);
      dynamodb.set('music', 'CREATING');
      await answered(2);
      dynamodb.set('music', 'ACTIVE');
      await until(() => got.length === 2);

      expect(got[0]?.Table?.TableStatus).toBe('ACTIVE');
      expect(got[1]).toBe(got[0]);
      expect(described('music')).toBe(3);
      expect(await firstValueFrom(service.ready('music'))).toBe(got[0]);
      expect(described()).toBe(3);
    });

    it('keeps polling while one subscriber is left, and stops when the last one leaves', async () => {
      dynamodb.table('music', 'CREATING');
      const one = service.ready('music').subscribe();
      const two = service.ready('music').subscribe();
      await answered(1);
      dynamodb.set('music', 'hang');
      await until(() => described() === 2);
      const inFlight = dynamodb.sent[1]!.abortSignal!;

      one.unsubscribe();
      expect(inFlight.aborted).toBe(false);
      two.unsubscribe();
      expect(inFlight.aborted).toBe(true);

      dynamodb.set('music', 'CREATING');
      await sleep(100); // five delays
      expect(described()).toBe(2);
    });

    it('is cancelled with the injector it was read in: destroying it aborts the request in flight', async () => {
      dynamodb.table('music', 'hang');
      const injector = createEnvironmentInjector([], TestBed.inject(EnvironmentInjector));
      const ready = runInInjectionContext(injector, () => toSignal(service.ready('music')));
      await until(() => described() === 1);
      expect(ready()).toBeUndefined();

      injector.destroy();

      expect(dynamodb.sent[0]!.abortSignal!.aborted).toBe(true);
      dynamodb.set('music', 'ACTIVE');
      await sleep(100);
      expect(dynamodb.sent).toHaveLength(1);
    });

    it('starts a new poll for the next subscriber after a cancelled one', async () => {
      dynamodb.table('music', 'hang');
      service.ready('music').subscribe().unsubscribe();
      dynamodb.set('music', 'ACTIVE');

      const output = await firstValueFrom(service.ready('music'));

      expect(output.Table?.TableStatus).toBe('ACTIVE');
      expect(dynamodb.requests('DescribeTable').map((s) => s.abortSignal?.aborted)).toEqual([true, false]);
    });

    it('replays only to those still subscribed when the wait completes (shareReplay with refCount)', async () => {
      // firstValueFrom / take(1) unsubscribe on the value, before the waiter completes: the last one
      // leaving resets shareReplay, so the next subscriber polls again (one DescribeTable: it is ACTIVE).
      dynamodb.table('music', 'ACTIVE');
      await firstValueFrom(service.ready('music'));
      await firstValueFrom(service.ready('music'));
      expect(described()).toBe(2);
    });
  });

  describe('attempts()', () => {
    it('emits every attempt: what DescribeTable said, the acceptor state, the next delay', async () => {
      dynamodb.table('music', 'missing');
      const attempts = lastValueFrom(service.attempts('music').pipe(toArray()));
      await answered(1);
      dynamodb.set('music', 'UPDATING');
      await answered(2);
      dynamodb.set('music', 'ACTIVE');

      const all = await attempts;

      expect(all.map((a) => [a.attempt, a.state, a.nextDelay])).toEqual([
        [1, 'retry', 0.02],
        [2, 'retry', 0.02],
        [3, 'success', undefined],
      ]);
      expect(all[0]!.response.ok).toBe(false);
      expect(all[1]!.response.ok && all[1]!.response.output.Table?.TableStatus).toBe('UPDATING');
    });
  });

  describe('pages()', () => {
    it('sends one Scan per demand and none before the first', async () => {
      dynamodb.table('music', 'ACTIVE', songs(5));
      const demand = new Subject<void>();
      const pages: ScanCommandOutput[] = [];
      let complete = false;
      service.pages('music', demand).subscribe({ next: (page) => pages.push(page), complete: () => (complete = true) });

      await sleep(30);
      expect(dynamodb.requests('Scan')).toHaveLength(0);

      demand.next();
      await until(() => pages.length === 1);
      await sleep(30);
      expect(dynamodb.requests('Scan')).toHaveLength(1);

      demand.next();
      await until(() => pages.length === 2);
      await sleep(30);
      expect(dynamodb.requests('Scan')).toHaveLength(2);

      demand.next();
      await until(() => complete);
      expect(pages.map((page) => page.Items?.map((item) => item['pk']?.S))).toEqual([
        ['song-1', 'song-2'],
        ['song-3', 'song-4'],
        ['song-5'],
      ]);
      expect(dynamodb.requests('Scan').map((s) => [s.input.Limit, s.input.ExclusiveStartKey?.['pk']?.S])).toEqual([
        [2, undefined],
        [2, 'song-2'],
        [2, 'song-4'],
      ]);
    });

    it('counts demand given while a page is in flight: three quick clicks, three pages', async () => {
      dynamodb.table('music', 'ACTIVE', songs(9));
      const demand = new Subject<void>();
      const pages: ScanCommandOutput[] = [];
      service.pages('music', demand).subscribe((page) => pages.push(page));

      demand.next();
      demand.next();
      demand.next();
      await until(() => pages.length === 3);
      await sleep(30);

      expect(dynamodb.requests('Scan')).toHaveLength(3);
    });

    it('aborts the Scan in flight when unsubscribed', async () => {
      dynamodb.table('music', 'ACTIVE', songs(3));
      const send = dynamodb.send.bind(dynamodb);
      dynamodb.send = (command, options) => {
        void send(command, options);
        return new Promise(() => undefined); // this Scan never answers
      };
      const demand = new Subject<void>();
      const subscription = service.pages('music', demand).subscribe();
      demand.next();
      await until(() => dynamodb.requests('Scan').length === 1);

      subscription.unsubscribe();

      expect(dynamodb.requests('Scan')[0]!.abortSignal!.aborted).toBe(true);
    });
  });

  describe('count()', () => {
    it('counts page by page, and its progress hook hears every request, answer and page', async () => {
      dynamodb.table('music', 'ACTIVE', songs(5));
      const events: ProgressEvent[] = [];

      const counts = await lastValueFrom(service.count('music', { progress: (event) => events.push(event) }).pipe(toArray()));

      expect(counts).toEqual([2, 4, 5]);
      expect(dynamodb.requests('Scan').map((s) => [s.input.Limit, (s.input as { Select?: string }).Select])).toEqual([
        [2, 'COUNT'],
        [2, 'COUNT'],
        [2, 'COUNT'],
      ]);
      expect(events.map((e) => `${e.type} ${e.page}`)).toEqual([
        'request 1',
        'response 1',
        'page 1',
        'request 2',
        'response 2',
        'page 2',
        'request 3',
        'response 3',
        'page 3',
      ]);
      expect(events.every((e) => e.service === 'DynamoDB' && e.operation === 'Scan')).toBe(true);
    });

    it('aborting its signal aborts the Scan in flight, sends nothing more, and errors with the reason', async () => {
      dynamodb.table('music', 'ACTIVE', songs(5));
      dynamodb.holdScans = true;
      const controller = new AbortController();
      const counted = lastValueFrom(service.count('music', { abortSignal: controller.signal })).catch((e: unknown) => e);
      await until(() => dynamodb.inFlight('Scan').length === 1);
      const reason = new Error('cancelled by the user');

      controller.abort(reason);

      expect(await counted).toBe(reason);
      expect(dynamodb.requests('Scan').map((s) => s.abortSignal?.aborted)).toEqual([true]);
      await until(() => dynamodb.requests('Scan')[0]!.outcome === 'aborted');
      dynamodb.holdScans = false;
      await sleep(50);
      expect(dynamodb.requests('Scan')).toHaveLength(1);
    });

    it('sends nothing with a signal aborted already', async () => {
      dynamodb.table('music', 'ACTIVE', songs(5));
      const error = await lastValueFrom(service.count('music', { abortSignal: AbortSignal.abort() })).catch((e: unknown) => e);
      expect((error as Error).name).toBe('AbortError');
      expect(dynamodb.sent).toHaveLength(0);
    });
  });

  describe('the governor', () => {
    it('is one for the app: the polls, the list and the count are counted in its lanes', async () => {
      dynamodb.table('music', 'ACTIVE', songs(5));
      const governor = TestBed.inject(GOVERNOR);
      expect(TestBed.inject(GOVERNOR)).toBe(governor);

      await lastValueFrom(service.ready('music'));
      await lastValueFrom(service.attempts('music'));
      const demand = new Subject<void>();
      const pages = service.pages('music', demand).subscribe();
      demand.next();
      await until(() => dynamodb.requests('Scan').length === 1 && dynamodb.inFlight().length === 0);
      await lastValueFrom(service.count('music', {}));
      pages.unsubscribe();

      const { lanes } = governor.stats();
      expect(lanes['DynamoDB.DescribeTable']).toMatchObject({ sent: 2 });
      expect(lanes['DynamoDB.Scan']).toMatchObject({ sent: 4, rate: 5, throttled: 0 });
      expect(dynamodb.requests('Scan')).toHaveLength(4);
    });

    it('holds the Scans of the list and the count together to 5 a second', async () => {
      dynamodb.table('music', 'ACTIVE', songs(6));
      const demand = new Subject<void>();
      const started = performance.now();
      const pages = service.pages('music', demand).subscribe();
      demand.next();
      demand.next();
      await lastValueFrom(service.count('music', {}));
      await until(() => dynamodb.requests('Scan').length === 5 && dynamodb.inFlight().length === 0);
      pages.unsubscribe();

      // Five Scans in one lane of 5 a second (a burst of one): the first at once, then one every 0.2 s.
      expect(performance.now() - started).toBeGreaterThanOrEqual(800 - 20);
    });
  });
});

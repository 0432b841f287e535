import { provideZonelessChangeDetection } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { App } from './app';
import { FakeDynamoDB, sleep, songs, until } from '../testing/fake-dynamodb';
import { DEMO_TABLES, DYNAMODB, GOVERNOR, SCAN_PAGE_SIZE, TABLE_WAIT } from './tokens';

describe('App', () => {
  let dynamodb: FakeDynamoDB;
  let fixture: ComponentFixture<App>;
  let element: HTMLElement;

  const text = (testId: string) =>
    element.querySelector(`[data-testid=${testId}]`)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  const attempts = () =>
    [...element.querySelectorAll('[data-testid=attempts] li[data-state]')].map((li) =>
      [...li.querySelectorAll('span')].map((span) => span.textContent!.replace(/\s+/g, ' ').trim()).join(' '),
    );
  const rows = () =>
    [...element.querySelectorAll('[data-testid=items] tbody tr')].map((tr) => tr.querySelectorAll('td')[1]!.textContent!.trim());
  const shows = (condition: () => boolean) => until(() => (fixture.detectChanges(), condition()));

  function create(answer: Parameters<FakeDynamoDB['table']>[1], items = songs(5)): void {
    dynamodb = new FakeDynamoDB().table('music', answer, items).table('podcasts', 'hang');
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        { provide: DYNAMODB, useValue: dynamodb },
        { provide: TABLE_WAIT, useValue: { delay: 0.02, maxAttempts: 100 } },
        { provide: SCAN_PAGE_SIZE, useValue: 2 },
        { provide: DEMO_TABLES, useValue: { names: ['music', 'podcasts'], initial: 'music' } },
      ],
    });
    fixture = TestBed.createComponent(App);
    element = fixture.nativeElement as HTMLElement;
  }

  it('shows TableExists attempt by attempt, then the first Scan page', async () => {
    create('missing');
    fixture.detectChanges();
    // Two polls: the progress display's, and readiness (one for the status badge and the list together).
    await shows(
      () => attempts().length === 1 && dynamodb.requests('DescribeTable').length === 2 && dynamodb.inFlight().length === 0,
    );
    expect(attempts()).toEqual([expect.stringMatching(/^#1 ResourceNotFoundException → retry at \d+\.\d\d s, next in 0\.02 s$/)]);
    expect(text('status')).toBe('waiting…');
    dynamodb.set('music', 'UPDATING');
    await shows(() => attempts().length === 2 && dynamodb.inFlight().length === 0);
    dynamodb.set('music', 'ACTIVE');

    // The two polls share the app's governor, which paces them: the list may show before the progress poll's last attempt.
    await shows(() => text('summary') !== '' && attempts().length === 3);

    expect(attempts()).toEqual([
      expect.stringMatching(/^#1 ResourceNotFoundException → retry at \d+\.\d\d s, next in 0\.02 s$/),
      expect.stringMatching(/^#2 UPDATING → retry at \d+\.\d\d s, next in 0\.02 s$/),
      expect.stringMatching(/^#3 ACTIVE → success at \d+\.\d\d s$/),
    ]);
    expect(text('status')).toBe('ready · ACTIVE');
    expect(rows()).toEqual(['song-1', 'song-2']);
    expect(text('summary')).toBe('2 items in 1 page');
    expect(dynamodb.requests('Scan')).toHaveLength(1);
  });

  it('loads exactly one more page per click on "Load more", until the table is read', async () => {
    create('ACTIVE');
    await shows(() => rows().length === 2);
    const more = element.querySelector<HTMLButtonElement>('[data-testid=more]')!;

    more.click();
    await shows(() => rows().length === 4);
    await sleep(50);
    expect(dynamodb.requests('Scan')).toHaveLength(2);
    expect(text('summary')).toBe('4 items in 2 pages');

    more.click();
    await shows(() => text('summary').includes('the whole table'));
    expect(rows()).toEqual(['song-1', 'song-2', 'song-3', 'song-4', 'song-5']);
    expect(dynamodb.requests('Scan')).toHaveLength(3);
    expect(more.disabled).toBe(true);
    expect(more.textContent?.trim()).toBe('No more pages');
  });

  it('switching tables cancels the poll of the one left: its request in flight aborts, nothing more is sent', async () => {
    create('ACTIVE');
    await shows(() => rows().length === 2);

    const select = element.querySelector<HTMLSelectElement>('[data-testid=table]')!;
    select.value = 'podcasts';
    select.dispatchEvent(new Event('change'));
    // Two polls: the progress display's, and readiness (one for the status badge and the list together).
    await shows(() => dynamodb.requests('DescribeTable', 'podcasts').length === 2);
    expect(text('status')).toBe('waiting…');
    expect(rows()).toEqual([]);

    fixture.componentInstance.select('music');
    await shows(() => rows().length === 2);

    const podcasts = dynamodb.requests('DescribeTable', 'podcasts');
    expect(podcasts.map((s) => s.abortSignal?.aborted)).toEqual([true, true]);
    expect(podcasts.map((s) => s.outcome)).toEqual(['aborted', 'aborted']);
    await sleep(100);
    expect(dynamodb.requests('DescribeTable', 'podcasts')).toHaveLength(2);
  });

  it('destroying the component cancels polling and scanning', async () => {
    create('CREATING');
    fixture.detectChanges();
    await until(() => dynamodb.requests('DescribeTable').length >= 2 && dynamodb.inFlight().length === 0);
    dynamodb.set('music', 'hang');
    await until(() => dynamodb.inFlight('DescribeTable').length === 2); // the progress poll's and readiness'
    const inFlight = dynamodb.inFlight();
    const sent = dynamodb.sent.length;

    fixture.destroy();

    expect(inFlight.map((s) => s.abortSignal?.aborted)).toEqual([true, true]);
    await until(() => dynamodb.inFlight().length === 0);
    expect(inFlight.map((s) => s.outcome)).toEqual(['aborted', 'aborted']);
    dynamodb.set('music', 'ACTIVE');
    await sleep(100);
    expect(dynamodb.sent).toHaveLength(sent);
    expect(dynamodb.requests('Scan')).toHaveLength(0);
  });

  describe('Count items: abortSignal and progress', () => {
    const button = (testId: string) => element.querySelector<HTMLButtonElement>(`[data-testid=${testId}]`)!;
    const state = () => element.querySelector('[data-testid=count-progress]')?.getAttribute('data-state');

    it('shows the count page by page from its progress events, and the shared governor counts every Scan', async () => {
      create('ACTIVE', songs(7));
      await shows(() => rows().length === 2);
      const seen = new Set<string>();
      button('count').click();
      await until(() => {
        fixture.detectChanges();
        seen.add(text('count-progress'));
        return state() === 'done';
      });

      expect(text('count-progress')).toMatch(/^7 items · 4 pages · 4 requests · last \d+ ms · queued \d+\.\d\d s · done$/);
      // At 5 Scans a second, each page was on screen before the next came.
      for (const pages of ['1 page', '2 pages', '3 pages'])
        expect([...seen].some((line) => line.includes(` · ${pages} · `) && line.endsWith('counting'))).toBe(true);
      expect(button('count').disabled).toBe(false);
      expect(button('cancel').disabled).toBe(true);
      // One governor for the list's Scan and the count's four.
      expect(dynamodb.requests('Scan')).toHaveLength(5);
      expect(TestBed.inject(GOVERNOR).stats().lanes['DynamoDB.Scan']?.sent).toBe(5);
      await shows(() => text('governor').includes('DynamoDB.Scan: 5 sent at 5.0/s'));
    });

    it('Cancel aborts the Scan in flight: nothing more is sent, and the count ends as cancelled', async () => {
      create('ACTIVE', songs(7));
      await shows(() => rows().length === 2);
      dynamodb.holdScans = true;
      button('count').click();
      await shows(() => dynamodb.inFlight('Scan').length === 1 && !button('cancel').disabled);
      const inFlight = dynamodb.inFlight('Scan')[0]!;

      button('cancel').click();

      expect(inFlight.abortSignal?.aborted).toBe(true);
      await shows(() => state() === 'cancelled' && inFlight.outcome === 'aborted');
      dynamodb.holdScans = false;
      await sleep(300);
      expect(dynamodb.requests('Scan')).toHaveLength(2);
      expect(text('count-progress')).toMatch(/^0 items · 0 pages · 1 request · queued \d+\.\d\d s · cancelled$/);
    });

    it('switching tables or destroying the component aborts the count under way', async () => {
      create('ACTIVE', songs(7));
      await shows(() => rows().length === 2);
      dynamodb.holdScans = true;
      button('count').click();
      await until(() => dynamodb.inFlight('Scan').length === 1);
      const first = dynamodb.inFlight('Scan')[0]!;

      fixture.componentInstance.select('podcasts');
      expect(first.abortSignal?.aborted).toBe(true);
      expect(fixture.componentInstance.counting()).toBeUndefined();

      fixture.componentInstance.count();
      await until(() => dynamodb.inFlight('Scan').length === 1);
      const second = dynamodb.inFlight('Scan')[0]!;
      fixture.destroy();
      expect(second.abortSignal?.aborted).toBe(true);
      await until(() => dynamodb.inFlight().length === 0 || dynamodb.inFlight().every((s) => s.operation === 'DescribeTable'));
      expect(second.outcome).toBe('aborted');
    });
  });
});

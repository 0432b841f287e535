import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { rxResource, toObservable, toSignal } from '@angular/core/rxjs-interop';
import type { AttributeValue, ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { catchError, endWith, interval, map, merge, type Observable, of, scan, startWith, Subject, switchMap } from 'rxjs';
import { type LaneStats, type ProgressEvent, resumeTokenOf } from 'rxjs-aws';
import { type TableAttempt, TableService } from './table.service';
import { DEMO_TABLES, GOVERNOR } from './tokens';

type Item = Record<string, AttributeValue>;

/** The load-more list: what was asked for, and what arrived. */
export interface ListState {
  /** Every item loaded, with the number of the page it came in. */
  readonly items: readonly { readonly page: number; readonly item: Item }[];
  readonly pages: number;
  readonly requested: number;
  readonly done: boolean;
  /** resumeTokenOf(the last page): a botocore-format token a later paginate could start from. */
  readonly resumeToken?: string;
}

/** A count of the table's items, under way or ended, as its progress events and pages tell it. */
export interface CountState {
  readonly state: 'counting' | 'done' | 'cancelled' | 'failed';
  readonly count: number;
  readonly pages: number;
  readonly requests: number;
  readonly throttled: number;
  /** Seconds the requests waited for the governor, in all. */
  readonly queued: number;
  /** Milliseconds the last answer took. */
  readonly latency?: number;
  readonly error?: string;
}

type ListEvent =
  { readonly kind: 'requested' } | { readonly kind: 'page'; readonly page: ScanCommandOutput } | { readonly kind: 'done' };

@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './app.html',
  styleUrl: './app.css',
})
export class App {
  private readonly tables = inject(TableService);
  private readonly more = new Subject<void>();
  private readonly governor = inject(GOVERNOR);
  /** Cancels the count under way: its Scan in flight is aborted, and it ends as `cancelled`. */
  private countAbort: AbortController | undefined;
  protected readonly names = inject(DEMO_TABLES).names;
  /** The table shown; changing it cancels every poll and Scan of the previous one. */
  readonly table = signal(inject(DEMO_TABLES).initial);

  /** Every TableExists attempt so far; a new table unsubscribes the old poll (its request in flight is aborted). */
  protected readonly progress = rxResource({
    params: () => this.table(),
    stream: ({ params: table }) =>
      this.tables.attempts(table).pipe(scan((all: readonly TableAttempt[], attempt) => [...all, attempt], [])),
  });

  /** Readiness, shared with the list below through the service's shareReplay: one poll for both. */
  protected readonly status = toSignal(
    toObservable(this.table).pipe(
      switchMap((table) =>
        this.tables.ready(table).pipe(
          map((described) => `ready · ${described.Table?.TableStatus ?? 'ACTIVE'}`),
          startWith('waiting…'),
          catchError((error: Error) => of(`failed: ${error.message}`)),
        ),
      ),
    ),
    { initialValue: 'waiting…' },
  );

  /** Once the table is ready: its first Scan page, then one more per click on "Load more". */
  protected readonly list = rxResource({
    params: () => this.table(),
    stream: ({ params: table }) => this.tables.ready(table).pipe(switchMap(() => this.listOf(table))),
  });

  /** The count under way or last done, updated by every progress event and page. */
  readonly counting = signal<CountState | undefined>(undefined);

  /** The app's one governor, lane by lane: the polls, the list and the count are counted together. */
  protected readonly lanes = toSignal(interval(250).pipe(map(() => lanesOf(this.governor.stats().lanes))), {
    initialValue: lanesOf(this.governor.stats().lanes),
  });

  constructor() {
    inject(DestroyRef).onDestroy(() => this.cancelCount());
  }

  loadMore(): void {
    this.more.next();
  }

  select(table: string): void {
    this.cancelCount();
    this.counting.set(undefined);
    this.table.set(table);
  }

  /** Counts the table's items, showing its progress as it goes; cancelled by {@link cancelCount}. */
  count(): void {
    this.cancelCount();
    const controller = new AbortController();
    this.countAbort = controller;
    // Only the count under way may change what is shown.
    const update = (change: (state: CountState) => CountState) => {
      if (this.countAbort === controller) this.counting.update((state) => state && change(state));
    };
    this.counting.set({ state: 'counting', count: 0, pages: 0, requests: 0, throttled: 0, queued: 0 });
    this.tables
      .count(this.table(), { abortSignal: controller.signal, progress: (event) => update((state) => progressed(state, event)) })
      .subscribe({
        next: (count) => update((state) => ({ ...state, count })),
        complete: () => update((state) => ({ ...state, state: 'done' })),
        error: (error: unknown) =>
          update((state) =>
            // An abort errors with the signal's own reason: that is a cancel, anything else a failure.
            controller.signal.aborted && error === controller.signal.reason
              ? { ...state, state: 'cancelled' }
              : { ...state, state: 'failed', error: error instanceof Error ? error.message : String(error) },
          ),
      });
  }

  cancelCount(): void {
    this.countAbort?.abort();
    this.countAbort = undefined;
  }

  private listOf(table: string): Observable<ListState> {
    // Each subscriber of `demand` gets the first page's demand and then every click.
    const demand = this.more.pipe(startWith(undefined));
    const events: Observable<ListEvent> = merge(
      demand.pipe(map(() => ({ kind: 'requested' }) as const)),
      this.tables.pages(table, demand).pipe(
        map((page) => ({ kind: 'page', page }) as const),
        endWith({ kind: 'done' } as const),
      ),
    );
    return events.pipe(scan(listReducer, { items: [], pages: 0, requested: 0, done: false }));
  }

  protected seen(attempt: TableAttempt): string {
    const { response } = attempt;
    if (response.ok) return response.output.Table?.TableStatus ?? 'no status';
    return (response.error as { name?: string } | null)?.name ?? String(response.error);
  }

  /** The attribute names of the items loaded, key first, as table columns. */
  protected columns(items: ListState['items']): string[] {
    const names = new Set<string>(['pk']);
    for (const { item } of items) for (const name of Object.keys(item)) names.add(name);
    return [...names];
  }

  protected cell(item: Item, column: string): string {
    const value = item[column];
    return value === undefined ? '' : attributeText(value);
  }
}

function progressed(state: CountState, event: ProgressEvent): CountState {
  switch (event.type) {
    case 'request':
      return { ...state, requests: state.requests + 1, queued: state.queued + event.queued };
    case 'response':
      // An aborted request got no answer: its latency says nothing of DynamoDB's.
      if (event.cancelled) return state;
      return { ...state, latency: event.latency * 1000, throttled: state.throttled + (event.throttled ? 1 : 0) };
    case 'page':
      return { ...state, pages: event.page };
    default:
      return state;
  }
}

/** Each lane of the governor as a line: `DynamoDB.Scan: 9 sent at 5.0/s, 1 waiting`. */
function lanesOf(lanes: Readonly<Record<string, LaneStats>>): { readonly name: string; readonly text: string }[] {
  return Object.entries(lanes).map(([name, { sent, rate, throttled, waiting }]) => {
    const parts = [`${sent} sent${rate === Infinity ? '' : ` at ${rate.toFixed(1)}/s`}`];
    if (throttled > 0) parts.push(`${throttled} throttled`);
    if (waiting > 0) parts.push(`${waiting} waiting`);
    return { name, text: `${name}: ${parts.join(', ')}` };
  });
}

function listReducer(state: ListState, event: ListEvent): ListState {
  switch (event.kind) {
    case 'requested':
      return state.done ? state : { ...state, requested: state.requested + 1 };
    case 'page':
      return {
        ...state,
        items: [...state.items, ...(event.page.Items ?? []).map((item) => ({ page: state.pages + 1, item }))],
        pages: state.pages + 1,
        resumeToken: resumeTokenOf(event.page),
      };
    case 'done':
      return { ...state, done: true, requested: state.pages };
  }
}

function attributeText(value: AttributeValue): string {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return value.N;
  if (value.BOOL !== undefined) return String(value.BOOL);
  return JSON.stringify(value);
}

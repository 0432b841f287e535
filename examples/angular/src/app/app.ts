import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { rxResource, toObservable, toSignal } from '@angular/core/rxjs-interop';
import type { AttributeValue, ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { catchError, endWith, map, merge, type Observable, of, scan, startWith, Subject, switchMap } from 'rxjs';
import { resumeTokenOf } from 'rxjs-aws';
import { type TableAttempt, TableService } from './table.service';
import { DEMO_TABLES } from './tokens';

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

  loadMore(): void {
    this.more.next();
  }

  select(table: string): void {
    this.table.set(table);
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

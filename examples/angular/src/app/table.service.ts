import { inject, Injectable } from '@angular/core';
import type { DescribeTableCommandInput, DescribeTableCommandOutput, ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { map, type Observable, scan, shareReplay } from 'rxjs';
import { paginate, waitFor, waitForAttempts, type ProgressHook, type WaiterAttempt, type WaitForOptions } from 'rxjs-aws';
import { Scan, TableExists } from 'rxjs-aws/dynamodb';
import { DYNAMODB, GOVERNOR, SCAN_PAGE_SIZE, TABLE_WAIT } from './tokens';

export type TableAttempt = WaiterAttempt<DescribeTableCommandInput, DescribeTableCommandOutput>;

/**
 * DynamoDB tables as Observables: nothing is sent before subscription, and
 * unsubscribing aborts what is in flight. Every request goes through the
 * app's one governor.
 */
@Injectable({ providedIn: 'root' })
export class TableService {
  private readonly client = inject(DYNAMODB);
  private readonly pageSize = inject(SCAN_PAGE_SIZE);
  private readonly governor = inject(GOVERNOR);
  /** The options of every wait: the app's, and its governor. */
  private readonly waiting: WaitForOptions = { ...inject(TABLE_WAIT), governor: this.governor };
  private readonly readiness = new Map<string, Observable<DescribeTableCommandOutput>>();

  /**
   * The table's description once it is ACTIVE (botocore's TableExists waiter).
   *
   * One poll per table, however many subscribe. When the last subscriber leaves
   * before the table is ready, the poll stops: the DescribeTable in flight is
   * aborted and no other is sent; the next subscriber starts a new poll. Once
   * the table is ready, its description is replayed without asking again.
   */
  ready(tableName: string): Observable<DescribeTableCommandOutput> {
    let ready = this.readiness.get(tableName);
    if (!ready) {
      ready = waitFor(TableExists, this.client, { TableName: tableName }, this.waiting).pipe(
        shareReplay({ bufferSize: 1, refCount: true }),
      );
      this.readiness.set(tableName, ready);
    }
    return ready;
  }

  /**
   * The same wait, attempt by attempt (status seen, acceptor state, next delay),
   * for a progress display. Cold: every subscription is a poll of its own.
   */
  attempts(tableName: string): Observable<TableAttempt> {
    return waitForAttempts(TableExists, this.client, { TableName: tableName }, this.waiting);
  }

  /**
   * The table's Scan pages, one per emission of `demand` and none before the
   * first: each emission sends exactly one more Scan request. Completes after
   * the last page.
   */
  pages(tableName: string, demand: Observable<unknown>): Observable<ScanCommandOutput> {
    return paginate(Scan, this.client, { TableName: tableName }, { pageSize: this.pageSize, demand, governor: this.governor });
  }

  /**
   * Counts the table's items (a Scan with `Select: 'COUNT'`, a page at a
   * time as fast as the governor lets it): the running count after every
   * page, then completes. `progress` hears every request, answer and page;
   * aborting `abortSignal` aborts the Scan in flight and errors with the
   * signal's reason, as unsubscribing would without an error.
   */
  count(
    tableName: string,
    options: { readonly abortSignal?: AbortSignal; readonly progress?: ProgressHook },
  ): Observable<number> {
    const { abortSignal, progress } = options;
    return paginate(
      Scan,
      this.client,
      { TableName: tableName, Select: 'COUNT' },
      { pageSize: this.pageSize, governor: this.governor, abortSignal, progress },
    ).pipe(
      map((page) => page.Count ?? 0),
      scan((total, count) => total + count, 0),
    );
  }
}

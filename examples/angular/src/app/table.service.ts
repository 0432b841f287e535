import { inject, Injectable } from '@angular/core';
import type { DescribeTableCommandInput, DescribeTableCommandOutput, ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { type Observable, shareReplay } from 'rxjs';
import { paginate, waitFor, waitForAttempts, type WaiterAttempt } from 'rxjs-aws';
import { Scan, TableExists } from 'rxjs-aws/dynamodb';
import { DYNAMODB, SCAN_PAGE_SIZE, TABLE_WAIT } from './tokens';

export type TableAttempt = WaiterAttempt<DescribeTableCommandInput, DescribeTableCommandOutput>;

/** DynamoDB tables as Observables: nothing is sent before subscription, and unsubscribing aborts what is in flight. */
@Injectable({ providedIn: 'root' })
export class TableService {
  private readonly client = inject(DYNAMODB);
  private readonly waitOptions = inject(TABLE_WAIT);
  private readonly pageSize = inject(SCAN_PAGE_SIZE);
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
      ready = waitFor(TableExists, this.client, { TableName: tableName }, this.waitOptions).pipe(
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
    return waitForAttempts(TableExists, this.client, { TableName: tableName }, this.waitOptions);
  }

  /**
   * The table's Scan pages, one per emission of `demand` and none before the
   * first: each emission sends exactly one more Scan request. Completes after
   * the last page.
   */
  pages(tableName: string, demand: Observable<unknown>): Observable<ScanCommandOutput> {
    return paginate(Scan, this.client, { TableName: tableName }, { pageSize: this.pageSize, demand });
  }
}

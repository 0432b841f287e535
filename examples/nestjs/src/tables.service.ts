import { setMaxListeners } from 'node:events';
import { HttpStatus, Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type {
  AttributeValue,
  DescribeTableCommandInput,
  DescribeTableCommandOutput,
  DynamoDBClient,
  ScanCommandOutput,
  TableDescription,
} from '@aws-sdk/client-dynamodb';
import { defer, last, map, type Observable } from 'rxjs';
import {
  fullResult,
  paginate,
  waitFor,
  waitForAttempts,
  type Governor,
  type ProgressHook,
  type TokenSigner,
  type WaiterAttempt,
  type WaitForOptions,
} from 'rxjs-aws';
import { parallelScan, Scan, TableExists } from 'rxjs-aws/dynamodb';
import { abortReason } from './awsErrors';
import { DYNAMODB_CLIENT, GOVERNOR, TABLE_WAIT_OPTIONS, TOKEN_SIGNER } from './config';
import { withDeadline } from './deadline';

export type Item = Record<string, AttributeValue>;

/** One page of `GET /tables/:name/items`. */
export interface ItemsPage {
  readonly items: Item[];
  /**
   * Pass back as `token` for the next page; `null` once every item was listed.
   * Sealed (`rxaws1.<token>.<mac>`): good for this table only, and not to be edited.
   */
  readonly nextToken: string | null;
}

/** One attempt of a table wait, as `/events` sends it. */
export interface AttemptView {
  readonly attempt: number;
  readonly state: WaiterAttempt['state'];
  /** Seconds since the wait started. */
  readonly elapsed: number;
  /** `TableStatus` of the table, or the error code when DescribeTable failed (`ResourceNotFoundException`). */
  readonly status: string | undefined;
  /** Seconds until the next attempt, when there is one. */
  readonly nextDelay?: number;
}

/** Running totals of `GET /tables/:name/count`, sent after every page; tallied from rxjs-aws's progress events. */
export interface CountProgress {
  /** The segment whose page was just counted. */
  readonly segment: number;
  /** Items counted so far (the pages' `Count`). */
  readonly count: number;
  readonly pages: number;
  /** Scan requests sent, retries included. */
  readonly requests: number;
  /** Requests sent again after DynamoDB throttled them (the governor holds them until its slowed rate lets them go). */
  readonly retries: number;
  /** Answers that were throttling errors. */
  readonly throttled: number;
  /** Seconds the last answer took, to the millisecond. */
  readonly latency: number;
  /** Seconds the requests waited for the governor so far, all segments together, to the millisecond. */
  readonly queued: number;
}

/**
 * rxjs-aws over the DynamoDB client: every method returns a cold Observable, so nothing is sent before a subscription.
 *
 * The Scans are given the app's `signer`: every resume token they hand out is
 * sealed, bound to the Scan's input (the table), and a starting token is
 * opened before any request, so a token that this app did not seal for that
 * table fails with a `PaginationError` without reaching DynamoDB. A client
 * cannot point a token at another key or another table.
 */
@Injectable()
export class TablesService implements BeforeApplicationShutdown {
  /**
   * Given to every call as its `abortSignal`: when the app shuts down, every
   * DynamoDB request in flight is aborted at once, and every stream ends
   * with an `aborted` event rather than being cut off.
   */
  private readonly shutdown = new AbortController();

  constructor(
    @Inject(DYNAMODB_CLIENT) private readonly client: DynamoDBClient,
    @Inject(TABLE_WAIT_OPTIONS) private readonly waitOptions: WaitForOptions,
    @Inject(TOKEN_SIGNER) private readonly signer: TokenSigner,
    @Inject(GOVERNOR) private readonly governor: Governor,
  ) {
    // Every request in progress listens to it until it ends: many at once is the normal case, not a leak.
    setMaxListeners(0, this.shutdown.signal);
  }

  /** Nest calls it on `app.close()`, before the server closes its connections. */
  beforeApplicationShutdown(): Promise<void> {
    this.shutdown.abort(abortReason(HttpStatus.SERVICE_UNAVAILABLE, 'the app is shutting down'));
    // A turn of the event loop for the streams to write their `aborted` event before the connections close.
    return new Promise((resolve) => setImmediate(resolve));
  }

  /** What every wait is given: the app's settings, governor and shutdown signal. */
  private get waiting(): WaitForOptions {
    return { ...this.waitOptions, governor: this.governor, abortSignal: this.shutdown.signal };
  }

  /** The table's description once it is ACTIVE; a `WaiterError` when the wait times out. */
  ready(TableName: string): Observable<TableDescription> {
    return waitFor(TableExists, this.client, { TableName }, this.waiting).pipe(
      last(),
      // TableExists succeeds on Table.TableStatus, so a successful wait has a Table.
      map((described) => described.Table as TableDescription),
    );
  }

  /** Every DescribeTable attempt of the same wait: completes after success, errors with a `WaiterError` otherwise. */
  attempts(TableName: string): Observable<AttemptView> {
    return waitForAttempts(TableExists, this.client, { TableName }, this.waiting).pipe(map(toView));
  }

  /**
   * One page of a listing that the client continues with `nextToken`: fullResult
   * stops after `limit` items and says where to resume, mid-page if need be.
   * The Scan's own page size is `limit` too, so a request reads one Scan page
   * (two when the page it resumes in was cut). `token` must be a token this
   * app sealed for this table; `nextToken` is sealed the same way.
   */
  itemsPage(TableName: string, limit: number, token: string | undefined): Observable<ItemsPage> {
    const options = {
      maxItems: limit,
      pageSize: limit,
      startingToken: token,
      signer: this.signer,
      governor: this.governor,
      abortSignal: this.shutdown.signal,
    };
    return fullResult(Scan, this.client, { TableName }, options).pipe(
      map(({ Items, NextToken }) => ({ items: Items ?? [], nextToken: NextToken ?? null })),
    );
  }

  /**
   * Scan pages as they are read, the next one requested when `demand` allows
   * it; `resumeTokenOf(page)` is sealed, and `token` must be.
   */
  scanPages(
    TableName: string,
    pageSize: number,
    token: string | undefined,
    demand: Observable<void>,
  ): Observable<ScanCommandOutput> {
    return paginate(
      Scan,
      this.client,
      { TableName },
      { pageSize, startingToken: token, demand, signer: this.signer, governor: this.governor, abortSignal: this.shutdown.signal },
    );
  }

  /**
   * Counts the table's items with a `parallelScan` of `segments` segments
   * (`Select: 'COUNT'`), paced by the app's governor with every other
   * request. Emits the running totals after every page, tallied from the
   * `progress` option's events. Aborted after `seconds`, or when the app
   * shuts down: the Scans in flight are aborted, and it errors with a 504 or
   * a 503 (see `abortReason`).
   */
  count(TableName: string, segments: number, seconds: number): Observable<CountProgress> {
    return defer(() => {
      const tally = { count: 0, pages: 0, requests: 0, retries: 0, throttled: 0, latency: 0, queued: 0 };
      const progress: ProgressHook = (event) => {
        if (event.type === 'request') {
          tally.requests++;
          tally.queued += event.queued;
          if (event.retry > 0) tally.retries++;
        } else if (event.type === 'response') {
          tally.latency = event.latency;
          if (event.throttled) tally.throttled++;
        }
      };
      return withDeadline(this.shutdown.signal, seconds, (abortSignal) =>
        parallelScan(
          this.client,
          { TableName, Select: 'COUNT' },
          { totalSegments: segments, governor: this.governor, progress, abortSignal },
        ),
      ).pipe(
        map(({ segment, page }): CountProgress => {
          tally.pages++;
          tally.count += page.Count ?? 0;
          return { segment, ...tally, latency: milliseconds(tally.latency), queued: milliseconds(tally.queued) };
        }),
      );
    });
  }
}

/** Seconds to the millisecond: what a client can use of them. */
const milliseconds = (seconds: number) => Math.round(seconds * 1000) / 1000;

function toView(attempt: WaiterAttempt<DescribeTableCommandInput, DescribeTableCommandOutput>): AttemptView {
  const { response } = attempt;
  return {
    attempt: attempt.attempt,
    state: attempt.state,
    elapsed: attempt.elapsed,
    status: response.ok ? response.output.Table?.TableStatus : errorName(response.error),
    ...(attempt.nextDelay !== undefined && { nextDelay: attempt.nextDelay }),
  };
}

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string'
    ? (error as { name: string }).name
    : undefined;
}

import { Inject, Injectable } from '@nestjs/common';
import type {
  AttributeValue,
  DescribeTableCommandInput,
  DescribeTableCommandOutput,
  DynamoDBClient,
  ScanCommandOutput,
  TableDescription,
} from '@aws-sdk/client-dynamodb';
import { last, map, type Observable } from 'rxjs';
import {
  fullResult,
  paginate,
  waitFor,
  waitForAttempts,
  type TokenSigner,
  type WaiterAttempt,
  type WaitForOptions,
} from 'rxjs-aws';
import { Scan, TableExists } from 'rxjs-aws/dynamodb';
import { DYNAMODB_CLIENT, TABLE_WAIT_OPTIONS, TOKEN_SIGNER } from './config';

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
export class TablesService {
  constructor(
    @Inject(DYNAMODB_CLIENT) private readonly client: DynamoDBClient,
    @Inject(TABLE_WAIT_OPTIONS) private readonly waitOptions: WaitForOptions,
    @Inject(TOKEN_SIGNER) private readonly signer: TokenSigner,
  ) {}

  /** The table's description once it is ACTIVE; a `WaiterError` when the wait times out. */
  ready(TableName: string): Observable<TableDescription> {
    return waitFor(TableExists, this.client, { TableName }, this.waitOptions).pipe(
      last(),
      // TableExists succeeds on Table.TableStatus, so a successful wait has a Table.
      map((described) => described.Table as TableDescription),
    );
  }

  /** Every DescribeTable attempt of the same wait: completes after success, errors with a `WaiterError` otherwise. */
  attempts(TableName: string): Observable<AttemptView> {
    return waitForAttempts(TableExists, this.client, { TableName }, this.waitOptions).pipe(map(toView));
  }

  /**
   * One page of a listing that the client continues with `nextToken`: fullResult
   * stops after `limit` items and says where to resume, mid-page if need be.
   * The Scan's own page size is `limit` too, so a request reads one Scan page
   * (two when the page it resumes in was cut). `token` must be a token this
   * app sealed for this table; `nextToken` is sealed the same way.
   */
  itemsPage(TableName: string, limit: number, token: string | undefined): Observable<ItemsPage> {
    const options = { maxItems: limit, pageSize: limit, startingToken: token, signer: this.signer };
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
    return paginate(Scan, this.client, { TableName }, { pageSize, startingToken: token, demand, signer: this.signer });
  }
}

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

import type { ServerResponse } from 'node:http';
import { BadRequestException, Controller, Get, Headers, Param, Query, Res, Sse, type MessageEvent } from '@nestjs/common';
import type { TableDescription } from '@aws-sdk/client-dynamodb';
import { catchError, concat, defer, map, of, tap, throwError, type Observable } from 'rxjs';
import { resumeTokenOf } from 'rxjs-aws';
import { httpErrorOf } from './awsErrors';
import { meteredBy } from './responseDemand';
import { TablesService, type CountProgress, type ItemsPage } from './tables.service';

/** Items per page unless `limit` / `pageSize` says otherwise. */
export const DEFAULT_LIMIT = 25;
/** The most a client may ask for in one page. */
export const MAX_LIMIT = 1000;
/** Segments of `/count` unless `segments` says otherwise, and the most it may ask for. */
export const DEFAULT_SEGMENTS = 4;
export const MAX_SEGMENTS = 16;
/** Seconds `/count` may take unless `timeout` says otherwise, and the most it may ask for. */
export const DEFAULT_COUNT_TIMEOUT = 30;
export const MAX_COUNT_TIMEOUT = 300;

@Controller('tables/:name')
export class TablesController {
  constructor(private readonly tables: TablesService) {}

  /**
   * The table description once DescribeTable says ACTIVE. A wait that times
   * out is a 504 with the waiter's reason; a client that hangs up stops the
   * wait (Nest unsubscribes, the DescribeTable in flight is aborted).
   */
  @Get('ready')
  ready(@Param('name') name: string): Observable<TableDescription> {
    return this.tables.ready(name);
  }

  /**
   * Every attempt of the same wait as an `attempt` event; the stream ends
   * after the successful one, or with a `timeout` / `failure` / `error` event.
   * Closing the connection unsubscribes, which stops the polling.
   */
  @Sse('events')
  events(@Param('name') name: string, @Res({ passthrough: true }) response: ServerResponse): Observable<MessageEvent> {
    return this.tables.attempts(name).pipe(
      map((attempt): MessageEvent => ({ type: 'attempt', data: attempt })),
      catchError((error: unknown) => lastEvent(error, response, '')),
    );
  }

  /**
   * One page of items, and the token of the next one (`null` after the last
   * item). `GET /tables/music/items?limit=50&token=<nextToken>` continues
   * where the previous page stopped. Tokens are sealed by the app's signer:
   * any other is a 400.
   */
  @Get('items')
  items(@Param('name') name: string, @Query('limit') limit?: string, @Query('token') token?: string): Observable<ItemsPage> {
    return this.tables.itemsPage(name, limitFrom('limit', limit), tokenFrom(token));
  }

  /**
   * The whole table as `page` events, each read only once the one before it
   * was written to the connection: a client that reads slowly slows the Scan
   * down instead of piling pages up in memory. Each event's `id` is the token
   * that resumes after it, so an `EventSource` that reconnects (sending
   * `Last-Event-ID`) carries on where it stopped; `?token=` starts after the
   * page of that token. Both are sealed tokens, as for `/items` (a token of
   * `/items` is good here too, for the same table: it is the same Scan).
   * An `end` event follows the last page.
   */
  @Sse('scan')
  scan(
    @Param('name') name: string,
    @Res({ passthrough: true }) response: ServerResponse,
    @Query('pageSize') pageSize?: string,
    @Query('token') token?: string,
    @Headers('last-event-id') lastEventId?: string,
  ): Observable<MessageEvent> {
    const size = limitFrom('pageSize', pageSize);
    // An EventSource reconnecting to `?token=` sends the id of the last event it got: that one is further on.
    const start = tokenFrom(lastEventId) ?? tokenFrom(token);
    return defer(() => {
      let pages = 0;
      let items = 0;
      let resumeFrom = start ?? '';
      const pageEvents = meteredBy(response, (demand) => this.tables.scanPages(name, size, start, demand)).pipe(
        map((page): MessageEvent => {
          const count = page.Items?.length ?? 0;
          pages++;
          items += count;
          // Sealed, as the Scan was given the signer: the client can hand it back but not forge or edit one.
          const resumeToken = resumeTokenOf(page) ?? null;
          resumeFrom = resumeToken ?? '';
          // An empty id clears the client's last event id: there is nothing to resume after the last page.
          return { type: 'page', id: resumeToken ?? '', data: { page: pages, count, items: page.Items ?? [], resumeToken } };
        }),
      );
      const end = defer(() => of<MessageEvent>({ type: 'end', id: '', data: { pages, items } }));
      // A failure keeps the id of the last page, so that a client reconnecting resumes after it.
      return concat(pageEvents, end).pipe(catchError((error: unknown) => lastEvent(error, response, resumeFrom)));
    });
  }

  /**
   * Counts the table's items with a parallel Scan: a `start` event, then a
   * `progress` event after every page with the running totals (items, pages,
   * requests, retries, throttles, the last latency, the time spent waiting
   * for the app's governor), then a `done` event with the totals.
   * `?segments=` (1 to 16, 4) Scans are read at once, all paced by the app's
   * governor together with every other request; `?timeout=` (seconds, 30) is
   * the deadline: past it, the Scans in flight are aborted and the stream
   * ends with an `aborted` event (status 504). Closing the connection aborts
   * them too.
   */
  @Sse('count')
  count(
    @Param('name') name: string,
    @Res({ passthrough: true }) response: ServerResponse,
    @Query('segments') segments?: string,
    @Query('timeout') timeout?: string,
  ): Observable<MessageEvent> {
    const totalSegments = wholeFrom('segments', segments, DEFAULT_SEGMENTS, MAX_SEGMENTS);
    const seconds = secondsFrom('timeout', timeout, DEFAULT_COUNT_TIMEOUT, MAX_COUNT_TIMEOUT);
    return defer(() => {
      const started = performance.now();
      let last: CountProgress | undefined;
      const progress = this.tables.count(name, totalSegments, seconds).pipe(
        tap((totals) => (last = totals)),
        map((totals): MessageEvent => ({ type: 'progress', data: totals })),
      );
      const done = defer(() => {
        // Every segment delivers a page, if an empty one: a count that completes has totals.
        const { segment: _segment, ...totals } = last!;
        return of<MessageEvent>({ type: 'done', data: { ...totals, seconds: Math.round(performance.now() - started) / 1000 } });
      });
      // Sent at once: the headers go out with it, so that even a deadline passed before the first page is an event.
      const start = of<MessageEvent>({ type: 'start', data: { segments: totalSegments, timeout: seconds } });
      return concat(start, progress, done).pipe(catchError((error: unknown) => lastEvent(error, response, '')));
    });
  }
}

/** A page size from the query string: a whole number from 1 to {@link MAX_LIMIT}, {@link DEFAULT_LIMIT} when absent. */
function limitFrom(parameter: string, text: unknown): number {
  if (text === undefined || text === '') return DEFAULT_LIMIT;
  const value = typeof text === 'string' && /^\d{1,4}$/.test(text) ? Number(text) : NaN;
  if (!(value >= 1 && value <= MAX_LIMIT)) {
    throw new BadRequestException(`${parameter} must be a whole number from 1 to ${MAX_LIMIT}, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** A whole number from 1 to `max` from the query string, `fallback` when absent. */
function wholeFrom(parameter: string, text: unknown, fallback: number, max: number): number {
  if (text === undefined || text === '') return fallback;
  const value = typeof text === 'string' && /^\d{1,7}$/.test(text) ? Number(text) : NaN;
  if (!(value >= 1 && value <= max)) {
    throw new BadRequestException(`${parameter} must be a whole number from 1 to ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** Seconds above 0 and at most `max` from the query string, fractions allowed, `fallback` when absent. */
function secondsFrom(parameter: string, text: unknown, fallback: number, max: number): number {
  if (text === undefined || text === '') return fallback;
  const value = typeof text === 'string' && /^\d{1,4}(\.\d{1,3})?$/.test(text) ? Number(text) : NaN;
  if (!(value > 0 && value <= max)) {
    throw new BadRequestException(
      `${parameter} must be a number of seconds above 0 and at most ${max}, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

/**
 * A resume token from the query string or a header, `undefined` when absent
 * or empty. Its checking is left to rxjs-aws: the service passes the app's
 * signer to the Scan, which opens the token before anything is sent and fails
 * with a `PaginationError` (a 400) for anything it did not seal for this
 * table: an unsigned or edited token, one signed with a key no longer
 * accepted, or one issued for another table. So no string from a client
 * reaches DynamoDB as an `ExclusiveStartKey` unless this app handed it out.
 */
function tokenFrom(text: unknown): string | undefined {
  if (text === undefined || text === '') return undefined;
  // `?token=a&token=b` is an array.
  if (typeof text !== 'string') throw new BadRequestException('give at most one token');
  return text;
}

/**
 * How a stream that failed ends. Before its headers are out, as the HTTP error
 * (a bad token is a 400, ...); after, as an event named after the waiter's
 * `kind` (`timeout`, `failure`, `error`) or `error`, with the same body.
 * Any other error goes to Nest, which logs it.
 */
function lastEvent(error: unknown, response: ServerResponse, id: string): Observable<MessageEvent> {
  const http = httpErrorOf(error);
  if (!http || !response.headersSent) return throwError(() => http ?? error);
  const body = http.getResponse() as { kind?: string };
  return of({ type: body.kind === 'pagination' || body.kind === undefined ? 'error' : body.kind, id, data: body });
}

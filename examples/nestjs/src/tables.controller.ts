import type { ServerResponse } from 'node:http';
import { BadRequestException, Controller, Get, Headers, Param, Query, Res, Sse, type MessageEvent } from '@nestjs/common';
import type { TableDescription } from '@aws-sdk/client-dynamodb';
import { catchError, concat, defer, map, of, throwError, type Observable } from 'rxjs';
import { resumeTokenOf } from 'rxjs-aws';
import { httpErrorOf } from './awsErrors';
import { meteredBy } from './responseDemand';
import { TablesService, type ItemsPage } from './tables.service';

/** Items per page unless `limit` / `pageSize` says otherwise. */
export const DEFAULT_LIMIT = 25;
/** The most a client may ask for in one page. */
export const MAX_LIMIT = 1000;

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

/**
 * What a pagination or a wait reports through its `progress` option, as it
 * happens: every request and its answer, every page delivered, every retry
 * and every sleep between polls. Events are told apart by `type`.
 * @example
 * ```ts
 * const progress = (event: ProgressEvent) => {
 *   if (event.type === 'page') console.log(`page ${event.page}: ${event.items} items`);
 *   if (event.type === 'response' && event.throttled) console.warn(`${event.request.operation} throttled`);
 * };
 * paginate(Scan, client, { TableName: 'music' }, { progress });
 * ```
 */
export type ProgressEvent = RequestEvent | ResponseEvent | PageEvent | RetryEvent | WaitEvent;

/**
 * The function given as the `progress` option. What it throws is not caught:
 * it is called where the event happens, and an error there would fail what
 * the library does, so keep it to recording.
 * @example
 * ```ts
 * const events = new Subject<ProgressEvent>();
 * const progress: ProgressHook = (event) => events.next(event);
 * ```
 */
export type ProgressHook = (event: ProgressEvent) => void;

/**
 * Where an event belongs: the service and operation as the spec tells them
 * (both for bound specs, `DynamoDB` and `Scan`; none for a paginator spec of
 * one's own), and the page (a pagination) or the attempt (a wait).
 * @example
 * ```ts
 * const where = ({ service, operation, page, attempt }: ProgressPlace) =>
 *   `${service ?? '?'}.${operation ?? '?'} ${page === undefined ? `attempt ${attempt}` : `page ${page}`}`;
 * ```
 */
export interface ProgressPlace {
  readonly service?: string;
  readonly operation?: string;
  /** In a pagination: the page, 1 for the first page this subscription fetches. */
  readonly page?: number;
  /** In a wait: the attempt (poll), 1 for the first. */
  readonly attempt?: number;
}

/**
 * A request is sent.
 * @example
 * ```ts
 * const sent = (event: RequestEvent) => `${event.operation} page ${event.page}, retry ${event.retry}, queued ${event.queued}s`;
 * ```
 */
export interface RequestEvent extends ProgressPlace {
  readonly type: 'request';
  /** 0 for the first try of this page or attempt; 1, 2, … for the tries after a throttle or a failure. */
  readonly retry: number;
  /** Seconds the request waited for its governor (0 without one). */
  readonly queued: number;
  /** The request as sent. */
  readonly input: unknown;
}

/**
 * A request's answer came, or it was given up: every request event is
 * followed by one response event.
 * @example
 * ```ts
 * const latency = (event: ResponseEvent) => `${event.request.operation}: ${(event.latency * 1000).toFixed(0)} ms`;
 * ```
 */
export interface ResponseEvent extends ProgressPlace {
  readonly type: 'response';
  /** The request event this answers (the same object). */
  readonly request: RequestEvent;
  /** Seconds from sending to the answer. */
  readonly latency: number;
  /** Whether the service throttled the request (a throttling error code or HTTP 429). */
  readonly throttled: boolean;
  /** The error the request failed with; absent when it succeeded or was cancelled. */
  readonly error?: unknown;
  /** True when the request was aborted before its answer (an unsubscription); absent otherwise. */
  readonly cancelled?: true;
}

/**
 * A page is delivered to the subscriber.
 * @example
 * ```ts
 * let items = 0;
 * const count = (event: PageEvent) => (items += event.items);
 * ```
 */
export interface PageEvent extends ProgressPlace {
  readonly type: 'page';
  /** 1 for the first page delivered. */
  readonly page: number;
  /** Items of the paginator's first result key in the page (what `maxItems` counts); 0 without one. */
  readonly items: number;
}

/**
 * A failed page request will be sent again (the `retry` option of a pagination).
 * @example
 * ```ts
 * const line = (event: RetryEvent) => `retry ${event.retry} of page ${event.page} in ${event.delay}s`;
 * ```
 */
export interface RetryEvent extends ProgressPlace {
  readonly type: 'retry';
  /** 1 for the first retry of this page. */
  readonly retry: number;
  /** Seconds before it is sent (a governor may hold it longer). */
  readonly delay: number;
  readonly error: unknown;
}

/**
 * A wait sleeps before its next attempt.
 * @example
 * ```ts
 * const line = (event: WaitEvent) => `attempt ${event.attempt} did not settle it; next in ${event.delay}s`;
 * ```
 */
export interface WaitEvent extends ProgressPlace {
  readonly type: 'wait';
  /** The attempt just made. */
  readonly attempt: number;
  /** Seconds until the next attempt. */
  readonly delay: number;
}

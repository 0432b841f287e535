import type { DynamoDBClient, ScanCommandInput, ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { base64ToBytes, bytesToBase64, textToBase64 } from '../../../tokens/base64';
import { catchError, defer, filter, map, mergeMap, Observable, range, throwError } from 'rxjs';
import { Scan } from '../../generated/dynamodb/specs';
import type { SdkClient } from '../../../transport/Send';
import type { BoundPaginator } from '../../../specs/bound';
import { decodeStartingToken } from '../../../tokens/resumeToken';
import { paginate, type paginateBound } from '../../../operators/paginate/paginate';
import { PaginationError } from '../../../errors/PaginationError';
import { resumeTokenOf } from '../../../tokens/resumeTokenOf';
import { optionsRecord } from '../../../util/optionsRecord';
import { describeValue } from '../../../util/describeValue';
import { wholeNumber } from '../../../util/wholeNumber';
import { SpecError } from '../../../errors/SpecError';
import type { PaginateOptions } from '../../../operators/paginate/PaginateOptions';
import { governorOption, progressOption } from '../../../operators/instrument/Instrumentation';
import { abortSignalOption, whenAborted } from '../../../transport/RequestSignal';

/**
 * Options of {@link parallelScan}.
 * @example
 * ```ts
 * const options: ParallelScanOptions = { totalSegments: 16, concurrency: 4, pageSize: 500 };
 * ```
 */
export interface ParallelScanOptions {
  /** Segments the table is split into (DynamoDB's `TotalSegments`, 1..1,000,000). Required. */
  readonly totalSegments: number;
  /** Segments read at once: at most this many Scan requests in flight. @default totalSegments (all at once) */
  readonly concurrency?: number;
  /** `Limit` of every Scan request. @default undefined (DynamoDB's own page size, up to 1 MB) */
  readonly pageSize?: number;
  /**
   * Resume a whole parallel scan from a token of {@link ParallelScanPage.resumeToken}
   * made with the same `totalSegments`: finished segments are skipped, the others go on where they stood.
   * @default undefined (every segment from its start)
   */
  readonly startingToken?: string;
  /**
   * Paces every segment's Scan requests together, and with everything else given the same governor
   * (see `createGovernor`): its rate, its throttling, and the table's `readCapacity` share.
   * @default undefined
   */
  readonly governor?: PaginateOptions['governor'];
  /**
   * Called with every request, answer and page of every segment (see `ProgressEvent`); a Scan
   * request event's `input.Segment` tells the segment.
   * @default undefined
   */
  readonly progress?: PaginateOptions['progress'];
  /**
   * Cancels the whole scan: when it aborts, every segment's request in flight is aborted, no segment
   * starts any more, and the Observable errors with the signal's `reason` (an `AbortError` `DOMException`
   * unless `abort(reason)` gave another). Already aborted, nothing is sent. The last page delivered's
   * `resumeToken()` says where to resume; the reason carries no token, as it ended several segments.
   * @default undefined (unsubscribing is the way to cancel)
   */
  readonly abortSignal?: AbortSignal;
}

/**
 * One page of one segment of a {@link parallelScan}.
 * @example
 * ```ts
 * parallelScan(client, { TableName: 'music' }, { totalSegments: 4 })
 *   .subscribe(({ segment, page }) => console.log(`segment ${segment}: ${page.Items?.length} items`));
 * ```
 */
export interface ParallelScanPage<O = ScanCommandOutput> {
  /** The segment the page belongs to, 0..totalSegments-1. */
  readonly segment: number;
  /** The Scan response; with a document client (`rxjs-aws/lib-dynamodb`), its items are plain JavaScript values. */
  readonly page: O;
  /** A token resuming the whole parallel scan right after this page: every segment where it stood when this page was delivered. Computed on call. */
  resumeToken(): string;
}

/** A segment's place: null = from its start, a botocore token = after that page, true = done. */
type Position = string | null | true;
/** Positions as a log of changes on a full snapshot, so each page's view costs O(1) to keep. */
type Log =
  | { readonly base: readonly Position[] }
  | { readonly prev: Log; readonly segment: number; readonly position: Position; readonly depth: number };

const MAX_SEGMENTS = 1_000_000;
const OPTIONS = ['totalSegments', 'concurrency', 'pageSize', 'startingToken', 'governor', 'progress', 'abortSignal'] as const;

/**
 * Scans a DynamoDB table in `totalSegments` segments (`Segment`/`TotalSegments`),
 * reading up to `concurrency` of them at once and merging their pages as they come.
 * Each segment is a {@link paginate} of `Scan`: one request in flight at most, the next
 * sent only after its page was delivered, all in flight aborted on unsubscribe or when the
 * `abortSignal` option aborts.
 * Segments start in order 0, 1, ...; a segment starts when one before it finishes.
 *
 * @param input The Scan request, without `Segment`, `TotalSegments` or `ExclusiveStartKey`.
 * @throws {SpecError} from the call for a bad or unknown option (`options.totalSegments`).
 *   The Observable errors with a {@link PaginationError} on subscription for a bad or mismatched
 *   `startingToken`, or an input that already has `Segment`/`TotalSegments`.
 *
 * @example
 * ```ts
 * let checkpoint: string | undefined;
 * parallelScan(client, { TableName: 'music' }, { totalSegments: 8, concurrency: 4, pageSize: 1000 }).subscribe({
 *   next: ({ page, resumeToken }) => { page.Items?.forEach(console.log); checkpoint = resumeToken(); },
 *   error: () => parallelScan(client, { TableName: 'music' }, { totalSegments: 8, startingToken: checkpoint }).subscribe(),
 * });
 * ```
 */
export function parallelScan(
  client: DynamoDBClient,
  input: ScanCommandInput,
  options: ParallelScanOptions,
): Observable<ParallelScanPage> {
  return parallelScanOf(Scan, client, input, options);
}

/** A Scan request as both clients take it: the members parallelScan sets. */
interface SegmentedScan {
  Segment?: number | undefined;
  TotalSegments?: number | undefined;
}

/**
 * {@link parallelScan} with the Scan binding to use: `dynamodb.Scan` for a DynamoDB client, `lib-dynamodb`'s for a document client.
 * @internal
 */
export function parallelScanOf<I extends SegmentedScan, O extends object, C>(
  scan: BoundPaginator<I, O, unknown, C>,
  client: SdkClient & C,
  input: I,
  options: ParallelScanOptions,
): Observable<ParallelScanPage<O>> {
  const checked: Partial<ParallelScanOptions> = optionsRecord(options, 'options', OPTIONS);
  const n = wholeNumber(checked.totalSegments, 'options.totalSegments', { min: 1, max: MAX_SEGMENTS });
  const concurrency =
    checked.concurrency === undefined
      ? n
      : checked.concurrency === Infinity
        ? Infinity
        : wholeNumber(checked.concurrency, 'options.concurrency', { min: 1 });
  const { pageSize, startingToken, governor, progress } = checked;
  // Checked here, once, like the other options: the segments' paginations start only on subscription.
  governorOption(governor);
  progressOption(progress);
  const abortSignal =
    checked.abortSignal === undefined ? undefined : abortSignalOption(checked.abortSignal, 'options.abortSignal');
  if (pageSize !== undefined) wholeNumber(pageSize, 'options.pageSize', { min: 1 });
  if (startingToken !== undefined && typeof startingToken !== 'string') {
    throw new SpecError('options.startingToken', `expected a token string, got ${describeValue(startingToken)}`);
  }
  return defer(() => {
    if (input.Segment !== undefined || input.TotalSegments !== undefined)
      throw new PaginationError('the input must not have Segment or TotalSegments: parallelScan sets them');
    const start: readonly Position[] = startingToken === undefined ? new Array<Position>(n).fill(null) : decode(startingToken, n);
    let log: Log = { base: start };
    const record = (segment: number, position: Position): Log => {
      log = { prev: log, segment, position, depth: 'base' in log ? 1 : log.depth + 1 };
      if (log.depth >= n) log = { base: positions(log) }; // amortized: n changes per O(n) snapshot
      return log;
    };
    const segment$ = (segment: number) =>
      // paginate as a still-generic spec sees it: the caller's types already tied the client to the binding (SdkClient & C).
      (paginate as typeof paginateBound)(
        scan,
        client,
        { ...input, Segment: segment, TotalSegments: n },
        { pageSize, startingToken: tokenOf(start[segment]), governor, progress },
      ).pipe(
        map((page): ParallelScanPage<O> => {
          const at = record(segment, resumeTokenOf(page) ?? true);
          return { segment, page, resumeToken: () => encode(n, positions(at)) };
        }),
        // After a repeated token, paginate's last page has no resume point (so it reads "done"); the error's token has it.
        catchError((error: unknown) => {
          if (!(error instanceof PaginationError) || error.resumeToken === undefined) return throwError(() => error);
          const token = encode(n, positions(record(segment, error.resumeToken)));
          return throwError(() => new PaginationError(`segment ${segment}: ${error.message}`, token));
        }),
      );
    const merged = range(0, n).pipe(
      filter((segment) => start[segment] !== true),
      mergeMap(segment$, concurrency),
    );
    return abortSignal === undefined ? merged : abortedBy(abortSignal, merged);
  });
}

/**
 * `source`, ended by `signal` with its reason: the error unsubscribes every segment, which aborts its
 * request in flight. One listener on the signal, however many segments (an `EventTarget` warns past 10).
 */
function abortedBy<T>(signal: AbortSignal, source: Observable<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    subscriber.add(whenAborted(signal, (reason) => subscriber.error(reason)));
    // Aborted already: nothing is sent.
    if (!subscriber.closed) subscriber.add(source.subscribe(subscriber));
  });
}

const tokenOf = (position: Position | undefined) => (typeof position === 'string' ? position : undefined);

function positions(log: Log): Position[] {
  const changes: Array<{ segment: number; position: Position }> = [];
  let at = log;
  for (; !('base' in at); at = at.prev) changes.push(at);
  const all = [...at.base];
  for (let i = changes.length - 1; i >= 0; i--) all[changes[i]!.segment] = changes[i]!.position;
  return all;
}

function encode(totalSegments: number, segments: readonly Position[]): string {
  return textToBase64(JSON.stringify({ parallelScan: 1, totalSegments, segments }));
}

function decode(token: string, totalSegments: number): Position[] {
  const bad = (detail: string) => new PaginationError(`Bad parallel scan starting token: ${detail}`);
  let parsed: { parallelScan?: unknown; totalSegments?: unknown; segments?: unknown } | null;
  try {
    const bytes = base64ToBytes(token);
    if (bytesToBase64(bytes) !== token) throw new Error();
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as typeof parsed;
  } catch {
    throw bad('not base64 JSON (a token of ParallelScanPage.resumeToken() was expected)');
  }
  if (typeof parsed !== 'object' || parsed === null || parsed.parallelScan !== 1)
    throw bad('not a parallelScan token (no "parallelScan": 1)');
  if (parsed.totalSegments !== totalSegments)
    throw bad(`it was made for totalSegments ${JSON.stringify(parsed.totalSegments)}, not ${totalSegments}`);
  const { segments } = parsed;
  if (!Array.isArray(segments) || segments.length !== totalSegments)
    throw bad(`"segments" must be a list of ${totalSegments} entries`);
  return segments.map((entry: unknown, segment) => {
    if (entry === null || entry === true) return entry;
    let key: unknown;
    try {
      key = typeof entry === 'string' ? decodeStartingToken(entry, ['ExclusiveStartKey']).tokens['ExclusiveStartKey'] : undefined;
    } catch (error) {
      throw bad(`segment ${segment}: ${(error as Error).message}`);
    }
    if (typeof key !== 'object' || key === null || Array.isArray(key)) {
      throw bad(
        `segment ${segment} is ${JSON.stringify(entry)}, not a botocore token of an ExclusiveStartKey, null (not started) or true (done)`,
      );
    }
    return entry as string;
  });
}

import type { Observable } from 'rxjs';
import { SpecError } from '../../errors/SpecError';

/**
 * The hidden method of a {@link paginate} Observable that subscribes to its
 * pages again, metered by a demand signal. Found by this key, not by class,
 * so that pages of another copy of the library (the CommonJS and the ES
 * module build) can be metered too.
 */
const METERED: unique symbol = Symbol.for('rxjs-aws.meteredPages');

/**
 * The same pagination, its reads following a demand signal.
 * @example
 * ```ts
 * const { pages, startingToken } = meterOf(source, 'processPages')(undefined);
 * pages(demand).subscribe(start); // then demand.next() once per page the work has room for
 * ```
 * @internal
 */
export interface MeteredPages<O> {
  /** The pages: one delivered per emission of `demand`, at most `prefetch` fetched beyond those. */
  pages(demand: Observable<unknown>): Observable<O>;
  /** The token to resume from when no page was done yet: the pagination's own starting token. */
  readonly startingToken: string | undefined;
}

/**
 * The metering method: `prefetch` undefined keeps the pagination's own option.
 * @throws {SpecError} when the pagination cannot be metered (it has its own `demand`).
 * @example
 * ```ts
 * const meter: Meter<ScanCommandOutput> = meterOf(paginate(Scan, client, input), 'processPages');
 * ```
 * @internal
 */
export type Meter<O> = (prefetch: number | undefined) => MeteredPages<O>;

type Meterable<O> = Observable<O> & { readonly [METERED]?: Meter<O> };

/**
 * Gives a page Observable its metering method, hidden (not enumerable) and
 * typed; the Observable itself is unchanged.
 * @example
 * ```ts
 * return withMeter(pages(paginator, send, plan), (prefetch) => ({
 *   pages: (demand) => pages(paginator, send, { ...plan, demand, prefetch: prefetch ?? plan.prefetch }),
 *   startingToken: undefined,
 * }));
 * ```
 * @internal
 */
export function withMeter<O>(pages: Observable<O>, meter: Meter<O>): Observable<O> {
  Object.defineProperty(pages, METERED, { value: meter });
  return pages;
}

/**
 * The metering method of a page Observable, for operators that make reads
 * follow their work.
 * @param operator The operator's name, for the error.
 * @throws {SpecError} (field `source`) when `source` is not a `paginate` Observable: pages
 *   that went through another operator first cannot be metered, and buffering them silently
 *   would read ahead without bound.
 * @example
 * ```ts
 * const { pages, startingToken } = meterOf(source, 'processPages')(1);
 * pages(demand).subscribe(work);
 * ```
 * @internal
 */
export function meterOf<O>(source: Observable<O>, operator: string): Meter<O> {
  const meter = (source as Meterable<O>)[METERED];
  if (typeof meter !== 'function') {
    throw new SpecError(
      'source',
      `${operator} meters the reads of a paginate(...) Observable and must come right after it; ` +
        'this source cannot be metered (put filter, map and the like inside the work, or after the operator)',
    );
  }
  return meter;
}

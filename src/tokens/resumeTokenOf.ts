import { PaginationError } from '../errors/PaginationError';
import { encodeResumeToken } from './resumeToken';
import type { ResumePoint } from './resumeToken';

/**
 * Marks a resume point to be sealed by a TokenSigner when asked for. Known by
 * this key, not by its class, so that another copy of the library knows it too.
 */
const SEALED: unique symbol = Symbol.for('rxjs-aws.sealedResumePoint');

/** A resume point to be sealed by a TokenSigner when asked for. */
interface Sealed {
  readonly [SEALED]: true;
  readonly point: ResumePoint | string;
  readonly seal: (token: string) => string;
}

/** Stored for an error that ends a pagination with nothing delivered: it is claimed, and resumes at the start. */
type Remembered = ResumePoint | string | Sealed | null;

/**
 * Where to resume after each page or error, for every copy of the library in
 * the process: an app may load both the CommonJS and the ES module build (a
 * Nest app importing an ES module helper), and a page one copy delivered must
 * give its token to the other copy's `resumeTokenOf`. So the map is found
 * under a `Symbol.for` key on `globalThis`, not kept per module. A map, not a
 * property on the page: pages may be frozen, and adding a property to every
 * page would change its shape.
 */
const RESUME_POINTS: unique symbol = Symbol.for('rxjs-aws.resumePoints');
const points = sharedResumePoints();

function sharedResumePoints(): WeakMap<object, Remembered> {
  const shared = globalThis as typeof globalThis & { [RESUME_POINTS]?: WeakMap<object, Remembered> };
  const existing = shared[RESUME_POINTS];
  if (existing) return existing;
  const created = new WeakMap<object, Remembered>();
  Object.defineProperty(shared, RESUME_POINTS, { value: created });
  return created;
}

/**
 * The botocore-format token that resumes pagination right after `page`, or
 * `undefined` when no page follows it. Pass it back as `startingToken`
 * (botocore and the AWS CLI accept it too).
 *
 * Given the error a pagination failed with, it is the token that resumes
 * after the last page that was delivered (`undefined`: nothing was, start
 * again from the beginning; for `fullResult`, which delivers nothing before
 * its error, it is where that `fullResult` started).
 *
 * Every error that ends a pagination is that pagination's own object, so its
 * token is never another pagination's. The service's error is passed on as
 * it is the first time; it is wrapped in a `PaginationError` whose `cause` is
 * the original when it cannot carry a token of its own: a primitive
 * (`'ETIMEDOUT'`), or an object that already ended another pagination (a
 * shared `AbortSignal.reason`, one error instance thrown by every call).
 *
 * It works for pages and errors of any copy of rxjs-aws in the process (the
 * CommonJS and the ES module build alike), but only for the objects
 * themselves: a copy of a page (`{ ...page }`, `structuredClone`) has no token.
 *
 * @example
 * ```ts
 * const page = await lastValueFrom(paginate(spec, send, input).pipe(take(3)));
 * const rest$ = paginate(spec, send, input, { startingToken: resumeTokenOf(page) });
 * ```
 */
export function resumeTokenOf(pageOrError: unknown): string | undefined {
  if (typeof pageOrError !== 'object' || pageOrError === null) return undefined;
  const page = pageOrError;
  const point = points.get(page);
  if (point === undefined || point === null) return undefined;
  if (typeof point === 'string') return point;
  const token = isSealed(point) ? point.seal(tokenOf(point.point)) : encodeResumeToken(point);
  points.set(page, token);
  return token;
}

/** Records where to resume after `page` (or after the error a pagination failed with). @internal */
export function rememberResumePoint(
  page: unknown,
  point: ResumePoint | string | undefined,
  seal?: (token: string) => string,
): void {
  if (typeof page !== 'object' || page === null) return;
  points.set(page, point === undefined ? null : seal ? { [SEALED]: true, point, seal } : point);
}

/**
 * The error to end a pagination with: `error` itself, now carrying where to
 * resume (`point`; undefined: at the start), or, when it cannot carry it as
 * its own (a primitive, or an object that ended another pagination already),
 * a `PaginationError` that does, with `error` as its `cause`.
 * @internal
 */
export function endingError(error: unknown, point: ResumePoint | string | undefined, seal?: (token: string) => string): unknown {
  const owned = typeof error === 'object' && error !== null && !points.has(error);
  const ending = owned ? error : new PaginationError(`Pagination failed: ${describeError(error)}`, undefined, { cause: error });
  rememberResumePoint(ending, point, seal);
  return ending;
}

/** What an error says about itself, for a message: never throws, whatever the value (a revoked Proxy, a throwing getter). */
function describeError(error: unknown): string {
  try {
    if (typeof error !== 'object' || error === null) return typeof error === 'string' ? error : String(error);
    const { name, message } = error as { name?: unknown; message?: unknown };
    const text = typeof message === 'string' && message !== '' ? message : 'no message';
    return typeof name === 'string' && name !== '' ? `${name}: ${text}` : text;
  } catch {
    return 'an error that could not be read';
  }
}

function isSealed(point: ResumePoint | Sealed): point is Sealed {
  return (point as Partial<Sealed>)[SEALED] === true;
}

/** The botocore token of a resume point. */
function tokenOf(point: ResumePoint | string): string {
  return typeof point === 'string' ? point : encodeResumeToken(point);
}

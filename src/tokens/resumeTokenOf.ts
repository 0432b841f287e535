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
 * give its token to the other copy's `resumeTokenOf`. So both places below
 * are found under `Symbol.for` keys, not kept per module.
 *
 * A page keeps its resume point in a non-enumerable member under
 * {@link RESUME_POINT}: JSON, spreads, `Object.keys` and Jest's `toEqual` do
 * not see it, and pages of one shape share one hidden class with it. A map
 * of every page would cost more than an in-process page: its table holds
 * each page until a full garbage collection. The map is still where a page
 * that takes no member (frozen, sealed, a Proxy that refuses it) keeps its
 * point, and where errors keep theirs.
 */
const RESUME_POINTS: unique symbol = Symbol.for('rxjs-aws.resumePoints');
const RESUME_POINT: unique symbol = Symbol.for('rxjs-aws.resumePoint');
const points = sharedResumePoints();

function sharedResumePoints(): WeakMap<object, Remembered> {
  const shared = globalThis as typeof globalThis & { [RESUME_POINTS]?: WeakMap<object, Remembered> };
  const existing = shared[RESUME_POINTS];
  if (existing) return existing;
  const created = new WeakMap<object, Remembered>();
  Object.defineProperty(shared, RESUME_POINTS, { value: created });
  return created;
}

/** What `page` keeps as its own member; undefined for none, and for anything a hostile value gives instead. */
function memberOf(page: object): Remembered | undefined {
  let value: unknown;
  try {
    value = Reflect.getOwnPropertyDescriptor(page, RESUME_POINT)?.value;
  } catch {
    return undefined; // a revoked Proxy, or a trap that throws
  }
  return value === null || typeof value === 'string' || (typeof value === 'object' && value !== null)
    ? (value as Remembered)
    : undefined;
}

/** Keeps `point` as a member of `page`; false when the page takes none. */
function keepAsMember(page: object, point: Remembered): boolean {
  try {
    return Reflect.defineProperty(page, RESUME_POINT, { value: point, writable: true, configurable: true, enumerable: false });
  } catch {
    return false;
  }
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
  // The map first: a page in it took no member when it was delivered (frozen), and never will.
  const mapped = points.get(page);
  const point = mapped === undefined ? memberOf(page) : mapped;
  if (point === undefined || point === null) return undefined;
  if (typeof point === 'string') return point;
  const token = isSealed(point) ? point.seal(tokenOf(point.point)) : encodeResumeToken(point);
  if (mapped === undefined) keepAsMember(page, token);
  else points.set(page, token);
  return token;
}

/** Records where to resume after the error a pagination failed with (or after any object). @internal */
export function rememberResumePoint(
  page: unknown,
  point: ResumePoint | string | undefined,
  seal?: (token: string) => string,
): void {
  if (typeof page !== 'object' || page === null) return;
  points.set(page, remembered(point, seal));
}

/**
 * Records where to resume after a delivered page: as its own member when it
 * takes one, else in the map (see {@link RESUME_POINT}).
 * @internal
 */
export function rememberPageResumePoint(page: unknown, point: ResumePoint | undefined, seal?: (token: string) => string): void {
  if (typeof page !== 'object' || page === null) return;
  const value = remembered(point, seal);
  if (!keepAsMember(page, value)) points.set(page, value);
}

function remembered(point: ResumePoint | string | undefined, seal: ((token: string) => string) | undefined): Remembered {
  return point === undefined ? null : seal ? { [SEALED]: true, point, seal } : point;
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

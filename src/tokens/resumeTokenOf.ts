import { PaginationError } from '../errors/PaginationError';
import { encodeResumeToken } from './resumeToken';
import type { ResumePoint } from './resumeToken';

/**
 * The member of a page or error that holds where to resume after it. Found
 * by this key, not kept by one copy of the module, so that the CommonJS and
 * the ES module build in one process (a Nest app importing an ES module
 * helper) read each other's pages. Not enumerable: JSON, spreads,
 * `Object.keys` and Jest's `toEqual` do not see it. (A `WeakMap` of pages
 * measured 2.3 µs a page in Node 20, its entries held until a full garbage
 * collection; the member 0.5 µs.)
 */
const RESUME_POINT: unique symbol = Symbol.for('rxjs-aws.resumePoint');

/** Marks a resume point to be sealed by a TokenSigner when asked for; by this key, so another copy knows it too. */
const SEALED: unique symbol = Symbol.for('rxjs-aws.sealedResumePoint');

/** A resume point to be sealed by a TokenSigner when asked for. */
interface Sealed {
  readonly [SEALED]: true;
  readonly point: ResumePoint;
  readonly seal: (token: string) => string;
}

/**
 * Where to resume: a point (encoded, and sealed when there is a signer, only
 * when asked for), a token string as it is handed out, or undefined: from the
 * start, or, for a page, nowhere (no page follows).
 * @internal
 */
export type ResumeAt = ResumePoint | string | undefined;

/** What the member holds: null for "nowhere" (a last page, an error of a pagination that delivered nothing). */
type Remembered = ResumePoint | string | Sealed | null;

/** What `object` holds under the key; undefined for nothing, and for anything a hostile value gives instead. */
function memberOf(object: object): Remembered | undefined {
  let value: unknown;
  try {
    value = Reflect.getOwnPropertyDescriptor(object, RESUME_POINT)?.value;
  } catch {
    return undefined; // a revoked Proxy, or a trap that throws
  }
  return value === null || typeof value === 'string' || (typeof value === 'object' && value !== null)
    ? (value as Remembered)
    : undefined;
}

/** Keeps `value` as the member of `object`; false when the object takes none (frozen, sealed, a refusing Proxy). */
function keep(object: object, value: Remembered): boolean {
  try {
    return Reflect.defineProperty(object, RESUME_POINT, { value, writable: true, configurable: true });
  } catch {
    return false;
  }
}

function remembered(at: ResumeAt, seal: ((token: string) => string) | undefined): Remembered {
  if (at === undefined) return null;
  return typeof at === 'string' || seal === undefined ? at : { [SEALED]: true, point: at, seal };
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
 * (`'ETIMEDOUT'`), a frozen object, or an object that already ended another
 * pagination (one error instance thrown by every call). The reason of an
 * `abortSignal` option is passed on as it is, always: when one signal ended
 * several paginations, its reason names no token (`undefined`), and each
 * one's last page says where it stopped.
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
  const point = memberOf(pageOrError);
  if (point === undefined || point === null) return undefined;
  if (typeof point === 'string') return point;
  const token = isSealed(point) ? point.seal(encodeResumeToken(point.point)) : encodeResumeToken(point);
  // Encoded once: the next call returns the same string, even from a signer that seals at random.
  try {
    Reflect.set(pageOrError, RESUME_POINT, token);
  } catch {
    // A Proxy whose set trap throws: the token is encoded again next time.
  }
  return token;
}

/**
 * `page` with where to resume after it, read by {@link resumeTokenOf}: the
 * page itself, or, when it takes no member (frozen, sealed, a Proxy that
 * refuses it), a copy of it that does, as frozen as the page was.
 * @throws {PaginationError} for a page that neither takes a member nor can be copied (a Proxy whose traps throw).
 * @example
 * ```ts
 * const delivered = withResumePoint(page, { NextToken: 'abc' });
 * resumeTokenOf(delivered); // botocore's token for { NextToken: 'abc' }
 * ```
 * @internal
 */
export function withResumePoint<P>(page: P, at: ResumePoint | undefined, seal?: (token: string) => string): P {
  if (typeof page !== 'object' || page === null) return page;
  const value = remembered(at, seal);
  if (keep(page, value) || (value === null && memberOf(page) === undefined)) return page;
  return copyCarrying(page, value);
}

function copyCarrying<P extends object>(page: P, value: Remembered): P {
  let copy: P;
  try {
    copy = (
      Array.isArray(page)
        ? Object.defineProperties([], Object.getOwnPropertyDescriptors(page))
        : Object.create(Object.getPrototypeOf(page) as object | null, Object.getOwnPropertyDescriptors(page))
    ) as P;
  } catch (error) {
    throw new PaginationError('A page that takes no resume point and cannot be copied cannot be delivered', undefined, {
      cause: error,
    });
  }
  keep(copy, value);
  if (Object.isFrozen(page)) Object.freeze(copy);
  else if (Object.isSealed(page)) Object.seal(copy);
  else if (!Object.isExtensible(page)) Object.preventExtensions(copy);
  return copy;
}

/**
 * The error to end a pagination with: `error` itself, now carrying where to
 * resume, or, when it cannot carry it as its own (a primitive, a frozen
 * object, or an object that ended another pagination already), a
 * `PaginationError` that does, with `error` as its `cause`. A
 * `PaginationError`'s `resumeToken` is set to the same token.
 * @example
 * ```ts
 * subscriber.error(endingError(serviceError, lastDeliveredPoint, plan.seal));
 * ```
 * @internal
 */
export function endingError(error: unknown, at: ResumeAt, seal?: (token: string) => string): unknown {
  const value = remembered(at, seal);
  const claimed =
    typeof error === 'object' && error !== null && memberOf(error) === undefined && keep(error, value) ? error : undefined;
  const ending = claimed ?? new PaginationError(`Pagination failed: ${describeError(error)}`, undefined, { cause: error });
  if (claimed === undefined) keep(ending, value);
  withResumeToken(ending);
  return ending;
}

/**
 * The reason an `abortSignal` option aborted a pagination with, passed on as
 * it is, now carrying where to resume: unless it ended another pagination
 * already (one signal for several), when it names no place, as no place is
 * right for all of them.
 * @example
 * ```ts
 * whenAborted(options.abortSignal, (reason) => subscriber.error(abortedError(reason, delivered)));
 * ```
 * @internal
 */
export function abortedError(reason: unknown, at: ResumeAt, seal?: (token: string) => string): unknown {
  if (typeof reason === 'object' && reason !== null) {
    if (memberOf(reason) === undefined) keep(reason, remembered(at, seal));
    else keep(reason, null);
    withResumeToken(reason);
  }
  return reason;
}

/**
 * Records where to resume after `object` (an error, or any object), replacing
 * what it held: for operators that end a pagination at another place than the
 * last page delivered. An object that takes no member keeps none.
 * @example
 * ```ts
 * rememberResumePoint(workError, resumeTokenOf(lastPageDone));
 * ```
 * @internal
 */
export function rememberResumePoint(object: unknown, at: ResumeAt, seal?: (token: string) => string): void {
  if (typeof object !== 'object' || object === null) return;
  keep(object, remembered(at, seal));
  withResumeToken(object);
}

/** A PaginationError's `resumeToken` says what `resumeTokenOf` says of it. */
function withResumeToken(error: object): void {
  try {
    if (!(error instanceof PaginationError)) return;
    Reflect.defineProperty(error, 'resumeToken', {
      value: resumeTokenOf(error),
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } catch {
    // A Proxy whose traps throw, or a signer that throws: resumeTokenOf will say so when asked.
  }
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

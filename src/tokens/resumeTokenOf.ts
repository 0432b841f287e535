import { encodeResumeToken } from './resumeToken';
import type { ResumePoint } from './resumeToken';

/** A resume point to be sealed by a TokenSigner when asked for. */
class Sealed {
  constructor(
    readonly point: ResumePoint | string,
    readonly seal: (token: string) => string,
  ) {}
}

const points = new WeakMap<object, ResumePoint | string | Sealed>();

/**
 * The botocore-format token that resumes pagination right after `page`, or
 * `undefined` when no page follows it. Pass it back as `startingToken`
 * (botocore and the AWS CLI accept it too).
 *
 * Given the error a pagination failed with, it is the token that resumes
 * after the last page that was delivered (`undefined`: nothing was, start
 * again from the beginning).
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
  if (point === undefined || typeof point === 'string') return point;
  const token = point instanceof Sealed ? point.seal(tokenOf(point.point)) : encodeResumeToken(point);
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
  if (point === undefined) points.delete(page);
  else points.set(page, seal ? new Sealed(point, seal) : point);
}

/** The botocore token of a resume point. */
function tokenOf(point: ResumePoint | string): string {
  return typeof point === 'string' ? point : encodeResumeToken(point);
}

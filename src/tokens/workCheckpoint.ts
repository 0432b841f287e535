import { PaginationError } from '../errors/PaginationError';
import { base64ToBytes, textToBase64 } from './base64';

/** What a checkpoint counts: pages (`processPages`) or items of the first result key (`processItems`). @internal */
export type WorkUnit = 'pages' | 'items';

/**
 * Where a `processPages` or `processItems` run stands: a watermark, before
 * which every page (or item) is done, and the keys of those done past it.
 * @example
 * ```ts
 * const progress: WorkCheckpoint = { unit: 'pages', resume: resumeTokenOf(page), done: [key], within: 3 };
 * ```
 * @internal
 */
export interface WorkCheckpoint {
  readonly unit: WorkUnit;
  /** The resume token of the watermark, as it was handed out (sealed with a signer); undefined: the start. */
  readonly resume: string | undefined;
  /** The keys of the pages or items done past the watermark (see `unitKey`), never their positions. */
  readonly done: readonly string[];
  /** How many pages or items past the watermark hold them: the ones a resume looks at for them. */
  readonly within: number;
}

/** A run with nothing left to do. @internal */
export interface FinishedWork {
  readonly unit: WorkUnit;
  readonly finished: true;
}

// The tag comes first, so every checkpoint's base64 starts with the same characters: a plain token is told
// from one without decoding it.
const TAG = 'rxjs_aws_checkpoint';
const HEAD = `{"${TAG}":1,`;
const PREFIX = textToBase64(HEAD).slice(0, Math.floor(HEAD.length / 3) * 4);
const KEY = /^[A-Za-z0-9_-]{22}$/;
/** Larger than any checkpoint a run writes (a key is 22 characters), small enough to refuse a forged one at once. */
const MAX_LENGTH = 16 * 1024 * 1024;

/**
 * A checkpoint as a token string: base64 of JSON, like botocore's tokens, so
 * that `paginate` and botocore refuse it (its keys are no input tokens)
 * instead of sending it to the service. Written only when pages or items are
 * done past the watermark, or nothing is left: otherwise the watermark's own
 * token is the checkpoint.
 * @example
 * ```ts
 * encodeWorkCheckpoint({ unit: 'pages', finished: true }); // 'eyJyeGpzX2F3c19jaGVja3BvaW50IjoxLC…'
 * ```
 * @internal
 */
export function encodeWorkCheckpoint(checkpoint: WorkCheckpoint | FinishedWork): string {
  const body =
    'finished' in checkpoint
      ? { unit: checkpoint.unit, finished: true }
      : { unit: checkpoint.unit, resume: checkpoint.resume ?? null, done: checkpoint.done, within: checkpoint.within };
  return textToBase64(HEAD + JSON.stringify(body).slice(1));
}

/**
 * The checkpoint a token holds, or undefined when it is a plain resume token.
 * @param unit What the run resuming from it counts: a checkpoint of the other kind is refused.
 * @throws {PaginationError} for a checkpoint that was altered or is of the other kind.
 * @example
 * ```ts
 * decodeWorkCheckpoint(token, 'pages'); // { unit: 'pages', resume: 'eyJ…', done: ['0Jc…'], within: 3 }
 * ```
 * @internal
 */
export function decodeWorkCheckpoint(token: string, unit: WorkUnit): WorkCheckpoint | FinishedWork | undefined {
  if (!token.startsWith(PREFIX)) return undefined;
  if (token.length > MAX_LENGTH) throw bad(`it is longer than any checkpoint (${token.length} characters)`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64ToBytes(token)));
  } catch {
    throw bad('it is not valid base64 JSON');
  }
  const { [TAG]: version, unit: kind, finished, resume, done, within, ...rest } = parsed as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (version !== 1) throw bad(`its version is ${JSON.stringify(version)}, not 1`);
  if (unknown.length > 0) throw bad(`unexpected key(s) ${unknown.map((key) => JSON.stringify(key)).join(', ')}`);
  if (kind !== 'pages' && kind !== 'items') throw bad(`its unit is ${JSON.stringify(kind)}, not "pages" or "items"`);
  if (kind !== unit) {
    const maker = kind === 'pages' ? 'processPages' : 'processItems';
    throw bad(`it is a checkpoint of ${maker}, which counts ${kind}: resume it with ${maker}`);
  }
  if (finished !== undefined) {
    if (finished !== true || resume !== undefined || done !== undefined || within !== undefined) {
      throw bad('a finished checkpoint holds nothing else');
    }
    return { unit, finished };
  }
  if (resume !== null && typeof resume !== 'string') throw bad('its resume token must be a string or null');
  if (!Array.isArray(done) || !done.every((key) => typeof key === 'string' && KEY.test(key))) {
    throw bad('its done keys must be a list of 22-character keys');
  }
  if (typeof within !== 'number' || !Number.isSafeInteger(within) || within < done.length) {
    throw bad(`its window must be a whole number of at least the ${done.length} done key(s)`);
  }
  return { unit, resume: resume ?? undefined, done, within };
}

function bad(detail: string): PaginationError {
  return new PaginationError(`Bad starting token: a checkpoint of processPages or processItems, but ${detail}`);
}

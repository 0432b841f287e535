import { defer, map, reduce, type Observable } from 'rxjs';
import { compilePaginator, type CompiledPaginator, type SettableExpression } from '../../specs/compilePaginator';
import { setValueAt } from '../../specs/dottedPath';
import { isPlainRecord } from '../../util/isPlainRecord';
import type { BoundPaginator, InputFor, OutputFor, SendOrClient } from '../../specs/bound';
import { resolveSend, type SdkClient } from '../../transport/Send';
import type { PaginatorSpec } from '../../specs/types';
import { pagePlan, type PaginateOptions } from './PaginateOptions';
import { pageSteps } from './pageSteps';
import type { PageStep } from './PageCursor';
import type { ResumePoint } from '../../tokens/resumeToken';
import { encodeResumeToken } from '../../tokens/resumeToken';
import { PaginationError } from '../../errors/PaginationError';
import type { Send } from '../../transport/Send';

/**
 * All pages folded into one response, plus the token to resume from when pagination stopped early.
 * @example
 * ```ts
 * const { Items, Count, NextToken }: FullResult<ScanCommandOutput> = await lastValueFrom(fullResult(Scan, client, input));
 * ```
 */
export type FullResult<O> = { [K in keyof O]?: O[K] } & {
  /** Set when `maxItems` (or `demand`) stopped pagination before its end. */
  NextToken?: string;
};

/**
 * Pages through an API and emits one result: botocore's `build_full_result`.
 *
 * Result keys are concatenated (lists, strings) or summed (numbers) across
 * pages; `non_aggregate_keys` are taken from the first page; when pagination
 * stopped early, `NextToken` holds the resume token.
 *
 * @example
 * ```ts
 * fullResult(listTablesSpec, send, {}, { maxItems: 50 }).subscribe(({ TableNames, NextToken }) => {
 *   console.log(TableNames, NextToken ? 'more to come' : 'that was all');
 * });
 * ```
 */
export function fullResult<I, O, BoundI = never, BoundO = never, C = unknown, G extends SdkClient = SdkClient>(
  spec: PaginatorSpec | CompiledPaginator<I, O> | BoundPaginator<BoundI, BoundO, unknown, C>,
  sendOrClient: SendOrClient<I, O, BoundI, C, G>,
  input: InputFor<I, BoundI>,
  options?: PaginateOptions,
): Observable<FullResult<OutputFor<O, BoundI, BoundO>>>;
export function fullResult<I, O>(
  spec: PaginatorSpec | CompiledPaginator<I, O> | BoundPaginator<I, O, unknown>,
  sendOrClient: Send<I, O> | SdkClient,
  input: I,
  options: PaginateOptions = {},
): Observable<FullResult<O>> {
  const paginator = compilePaginator<I, O>(spec);
  const send = resolveSend<I, O>(spec, sendOrClient);
  const plan = pagePlan(paginator, input, options, undefined, spec);
  const { seal } = plan;
  return defer(() => {
    const folded: Folded = { result: {}, nonAggregate: undefined, resumePoint: undefined };
    // Folded as the engine delivers each page, so that a page that cannot be folded ends the stream as any error
    // does; and nothing is delivered before the result, so every error resumes where this fullResult started.
    const fold = ({ page, resumePoint }: PageStep<O>): Folded => {
      folded.nonAggregate ??= valuesAt(paginator.nonAggregateKeys, page);
      folded.resumePoint = resumePoint;
      for (const key of paginator.resultKeys) accumulate(folded.result, key, key.search(page));
      return folded;
    };
    return pageSteps(paginator, send, plan, fold, true).pipe(
      reduce((whole: Folded) => whole, folded),
      map(({ result, nonAggregate, resumePoint }) => {
        // Non-aggregate keys may hold result keys (ecr's imageScanFindings.findings): the folded values win,
        // as they do in botocore, where the first page's lists are extended in place.
        const values = paginator.resultKeys.map((key) => [key, key.search(result)] as const);
        mergeInto(result, nonAggregate ?? {});
        for (const [key, value] of values) if (value !== null && value !== undefined) setValueAt(result, key.path, value);
        if (resumePoint !== undefined) {
          const token = encodeResumeToken(resumePoint);
          result['NextToken'] = seal ? seal(token) : token;
        }
        return result as FullResult<O>;
      }),
    );
  });
}

interface Folded {
  readonly result: Record<string, unknown>;
  nonAggregate: Record<string, unknown> | undefined;
  resumePoint: ResumePoint | undefined;
}

function accumulate(result: Record<string, unknown>, key: SettableExpression, value: unknown): void {
  if (value === null || value === undefined) return;
  const existing = key.search(result);
  if (existing === null || existing === undefined) {
    setValueAt(result, key.path, detached(value));
  } else if (Array.isArray(value) && Array.isArray(existing)) {
    for (const item of value) existing.push(item);
  } else if (isNumeric(value) && isNumeric(existing)) {
    setValueAt(result, key.path, Number(existing) + Number(value));
  } else if (typeof value === 'string' && typeof existing === 'string') {
    setValueAt(result, key.path, existing + value);
  } else if (Array.isArray(value) || isNumeric(value) || typeof value === 'string') {
    // botocore skips an object value silently; lists, numbers and strings must match what came before.
    throw new PaginationError(
      `result key ${key.source} changed type between pages (${kind(existing)} then ${kind(value)}); the pages cannot be combined`,
    );
  }
}

function valuesAt(keys: readonly SettableExpression[], page: unknown): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  // Copies: a key beneath another (Data and Data.Info) must not be written into the page's own object.
  for (const key of keys) setValueAt(values, key.path, detached(key.search(page)));
  return values;
}

/** botocore's merge_dicts: objects merge deeply, anything else overwrites. Pages' objects are copied, never written. */
function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(source)) {
    const existing = Object.hasOwn(target, key) ? target[key] : undefined;
    define(target, key, isPlainRecord(value) ? mergeInto(isPlainRecord(existing) ? existing : {}, value) : value);
  }
  return target;
}

/**
 * `target[key] = value` that stays a plain data member even for a key named
 * `__proto__` (JSON.parse makes such members): assigning it would reach
 * Object.prototype, a response polluting every object of the process.
 */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A copy of the containers a later page may write into (objects and lists on
 * dotted paths), so that folding never writes into a page; list items are shared.
 */
function detached(value: unknown): unknown {
  if (Array.isArray(value)) return value.slice();
  if (!isPlainRecord(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) define(copy, key, detached(member));
  return copy;
}

function isNumeric(value: unknown): value is number | boolean {
  return typeof value === 'number' || typeof value === 'boolean';
}

function kind(value: unknown): string {
  return Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

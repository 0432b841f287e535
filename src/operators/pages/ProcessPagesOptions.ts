import type { ObservableInput } from 'rxjs';
import type { CompiledPaginator } from '../../specs/compilePaginator';
import { SpecError } from '../../errors/SpecError';
import { sealing } from '../../tokens/sealing';
import { decodeWorkCheckpoint, type WorkUnit } from '../../tokens/workCheckpoint';
import { callable } from '../../util/callable';
import { optionsRecord } from '../../util/optionsRecord';
import { seconds } from '../../util/seconds';
import { wholeNumber } from '../../util/wholeNumber';
import { pagePlan, type PagePlan, type PaginateOptions } from '../paginate/PaginateOptions';

/**
 * Options of {@link processPages}: the options of `paginate` (but `demand`:
 * the work is the demand), and how the work runs. They are checked when
 * `processPages` is called: a bad or unknown one throws a `SpecError` naming
 * it (`options.concurrency`).
 * @example
 * ```ts
 * const options: ProcessPagesOptions = { pageSize: 100, concurrency: 4, prefetch: 2, onCheckpoint: save };
 * ```
 */
export interface ProcessPagesOptions extends Omit<PaginateOptions, 'demand' | 'prefetch' | 'startingToken'> {
  /**
   * Pages (or items) whose work runs at once. At most 1,000: the pages held,
   * and a checkpoint's length, grow with it.
   * @default 1
   */
  readonly concurrency?: number;
  /**
   * Pages read ahead of the work. `processPages` holds at most
   * `concurrency + prefetch` pages from the oldest one whose work is not
   * done, however long that work takes; `processItems` holds at most
   * `1 + prefetch` pages from the one with the oldest item not done.
   * @default 0 (a page is read when there is room for it)
   */
  readonly prefetch?: number;
  /**
   * Where to start: a checkpoint (from `onCheckpoint` or `resumeTokenOf(error)`)
   * of the same function, whose pages or items done are skipped, or any token
   * `paginate` takes. A token that does not fit errors the Observable with a
   * `PaginationError` on subscription.
   * @default undefined (the first page)
   */
  readonly startingToken?: string;
  /**
   * Seconds an error waits for the work in flight to end before it ends the
   * stream, so that what that work committed is in the error's checkpoint.
   * Work still running then is unsubscribed, and done again on resume.
   * @default 30
   */
  readonly maxDrainTime?: number;
  /**
   * Called after each page (or item) whose work completed, with the
   * checkpoint that resumes after everything done so far: pass it back as
   * `startingToken`. A checkpoint with nothing left resumes to an empty run.
   * It may return a Promise or an Observable (a save): the next call waits
   * for it and gets the newest checkpoint, the ones in between are skipped,
   * and the stream ends after the last save. A throw or a failed save ends
   * the stream like a failed work.
   * @default undefined (checkpoints only on errors, through `resumeTokenOf`)
   */
  readonly onCheckpoint?: (checkpoint: string) => ObservableInput<unknown> | void;
}

/**
 * Options of {@link processItems}: those of {@link ProcessPagesOptions}, with
 * `concurrency` counting items and `prefetch` pages, and `resumeAfter`.
 * @example
 * ```ts
 * const options: ProcessItemsOptions<Record<string, AttributeValue>> = {
 *   resumeAfter: (item) => ({ ExclusiveStartKey: { pk: item.pk } }),
 * };
 * ```
 */
export interface ProcessItemsOptions<Item = unknown> extends ProcessPagesOptions {
  /**
   * The input tokens that resume right after `item`, for services whose
   * token is the last item's key (DynamoDB: `{ ExclusiveStartKey: key }`,
   * the item's key attributes, and the index's for a query on an index).
   * Then a checkpoint inside a page names the item, not its position, and
   * stays exact when items before it are deleted; items done past the
   * oldest unfinished one are known by it too.
   * @default undefined (a checkpoint inside a page counts the items done in it, as botocore's `maxItems` tokens do)
   */
  readonly resumeAfter?: (item: Item) => Readonly<Record<string, unknown>>;
}

/**
 * What the work is told besides its page or item.
 * @example
 * ```ts
 * processPages(Scan, client, input, (page, { index, idempotencyKey }) => commit(page.Items ?? [], idempotencyKey));
 * ```
 */
export interface WorkContext {
  /** The page's (or item's) number in this run, from 0. */
  readonly index: number;
  /**
   * The same for the same page (or item) in every run of this query,
   * resumed or not, and different for any other: 22 base64url characters
   * made from the tokens around it, never from its position. Store it with
   * what the work commits, and skip a page whose key is already there: the
   * work a crash interrupts before its checkpoint was saved is then not
   * committed twice.
   */
  readonly idempotencyKey: string;
}

/** Where a run starts: from a checkpoint's done pages or items, from nothing left, or from a token that failed. @internal */
export type WorkStart =
  { readonly done: ReadonlySet<string>; readonly within: number } | { readonly finished: true } | { readonly failed: unknown };

/**
 * The options of one `processPages` or `processItems` run, checked and with their defaults.
 * @internal
 */
export interface WorkPlan<I> {
  readonly unit: WorkUnit;
  /** The pagination; its `demand` and `prefetch` are the engine's. */
  readonly pages: PagePlan<I>;
  readonly concurrency: number;
  readonly prefetch: number;
  readonly maxDrainTime: number;
  readonly onCheckpoint?: (checkpoint: string) => ObservableInput<unknown> | void;
  readonly resumeAfter?: (item: unknown) => unknown;
  /** The token the run starts from, as it was handed out (sealed with a signer): where an error resumes when nothing was done. */
  readonly startToken: string | undefined;
  readonly start?: WorkStart;
  /** Opens a token handed out (checks its seal): the identity without a signer. */
  readonly open: (token: string) => string;
}

const OWN_OPTIONS = ['concurrency', 'prefetch', 'startingToken', 'maxDrainTime', 'onCheckpoint'] as const;
// Every option of paginate but demand, spelled out so that an option added to paginate fails to compile here
// until it is passed on (or refused) too.
const PAGINATE_OPTIONS = Object.keys({
  pageSize: true,
  maxItems: true,
  startingToken: true,
  prefetch: true,
  retry: true,
  scheduler: true,
  signer: true,
  governor: true,
  progress: true,
  abortSignal: true,
} satisfies Record<Exclude<keyof PaginateOptions, 'demand'>, true>);

/**
 * Checks, defaults and decodes the options of one run, once, when
 * `processPages` or `processItems` is called; a starting checkpoint is taken
 * apart here, and its watermark becomes the pagination's starting token.
 * @throws {SpecError} naming the option at fault (`options.concurrency`, `options.pageSize`).
 * @example
 * ```ts
 * const plan = workPlan(compilePaginator(Scan), { TableName: 'music' }, { concurrency: 4 }, 'pages', Scan);
 * ```
 * @internal
 */
export function workPlan<I>(
  paginator: CompiledPaginator<I, unknown>,
  input: I,
  given: ProcessItemsOptions | undefined,
  unit: WorkUnit,
  /** The spec as given, which names the governor's lane and the progress events' operation. */
  spec: unknown,
): WorkPlan<I> {
  const name = unit === 'pages' ? 'processPages' : 'processItems';
  if (given !== null && typeof given === 'object' && Object.hasOwn(given, 'demand')) {
    throw new SpecError('options.demand', `is not an option of ${name}: its work asks for the pages it has room for`);
  }
  const known = [...new Set([...PAGINATE_OPTIONS, ...OWN_OPTIONS, ...(unit === 'items' ? ['resumeAfter'] : [])])];
  const options: ProcessItemsOptions = optionsRecord(given, 'options', known);
  const { concurrency, maxDrainTime, onCheckpoint, resumeAfter, startingToken, ...rest } = options;
  const paginateOptions: PaginateOptions = rest;
  const checked = {
    concurrency: concurrency === undefined ? 1 : wholeNumber(concurrency, 'options.concurrency', { min: 1, max: 1000 }),
    maxDrainTime: maxDrainTime === undefined ? 30 : seconds(maxDrainTime, 'options.maxDrainTime', { min: 0 }),
    ...(onCheckpoint !== undefined && { onCheckpoint: callable(onCheckpoint, 'options.onCheckpoint') }),
    ...(resumeAfter !== undefined && { resumeAfter: callable(resumeAfter, 'options.resumeAfter') as (item: unknown) => unknown }),
  };
  // Checks every paginate option, the starting token's type included.
  const plan = pagePlan(
    paginator,
    input,
    { ...paginateOptions, ...(startingToken !== undefined && { startingToken }) },
    undefined,
    spec,
  );
  const open = opener(paginator, input, paginateOptions);
  const base = { unit, prefetch: plan.prefetch, open, ...checked };
  if (startingToken === undefined || startingToken === '') return { ...base, pages: plan, startToken: undefined };
  let opened: string;
  try {
    opened = open(startingToken);
  } catch {
    return { ...base, pages: plan, startToken: startingToken }; // a seal that does not open: the pagination refuses it
  }
  let checkpoint: ReturnType<typeof decodeWorkCheckpoint>;
  try {
    checkpoint = decodeWorkCheckpoint(opened, unit);
  } catch (error) {
    return { ...base, pages: plan, startToken: startingToken, start: { failed: error } };
  }
  if (checkpoint === undefined) return { ...base, pages: plan, startToken: startingToken };
  if ('finished' in checkpoint) return { ...base, pages: plan, startToken: startingToken, start: { finished: true } };
  const { resume } = checkpoint;
  return {
    ...base,
    pages: pagePlan(
      paginator,
      input,
      { ...paginateOptions, ...(resume !== undefined && { startingToken: resume }) },
      undefined,
      spec,
    ),
    startToken: resume,
    start: { done: new Set(checkpoint.done), within: checkpoint.within },
  };
}

/** Opens tokens this query hands out; a query that cannot be sealed gets the identity: its pagination fails on subscription. */
function opener(
  paginator: CompiledPaginator<unknown, unknown>,
  input: unknown,
  options: PaginateOptions,
): (token: string) => string {
  if (options.signer === undefined) return (token) => token;
  try {
    return sealing(paginator, input, options.signer).open;
  } catch {
    return (token) => token;
  }
}

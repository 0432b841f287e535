import type { CompiledPaginator } from '../../specs/compilePaginator';
import { SpecError } from '../../errors/SpecError';
import { decodeStartingToken, encodeResumeToken, type ResumePoint } from '../../tokens/resumeToken';
import { canonicalJson } from '../../tokens/canonicalJson';
import { queryScope, unitKey } from '../../tokens/unitKey';
import { isPlainRecord } from '../../util/isPlainRecord';
import { describeValue } from '../../util/describeValue';
import type { WorkPlan } from './ProcessPagesOptions';

/**
 * A page a run holds: the tokens around it, and its units (the page itself,
 * or the items of its first result key). Its tokens are read when asked for:
 * most pages never need them. @internal
 */
export interface HeldPage<U> {
  /** The run's first page, whose starting token may cut it (`boto_truncate_amount`). */
  readonly first: boolean;
  /** The run-wide number of its first unit. */
  readonly firstSeq: number;
  readonly units: readonly U[];
  /** The token it was requested with, as handed out (sealed with a signer); undefined: the first page. */
  start(): string | undefined;
  /** `resumeTokenOf(page)`: undefined when nothing follows. */
  end(): string | undefined;
}

/**
 * The tokens of a run's pages and items: the key of each, and the token that
 * resumes inside a page. Keys are made only when asked for (a checkpoint
 * with units done out of order, a resume looking for them, a work reading
 * its `idempotencyKey`).
 * @internal
 */
export class UnitTokens<I> {
  private scopeText: string | undefined;
  private readonly nullTokens: Record<string, null>;

  constructor(
    private readonly paginator: CompiledPaginator<I, unknown>,
    private readonly input: I,
    private readonly plan: WorkPlan<I>,
  ) {
    this.nullTokens = Object.fromEntries(paginator.inputTokens.map((name) => [name, null]));
  }

  /** The key of unit `offset` of `page` (see `unitKey`). */
  keyOf<U>(page: HeldPage<U>, offset: number): string {
    this.scopeText ??= queryScope(this.paginator, this.input);
    if (this.plan.unit === 'items' && this.plan.resumeAfter) {
      return unitKey(this.scopeText, { kind: 'item-key', tokens: canonicalJson(this.tokensAfter(page.units[offset])) });
    }
    return unitKey(this.scopeText, {
      kind: this.plan.unit === 'pages' ? 'page' : 'item',
      start: this.startOf(page),
      end: this.opened(page.end()),
      offset: this.cut(page) + (this.plan.unit === 'pages' ? 0 : offset),
    });
  }

  /** The token that resumes after the first `done` items of `page` (0 < done < its items), as handed out. */
  tokenInside<U>(page: HeldPage<U>, done: number): string {
    const { resumeAfter } = this.plan;
    const start = page.first ? this.plan.pages.start : undefined;
    let point: ResumePoint;
    if (resumeAfter) {
      point = this.tokensAfter(page.units[done - 1]);
    } else {
      // As a maxItems cut writes it: the page's tokens, the page size it was read at, and the items delivered.
      const tokens = start?.ok
        ? start.tokens
        : decodeStartingToken(this.opened(page.start()) ?? '', this.paginator.inputTokens).tokens;
      const limit = (start?.ok ? start.limit : undefined) ?? this.plan.pages.limit?.value;
      const { limitKey } = this.paginator;
      point = {
        ...tokens,
        ...(limit !== undefined && limitKey !== undefined && { [limitKey]: limit }),
        boto_truncate_amount: this.cut(page) + done,
      };
    }
    const token = encodeResumeToken(point);
    return this.plan.pages.seal ? this.plan.pages.seal(token) : token;
  }

  /** Calls `resumeAfter` on an item, to refuse a bad one when the run starts rather than at its first checkpoint. */
  checkResumeAfter(item: unknown): void {
    if (this.plan.resumeAfter) this.tokensAfter(item);
  }

  /** The start of a page as its key spells it: the tokens alone, without a cut the run's first page may have. */
  private startOf<U>(page: HeldPage<U>): string | null {
    const start = page.first ? this.plan.pages.start : undefined;
    if (start?.ok && (start.truncate > 0 || start.limit !== undefined)) {
      // A cut first page without tokens is the first page of all: as a run from the start spells it.
      const named = Object.values(start.tokens).some((token) => token !== null && token !== undefined);
      return named ? encodeResumeToken(start.tokens) : null;
    }
    if (start?.ok) return this.opened(this.plan.pages.startingToken);
    return this.opened(page.start());
  }

  private opened(token: string | undefined): string | null {
    return token === undefined ? null : this.plan.open(token);
  }

  /** How many items of its first result key the run's first page lacks: those the starting token says were delivered. */
  private cut<U>(page: HeldPage<U>): number {
    const start = page.first ? this.plan.pages.start : undefined;
    return start?.ok ? start.truncate : 0;
  }

  /** What `resumeAfter` says resumes after `item`, checked: a record of input tokens. */
  private tokensAfter(item: unknown): ResumePoint {
    const tokens = this.plan.resumeAfter!(item);
    const { inputTokens } = this.paginator;
    const stray = isPlainRecord(tokens) ? Object.keys(tokens).find((name) => !inputTokens.includes(name)) : undefined;
    if (!isPlainRecord(tokens) || stray !== undefined) {
      throw new SpecError(
        'options.resumeAfter',
        `must return a record of input tokens (${inputTokens.join(', ')}), got ${
          stray === undefined ? describeValue(tokens) : `one with ${JSON.stringify(stray)}`
        }`,
      );
    }
    return { ...this.nullTokens, ...tokens };
  }
}

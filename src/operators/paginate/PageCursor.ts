import type { CompiledPaginator } from '../../specs/compilePaginator';
import { withValueAt } from '../../specs/dottedPath';
import { isTruthy } from '../../specs/pythonSemantics';
import { encodeResumeToken, type ResumePoint } from '../../tokens/resumeToken';
import { PaginationError } from '../../errors/PaginationError';
import type { PagePlan } from './PaginateOptions';
import { TokenCycleDetector } from './TokenCycleDetector';
import { canonicalJson } from '../../tokens/canonicalJson';

/** What to do after a page: go on, stop, or stop with an error once the page is out. */
export interface PageStep<O> {
  readonly page: O;
  /** Where to resume after this page (encode with `encodeResumeToken`); absent when nothing follows. */
  readonly resumePoint?: ResumePoint;
  readonly then: 'next' | 'complete' | PaginationError;
}

type Tokens = Record<string, unknown>;

/**
 * botocore's PageIterator as a state machine, one response at a time: token
 * injection, `more_results`, `maxItems` truncation with resume tokens, and
 * resuming mid-page. Pages are copied where they are cut, never mutated.
 * @internal
 */
export class PageCursor<I, O> {
  private readonly base: Record<string, unknown>;
  /** `base` without its token members, made once: deleting on every page would turn each request into a slow dictionary object. */
  private readonly baseWithoutTokens: Record<string, unknown>;
  /** The first request's base when resuming: with the page size the starting token records, if it does. */
  private readonly resumeBase: Record<string, unknown>;
  /** The page size of every request but a resumed first one, written into a token that cuts a page. */
  private readonly limit: number | string | undefined;
  /** The page size the starting token records, for its first request. */
  private readonly startingLimit: number | string | undefined;
  private tokens: Tokens;
  private readonly cycles = new TokenCycleDetector();
  /** Whether a starting token was given: then its tokens replace the input's, and its truncation applies. */
  private readonly resumed: boolean;
  private readonly startingTruncation: number;
  private readonly maxItems: number | undefined;
  /** Seals the cycle error's token as every other token this pagination hands out. */
  private readonly seal: ((token: string) => string) | undefined;
  private first = true;
  private sent = false;
  /** Whether the input has an own `__proto__` member, which `Object.assign` would not copy as a member. */
  private readonly protoMember: boolean;
  private total = 0;

  /** @throws the plan's starting-token error, if its token could not be opened or decoded. */
  constructor(
    private readonly paginator: CompiledPaginator<I, O>,
    plan: PagePlan<I>,
  ) {
    const { limit, start } = plan;
    this.base = { ...(plan.input as Record<string, unknown>) };
    if (limit !== undefined) this.base[limit.key] = limit.value;
    this.protoMember = Object.prototype.hasOwnProperty.call(this.base, '__proto__');
    this.baseWithoutTokens = { ...this.base };
    for (const name of paginator.inputTokens) delete this.baseWithoutTokens[name];
    this.maxItems = plan.maxItems;
    this.seal = plan.seal;
    this.resumed = start !== undefined;
    this.limit = limit?.value;
    this.resumeBase = this.baseWithoutTokens;
    if (start === undefined) {
      this.tokens = Object.fromEntries(paginator.inputTokens.map((name) => [name, null]));
      this.startingTruncation = 0;
    } else {
      if (!start.ok) throw start.error;
      this.tokens = { ...start.tokens };
      this.startingTruncation = start.truncate;
      this.startingLimit = start.limit;
      // The page was cut at this page size: asking for a smaller one would skip the delivered items off a shorter page and repeat the rest.
      if (start.limit !== undefined && paginator.limitKey !== undefined) {
        this.resumeBase = { ...this.baseWithoutTokens, [paginator.limitKey]: start.limit };
      }
      this.cycles.see(this.tokens);
    }
  }

  /** The input of the next request: the caller's input, the limit and the current tokens. */
  request(): I {
    // Like botocore, the first request is the caller's input as given, unless a starting token replaces its tokens.
    if (!this.sent && !this.resumed) {
      this.sent = true;
      return this.copy(this.base) as I;
    }
    const request = this.copy(this.sent ? this.baseWithoutTokens : this.resumeBase);
    this.sent = true;
    for (const name of this.paginator.inputTokens) {
      const token = this.tokens[name];
      // botocore leaves out a token of None or 'None' instead of sending it.
      if (token !== null && token !== undefined && token !== 'None') request[name] = token;
    }
    return request as I;
  }

  /**
   * A fresh request from a base. `Object.assign` into a new object, not a spread: V8 takes a slow path
   * (about 1 µs) when members are added to a spread copy. Only an own `__proto__` member (from `JSON.parse`)
   * needs the spread: assigning it would set the copy's prototype instead.
   */
  private copy(base: Record<string, unknown>): Record<string, unknown> {
    return this.protoMember ? { ...base } : Object.assign({}, base);
  }

  /** Takes the response to the last `request()` and says what follows. */
  accept(output: O): PageStep<O> {
    let page = output;
    let startingTruncation = 0;
    let limit = this.limit;
    if (this.first) {
      this.first = false;
      if (this.resumed) {
        startingTruncation = this.startingTruncation;
        limit = this.startingLimit ?? limit;
        page = this.skipDelivered(page, startingTruncation);
      }
    }
    const primary = this.paginator.resultKeys[0];
    const results = primary?.search(page);
    const count = Array.isArray(results) || typeof results === 'string' ? results.length : 0;
    const { maxItems } = this;
    const excess = maxItems === undefined ? 0 : this.total + count - maxItems;
    if (excess > 0) {
      const keep = count - excess;
      page = withValueAt(page, primary!.path, (results as unknown[] | string).slice(0, keep)) as O;
      // The token records the page size it was cut at, so that a resume with another pageSize skips exactly what was delivered.
      const { limitKey } = this.paginator;
      const sized = limit !== undefined && limitKey !== undefined ? { [limitKey]: limit } : undefined;
      return {
        page,
        resumePoint: { ...this.tokens, ...sized, boto_truncate_amount: keep + startingTruncation },
        then: 'complete',
      };
    }
    this.total += count;
    const next = this.nextTokens(page);
    if (next === undefined) return { page, then: 'complete' };
    if (maxItems !== undefined && this.total === maxItems) return { page, resumePoint: next, then: 'complete' };
    const distance = this.cycles.see(next);
    // The token just sent came back: for such services that is the end, and the token resumes there later.
    if (distance === 1 && this.paginator.stopOnSameToken) return { page, resumePoint: next, then: 'complete' };
    if (distance > 0) {
      const shown = canonicalJson(next); // as the detector spelled it: JSON.stringify throws on a BigInt
      const message =
        distance === 1
          ? `The same next token was received twice: ${shown}`
          : `The service returned a token it had returned ${distance} pages earlier, so pagination would loop: ${shown}`;
      // The page was delivered and the service named where to go next, even if that is a loop: say so.
      const token = encodeResumeToken(next);
      return { page, resumePoint: next, then: new PaginationError(message, this.seal ? this.seal(token) : token) };
    }
    this.tokens = next;
    return { page, resumePoint: next, then: 'next' };
  }

  /** The next tokens, or undefined when pagination is over (all absent, or `more_results` false). */
  private nextTokens(page: O): Tokens | undefined {
    const { moreResults, outputTokens, inputTokens } = this.paginator;
    if (moreResults && !isTruthy(moreResults.search(page))) return undefined;
    const next: Tokens = {};
    let any = false;
    outputTokens.forEach((expression, i) => {
      const token = expression.search(page);
      // botocore treats every falsy token ('', 0, {}, ...) as absent.
      next[inputTokens[i]!] = isTruthy(token) ? token : null;
      any ||= isTruthy(token);
    });
    return any ? next : undefined;
  }

  /** Resuming mid-page: drop what was delivered before, and blank the secondary keys as botocore does. */
  private skipDelivered(page: O, skip: number): O {
    const [primary, ...secondary] = this.paginator.resultKeys;
    if (!primary) return page;
    const all = primary.search(page);
    let copy = withValueAt(page, primary.path, Array.isArray(all) || typeof all === 'string' ? all.slice(skip) : null);
    for (const key of secondary) {
      const sample = key.search(copy);
      const blank = Array.isArray(sample)
        ? []
        : typeof sample === 'string'
          ? ''
          : typeof sample === 'number' || typeof sample === 'boolean'
            ? sample
            : null;
      copy = withValueAt(copy, key.path, blank);
    }
    return copy as O;
  }
}

import type { CompiledPaginator } from '../../specs/compilePaginator';
import { withValueAt } from '../../specs/dottedPath';
import { isTruthy } from '../../specs/pythonSemantics';
import type { ResumePoint } from '../../tokens/resumeToken';
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
  /** The first request: the caller's input as given (like botocore), or, resuming, without its token members. */
  private readonly first: Record<string, unknown>;
  /** Every later request: the input without its token members, the current tokens added to a copy. */
  private readonly base: Record<string, unknown>;
  /** The page size of every request but a resumed first one, written into a token that cuts a page. */
  private readonly limit: number | string | undefined;
  private tokens: Tokens;
  private readonly cycles = new TokenCycleDetector();
  private readonly maxItems: number | undefined;
  /** Whether the next page is the first one of a resumed pagination: then its delivered items are skipped. */
  private resuming: boolean;
  /** Items of the first page delivered before a resume. */
  private readonly skip: number;
  /** The page size the starting token records, if it cuts a page: the first request asks for it again. */
  private readonly startingLimit: number | string | undefined;
  /** A member named `__proto__` is sent: copies must define members, not assign them (which would set a prototype). */
  private readonly protoMember: boolean;
  /** Whether a starting token was given: its tokens replace the input's. */
  private readonly resumed: boolean;
  /** Whether the tokens moved on from where the pagination started. */
  private moved = false;
  private total = 0;

  /** @throws the plan's starting-token error, if its token could not be opened or decoded. */
  constructor(
    private readonly paginator: CompiledPaginator<I, O>,
    plan: PagePlan<I>,
  ) {
    const { limit, start } = plan;
    const input = { ...(plan.input as Record<string, unknown>) };
    if (limit !== undefined) input[limit.key] = limit.value;
    this.protoMember = Object.hasOwn(input, '__proto__') || paginator.inputTokens.includes('__proto__');
    this.base = { ...input };
    for (const name of paginator.inputTokens) delete this.base[name];
    this.maxItems = plan.maxItems;
    this.limit = limit?.value;
    // Like botocore, tokens start as None: a page cut before any token came resumes from the start.
    this.tokens = Object.fromEntries(paginator.inputTokens.map((name) => [name, null]));
    this.resumed = this.resuming = start !== undefined;
    this.skip = 0;
    this.first = input;
    if (start === undefined) return;
    if (!start.ok) throw start.error;
    this.tokens = { ...start.tokens };
    this.skip = start.truncate;
    this.startingLimit = start.limit;
    // The page was cut at this page size: asking for a smaller one would skip the delivered items off a shorter page and repeat the rest.
    const { limitKey } = paginator;
    this.first = start.limit !== undefined && limitKey !== undefined ? { ...this.base, [limitKey]: start.limit } : this.base;
    this.cycles.see(this.tokens);
  }

  /** The input of the next request (or of a retry): the caller's input, the limit and the current tokens. */
  request(): I {
    const from = this.moved ? this.base : this.first;
    // Object.assign, not a spread: in Node 20 a spread copy that then gains a member takes 20 times as long (2 µs).
    const request = this.protoMember ? { ...from } : Object.assign({}, from);
    // Like botocore, the first request is the caller's input as given, unless a starting token replaces its tokens.
    if (from === this.first && !this.resumed) return request as I;
    for (const name of this.paginator.inputTokens) {
      const token = this.tokens[name];
      // botocore leaves out a token of None or 'None' instead of sending it.
      if (token === null || token === undefined || token === 'None') continue;
      if (this.protoMember)
        Object.defineProperty(request, name, { value: token, enumerable: true, writable: true, configurable: true });
      else request[name] = token;
    }
    return request as I;
  }

  /** Takes the response to the last `request()` and says what follows. */
  accept(output: O): PageStep<O> {
    let page = output;
    let limit = this.limit;
    let skipped = 0;
    if (this.resuming) {
      this.resuming = false;
      skipped = this.skip;
      limit = this.startingLimit ?? limit;
      page = this.skipDelivered(page, skipped);
    }
    const { maxItems } = this;
    if (maxItems !== undefined) {
      const primary = this.paginator.resultKeys[0]!;
      const results = primary.search(page);
      const count = Array.isArray(results) || typeof results === 'string' ? results.length : 0;
      const keep = maxItems - this.total;
      if (count > keep) {
        page = withValueAt(page, primary.path, (results as unknown[] | string).slice(0, keep)) as O;
        // The token records the page size it was cut at, so that a resume with another pageSize skips exactly what was delivered.
        const { limitKey } = this.paginator;
        const sized = limit !== undefined && limitKey !== undefined ? { [limitKey]: limit } : undefined;
        return { page, resumePoint: { ...this.tokens, ...sized, boto_truncate_amount: keep + skipped }, then: 'complete' };
      }
      this.total += count;
    }
    const next = this.nextTokens(page);
    if (next === undefined) return { page, then: 'complete' };
    if (this.total === maxItems) return { page, resumePoint: next, then: 'complete' };
    const distance = this.cycles.see(next);
    if (distance === 0) {
      this.tokens = next;
      this.moved = true;
      return { page, resumePoint: next, then: 'next' };
    }
    // The token just sent came back: for such services that is the end, and the token resumes there later.
    if (distance === 1 && this.paginator.stopOnSameToken) return { page, resumePoint: next, then: 'complete' };
    const shown = canonicalJson(next, 'The next token'); // JSON.stringify throws on a BigInt
    const message =
      distance === 1
        ? `The same next token was received twice: ${shown}`
        : `The service returned a token it had returned ${distance} pages earlier, so pagination would loop: ${shown}`;
    // The page was delivered and the service named where to go next, even if that is a loop: its resume point says so.
    return { page, resumePoint: next, then: new PaginationError(message) };
  }

  /** The next tokens, or undefined when pagination is over (all absent, or `more_results` false). */
  private nextTokens(page: O): Tokens | undefined {
    const { moreResults, outputTokens, inputTokens } = this.paginator;
    if (moreResults && !isTruthy(moreResults.search(page))) return undefined;
    const next: Tokens = {};
    let any = false;
    for (let i = 0; i < outputTokens.length; i++) {
      const token = outputTokens[i]!.search(page);
      // botocore treats every falsy token ('', 0, {}, ...) as absent.
      const present = isTruthy(token);
      next[inputTokens[i]!] = present ? token : null;
      any ||= present;
    }
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

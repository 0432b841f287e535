import { canonicalJson } from '../../tokens/canonicalJson';

/** Tokens seen exactly, at least this many: a cycle this short is caught before any page repeats. */
const RECENT_TOKENS = 1024;

/**
 * Notices when a service's continuation tokens go round in a cycle.
 *
 * botocore only catches the same token twice in a row, and SDK v3 compares
 * tokens with `!==`, so a DynamoDB `LastEvaluatedKey` (an object) never
 * compares equal. Here tokens compare by value. The last {@link RECENT_TOKENS}
 * to twice that are remembered exactly (two generations of a Set: no deletes
 * on the hot path); longer cycles are caught by Brent's algorithm, which
 * needs one remembered token, so memory stays flat over millions of pages.
 * @internal
 */
export class TokenCycleDetector {
  private current = new Map<string, number>();
  private previous = new Map<string, number>();
  private checkpoint: string | undefined;
  private power = 1;
  private sinceCheckpoint = 0;
  private count = 0;

  /** Records `tokens`; returns how many tokens ago it was seen, or 0 when it is new. */
  see(tokens: Readonly<Record<string, unknown>>): number {
    const key = tokenKey(tokens);
    this.count++;
    const seenAt = this.current.get(key) ?? this.previous.get(key);
    if (seenAt !== undefined) return this.count - seenAt;
    if (key === this.checkpoint) return this.sinceCheckpoint + 1;
    if (this.current.size === RECENT_TOKENS) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, this.count);
    if (++this.sinceCheckpoint === this.power) {
      this.checkpoint = key;
      this.power *= 2;
      this.sinceCheckpoint = 0;
    }
    return 0;
  }
}

/** A key equal for equal tokens; a lone string token, the usual case, is its own key. */
function tokenKey(tokens: Readonly<Record<string, unknown>>): string {
  let only: unknown;
  let count = 0;
  for (const name in tokens) {
    only = tokens[name];
    if (++count > 1) break;
  }
  return count === 1 && typeof only === 'string' ? `"${only}` : canonicalJson(tokens);
}

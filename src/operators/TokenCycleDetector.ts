import { isPlainRecord } from '../specs/pythonSemantics';
import { bytesToBase64 } from '../specs/base64';

/** Tokens seen exactly: a cycle this short is caught before any page repeats. */
const RECENT_TOKENS = 1024;

/**
 * Notices when a service's continuation tokens go round in a cycle.
 *
 * botocore only catches the same token twice in a row, and SDK v3 compares
 * tokens with `!==`, so a DynamoDB `LastEvaluatedKey` (an object) never
 * compares equal. Here tokens compare by value. The last {@link RECENT_TOKENS}
 * are remembered exactly; longer cycles are caught by Brent's algorithm, which
 * needs one remembered token, so memory stays flat over millions of pages.
 * @internal
 */
export class TokenCycleDetector {
  private readonly recent = new Map<string, number>();
  private checkpoint: string | undefined;
  private power = 1;
  private sinceCheckpoint = 0;
  private count = 0;

  /** Records `tokens`; returns how many tokens ago it was seen, or 0 when it is new. */
  see(tokens: Readonly<Record<string, unknown>>): number {
    const key = tokenKey(tokens);
    this.count++;
    const seenAt = this.recent.get(key);
    if (seenAt !== undefined) return this.count - seenAt;
    if (key === this.checkpoint) return this.sinceCheckpoint + 1;
    this.recent.set(key, this.count);
    if (this.recent.size > RECENT_TOKENS) this.recent.delete(this.recent.keys().next().value!);
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

/** JSON with sorted keys and bytes spelled out, so equal tokens have equal keys. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Uint8Array) return `{"$bytes":"${bytesToBase64(value)}"}`;
  if (isPlainRecord(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

import { TokenBucket } from './TokenBucket';

/** How much the estimate of a read's cost follows the latest answer (an exponential moving average). */
const FOLLOW = 0.5;

/**
 * The read capacity one DynamoDB table may use, in units a second. What a
 * read costs is known only from its answer (`ConsumedCapacity`), so each read
 * reserves what reads have been costing and the difference is settled when
 * its answer comes: the balance may go into debt, which later reads wait out.
 * Until the first answer says what a read costs, one read goes at a time.
 * @example
 * ```ts
 * const budget = new ReadBudget(50, clock.now()); // half of a 100-unit table
 * if (budget.delay(clock.now()) === 0) {
 *   const reserved = budget.reserve();
 *   // ... on the answer:
 *   budget.settle(reserved, consumedUnits(output));
 * }
 * ```
 * @internal
 */
export class ReadBudget {
  private readonly bucket: TokenBucket;
  /** Units a read has been costing; undefined until an answer said. */
  private estimate: number | undefined;
  private inFlight = 0;
  /** Units consumed so far, as answers said. */
  consumed = 0;
  /** Called when the budget may let a waiting read go: a read's answer came. */
  readonly listeners = new Set<() => void>();

  constructor(
    readonly unitsPerSecond: number,
    now: number,
  ) {
    // A second's worth may go at once, as DynamoDB's own burst capacity allows at least that.
    this.bucket = new TokenBucket(unitsPerSecond, unitsPerSecond, now);
  }

  /** Milliseconds before the next read may go; Infinity while it waits for the first answer. */
  delay(now: number): number {
    if (this.estimate === undefined) return this.inFlight > 0 ? Infinity : 0;
    return this.bucket.delay(this.estimate, now);
  }

  /** A read goes: what it is assumed to cost is taken now. */
  reserve(): number {
    const reserved = this.estimate ?? 0;
    this.bucket.take(reserved);
    this.inFlight++;
    return reserved;
  }

  /** The read's answer: what it consumed (undefined when it says nothing, as a throttled read does: nothing is charged). */
  settle(reserved: number, consumed: number | undefined): void {
    this.inFlight--;
    this.bucket.take((consumed ?? 0) - reserved);
    if (consumed !== undefined) {
      this.consumed += consumed;
      this.estimate = this.estimate === undefined ? consumed : this.estimate + FOLLOW * (consumed - this.estimate);
    }
    this.answered();
  }

  /** The read was aborted before its answer: what it consumed is not known, so what it reserved stays spent. */
  abandon(): void {
    this.inFlight--;
    this.answered();
  }

  private answered(): void {
    for (const listener of this.listeners) listener();
  }
}

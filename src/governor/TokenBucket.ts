/**
 * A token bucket in milliseconds: `rate` tokens a second flow in up to
 * `capacity`; a request takes its cost. The balance may go below zero (a
 * debt, when a cost is known only after the answer, as DynamoDB's consumed
 * capacity is), and is paid back by waiting. An infinite rate never waits.
 * @example
 * ```ts
 * const bucket = new TokenBucket(10, 1, clock.now()); // 10 a second, no burst
 * if (bucket.delay(1, clock.now()) === 0) bucket.take(1);
 * ```
 * @internal
 */
export class TokenBucket {
  private tokens: number;

  constructor(
    private rate: number,
    private capacity: number,
    private updated: number,
  ) {
    this.tokens = capacity;
  }

  /** Milliseconds until `cost` tokens are in the bucket (0: now); a cost above the capacity waits for a full bucket. */
  delay(cost: number, now: number): number {
    this.refill(now);
    const wanted = Math.min(cost, this.capacity);
    if (this.tokens >= wanted) return 0;
    if (this.rate === Infinity) return 0;
    if (this.rate <= 0) return Infinity;
    return ((wanted - this.tokens) / this.rate) * 1000;
  }

  /** Takes (or, negative, gives back) tokens; the balance may go below zero. */
  take(cost: number): void {
    if (this.rate !== Infinity) this.tokens = Math.min(this.capacity, this.tokens - cost);
  }

  /** A new rate and capacity from `now` on; the tokens earned so far are kept, up to the new capacity. */
  reset(rate: number, capacity: number, now: number): void {
    this.refill(now);
    if (this.rate === Infinity) this.tokens = capacity;
    this.rate = rate;
    this.capacity = capacity;
    this.tokens = Math.min(this.tokens, capacity);
  }

  private refill(now: number): void {
    const elapsed = now - this.updated;
    this.updated = now;
    if (elapsed > 0 && this.rate !== Infinity) this.tokens = Math.min(this.capacity, this.tokens + (elapsed / 1000) * this.rate);
  }
}

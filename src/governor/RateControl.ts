/** Requests a second a lane with no `rate` starts at, before it knows better. */
const START = 10;
/** Answers it takes to double the rate: from the start until the first throttle, and back up after a steep decrease. */
const DOUBLING = 16;
/** The multiplicative decrease: the rate after a throttle, as a share of the rate that was throttled. */
const DECREASE = 0.9;
/** The decrease when the rate was far off: the first throttle, or one soon after the last decrease. */
const STEEP_DECREASE = 0.5;
/** Successful answers since the last decrease below which a throttle says that decrease was not enough. */
const SOON = 3;
/** Successful answers it takes the additive increase to gain back what a decrease took. */
const CLIMB = 300;
/** The least rate a lane slows down to, in requests a second: one request every 20 s. */
const FLOOR = 0.05;

/**
 * The rate one lane may send at, in requests a second: additive increase,
 * multiplicative decrease, counted in answers rather than seconds, so that
 * it behaves alike at 1 and at 1,000 requests a second.
 *
 * - A lane with a `rate` starts at it, and never goes above it; one without
 *   starts at 10 and doubles every 16 answers (TCP's slow start), so that a
 *   burst of requests finds the service's limit without overshooting it by
 *   much.
 * - A throttle takes the rate to 0.9 of the rate that was throttled, or to
 *   half of it when the rate was far off (the first throttle, or one within
 *   3 answers of the last decrease); only requests sent after the last
 *   decrease can cause the next one.
 * - Then the rate doubles back (every 16 answers) up to 0.9 of the throttled
 *   rate, and climbs on by 1/300 of the gap a decrease takes per answer:
 *   ~300 answers to get back to where it was throttled, and as slowly beyond.
 *
 * So a throttle costs one request in several hundred once the limit is
 * found, and the rate stays within a tenth of the one the service allows.
 * It grows only from answers of requests it held back: a lane that sends
 * less than it may has nothing to learn.
 * @example
 * ```ts
 * const control = new RateControl(Infinity);
 * control.throttled(120); // sending 120 a second was too much: 60 now
 * control.succeeded(true); // a little more
 * ```
 * @internal
 */
export class RateControl {
  private current: number;
  /** 0.9 of the rate last throttled: the doubling back stops there. Undefined before the first throttle. */
  private level: number | undefined;
  private successes = 0;

  constructor(readonly ceiling: number) {
    this.current = ceiling === Infinity ? START : ceiling;
  }

  /** Requests a second allowed now. */
  get rate(): number {
    return this.current;
  }

  /** A throttle of a request sent after the last decrease, while `sending` requests a second went out. */
  throttled(sending: number): void {
    const was = Math.max(FLOOR, Math.min(this.current, sending));
    const first = this.level === undefined;
    const soon = !first && this.successes < SOON;
    this.successes = 0;
    // A throttle soon after a decrease may be the service's bucket still empty from before it: the rate
    // halves again, but where the doubling back stops is not lowered on that evidence alone.
    if (!soon) this.level = Math.max(FLOOR, was * DECREASE);
    this.current = Math.max(FLOOR, first || soon ? was * STEEP_DECREASE : this.level!);
  }

  /** A successful answer; `held` when its request (or another) was held back by the rate. */
  succeeded(held: boolean): void {
    this.successes++;
    if (!held) return;
    const doubling = this.level === undefined || this.current < this.level;
    const next = doubling
      ? Math.min(this.level ?? Infinity, this.current * 2 ** (1 / DOUBLING))
      : this.current + ((1 - DECREASE) * this.level!) / CLIMB;
    this.current = Math.min(this.ceiling, next);
  }
}

/** The window the sending rate is measured over, in milliseconds. */
const WINDOW_MS = 1000;
/** The shortest span a rate is measured over: a handful of requests sent at once are not a rate of thousands. */
const SHORTEST_SPAN_MS = 50;

/**
 * The rate requests are sent at, measured over the last second.
 * @example
 * ```ts
 * const sent = new SendRate();
 * sent.record(clock.now());
 * sent.perSecond(clock.now());
 * ```
 * @internal
 */
export class SendRate {
  private readonly times: number[] = [];
  private first: number | undefined;

  record(now: number): void {
    this.first ??= now;
    this.times.push(now);
    // Dropped in bulk, not one shift per request.
    if (this.times.length > 64 && this.times[32]! <= now - WINDOW_MS) this.times.splice(0, 32);
  }

  perSecond(now: number): number {
    if (this.first === undefined) return 0;
    const since = now - WINDOW_MS;
    let count = 0;
    for (let i = this.times.length - 1; i >= 0 && this.times[i]! > since; i--) count++;
    const span = Math.max(SHORTEST_SPAN_MS, Math.min(WINDOW_MS, now - this.first));
    return (count * 1000) / span;
  }
}

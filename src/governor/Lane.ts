import type { GovernorScheduler } from './GovernorScheduler';
import { attemptsOf, isThrottling } from './isThrottling';
import { RateControl, SendRate } from './RateControl';
import type { ReadBudget } from './ReadBudget';
import { TokenBucket } from './TokenBucket';

/** Seconds of the current rate that may go at once after a pause (at least one request). */
const BURST_SECONDS = 0.1;

/**
 * What a request is allowed to send, and where its answer is reported.
 * @internal
 */
export interface Permit {
  /** Seconds the request waited for it. */
  readonly queued: number;
  /** The answer: whether it was a throttle (the request may then ask again). */
  settle(answer: Answer): boolean;
  /** The request was cancelled before its answer: nothing is learnt from it. */
  abandon(): void;
}

/** A request's answer, as the governor judges it. @internal */
export type Answer = { readonly ok: true; readonly output: unknown } | { readonly ok: false; readonly error: unknown };

/** How a read's capacity is accounted, when the lane reads a DynamoDB table under a budget. @internal */
export interface Reading {
  readonly budget: ReadBudget;
  /** Units consumed, read from the answer (which it may clean of what the governor asked for). */
  consumed(output: unknown): number | undefined;
}

interface Waiter {
  readonly since: number;
  /** Whether it could not go at once: the rate held it back. */
  held: boolean;
  readonly reading: Reading | undefined;
  readonly grant: (permit: Permit) => void;
}

/**
 * One service operation's requests (`DynamoDB.Scan`): a token bucket at the
 * rate {@link RateControl} allows, and the requests waiting for it, served in
 * order, with one timer at most, for the first of them. A request waits for
 * its table's read budget too, when it has one.
 * @example
 * ```ts
 * const lane = new Lane('SSM.GetParametersByPath', 5, scheduler);
 * const cancel = lane.acquire(undefined, (permit) => send().then((output) => permit.settle({ ok: true, output })));
 * ```
 * @internal
 */
export class Lane {
  private readonly control: RateControl;
  private readonly bucket: TokenBucket;
  private readonly sendRate = new SendRate();
  private readonly queue: Waiter[] = [];
  private timer: { unsubscribe(): void } | undefined;
  private rate: number;
  /** Counts the decreases: a throttle of a request sent before the last one is no news. */
  private epoch = 0;
  private pumping = false;
  private again = false;
  /** Requests sent, the SDK's own retries included. */
  sent = 0;
  /** Throttled answers, and answers the SDK retried out of sight. */
  throttled = 0;

  constructor(
    readonly name: string,
    ceiling: number,
    private readonly scheduler: GovernorScheduler,
  ) {
    this.control = new RateControl(ceiling);
    this.rate = ceiling;
    this.bucket = new TokenBucket(ceiling, capacityAt(ceiling), scheduler.now());
  }

  /** Requests waiting now. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Requests a second allowed now. */
  currentRate(): number {
    return this.control.rate;
  }

  /**
   * Waits for the request's turn, then calls `grant` (at once, if it is free to go).
   * @returns what cancels the wait: the request leaves the queue, and a timer no one waits for is cleared.
   */
  acquire(reading: Reading | undefined, grant: (permit: Permit) => void): () => void {
    const waiter: Waiter = { since: this.scheduler.now(), held: false, reading, grant };
    this.queue.push(waiter);
    // The lane and the budget live as long as the governor: registered once, never removed.
    reading?.budget.listeners.add(this.wake);
    this.pump();
    if (this.queue.includes(waiter)) waiter.held = true;
    return () => {
      const at = this.queue.indexOf(waiter);
      if (at < 0) return;
      this.queue.splice(at, 1);
      if (at === 0) this.pump();
    };
  }

  private readonly wake = () => this.pump();

  private pump(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        this.timer?.unsubscribe();
        this.timer = undefined;
        this.serve();
      } while (this.again);
    } finally {
      this.pumping = false;
    }
  }

  /** Lets go every request the bucket (and its budget) allows now, then sets a timer for the next one. */
  private serve(): void {
    for (let head = this.queue[0]; head !== undefined; head = this.queue[0]) {
      const now = this.scheduler.now();
      const { rate } = this.control;
      if (rate !== this.rate) {
        this.rate = rate;
        this.bucket.reset(rate, capacityAt(rate), now);
      }
      const wait = Math.max(this.bucket.delay(1, now), head.reading?.budget.delay(now) ?? 0);
      if (wait > 0) {
        // Waiting for the budget's first answer needs no timer: the answer wakes the lane.
        if (wait !== Infinity) this.timer = this.scheduler.schedule(this.wake, Math.ceil(wait));
        return;
      }
      this.queue.shift();
      this.bucket.take(1);
      this.sendRate.record(now);
      this.sent++;
      head.grant(this.permit(head, now));
    }
  }

  private permit(waiter: Waiter, now: number): Permit {
    const { reading } = waiter;
    const { epoch } = this;
    const { held } = waiter;
    const reserved = reading?.budget.reserve() ?? 0;
    let settled = false;
    return {
      queued: (now - waiter.since) / 1000,
      settle: (answer) => {
        if (settled) return false;
        settled = true;
        const at = this.scheduler.now();
        const extra = attemptsOf(answer.ok ? answer.output : answer.error) - 1;
        // The SDK's own retries went out without asking: they are paid for now, and taken as a sign of throttling.
        this.bucket.take(extra);
        this.sent += extra;
        const throttled = !answer.ok && isThrottling(answer.error);
        if (throttled || extra > 0) {
          this.throttled++;
          if (epoch === this.epoch) {
            this.epoch++;
            this.control.throttled(this.sendRate.perSecond(at));
          }
        } else if (answer.ok) this.control.succeeded(held || this.queue.length > 0);
        reading?.budget.settle(reserved, answer.ok ? reading.consumed(answer.output) : undefined);
        this.pump();
        return throttled;
      },
      abandon: () => {
        if (settled) return;
        settled = true;
        reading?.budget.abandon();
        this.pump();
      },
    };
  }
}

/** The bucket's size at `rate`: a tenth of a second's requests, at least one. */
function capacityAt(rate: number): number {
  return Math.max(1, rate * BURST_SECONDS);
}

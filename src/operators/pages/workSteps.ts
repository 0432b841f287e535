import { from, Observable, Subject, Subscription, type ObservableInput } from 'rxjs';
import type { CompiledPaginator } from '../../specs/compilePaginator';
import { endingError, rememberResumePoint, resumeTokenOf } from '../../tokens/resumeTokenOf';
import { encodeWorkCheckpoint } from '../../tokens/workCheckpoint';
import { scheduleAfter } from '../scheduleAfter';
import type { Send } from '../../transport/Send';
import { pages } from '../paginate/pageSteps';
import type { WorkContext, WorkPlan } from './ProcessPagesOptions';
import { UnitTokens, type HeldPage } from './UnitTokens';

/**
 * A unit of work, as the work is told of it: its number and, when asked for,
 * its key (the same a checkpoint names it by). What it refers to is private:
 * the work sees `index` and `idempotencyKey` only.
 */
class Unit<U> implements WorkContext {
  readonly #page: HeldPage<U>;
  readonly #offset: number;
  readonly #tokens: Pick<UnitTokens<unknown>, 'keyOf'>;
  #key: string | undefined;

  constructor(
    readonly index: number,
    page: HeldPage<U>,
    offset: number,
    tokens: Pick<UnitTokens<unknown>, 'keyOf'>,
    key?: string,
  ) {
    this.#page = page;
    this.#offset = offset;
    this.#tokens = tokens;
    this.#key = key;
  }

  get idempotencyKey(): string {
    return (this.#key ??= this.#tokens.keyOf(this.#page, this.#offset));
  }
}

/** Where an error came from: the reads' own errors already carry this run's inner pagination's claim. */
type Failure = { readonly error: unknown; readonly fromReads: boolean };

/**
 * A page the run holds. Its end token is read from the page when first asked
 * for, and its start is the end of the page before it, which it refers to
 * only until the watermark passes it: a run keeps no chain of passed pages.
 */
class PageRecord<O, U> implements HeldPage<U> {
  private page: O | undefined;
  private endToken: string | undefined;
  private endRead = false;

  constructor(
    page: O,
    readonly units: readonly U[],
    readonly firstSeq: number,
    readonly first: boolean,
    private before: PageRecord<O, U> | string | undefined,
  ) {
    this.page = page;
  }

  start(): string | undefined {
    return typeof this.before === 'object' ? this.before.end() : this.before;
  }

  end(): string | undefined {
    if (!this.endRead) {
      this.endToken = resumeTokenOf(this.page);
      this.endRead = true;
      this.page = undefined;
    }
    return this.endToken;
  }

  /** Passed by the watermark: its start is not asked for again. */
  passed(): void {
    this.before = undefined;
  }
}

/**
 * The engine of `processPages` and `processItems`: `work` runs on each unit
 * (a page, or an item of a page), `concurrency` at a time, and pages are read
 * only while the pages held, from the one with the oldest unit not done, are
 * fewer than `limit`, however long that unit's work takes.
 *
 * Where the run stands is a watermark (every unit before it done) and the
 * units done past it, known by their keys: the checkpoint. A run started
 * from one skips the units its keys name. An error stops the reads and the
 * starts, waits up to `maxDrainTime` for the work in flight, and ends the
 * stream with the checkpoint as its resume point.
 *
 * One request is asked for at a time, and every step runs in one loop, so
 * neither a large `concurrency` nor synchronous pages and work cost stack or
 * a loop of their own.
 * @internal
 */
export function workSteps<I, O, U, R>(
  paginator: CompiledPaginator<I, O>,
  send: Send<I, O>,
  plan: WorkPlan<I>,
  unitsOf: (page: O) => readonly U[],
  work: (unit: U, context: WorkContext) => ObservableInput<R>,
): Observable<R> {
  const { concurrency, onCheckpoint, start } = plan;
  const limit = plan.unit === 'pages' ? concurrency + plan.prefetch : 1 + plan.prefetch;
  return new Observable<R>((subscriber) => {
    if (start && 'failed' in start) return subscriber.error(start.failed);
    if (start && 'finished' in start) return subscriber.complete();
    const tokens = new UnitTokens(paginator, plan.pages.input, plan);
    const teardown = new Subscription();

    // Pages from the one holding the watermark on; `wSeq` is the first unit not done.
    const held: PageRecord<O, U>[] = [];
    let wSeq = 0;
    let nextSeq = 0;
    let startSeq = 0;
    const doneAhead = new Map<number, Unit<U>>();
    // The last page the watermark passed, or the run's starting token before it passed one.
    let lastPassed: PageRecord<O, U> | string | undefined = plan.startToken;
    const passedEnd = () => (typeof lastPassed === 'object' ? lastPassed.end() : lastPassed);
    let newest: PageRecord<O, U> | string | undefined = plan.startToken;
    // Keys of units a checkpoint says were done, looked for among the first `within` units read.
    const pending = new Set(start && 'done' in start ? start.done : []);
    const within = start && 'done' in start ? start.within : 0;

    const works = new Map<number, Subscription>();
    let running = 0;
    const demand = new Subject<void>();
    let asked = false;
    let readsEnded = false;
    let failure: Failure | undefined;
    let drainTimer: Subscription | undefined;
    let saving: Subscription | undefined;
    let checkpointDue = false;
    let checkpointFailed = false;
    let pumping = false;
    let again = false;

    const pageOf = (seq: number): HeldPage<U> => {
      let low = 0;
      let high = held.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (held[middle]!.firstSeq <= seq) low = middle;
        else high = middle - 1;
      }
      return held[low]!;
    };

    /** Moves the watermark over the units done in order, and lets go of the pages it passed. */
    const advance = () => {
      while (doneAhead.delete(wSeq)) wSeq++;
      while (held.length > 0 && wSeq >= held[0]!.firstSeq + held[0]!.units.length) {
        const page = held.shift()!;
        page.passed();
        lastPassed = page;
      }
    };

    const markDone = (seq: number, unit: Unit<U>) => {
      if (seq !== wSeq) return void doneAhead.set(seq, unit);
      wSeq++;
      advance();
    };

    /** Nothing follows the last page the watermark passed. */
    const finished = () => typeof lastPassed === 'object' && lastPassed.end() === undefined;

    /** The token of the watermark alone: after the units done in order. */
    const watermark = (): string | undefined => {
      const page = held[0];
      return page && wSeq > page.firstSeq ? tokens.tokenInside(page, wSeq - page.firstSeq) : passedEnd();
    };

    const checkpoint = (): string | undefined => {
      if (finished()) return sealed(encodeWorkCheckpoint({ unit: plan.unit, finished: true }));
      const resume = watermark();
      if (doneAhead.size === 0 && pending.size === 0) return resume;
      const done = [...pending];
      let farthest = pending.size > 0 ? within - wSeq : 0;
      for (const [seq, unit] of doneAhead) {
        done.push(unit.idempotencyKey);
        farthest = Math.max(farthest, seq - wSeq + 1);
      }
      return sealed(encodeWorkCheckpoint({ unit: plan.unit, resume, done, within: farthest }));
    };
    const sealed = (token: string) => (plan.pages.seal ? plan.pages.seal(token) : token);

    /** The checkpoint to end with, never lost to a key or token that cannot be made: then an earlier one. */
    const finalCheckpoint = (): string | undefined => {
      for (const attempt of [checkpoint, watermark, passedEnd]) {
        try {
          return attempt();
        } catch {
          // a resumeAfter, or a page's token that cannot be written: fall back on less
        }
      }
      return plan.startToken;
    };

    const fail = (error: unknown, fromReads = false) => {
      if (failure) return;
      failure = { error, fromReads };
      reads.unsubscribe();
      pump();
    };

    const end = () => {
      drainTimer?.unsubscribe();
      const { error, fromReads } = failure!;
      const token = finalCheckpoint();
      // The reads' error is this run's own; any other may be shared (one Error thrown by two runs) or a primitive.
      if (fromReads) {
        rememberResumePoint(error, token);
        subscriber.error(error);
      } else subscriber.error(endingError(error, token));
    };

    const save = () => {
      checkpointDue = false;
      let result: ObservableInput<unknown> | void;
      try {
        result = onCheckpoint!(checkpoint()!);
        if (result === undefined) return;
        const saved = from(result);
        saving = new Subscription();
        const subscription = saved.subscribe({
          error: (error: unknown) => {
            saving = undefined;
            checkpointFailed = true;
            fail(error);
          },
          complete: () => {
            saving = undefined;
            pump();
          },
        });
        if (saving) saving.add(subscription);
      } catch (error) {
        saving = undefined;
        checkpointFailed = true;
        fail(error);
      }
    };

    const startWork = (seq: number) => {
      const page = pageOf(seq);
      const offset = seq - page.firstSeq;
      const unit = new Unit(seq, page, offset, tokens);
      let output: Observable<R>;
      try {
        // from() throws for what is not an ObservableInput: a failed work too.
        output = from(work(page.units[offset]!, unit));
      } catch (error) {
        return fail(error);
      }
      running++;
      let ended = false;
      const subscription = output.subscribe({
        next: (value) => subscriber.next(value),
        error: (error: unknown) => {
          ended = true;
          running--;
          works.delete(seq);
          if (failure) pump();
          else fail(error);
        },
        complete: () => {
          ended = true;
          running--;
          works.delete(seq);
          markDone(seq, unit);
          checkpointDue = onCheckpoint !== undefined;
          pump();
        },
      });
      if (!ended) works.set(seq, subscription);
    };

    const accept = (page: O) => {
      asked = false;
      const record = new PageRecord(page, unitsOf(page), nextSeq, typeof newest !== 'object', newest);
      if (nextSeq === 0 && record.units.length > 0) tokens.checkResumeAfter(record.units[0]);
      newest = record;
      held.push(record);
      nextSeq += record.units.length;
      if (pending.size > 0) {
        record.units.forEach((_, offset) => {
          const key = tokens.keyOf(record, offset);
          const seq = record.firstSeq + offset;
          if (pending.delete(key)) markDone(seq, new Unit(seq, record, offset, tokens, key));
        });
        // Past the units the checkpoint's keys were among: a key not met belongs to a page that changed.
        if (nextSeq >= within) pending.clear();
      }
      advance(); // a page without items is passed at once
    };

    const drain = () => {
      const stop = () => {
        for (const subscription of works.values()) subscription.unsubscribe();
        works.clear();
        running = 0;
        saving?.unsubscribe();
        saving = undefined;
        end();
      };
      if (plan.maxDrainTime === 0) stop();
      else drainTimer ??= scheduleAfter(plan.pages.scheduler, stop, plan.maxDrainTime * 1000);
    };

    const step = () => {
      if (failure) {
        // Work that ends while the stream drains is checkpointed too, in case the process dies before it ends.
        if (checkpointDue && !saving && !checkpointFailed) {
          again = true;
          return save();
        }
        return running > 0 || saving ? drain() : end();
      }
      // One thing a turn, the checkpoint first: each completed unit gets its own, before the next unit starts.
      again = true;
      if (checkpointDue && !saving) return save();
      while (startSeq < nextSeq && (startSeq < wSeq || doneAhead.has(startSeq))) startSeq++;
      if (running < concurrency && startSeq < nextSeq) return startWork(startSeq++);
      again = false;
      if (!asked && !readsEnded && held.length < limit) {
        asked = true;
        demand.next();
      } else if (readsEnded && running === 0 && startSeq >= nextSeq && !saving && !checkpointDue) {
        subscriber.complete();
      }
    };

    const pump = () => {
      if (pumping) {
        again = true;
        return;
      }
      pumping = true;
      do {
        again = false;
        if (subscriber.closed) break;
        step();
      } while (again);
      pumping = false;
    };

    // Made before the pagination is subscribed to: it may fail during the call (a starting token that does not fit).
    const reads = new Subscription();
    reads.add(
      pages(paginator, send, { ...plan.pages, demand, prefetch: 0 }).subscribe({
        next: (page) => {
          try {
            accept(page);
          } catch (error) {
            return fail(error);
          }
          pump();
        },
        error: (error: unknown) => {
          readsEnded = true;
          fail(error, true);
        },
        complete: () => {
          readsEnded = true;
          pump();
        },
      }),
    );
    teardown.add(reads);
    teardown.add(() => {
      for (const subscription of works.values()) subscription.unsubscribe();
      saving?.unsubscribe();
      drainTimer?.unsubscribe();
    });
    pump();
    return teardown;
  });
}

import { Observable } from 'rxjs';
import { SpecError } from '../../errors/SpecError';
import { governorCore, type GovernorCore, type LaneId } from '../../governor/Governor';
import { isThrottling } from '../../governor/isThrottling';
import { laneOf } from '../../governor/laneOf';
import type { Answer, Permit } from '../../governor/Lane';
import type { ProgressEvent, ProgressHook, ProgressPlace, RequestEvent } from '../../progress/ProgressEvent';
import type { Send } from '../../transport/Send';
import { PendingRequest, NO_RESPONSE } from '../../transport/PendingRequest';
import { callable } from '../../util/callable';
import { describeValue } from '../../util/describeValue';

/**
 * One subscription's view of its governor and progress hook: the `send` to
 * use, governed and reporting each request and answer, and what the engine
 * alone knows to report. Nothing here throws: an error of the progress hook
 * goes to the `fail` the run was started with.
 * @example
 * ```ts
 * const run = plan.instrumentation?.start(send, fail);
 * new Requests(run?.send ?? send, handlers).send(request);
 * run?.page(page); // delivered
 * ```
 * @internal
 */
export interface Run<I, O> {
  readonly send: Send<I, O>;
  /** A page was delivered. */
  page(page: O): void;
  /** The engine will send the failed request again after `delay` seconds: its `retry`-th retry. */
  retry(retry: number, delay: number, error: unknown): void;
  /** A wait sleeps `delay` seconds before its next attempt. */
  wait(delay: number): void;
}

/** What a pagination or a wait counts its requests in. @internal */
export type Counting = { readonly pages: (page: unknown) => number } | 'attempts';

/**
 * The `governor` and `progress` options of one pagination or wait, checked
 * once: what starts a {@link Run} on each subscription. Undefined when
 * neither is given: then the engine sends as it would without them.
 * @throws {SpecError} naming `options.governor` or `options.progress`.
 * @example
 * ```ts
 * const instrumentation = instrumentationOf(options.governor, options.progress, spec, 'attempts', plan.now);
 * ```
 * @internal
 */
export function instrumentationOf(
  governor: unknown,
  progress: unknown,
  spec: unknown,
  counting: Counting,
  now: () => number,
): Instrumentation | undefined {
  if (governor === undefined && progress === undefined) return undefined;
  return new Instrumentation(governorOption(governor), progressOption(progress), laneOf(spec), counting, now);
}

/**
 * The `governor` option, checked: a governor's working side, undefined when none is given.
 * @throws {SpecError} naming `options.governor` for anything `createGovernor()` did not make.
 * @internal
 */
export function governorOption(governor: unknown): GovernorCore | undefined {
  if (governor === undefined) return undefined;
  const core = governorCore(governor);
  if (core === undefined) {
    throw new SpecError('options.governor', `expected a governor from createGovernor(), got ${describeValue(governor)}`);
  }
  return core;
}

/**
 * The `progress` option, checked.
 * @throws {SpecError} naming `options.progress` for anything but a function.
 * @internal
 */
export function progressOption(progress: unknown): ProgressHook | undefined {
  return progress === undefined ? undefined : callable(progress as ProgressHook, 'options.progress');
}

/** @internal */
export class Instrumentation {
  constructor(
    private readonly core: GovernorCore | undefined,
    private readonly hook: ProgressHook | undefined,
    private readonly lane: LaneId,
    private readonly counting: Counting,
    private readonly now: () => number,
  ) {}

  /** A run for one subscription sending with `send`; errors of the progress hook go to `fail`. */
  start<I, O>(send: Send<I, O>, fail: (error: unknown) => void): Run<I, O> {
    const { core, hook, lane, counting, now } = this;
    const { service, operation } = lane;
    const pages = counting === 'attempts' ? undefined : counting.pages;
    // Pages answered and delivered, or attempts sent; tries of the page or attempt under way.
    let answered = 0;
    let delivered = 0;
    let attempts = 0;
    let tries = 0;
    const place = (): ProgressPlace => ({
      ...(service !== undefined && { service }),
      ...(operation !== undefined && { operation }),
      ...(pages ? { page: answered + 1 } : { attempt: attempts }),
    });
    const emit =
      hook === undefined
        ? () => {}
        : (event: ProgressEvent) => {
            try {
              hook(event);
            } catch (error) {
              fail(error);
            }
          };

    const governed: Send<I, O> = (input, context) => {
      if (!pages) {
        attempts++;
        tries = 0;
      }
      return new Observable<O>((subscriber) => {
        let throttles = 0;
        // Cancels the wait for the governor, or the request in flight.
        let cancel: (() => void) | undefined;

        const go = (permit: Permit | undefined, sent: I) => {
          const request: RequestEvent = { type: 'request', ...place(), retry: tries, queued: permit?.queued ?? 0, input: sent };
          emit(request);
          if (subscriber.closed) return permit?.abandon();
          const started = now();
          let settled = false;
          // Judged by the governor, if there is one, and reported; whether it was a throttle.
          const answer = (result: Answer): boolean => {
            settled = true;
            const throttled = permit ? permit.settle(result) : !result.ok && isThrottling(result.error);
            const latency = (now() - started) / 1000;
            emit({ type: 'response', ...place(), request, latency, throttled, ...(!result.ok && { error: result.error }) });
            return throttled;
          };
          const pending = new PendingRequest<O>({
            value: (output) => {
              answer({ ok: true, output });
              if (pages) {
                answered++;
                tries = 0;
              }
              subscriber.next(output);
              subscriber.complete();
            },
            error: (error) => {
              const throttled = answer({ ok: false, error });
              if (subscriber.closed) return;
              tries++;
              // A throttled request waits for its lane again, which the throttle has slowed down.
              if (core && throttled && throttles < core.retries) {
                throttles++;
                queue();
              } else subscriber.error(error);
            },
            // The engine fails a request that completed with no response; it is told as one that failed.
            empty: () => {
              answer({ ok: false, error: new Error(NO_RESPONSE) });
              subscriber.complete();
            },
          });
          cancel = () => {
            pending.cancel();
            if (settled) return;
            settled = true;
            permit?.abandon();
            emit({ type: 'response', ...place(), request, latency: (now() - started) / 1000, throttled: false, cancelled: true });
          };
          // The engine's context is this request's: its signal aborts whichever try is in flight.
          pending.send(send, sent, context);
        };

        const queue = () => {
          if (!core) return go(undefined, input);
          let granted = false;
          const leave = core.acquire(lane, input, (permit, sent) => {
            granted = true;
            cancel = undefined;
            go(permit, sent);
          });
          if (!granted) cancel = leave;
        };

        queue();
        return () => cancel?.();
      });
    };

    return {
      send: governed,
      page(page) {
        if (hook === undefined) return;
        delivered++;
        let items = 0;
        try {
          items = pages!(page);
        } catch {
          // A page whose result key cannot be read counts no items; the engine reports what is wrong with it.
        }
        emit({ type: 'page', ...place(), page: delivered, items });
      },
      retry(retry, delay, error) {
        emit({ type: 'retry', ...place(), retry, delay, error });
      },
      wait(delay) {
        emit({ type: 'wait', ...place(), attempt: attempts, delay });
      },
    };
  }
}

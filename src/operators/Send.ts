import type { ObservableInput } from 'rxjs';

/**
 * What `send` is given besides the request: the signal that aborts it.
 * @example
 * ```ts
 * const send: Send<ScanCommandInput, ScanCommandOutput> = (input, context: SendContext) =>
 *   client.send(new ScanCommand(input), { abortSignal: context.abortSignal });
 * ```
 */
export interface SendContext {
  /** Aborted when the subscriber unsubscribes or a deadline passes; hand it to the HTTP call. */
  readonly abortSignal: AbortSignal;
}

/**
 * Sends one request. Anything RxJS can subscribe to may come back: a Promise
 * (`client.send(command, context)`), an Observable, or a plain value via `of`.
 * The first value is the response; an error is the service error.
 *
 * @example
 * ```ts
 * const send: Send<ScanCommandInput, ScanCommandOutput> = (input, { abortSignal }) =>
 *   client.send(new ScanCommand(input), { abortSignal });
 * ```
 */
export type Send<I, O> = (input: I, context: SendContext) => ObservableInput<O>;

import type { ObservableInput } from 'rxjs';
import { isBound } from '../specs/bound';

/**
 * What `send` is given besides the request: the signal that aborts it.
 * @example
 * ```ts
 * const send: Send<ScanCommandInput, ScanCommandOutput> = (input, context: SendContext) =>
 *   client.send(new ScanCommand(input), { abortSignal: context.abortSignal });
 * ```
 */
export interface SendContext {
  /**
   * Aborted when the subscriber unsubscribes or a deadline passes; hand it to the HTTP call. The requests of
   * one pagination or wait after the first may share one signal while no abort listener is left on it (SDK v3
   * removes its own): it aborts only the request in flight, but a request that already answered and reads
   * `aborted` later may see the abort of a newer one.
   */
  readonly abortSignal: AbortSignal;
}

/**
 * Sends one request. Anything RxJS can subscribe to may come back: a Promise
 * (`client.send(command, context)`), an Observable, or a plain value via `of`.
 * The first value is the response, and the source is unsubscribed at once (a
 * synchronous Observable that would go on emitting is stopped there); an
 * error is the service error.
 *
 * @example
 * ```ts
 * const send: Send<ScanCommandInput, ScanCommandOutput> = (input, { abortSignal }) =>
 *   client.send(new ScanCommand(input), { abortSignal });
 * ```
 */
export type Send<I, O> = (input: I, context: SendContext) => ObservableInput<O>;

/**
 * An AWS SDK v3 client, or anything with its `send(command, { abortSignal })`.
 * @example
 * ```ts
 * const client: SdkClient = new DynamoDBClient({});
 * ```
 */
export interface SdkClient {
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/**
 * The `send` to use: the caller's function, or for a bound spec, its command
 * sent through the caller's client with the abort signal handed on.
 * @throws {TypeError} when the client is an SDK client of another service than the spec is bound to.
 * @internal
 */
export function resolveSend<I, O>(spec: object, sendOrClient: Send<I, O> | SdkClient): Send<I, O> {
  if (typeof sendOrClient === 'function') return sendOrClient;
  if (!isBound(spec))
    throw new TypeError('a client can only be given with a bound spec (such as dynamodb.Scan); pass a send function');
  const { command, service } = spec;
  const given = serviceIdOf(sendOrClient);
  if (service !== undefined && given !== undefined && given !== service.serviceId) {
    const name = sendOrClient.constructor?.name;
    throw new TypeError(
      `${command.name} is bound to ${service.serviceId} (${service.client} from ${service.package}), but the client given ` +
        `is for ${given}${name ? ` (${name})` : ''}`,
    );
  }
  return (input, context) => sendOrClient.send(new command(input), { abortSignal: context.abortSignal }) as Promise<O>;
}

/** An SDK v3 client's `config.serviceId` (`S3`); undefined for anything else with a `send`. */
function serviceIdOf(client: SdkClient): string | undefined {
  const config: unknown = (client as { config?: unknown }).config;
  if (typeof config !== 'object' || config === null) return undefined;
  const id: unknown = (config as { serviceId?: unknown }).serviceId;
  return typeof id === 'string' ? id : undefined;
}

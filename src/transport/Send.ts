import type { ObservableInput } from 'rxjs';
import { isBound, type CommandClass, type ServiceBinding } from '../specs/bound';
import { describeValue } from '../util/describeValue';

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
   * Aborted when the pagination or wait is cancelled (unsubscribed, its `abortSignal` option aborted, its
   * deadline passed); hand it to the HTTP call. Its requests go out one at a time and share the signal, as SDK
   * v3's paginators share the one they are given: its abort reaches the request in flight, and any listener an
   * earlier request of the same pagination left on it (SDK v3 removes its own once answered).
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
 * @throws {TypeError} when the second argument is neither, a function is given with a bound spec (`client.send`
 *   where the client itself is meant), a client with a plain spec, or an SDK client of another service than the spec
 *   is bound to: each message says what to give instead.
 * @internal
 */
export function resolveSend<I, O>(spec: object, sendOrClient: Send<I, O> | SdkClient): Send<I, O> {
  const bound = isBound(spec) ? spec : undefined;
  if (typeof sendOrClient === 'function') {
    if (bound === undefined) return sendOrClient;
    // client.send given for the client: the SDK would call it with a request, not a command, and fail inside.
    throw new TypeError(
      `${boundName(bound)} is sent through the SDK client itself (${clientName(bound)}), as in ` +
        `paginate(Scan, client, input) or waitFor(TableExists, client, input), not through client.send or another ` +
        `function; to send with a function of your own, give the bound spec's .spec instead`,
    );
  }
  if (!hasSend(sendOrClient)) {
    throw new TypeError(
      bound === undefined
        ? `expected a send function, (input, { abortSignal }) => response, got ${describeValue(sendOrClient)}`
        : `expected the SDK client (${clientName(bound)}) for ${boundName(bound)}, got ${describeValue(sendOrClient)}`,
    );
  }
  if (bound === undefined)
    throw new TypeError('a client can only be given with a bound spec (such as dynamodb.Scan); pass a send function');
  const { command, service } = bound;
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

type Bound = { readonly command: CommandClass<unknown>; readonly service?: ServiceBinding; readonly operation?: unknown };

/** `the bound spec dynamodb.Scan`, or by its command for a spec bound without an operation name (waiters). */
function boundName(bound: Bound): string {
  return typeof bound.operation === 'string' ? `the bound spec ${bound.operation}` : `a spec bound to ${bound.command.name}`;
}

function clientName(bound: Bound): string {
  return bound.service ? `a ${bound.service.client}` : 'an AWS SDK v3 client';
}

/** Anything with a `send` method: an SDK client, or a stand-in for one. */
function hasSend(value: unknown): value is SdkClient {
  if (typeof value !== 'object' || value === null) return false;
  try {
    return typeof (value as { send?: unknown }).send === 'function';
  } catch {
    return false;
  }
}

/** An SDK v3 client's `config.serviceId` (`S3`); undefined for anything else with a `send`. */
function serviceIdOf(client: SdkClient): string | undefined {
  const config: unknown = (client as { config?: unknown }).config;
  if (typeof config !== 'object' || config === null) return undefined;
  const id: unknown = (config as { serviceId?: unknown }).serviceId;
  return typeof id === 'string' ? id : undefined;
}

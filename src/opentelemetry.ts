/**
 * `rxjs-aws/opentelemetry`: every request of a pagination or a wait as an
 * OpenTelemetry span, through the `progress` option. It needs the
 * `@opentelemetry/api` package (an optional peer dependency); nothing else
 * in rxjs-aws loads it.
 *
 * @example
 * ```ts
 * import { tracing } from 'rxjs-aws/opentelemetry';
 * const progress = tracing();
 * paginate(Scan, client, { TableName: 'music' }, { progress });
 * ```
 * @module rxjs-aws/opentelemetry
 * @packageDocumentation
 */
import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import type { ProgressHook, RequestEvent, ResponseEvent } from './progress/ProgressEvent';
import { withMethods } from './util/callable';
import { optionsRecord } from './util/optionsRecord';

/**
 * Options of {@link tracing}.
 * @example
 * ```ts
 * const options: TracingOptions = { tracer: trace.getTracer('inventory-sync') };
 * ```
 */
export interface TracingOptions {
  /**
   * The tracer spans are made with.
   * @default trace.getTracer('rxjs-aws'), from the global tracer provider
   */
  readonly tracer?: Tracer;
}

/**
 * A `progress` hook that makes one span per request: `DynamoDB.Scan`, of
 * kind CLIENT, a child of the context active when the request is sent, with
 * `rpc.system` `aws-api`, `rpc.service`, `rpc.method`, and
 * `rxjs_aws.page` (a pagination's page) or `rxjs_aws.attempt` (a wait's
 * attempt), `rxjs_aws.retry` and `rxjs_aws.queued` (seconds waited for the
 * governor). The span ends with the answer: an error is recorded on it
 * (status ERROR, `aws.request_id`, `http.response.status_code`,
 * `rxjs_aws.throttled`); a request cancelled by an unsubscription ends with
 * `rxjs_aws.cancelled`.
 * @throws {SpecError} for a bad or unknown option (`options.tracer`).
 * @example
 * ```ts
 * const progress = tracing({ tracer: trace.getTracer('inventory-sync') });
 * parallelScan(client, { TableName: 'music' }, { totalSegments: 8, progress });
 * ```
 */
export function tracing(options?: TracingOptions): ProgressHook {
  const checked: TracingOptions = optionsRecord(options, 'options', ['tracer']);
  const tracer =
    checked.tracer === undefined
      ? trace.getTracer('rxjs-aws')
      : withMethods(checked.tracer, 'options.tracer', 'an OpenTelemetry Tracer', ['startSpan']);
  // Keyed by the request event, which its response event carries: segments and waits may interleave.
  const spans = new WeakMap<RequestEvent, Span>();
  return (event) => {
    if (event.type === 'request') {
      const name = event.service && event.operation ? `${event.service}.${event.operation}` : (event.operation ?? 'AWS request');
      spans.set(event, tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes: requestAttributes(event) }, context.active()));
    } else if (event.type === 'response') {
      const span = spans.get(event.request);
      if (span === undefined) return;
      spans.delete(event.request);
      finish(span, event);
    }
  };
}

function requestAttributes(event: RequestEvent): Attributes {
  const attributes: Attributes = { 'rpc.system': 'aws-api', 'rxjs_aws.retry': event.retry, 'rxjs_aws.queued': event.queued };
  if (event.service !== undefined) attributes['rpc.service'] = event.service;
  if (event.operation !== undefined) attributes['rpc.method'] = event.operation;
  if (event.page !== undefined) attributes['rxjs_aws.page'] = event.page;
  if (event.attempt !== undefined) attributes['rxjs_aws.attempt'] = event.attempt;
  const table = (event.input as { TableName?: unknown } | null | undefined)?.TableName;
  if (typeof table === 'string') attributes['aws.dynamodb.table_names'] = [table];
  return attributes;
}

function finish(span: Span, event: ResponseEvent): void {
  if (event.cancelled) span.setAttribute('rxjs_aws.cancelled', true);
  else if (event.error !== undefined) {
    const { error } = event;
    span.setAttribute('rxjs_aws.throttled', event.throttled);
    let message = 'request failed';
    try {
      const metadata = (error as { $metadata?: { httpStatusCode?: unknown; requestId?: unknown } } | null)?.$metadata;
      if (typeof metadata?.httpStatusCode === 'number') span.setAttribute('http.response.status_code', metadata.httpStatusCode);
      if (typeof metadata?.requestId === 'string') span.setAttribute('aws.request_id', metadata.requestId);
      message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      span.recordException(error instanceof Error ? error : message);
    } catch {
      // An error whose members cannot be read (a throwing getter) still ends its span, as an error.
    }
    span.setStatus({ code: SpanStatusCode.ERROR, message });
  }
  span.end();
}

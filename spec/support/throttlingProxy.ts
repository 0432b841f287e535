/**
 * A throttling front for a DynamoDB server (dynalite): an HTTP proxy that
 * answers as DynamoDB does when a table's throughput is exceeded (HTTP 400,
 * `ProvisionedThroughputExceededException` or `ThrottlingException` in the
 * JSON protocol's `__type`), once more than `rate` requests a second arrive:
 * a token bucket measured on the proxy's own clock. Everything else is
 * forwarded. It records what it did, so tests assert on counts, never on
 * how fast the machine is.
 *
 *   const ddb = await startDynalite();
 *   const proxy = await startThrottlingProxy({ target: ddb.endpoint, rate: 50, operations: ['Scan'] });
 *   const client = ddb.client({ endpoint: proxy.endpoint });
 *   ...
 *   proxy.throttled; proxy.forwarded; proxy.log;   // what happened, request by request
 *   await proxy.stop();
 *
 * A real component, not a fake: the service's answers come from dynalite,
 * and the throttling answer is the service's own, byte for byte in the parts
 * the SDK reads.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo, Socket } from 'net';

export type ThrottlingError = 'ProvisionedThroughputExceededException' | 'ThrottlingException';

export interface ThrottlingProxyOptions {
  /** The DynamoDB endpoint to forward to, `http://127.0.0.1:port`. */
  target: string;
  /** Requests a second let through, over the operations throttled. */
  rate: number;
  /** Requests that may go at once after a pause (the bucket's size). @default max(1, rate): a second's worth */
  burst?: number;
  /** The operations throttled (`Scan`, `Query`); the others always go through. @default every operation */
  operations?: readonly string[];
  /** The error answered. @default 'ProvisionedThroughputExceededException' */
  error?: ThrottlingError;
}

export interface ProxiedRequest {
  /** Milliseconds on the proxy's clock, from its start. */
  at: number;
  operation: string;
  throttled: boolean;
  /** `ConsumedCapacity.CapacityUnits` of the answer, when it says. */
  consumed?: number;
}

export interface ThrottlingProxy {
  endpoint: string;
  /** Requests of the throttled operations answered with the throttling error. */
  readonly throttled: number;
  /** Requests of the throttled operations forwarded. */
  readonly forwarded: number;
  /** Every request of the throttled operations, in arrival order. */
  readonly log: readonly ProxiedRequest[];
  /** Seconds since the proxy started, on its clock. */
  elapsed(): number;
  /** Changes the rate (and the burst, to a second's worth unless given) from now on. */
  setRate(rate: number, burst?: number): void;
  stop(): Promise<void>;
}

const MESSAGES: Record<ThrottlingError, { type: string; message: string }> = {
  // What DynamoDB answers, in the JSON protocol: the SDK reads the code from __type.
  ProvisionedThroughputExceededException: {
    type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    message:
      'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
  },
  ThrottlingException: {
    type: 'com.amazon.coral.availability#ThrottlingException',
    message: 'Rate of requests exceeds the allowed throughput.',
  },
};

export async function startThrottlingProxy(options: ThrottlingProxyOptions): Promise<ThrottlingProxy> {
  const target = new URL(options.target);
  const throttledOperations = options.operations === undefined ? undefined : new Set(options.operations);
  const { type, message } = MESSAGES[options.error ?? 'ProvisionedThroughputExceededException'];
  const started = performance.now();
  const clock = () => performance.now() - started;
  let rate = options.rate;
  let burst = options.burst ?? Math.max(1, rate);
  let tokens = burst;
  let refilled = clock();
  const log: ProxiedRequest[] = [];
  let throttled = 0;
  let forwarded = 0;
  let ids = 0;

  const admit = (now: number): boolean => {
    tokens = Math.min(burst, tokens + ((now - refilled) / 1000) * rate);
    refilled = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };

  const sockets = new Set<Socket>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => undefined);
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const governed = throttledOperations === undefined || throttledOperations.has(operation);
      const entry: ProxiedRequest = { at: clock(), operation, throttled: false };
      if (governed) {
        log.push(entry);
        if (!admit(entry.at)) {
          entry.throttled = true;
          throttled++;
          const answer = JSON.stringify({ __type: type, message });
          res.writeHead(400, {
            'content-type': 'application/x-amz-json-1.0',
            'content-length': Buffer.byteLength(answer),
            'x-amzn-requestid': `THROTTLED${String(++ids).padStart(10, '0')}`,
          });
          res.end(answer);
          return;
        }
        forwarded++;
      }
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (part: Buffer) => parts.push(part));
          answer.on('end', () => {
            const text = Buffer.concat(parts);
            if (governed) entry.consumed = consumedIn(text);
            res.writeHead(answer.statusCode ?? 500, answer.headers);
            res.end(text);
          });
          answer.on('error', () => res.destroy());
        },
      );
      upstream.on('error', () => res.destroy());
      // A client that gives up (an abort) takes the forwarded request down with it.
      res.on('close', () => {
        if (!res.writableFinished) upstream.destroy();
      });
      upstream.end(body);
    });
  });
  server.keepAliveTimeout = 0;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    get throttled() {
      return throttled;
    },
    get forwarded() {
      return forwarded;
    },
    log,
    elapsed: () => clock() / 1000,
    setRate(next, nextBurst) {
      admit(clock());
      rate = next;
      burst = nextBurst ?? Math.max(1, next);
      tokens = Math.min(tokens, burst);
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      });
      return stopped;
    },
  };
}

function consumedIn(body: Buffer): number | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { ConsumedCapacity?: { CapacityUnits?: unknown } };
    const units = parsed.ConsumedCapacity?.CapacityUnits;
    return typeof units === 'number' ? units : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The most requests (throttled or not, per `count`) that arrived within any
 * window of `seconds`, from the proxy's log.
 */
export function mostInWindow(
  log: readonly ProxiedRequest[],
  seconds: number,
  count: (entry: ProxiedRequest) => number = () => 1,
): number {
  let most = 0;
  let total = 0;
  let from = 0;
  for (let to = 0; to < log.length; to++) {
    total += count(log[to]!);
    while (log[to]!.at - log[from]!.at >= seconds * 1000) total -= count(log[from++]!);
    most = Math.max(most, total);
  }
  return most;
}

/**
 * Shared plumbing for the loopback test servers in spec/support (dynalite
 * wrapper and the fake EC2 server): socket bookkeeping so stop() never hangs
 * on keep-alive connections, counting of requests whose connection was closed
 * by the client before a response was sent (abort detection), and optional
 * artificial response delays so tests have time to abort an in-flight call.
 */
import type { IncomingMessage, Server, ServerResponse } from 'http';
import type { AddressInfo, Socket } from 'net';

/** Fixed delay, or a function of the operation name (e.g. 'Scan', 'DescribeInstances'). */
export type ResponseDelay = number | ((operation: string) => number);

export interface ConnectionTracker {
  /** Requests whose connection closed before their response finished. */
  closedSockets(): number;
  /** Sockets currently open against the server. */
  openSockets(): number;
  /**
   * Call once per request (before the response is written). Counts an abort
   * when the response is closed before it finished.
   */
  watch(req: IncomingMessage, res: ServerResponse): void;
  /** Run `fn` after the configured delay for `operation` (immediately when 0). */
  delay(operation: string, res: ServerResponse, fn: () => void): void;
  setResponseDelay(delay: ResponseDelay | undefined): void;
  /** Destroys every open socket (clients see the connection drop); the server keeps listening. */
  destroySockets(): void;
  /** Destroys all sockets, clears pending delay timers and closes the server. */
  shutdown(): Promise<void>;
}

export function trackConnections(server: Server, initialDelay?: ResponseDelay): ConnectionTracker {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let aborted = 0;
  let responseDelay: ResponseDelay | undefined = initialDelay;

  const destroySockets = () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
  };

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // Node closes a keep-alive socket after 5 s without a request. A client that picks the socket
  // for its next request just then gets ECONNRESET; the closer that moment comes to the next
  // request (a busy machine), the likelier. The tests' clients make one attempt, so here sockets
  // stay open until the client or shutdown() closes them.
  server.keepAliveTimeout = 0;

  return {
    closedSockets: () => aborted,
    openSockets: () => sockets.size,
    watch(_req, res) {
      res.on('close', () => {
        if (!res.writableFinished) aborted++;
      });
    },
    delay(operation, res, fn) {
      const ms = typeof responseDelay === 'function' ? responseDelay(operation) : (responseDelay ?? 0);
      if (!ms || ms <= 0) {
        fn();
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        // The client may have gone away while we were "busy".
        if (!res.destroyed) fn();
      }, ms);
      timers.add(timer);
    },
    setResponseDelay(delay) {
      responseDelay = delay;
    },
    destroySockets,
    shutdown() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      destroySockets();
      return new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        server.close((err?: Error) => (err ? reject(err) : resolve()));
        server.closeAllConnections?.();
      });
    },
  };
}

/** Listens on 127.0.0.1 with a random port; resolves to the port. */
export function listenOnLoopback(server: Server): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(0, '127.0.0.1', () => {
      server.removeListener('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Static, obviously fake credentials for clients pointed at loopback servers.
 * A fresh object per client: the SDK writes bookkeeping ($source) into it.
 */
export function fakeCredentials(): { accessKeyId: string; secretAccessKey: string } {
  return { accessKeyId: 'AKIDFAKEFORTESTS0000', secretAccessKey: 'fake-secret-access-key-for-local-tests' };
}

/**
 * The AWS SDK (>= 3.9xx) emits a NodeVersionSupportWarning on Node < 22 when
 * the first client is constructed. It is harmless here; the SDK reads this
 * documented switch (see @aws-sdk/core/dist-cjs/submodules/client/index.js,
 * emitWarningIfUnsupportedVersion). Only set when the user has not chosen.
 */
export function silenceSdkNodeVersionWarning(): void {
  if (process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined) {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  }
}

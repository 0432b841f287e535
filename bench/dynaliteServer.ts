/**
 * dynalite (in-memory DynamoDB) in a process of its own, so the server's work
 * is not counted as the client's and can overlap it on the second core.
 * Started by bench/dynalite.ts over IPC: reports its port, answers
 * `{ kind: 'counts' }` with the requests received per operation, holds every
 * answer back by `{ kind: 'latency', ms }` from then on, and exits when its
 * parent goes away.
 */
import type { IncomingMessage, Server, ServerResponse } from 'http';
import type { AddressInfo } from 'net';

// dynalite ships no type declarations.

const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;

const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
const counts: Record<string, number> = {};
/** Latency added to every answer (ms), as a remote service would have: set by `{ kind: 'latency', ms }`. */
let latencyMs = 0;
server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
  const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '?';
  counts[operation] = (counts[operation] ?? 0) + 1;
  if (latencyMs > 0) {
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    const delay = latencyMs;
    res.end = ((...args: unknown[]) => {
      setTimeout(() => end(...args), delay);
      return res;
    }) as ServerResponse['end'];
  }
});
server.listen(0, '127.0.0.1', () => {
  process.send!({ kind: 'listening', port: (server.address() as AddressInfo).port });
});
process.on('message', (message: { kind?: string; ms?: number }) => {
  if (message.kind === 'counts') process.send!({ kind: 'counts', counts: { ...counts } });
  if (message.kind === 'latency') {
    latencyMs = message.ms ?? 0;
    process.send!({ kind: 'latency', ms: latencyMs });
  }
});
process.on('disconnect', () => process.exit(0));

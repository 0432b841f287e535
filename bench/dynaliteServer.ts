/**
 * dynalite (in-memory DynamoDB) in a process of its own, so the server's work
 * is not counted as the client's and can overlap it on the second core.
 * Started by bench/dynalite.ts over IPC: reports its port, answers
 * `{ kind: 'counts' }` with the requests received per operation, and exits
 * when its parent goes away.
 */
import type { IncomingMessage, Server } from 'http';
import type { AddressInfo } from 'net';

// dynalite ships no type declarations.

const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;

const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
const counts: Record<string, number> = {};
server.prependListener('request', (req: IncomingMessage) => {
  const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '?';
  counts[operation] = (counts[operation] ?? 0) + 1;
});
server.listen(0, '127.0.0.1', () => {
  process.send!({ kind: 'listening', port: (server.address() as AddressInfo).port });
});
process.on('message', (message: { kind?: string }) => {
  if (message.kind === 'counts') process.send!({ kind: 'counts', counts: { ...counts } });
});
process.on('disconnect', () => process.exit(0));

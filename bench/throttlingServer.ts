/**
 * The service side of bench/governor.ts, in a process of its own: dynalite,
 * and in front of it the throttling proxy of the tests
 * (spec/support/throttlingProxy.ts), which answers DynamoDB's
 * ProvisionedThroughputExceededException above N Scan requests a second,
 * measured on its own clock. Started over IPC: reports dynalite's port;
 * `{ kind: 'proxy', rate, burst }` replaces the proxy and answers with its
 * port; `{ kind: 'counts' }` answers with what the proxy let through and
 * refused. Exits when its parent goes away.
 */
import type { Server } from 'http';
import type { AddressInfo } from 'net';
import { startThrottlingProxy, type ThrottlingProxy } from '../spec/support/throttlingProxy';

// dynalite ships no type declarations.

const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;

const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
let proxy: ThrottlingProxy | undefined;
const endpoint = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

server.listen(0, '127.0.0.1', () => {
  process.send!({ kind: 'listening', port: (server.address() as AddressInfo).port });
});
process.on('message', (message: { kind?: string; rate?: number; burst?: number }) => {
  void (async () => {
    if (message.kind === 'proxy') {
      await proxy?.stop();
      proxy = await startThrottlingProxy({
        target: endpoint(),
        rate: message.rate!,
        burst: message.burst!,
        operations: ['Scan'],
      });
      process.send!({ kind: 'proxy', port: Number(new URL(proxy.endpoint).port) });
    } else if (message.kind === 'counts') {
      process.send!({ kind: 'counts', forwarded: proxy?.forwarded ?? 0, throttled: proxy?.throttled ?? 0 });
    }
  })();
});
process.on('disconnect', () => process.exit(0));

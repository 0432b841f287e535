/**
 * How many chunks of `chunkLength` characters a plain Node.js HTTP response
 * takes in before it backs up, when its client pauses as soon as the headers
 * are in: the next chunk is written in the turn after the previous one if
 * `write()` kept up, or at `'drain'`. That is what the socket buffers (the
 * kernel's, on both ends, and Node's) hold, plus the chunk left in the
 * response's buffer: the least any producer paced by the response reads ahead
 * of a client that stopped reading, on this machine.
 */
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sleep } from './testApp';

export async function pacedWriterCapacity(chunkLength: number): Promise<number> {
  let written = 0;
  const chunk = `data: ${'x'.repeat(Math.max(0, chunkLength - 8))}\n\n`;
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    const next = () =>
      setImmediate(() => {
        if (response.destroyed) return;
        written++;
        if (response.write(chunk)) next();
        else response.once('drain', next);
      });
    next();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const response = await new Promise<import('node:http').IncomingMessage>((resolve, reject) =>
    get(`http://127.0.0.1:${port}/`, resolve).on('error', reject),
  );
  response.pause();
  try {
    return await plateau(() => written);
  } finally {
    response.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** The value of `count()` once it has not changed for `quietMs`. */
export async function plateau(count: () => number, quietMs = 400, timeoutMs = 8000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = count();
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    if (Date.now() > deadline) throw new Error(`still growing after ${timeoutMs} ms: ${last}`);
    await sleep(20);
    const now = count();
    if (now !== last) {
      last = now;
      since = Date.now();
    }
  }
  return last;
}

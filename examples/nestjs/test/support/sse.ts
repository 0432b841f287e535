/**
 * A minimal Server-Sent Events client over node:http: events are parsed as
 * they arrive, the connection can be paused like a slow reader and closed
 * like a browser tab.
 */
import { get, type IncomingMessage } from 'node:http';

export interface SseEvent {
  readonly type: string;
  readonly id: string | undefined;
  readonly data: any;
}

export class SseClient {
  readonly events: SseEvent[] = [];
  /** Characters of the body received so far. */
  received = 0;
  ended = false;
  private buffer = '';
  private readonly listeners = new Set<() => void>();

  private constructor(
    readonly response: IncomingMessage,
    paused: boolean,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      this.received += chunk.length;
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\n\n')) >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const event = parse(block);
        if (event) this.events.push(event);
      }
      this.notify();
    });
    response.on('end', () => {
      this.ended = true;
      this.notify();
    });
    response.on('error', () => undefined);
    // Before any data is read: Node then stops reading from the socket once its own buffer is full.
    if (paused) response.pause();
  }

  /**
   * Connects; resolves once the status line and headers are in. A `paused`
   * client reads nothing until `resume()`, as a slow reader.
   */
  static open(
    url: string,
    { headers = {}, paused = false }: { headers?: Record<string, string>; paused?: boolean } = {},
  ): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      get(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) =>
        resolve(new SseClient(response, paused)),
      ).on('error', reject);
    });
  }

  resume(): void {
    this.response.resume();
  }

  get status(): number | undefined {
    return this.response.statusCode;
  }

  /** Resolves once `condition(events)` holds, or rejects when the stream ends first or after `timeoutMs`. */
  waitFor(condition: (events: readonly SseEvent[]) => boolean, what: string, timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (condition(this.events)) done(resolve);
        else if (this.ended)
          done(() => reject(new Error(`the stream ended before ${what}: ${JSON.stringify(this.events.map((e) => e.type))}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`timed out waiting for ${what}`))), timeoutMs);
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        settle();
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Resolves with every event once the server ends the stream. */
  async all(timeoutMs = 5000): Promise<SseEvent[]> {
    await this.waitFor(() => this.ended, 'the end of the stream', timeoutMs);
    return this.events;
  }

  /** Hangs up, as a closed browser tab does. */
  close(): void {
    this.response.destroy();
    this.response.socket?.destroy();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

function parse(block: string): SseEvent | undefined {
  let type = 'message';
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') type = value;
    else if (field === 'id') id = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return undefined;
  const text = data.join('\n');
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // plain text data
  }
  return { type, id, data: parsed };
}

/**
 * In-process DynamoDB (dynalite) for integration tests.
 *
 *   const ddb = await startDynalite({ createTableMs: 200 });
 *   const client = ddb.client();            // real DynamoDBClient, maxAttempts 1
 *   await createTable(client, 'T', { rangeKey: 'sk' });
 *   await putItems(client, 'T', 60);
 *   ddb.requests;                           // [{ target: 'DynamoDB_20120810.Scan', operation: 'Scan', body }]
 *   ddb.closedSockets();                    // requests aborted by the client before the response
 *   await ddb.stop();
 *
 * Table state timings default to 0 ms here (dynalite's own default is 500 ms)
 * so tests are fast; pass createTableMs etc. to observe CREATING -> ACTIVE.
 *
 * With `path`, the data lives in a LevelDB directory instead of memory, so a
 * server can be stopped (a crash, as a client sees it) and a new one started
 * on the same data; stop() resolves only once the store is closed, so the
 * next server can open it at once:
 *
 *   const dir = mkdtempSync(join(tmpdir(), 'dynalite-'));
 *   let ddb = await startDynalite({ path: dir });
 *   ...; await ddb.stop();
 *   ddb = await startDynalite({ path: dir });  // same tables and items, new port
 */
import type { IncomingMessage, Server, ServerResponse } from 'http';
import {
  AttributeDefinition,
  AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  CreateTableCommandOutput,
  DescribeTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  GlobalSecondaryIndex,
  KeySchemaElement,
  WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { fakeCredentials, ResponseDelay, listenOnLoopback, silenceSdkNodeVersionWarning, trackConnections } from './httpTracking';

// dynalite ships no type declarations.

const dynalite: (options?: Record<string, unknown>) => Server = require('dynalite');

export interface StartDynaliteOptions {
  /** How long tables stay CREATING (default 0 here; dynalite's own default is 500). */
  createTableMs?: number;
  /** How long tables stay DELETING (default 0). */
  deleteTableMs?: number;
  /** How long tables stay UPDATING (default 0). */
  updateTableMs?: number;
  /**
   * Delay every response (or per operation, e.g. `op => op === 'Scan' ? 500 : 0`)
   * so a test can abort an in-flight request. Changeable later via setResponseDelay.
   */
  responseDelayMs?: ResponseDelay;
  /**
   * Directory of a persistent LevelDB store (dynalite's `path` option); the
   * default is an in-memory store that dies with the server. One server at a
   * time per directory: await stop() before starting the next one on it.
   */
  path?: string;
  /**
   * Sees every request before dynalite does (after it was recorded); return
   * true when it took the request over (e.g. destroyed `req.socket` to drop
   * the connection), and dynalite will not answer it.
   */
  interceptRequest?: (req: IncomingMessage, res: ServerResponse, record: RecordedDynamoRequest) => boolean;
}

export interface RecordedDynamoRequest {
  /** X-Amz-Target header, e.g. 'DynamoDB_20120810.Scan'. */
  target: string;
  /** Operation part of the target, e.g. 'Scan'. */
  operation: string;
  /** Parsed JSON body (undefined until fully received, or if not JSON). */
  body: any;
}

export interface DynaliteServer {
  endpoint: string;
  port: number;
  /**
   * A new real DynamoDBClient pointed at this server (destroyed by stop()),
   * with maxAttempts 1; `config` overrides or adds settings (e.g. a requestHandler).
   */
  client(config?: DynamoDBClientConfig): DynamoDBClient;
  /** Every request received, in arrival order. Live array. */
  requests: RecordedDynamoRequest[];
  /** Requests for one operation, e.g. requestsFor('Scan'). */
  requestsFor(operation: string): RecordedDynamoRequest[];
  /** Empties `requests` in place. */
  clearRequests(): void;
  /** Number of requests whose client socket closed before the response was sent. */
  closedSockets(): number;
  /** Number of currently open client sockets. */
  openSockets(): number;
  setResponseDelay(delay: ResponseDelay | undefined): void;
  /**
   * How long tables created, deleted or updated from now on stay CREATING,
   * DELETING or UPDATING (dynalite reads these when the request arrives).
   * A test that must observe a transition opens a window long enough for its
   * first look on a loaded machine only around the table it watches, and
   * then waits for the end of the window as an event (waitForTableActive, a
   * waiter), never by sleeping.
   */
  setTableTimings(timings: TableTimings): void;
  /**
   * Destroys clients and sockets and closes the server. Idempotent. Clients
   * see the server gone at once; the promise resolves once the requests
   * dynalite had started are done and its store is closed.
   */
  stop(): Promise<void>;
}

/**
 * How long tables stay CREATING, DELETING or UPDATING; keys left out keep their value.
 *
 * @example
 * ddb.setTableTimings({ createTableMs: 2000 }); // the next CreateTable opens a 2 s window
 */
export type TableTimings = Partial<Pick<StartDynaliteOptions, 'createTableMs' | 'deleteTableMs' | 'updateTableMs'>>;

export async function startDynalite(options: StartDynaliteOptions = {}): Promise<DynaliteServer> {
  silenceSdkNodeVersionWarning();
  // dynalite keeps this very object as its store's options, so setTableTimings can change it later.
  const dynaliteOptions: Record<string, unknown> = {
    createTableMs: options.createTableMs ?? 0,
    deleteTableMs: options.deleteTableMs ?? 0,
    updateTableMs: options.updateTableMs ?? 0,
    ...(options.path !== undefined && { path: options.path }),
  };
  const server = dynalite(dynaliteOptions);
  const tracker = trackConnections(server, options.responseDelayMs);
  const requests: RecordedDynamoRequest[] = [];

  // Set by stop(): from then on the server is gone for clients, while dynalite
  // finishes the requests it had started (`working`) before its store closes;
  // a store closed under a running Scan throws from inside dynalite.
  let stopping = false;
  let working = 0;
  let idle: (() => void) | undefined;
  const finishedWork = () => {
    if (--working === 0) idle?.();
  };
  server.on('connection', (socket) => {
    if (stopping) socket.destroy();
  });

  const original = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (stopping) {
      req.on('error', () => undefined);
      req.socket.destroy();
      return;
    }
    const target = String(req.headers['x-amz-target'] ?? '');
    const record: RecordedDynamoRequest = { target, operation: target.split('.')[1] ?? '', body: undefined };
    requests.push(record);
    tracker.watch(req, res);

    // Registered before dynalite's own listeners, so the body is recorded
    // before dynalite can respond (and before it calls removeAllListeners).
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        record.body = text ? JSON.parse(text) : undefined;
      } catch {
        record.body = text;
      }
    });

    // Optional artificial latency: hold back the finished response.
    // dynalite starts work when the body has arrived and ends it with res.end.
    let started = false;
    let answered = false;
    const realEnd = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      if (started && !answered) finishedWork();
      answered = true;
      tracker.delay(record.operation, res, () => realEnd(...args));
      return res;
    }) as ServerResponse['end'];

    if (options.interceptRequest?.(req, res, record)) {
      req.on('error', () => undefined); // a dropped connection is what an interceptor may provoke
      return;
    }
    req.on('end', () => {
      if (answered) return;
      started = true;
      working++;
    });
    for (const listener of original) listener.call(server, req, res);

    // dynalite rethrows request stream errors (`req.on('error', e => { throw e })`),
    // which would crash the jest worker when a client aborts mid-request.
    // An aborted request is exactly what some tests provoke, so swallow it.
    req.removeAllListeners('error');
    req.on('error', () => undefined);
  });

  const port = await listenOnLoopback(server);
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: DynamoDBClient[] = [];
  let stopped: Promise<void> | undefined;

  return {
    endpoint,
    port,
    client(config = {}) {
      const c = new DynamoDBClient({
        endpoint,
        region: 'us-east-1',
        credentials: fakeCredentials(),
        maxAttempts: 1,
        ...config,
      });
      clients.push(c);
      return c;
    },
    requests,
    requestsFor: (operation) => requests.filter((r) => r.operation === operation),
    clearRequests: () => {
      requests.length = 0;
    },
    closedSockets: tracker.closedSockets,
    openSockets: tracker.openSockets,
    setResponseDelay: tracker.setResponseDelay,
    setTableTimings(timings) {
      for (const [name, ms] of Object.entries(timings)) if (ms !== undefined) dynaliteOptions[name] = ms;
    },
    stop() {
      stopped ??= (async () => {
        stopping = true;
        for (const c of clients) c.destroy();
        tracker.destroySockets(); // clients see the server gone now
        // Every started request ends (its client is gone, so dynalite's answer goes nowhere); how
        // long that takes depends on the machine, so wait for the event rather than for a time.
        if (working > 0) await new Promise<void>((resolve) => (idle = resolve));
        await tracker.shutdown();
      })();
      return stopped;
    },
  };
}

export interface KeyDef {
  name: string;
  type?: 'S' | 'N' | 'B';
}

export interface CreateTableOptions {
  /** Hash key name/type (default { name: 'pk', type: 'S' }). */
  hashKey?: string | KeyDef;
  /** Optional range key; a bare string means type 'S'. */
  rangeKey?: string | KeyDef;
  /** Global secondary indexes (projection ALL). */
  gsis?: Array<{ name: string; hashKey: string | KeyDef; rangeKey?: string | KeyDef }>;
  /** Poll DescribeTable until ACTIVE before resolving (default false). */
  waitForActive?: boolean;
}

const asKey = (k: string | KeyDef): Required<KeyDef> =>
  typeof k === 'string' ? { name: k, type: 'S' } : { name: k.name, type: k.type ?? 'S' };

/** Creates a PAY_PER_REQUEST table with hash key 'pk' (S) unless told otherwise. */
export async function createTable(
  client: DynamoDBClient,
  name: string,
  opts: CreateTableOptions = {},
): Promise<CreateTableCommandOutput> {
  const attrs = new Map<string, AttributeDefinition>();
  const addAttr = (k: Required<KeyDef>) => attrs.set(k.name, { AttributeName: k.name, AttributeType: k.type });
  const schema = (hash: string | KeyDef, range?: string | KeyDef): KeySchemaElement[] => {
    const h = asKey(hash);
    addAttr(h);
    const out: KeySchemaElement[] = [{ AttributeName: h.name, KeyType: 'HASH' }];
    if (range !== undefined) {
      const r = asKey(range);
      addAttr(r);
      out.push({ AttributeName: r.name, KeyType: 'RANGE' });
    }
    return out;
  };

  const KeySchema = schema(opts.hashKey ?? 'pk', opts.rangeKey);
  const gsis: GlobalSecondaryIndex[] | undefined = opts.gsis?.map((g) => ({
    IndexName: g.name,
    KeySchema: schema(g.hashKey, g.rangeKey),
    Projection: { ProjectionType: 'ALL' },
  }));

  const out = await client.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema,
      AttributeDefinitions: [...attrs.values()],
      BillingMode: 'PAY_PER_REQUEST',
      ...(gsis ? { GlobalSecondaryIndexes: gsis } : {}),
    }),
  );
  if (opts.waitForActive) await waitForTableActive(client, name);
  return out;
}

/**
 * Polls DescribeTable (every `intervalMs`) until the table is ACTIVE. The
 * transition is the event waited for; `timeoutMs` is patience for a broken
 * test, far beyond any table window the tests open.
 */
export async function waitForTableActive(
  client: DynamoDBClient,
  name: string,
  { intervalMs = 10, timeoutMs = 25_000 }: { intervalMs?: number; timeoutMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = await client.send(new DescribeTableCommand({ TableName: name }));
    if (d.Table?.TableStatus === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`table ${name} not ACTIVE after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export type ItemFactory = (i: number) => Record<string, AttributeValue>;

/** Default item i: { pk: 'item-00000', n: i } (ids zero-padded so they sort). */
export const defaultItem: ItemFactory = (i) => ({
  pk: { S: `item-${String(i).padStart(5, '0')}` },
  n: { N: String(i) },
});

/**
 * Writes n items with BatchWriteItem in chunks of 25 (retrying any
 * UnprocessedItems). Returns the items written, in order.
 */
export async function putItems(
  client: DynamoDBClient,
  table: string,
  n: number,
  make: ItemFactory = defaultItem,
): Promise<Array<Record<string, AttributeValue>>> {
  const items = Array.from({ length: n }, (_, i) => make(i));
  for (let start = 0; start < items.length; start += 25) {
    let pending: WriteRequest[] = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 10) throw new Error(`BatchWriteItem kept returning UnprocessedItems for ${table}`);
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
      pending = out.UnprocessedItems?.[table] ?? [];
    }
  }
  return items;
}

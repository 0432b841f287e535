/**
 * Measurement 1, per-page overhead: paginate against a hand-written
 * `while (token)` loop and SDK v3's own paginator, all in one process and run.
 *
 *  - send level: 200,000 pages from an in-process `send` that returns an
 *    already-resolved Promise. Reference: the hand-written loop.
 *  - instant client: a DynamoDBClient subclass whose `send` resolves at once,
 *    so `paginateScan` (which insists on a DynamoDBClient) and
 *    `paginate(Scan, client)` are compared without the SDK's request pipeline.
 *  - canned HTTP: a real DynamoDBClient (middleware, SigV4 signing, JSON
 *    (de)serialisation) whose requestHandler answers in-process with canned
 *    Scan responses. Fewer pages: ~140 µs each is the SDK, not pagination.
 */
import { Readable } from 'stream';
import {
  DynamoDBClient,
  ScanCommand,
  paginateScan,
  type ScanCommandInput,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { Observable } from 'rxjs';
import { compilePaginator, paginate, type Send } from '../src';
import { ListTables, Scan } from '../src/services/dynamodb';
import {
  alternate,
  fakeCredentials,
  main,
  progress,
  scanPage,
  type FakeScanPage,
  type Row,
  type Timings,
  type WorkerReport,
} from './common';

const quick = process.argv.includes('--quick');
const SEND_PAGES = quick ? 20_000 : 200_000;
const HTTP_PAGES = quick ? 200 : 1_000;
/** The instant-client rows make the SDK build a command per page: half the pages keep the run short. */
const INSTANT_PAGES = SEND_PAGES / 2;

const input: ScanCommandInput = { TableName: 'bench' };

const drain = <T>(source: Observable<T>, onPage: (page: T) => void): Promise<void> =>
  new Promise((resolve, reject) => source.subscribe({ next: onPage, error: reject, complete: resolve }));

function check(name: string, pages: number, expected: number): void {
  if (pages !== expected) throw new Error(`${name}: ${pages} pages, expected ${expected}`);
}

// ---- send level -------------------------------------------------------------

let served = 0;
/** The in-process service: page `served` of SEND_PAGES, already resolved. */
const send = (_input: ScanCommandInput): Promise<FakeScanPage> => Promise.resolve(scanPage(served++, SEND_PAGES));
const scanSpec = compilePaginator<ScanCommandInput, FakeScanPage>(Scan.spec);

async function rawLoop(): Promise<void> {
  served = 0;
  let pages = 0;
  let token: FakeScanPage['LastEvaluatedKey'];
  do {
    const request: ScanCommandInput = token ? { ...input, ExclusiveStartKey: token } : { ...input };
    const page = await send(request);
    pages += page.Items.length;
    token = page.LastEvaluatedKey;
  } while (token);
  check('raw loop', pages, SEND_PAGES);
}

async function paginateSend(): Promise<void> {
  served = 0;
  let pages = 0;
  await drain(paginate(scanSpec, send as Send<ScanCommandInput, FakeScanPage>, input), (page) => (pages += page.Items.length));
  check('paginate', pages, SEND_PAGES);
}

// String tokens (ListTables' LastEvaluatedTableName): the common case in other services.
interface TablesPage {
  TableNames: string[];
  LastEvaluatedTableName?: string;
}
const NAMES = ['t'];
const sendTables = (_input: { ExclusiveStartTableName?: string }): Promise<TablesPage> => {
  const i = served++;
  return Promise.resolve(i + 1 < SEND_PAGES ? { TableNames: NAMES, LastEvaluatedTableName: `t${i}` } : { TableNames: NAMES });
};
const tablesSpec = compilePaginator<{ ExclusiveStartTableName?: string }, TablesPage>(ListTables.spec);

async function rawLoopString(): Promise<void> {
  served = 0;
  let pages = 0;
  let token: string | undefined;
  do {
    const request = token ? { ExclusiveStartTableName: token } : {};
    const page = await sendTables(request);
    pages += page.TableNames.length;
    token = page.LastEvaluatedTableName;
  } while (token);
  check('raw loop (string token)', pages, SEND_PAGES);
}

async function paginateString(): Promise<void> {
  served = 0;
  let pages = 0;
  await drain(paginate(tablesSpec, sendTables, {}), (page) => (pages += page.TableNames.length));
  check('paginate (string token)', pages, SEND_PAGES);
}

// ---- instant client: SDK paginator vs paginate, no request pipeline -----------

/** Passes paginateScan's `instanceof DynamoDBClient` check; answers every command at once. */
class InstantClient extends DynamoDBClient {
  override send(): Promise<never> {
    return Promise.resolve(scanPage(served++, INSTANT_PAGES)) as Promise<never>;
  }
}

/** The hand-written loop over the client; with `abortable`, each call gets a fresh AbortController's signal, as paginate gives it. */
async function rawClientLoop(client: DynamoDBClient, expected: number, abortable = false): Promise<void> {
  served = 0;
  let pages = 0;
  let token: ScanCommandOutput['LastEvaluatedKey'];
  do {
    const command = new ScanCommand(token ? { ...input, ExclusiveStartKey: token } : { ...input });
    const page = await (abortable ? client.send(command, { abortSignal: new AbortController().signal }) : client.send(command));
    pages += page.Items!.length;
    token = page.LastEvaluatedKey;
  } while (token);
  check('client.send loop', pages, expected);
}

async function sdkPaginator(client: DynamoDBClient, expected: number): Promise<void> {
  served = 0;
  let pages = 0;
  // paginateScan writes tokens into its input: a fresh copy each time.
  for await (const page of paginateScan({ client }, { ...input })) pages += page.Items!.length;
  check('paginateScan', pages, expected);
}

async function paginateClient(client: DynamoDBClient, expected: number): Promise<void> {
  served = 0;
  let pages = 0;
  await drain(paginate(Scan, client, input), (page) => (pages += page.Items!.length));
  check('paginate(Scan, client)', pages, expected);
}

// ---- canned HTTP: the whole SDK pipeline, in-process handler -----------------------

function cannedHttpClient(): DynamoDBClient {
  const bodies = Array.from({ length: HTTP_PAGES }, (_, i) => {
    const { $metadata, ...body } = scanPage(i, HTTP_PAGES);
    void $metadata;
    return Buffer.from(JSON.stringify(body));
  });
  const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'bench' };
  return new DynamoDBClient({
    region: 'us-east-1',
    credentials: fakeCredentials(),
    maxAttempts: 1,
    requestHandler: {
      handle: async () => {
        const body = bodies[served++];
        if (!body) throw new Error('canned handler: more requests than pages');
        return {
          response: {
            statusCode: 200,
            headers: { ...headers, 'content-length': String(body.length) },
            body: Readable.from(body),
          },
        };
      },
    } as never,
  });
}

const perPage = (ms: number, pages: number) => (ms * 1000) / pages; // µs per page

main(async (): Promise<WorkerReport> => {
  progress('pages', `send level: ${SEND_PAGES.toLocaleString('en')} pages per sample`);
  const sendTasks = [
    { name: 'raw while(token) loop, await send()', fn: rawLoop },
    { name: 'paginate(spec, send)', fn: paginateSend },
    { name: 'raw loop, string token', fn: rawLoopString },
    { name: 'paginate, string token', fn: paginateString },
  ];
  const sendTimings = await alternate(sendTasks, { rounds: 4, iterations: quick ? 1 : 2, warmupIterations: 1 });

  progress('pages', `instant client: ${INSTANT_PAGES.toLocaleString('en')} pages per sample`);
  const instant = new InstantClient({ region: 'us-east-1', credentials: fakeCredentials() });
  const instantTasks = [
    { name: 'client.send(new ScanCommand) loop', fn: () => rawClientLoop(instant, INSTANT_PAGES) },
    { name: 'same loop, + { abortSignal } per call', fn: () => rawClientLoop(instant, INSTANT_PAGES, true) },
    { name: 'paginateScan (SDK v3)', fn: () => sdkPaginator(instant, INSTANT_PAGES) },
    { name: 'paginate(Scan, client)', fn: () => paginateClient(instant, INSTANT_PAGES) },
  ];
  const instantTimings = await alternate(instantTasks, { rounds: 4, iterations: quick ? 1 : 2, warmupIterations: 1 });

  progress('pages', `canned HTTP client: ${HTTP_PAGES.toLocaleString('en')} pages per sample`);
  const http = cannedHttpClient();
  const httpTasks = [
    { name: 'client.send(new ScanCommand) loop', fn: () => rawClientLoop(http, HTTP_PAGES) },
    { name: 'same loop, + { abortSignal } per call', fn: () => rawClientLoop(http, HTTP_PAGES, true) },
    { name: 'paginateScan (SDK v3)', fn: () => sdkPaginator(http, HTTP_PAGES) },
    { name: 'paginate(Scan, client)', fn: () => paginateClient(http, HTTP_PAGES) },
  ];
  const httpTimings = await alternate(httpTasks, { rounds: quick ? 4 : 8, iterations: 2, warmupIterations: 2 });
  http.destroy();

  const rowsOf = (timings: Timings, pages: number, ratios: Record<string, string>, names: string[]): Row[] =>
    names.map((name) => {
      const to = ratios[name];
      return {
        name,
        value: perPage(timings.median(name), pages),
        unit: 'µs/page',
        ...(to !== undefined && { ratio: timings.ratio(name, to), ratioTo: to }),
        note: `median of ${timings.samples(name).length} × ${pages.toLocaleString('en')} pages`,
      };
    });
  const names = (tasks: Array<{ name: string }>) => tasks.map((t) => t.name);

  const sendRows = rowsOf(
    sendTimings,
    SEND_PAGES,
    {
      'paginate(spec, send)': 'raw while(token) loop, await send()',
      'paginate, string token': 'raw loop, string token',
    },
    names(sendTasks),
  );
  const instantRows = rowsOf(
    instantTimings,
    INSTANT_PAGES,
    {
      'same loop, + { abortSignal } per call': 'client.send(new ScanCommand) loop',
      'paginateScan (SDK v3)': 'client.send(new ScanCommand) loop',
      'paginate(Scan, client)': 'paginateScan (SDK v3)',
    },
    names(instantTasks),
  );
  const httpRows = rowsOf(
    httpTimings,
    HTTP_PAGES,
    {
      'same loop, + { abortSignal } per call': 'client.send(new ScanCommand) loop',
      'paginateScan (SDK v3)': 'client.send(new ScanCommand) loop',
      'paginate(Scan, client)': 'paginateScan (SDK v3)',
    },
    names(httpTasks),
  );
  const ratioOf = (rows: Row[], name: string) => rows.find((row) => row.name === name)!.ratio!;

  return {
    sections: [
      {
        title: `1a. Per-page overhead, in-process send (Promise.resolve), ${SEND_PAGES.toLocaleString('en')} pages`,
        rows: sendRows,
        notes: [
          'Scan rows: tokens are LastEvaluatedKey objects (compared by value by paginate); string rows: a ListTables-style string token.',
        ],
      },
      {
        title: `1b. SDK paginator vs paginate on a DynamoDBClient whose send() resolves at once, ${INSTANT_PAGES.toLocaleString('en')} pages`,
        rows: instantRows,
        notes: [
          'All rows construct a ScanCommand per page and the client does no I/O, so only the paginators differ.',
          'paginate hands the SDK an abort signal on every call (paginateScan never does); the "+ { abortSignal }" row is that cost alone.',
        ],
      },
      {
        title: `1c. Same, through the full SDK pipeline (canned HTTP responses in-process), ${HTTP_PAGES.toLocaleString('en')} pages`,
        rows: httpRows,
        notes: [
          'Middleware, SigV4 signing, JSON (de)serialisation: most of the time is the SDK client, the same for every row.',
          'With an abortSignal the SDK retry middleware also races each attempt against it (Promise.race + listener): see the "+ { abortSignal }" row.',
        ],
      },
    ],
    goals: [
      {
        id: '1.raw',
        goal: `paginate within 1.15x of the raw while(token) loop (${SEND_PAGES.toLocaleString('en')} in-process pages)`,
        measured: ratioOf(sendRows, 'paginate(spec, send)'),
        target: 1.15,
        unit: 'x',
        op: '<=',
      },
      {
        id: '1.sdk',
        goal: 'paginate(Scan, client) faster than paginateScan (canned-HTTP client)',
        measured: ratioOf(httpRows, 'paginate(Scan, client)'),
        target: 1,
        unit: 'x',
        note: `noise floor this run: paginateScan/raw loop = ${ratioOf(httpRows, 'paginateScan (SDK v3)').toFixed(3)}x, ideally ~1`,
      },
      {
        id: '1.sdk-instant',
        goal: 'paginate(Scan, client) faster than paginateScan (instant client, paginator cost only)',
        measured: ratioOf(instantRows, 'paginate(Scan, client)'),
        target: 1,
        unit: 'x',
      },
    ],
    details: {
      sendPages: SEND_PAGES,
      instantClientPages: INSTANT_PAGES,
      httpPages: HTTP_PAGES,
      samplesMsPerRound: { send: sendTimings.toJSON(), instantClient: instantTimings.toJSON(), cannedHttp: httpTimings.toJSON() },
    },
  };
});

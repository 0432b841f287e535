/**
 * Measurement 1, per-page overhead: paginate against a hand-written
 * `while (token)` loop and SDK v3's own paginator, all in one process and run.
 *
 * Every row can be cancelled, and every send reads its abort signal as an
 * SDK request does (`answerWithSignal`): the loops and `paginateScan` are
 * given one signal for the whole pagination, as paginate makes one per pagination.
 * The loops build each request with `Object.assign`, as paginate does: an
 * object spread followed by an added key takes a slow path on Node 20 that
 * would make the baseline, not paginate, look slow.
 *
 *  - send level: 200,000 pages from an in-process `send` that returns an
 *    already-resolved Promise. Reference: the hand-written loop.
 *  - instant client: a DynamoDBClient subclass whose `send` resolves at once,
 *    so `paginateScan` (which insists on a DynamoDBClient) and
 *    `paginate(Scan, client)` are compared without the SDK's request pipeline.
 *
 * The goals against SDK v3 (the engine against createPaginator, and through
 * the whole SDK) are measured once, in engineCost.ts.
 */
import {
  DynamoDBClient,
  ScanCommand,
  paginateScan,
  type ScanCommandInput,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { Observable } from 'rxjs';
import { compilePaginator, paginate, type Send } from '../src';
import { ListTables, Scan } from '../src/services/generated/dynamodb';
import {
  alternate,
  answerWithSignal,
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
/** The in-process service: page `served` of SEND_PAGES, already resolved; it reads the abort signal as an SDK call does. */
const send = (_input: ScanCommandInput, context?: { abortSignal?: AbortSignal }): Promise<FakeScanPage> =>
  answerWithSignal(scanPage(served++, SEND_PAGES), context?.abortSignal);
const scanSpec = compilePaginator<ScanCommandInput, FakeScanPage>(Scan.spec);

/** The input of the next request, never mutating `input`: Object.assign, as paginate builds it. */
const withToken = <I extends object, K extends string, T>(base: I, key: K, token: T | undefined): I =>
  token === undefined ? Object.assign({}, base) : Object.assign({}, base, { [key]: token });

async function rawLoop(): Promise<void> {
  served = 0;
  let pages = 0;
  let token: FakeScanPage['LastEvaluatedKey'];
  const context = { abortSignal: new AbortController().signal };
  do {
    const page = await send(withToken(input, 'ExclusiveStartKey', token), context);
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
const sendTables = (
  _input: { ExclusiveStartTableName?: string },
  context?: { abortSignal?: AbortSignal },
): Promise<TablesPage> => {
  const i = served++;
  const page = i + 1 < SEND_PAGES ? { TableNames: NAMES, LastEvaluatedTableName: `t${i}` } : { TableNames: NAMES };
  return answerWithSignal(page, context?.abortSignal);
};
const tablesSpec = compilePaginator<{ ExclusiveStartTableName?: string }, TablesPage>(ListTables.spec);

async function rawLoopString(): Promise<void> {
  served = 0;
  let pages = 0;
  let token: string | undefined;
  const context = { abortSignal: new AbortController().signal };
  do {
    const page = await sendTables(withToken({}, 'ExclusiveStartTableName', token), context);
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

/** Passes paginateScan's `instanceof DynamoDBClient` check; answers every command at once, reading its abort signal. */
class InstantClient extends DynamoDBClient {
  override send(_command: unknown, options?: unknown): Promise<never> {
    const signal = (options as { abortSignal?: AbortSignal } | undefined)?.abortSignal;
    return answerWithSignal(scanPage(served++, INSTANT_PAGES), signal) as Promise<never>;
  }
}

const RAW = 'client.send loop, one signal';
const RAW_PER_CALL = 'same loop, a new signal per call';
const SDK = 'paginateScan (SDK v3), one signal';
const PAGINATE = 'paginate(Scan, client), a signal per pagination';

/**
 * The hand-written loop over the client, cancellable as paginateScan is: one
 * signal for the whole loop. With `signalPerCall`, each call gets a fresh
 * AbortController's signal instead, as paginate makes one per request.
 */
async function rawClientLoop(client: DynamoDBClient, expected: number, signalPerCall = false): Promise<void> {
  served = 0;
  let pages = 0;
  let token: ScanCommandOutput['LastEvaluatedKey'];
  const shared = new AbortController().signal;
  do {
    const command = new ScanCommand(withToken(input, 'ExclusiveStartKey', token));
    const page = await client.send(command, { abortSignal: signalPerCall ? new AbortController().signal : shared });
    pages += page.Items!.length;
    token = page.LastEvaluatedKey;
  } while (token);
  check('client.send loop', pages, expected);
}

/** SDK v3's paginator, given one abort signal: it hands it to every call, so it can be cancelled as paginate can. */
async function sdkPaginator(client: DynamoDBClient, expected: number): Promise<void> {
  served = 0;
  let pages = 0;
  // paginateScan writes tokens into its input: a fresh copy each time.
  const pagesOf = paginateScan({ client }, { ...input }, { abortSignal: new AbortController().signal });
  for await (const page of pagesOf) pages += page.Items!.length;
  check('paginateScan', pages, expected);
}

async function paginateClient(client: DynamoDBClient, expected: number): Promise<void> {
  served = 0;
  let pages = 0;
  await drain(paginate(Scan, client, input), (page) => (pages += page.Items!.length));
  check('paginate(Scan, client)', pages, expected);
}

const perPage = (ms: number, pages: number) => (ms * 1000) / pages; // µs per page

main(async (): Promise<WorkerReport> => {
  progress('pages', `send level: ${SEND_PAGES.toLocaleString('en')} pages per sample`);
  const sendTasks = [
    { name: 'raw while(token) loop, one signal', fn: rawLoop },
    { name: 'paginate(spec, send)', fn: paginateSend },
    { name: 'raw loop, string token', fn: rawLoopString },
    { name: 'paginate, string token', fn: paginateString },
  ];
  const sendTimings = await alternate(sendTasks, { rounds: 4, iterations: quick ? 1 : 2, warmupIterations: 1 });

  progress('pages', `instant client: ${INSTANT_PAGES.toLocaleString('en')} pages per sample`);
  const instant = new InstantClient({ region: 'us-east-1', credentials: fakeCredentials() });
  const instantTasks = [
    { name: RAW, fn: () => rawClientLoop(instant, INSTANT_PAGES) },
    { name: RAW_PER_CALL, fn: () => rawClientLoop(instant, INSTANT_PAGES, true) },
    { name: SDK, fn: () => sdkPaginator(instant, INSTANT_PAGES) },
    { name: PAGINATE, fn: () => paginateClient(instant, INSTANT_PAGES) },
  ];
  const instantTimings = await alternate(instantTasks, { rounds: 4, iterations: quick ? 1 : 2, warmupIterations: 1 });

  const rowsOf = (timings: Timings, pages: number, ratios: Record<string, string>, names: string[]): Row[] =>
    names.map((name) => {
      const to = ratios[name];
      return {
        name,
        value: perPage(timings.median(name), pages),
        unit: 'µs/page',
        ...(to !== undefined && { ratio: timings.ratio(name, to), ratioTo: to, ratioRange: timings.ratioRange(name, to) }),
        note: `median of ${timings.samples(name).length} × ${pages.toLocaleString('en')} pages`,
      };
    });
  const names = (tasks: Array<{ name: string }>) => tasks.map((t) => t.name);
  const clientRatios = { [RAW_PER_CALL]: RAW, [SDK]: RAW, [PAGINATE]: SDK };

  const sendRows = rowsOf(
    sendTimings,
    SEND_PAGES,
    {
      'paginate(spec, send)': 'raw while(token) loop, one signal',
      'paginate, string token': 'raw loop, string token',
    },
    names(sendTasks),
  );
  const instantRows = rowsOf(instantTimings, INSTANT_PAGES, clientRatios, names(instantTasks));
  const goalOf = (rows: Row[], name: string) => {
    const row = rows.find((r) => r.name === name)!;
    return { measured: row.ratio!, range: row.ratioRange! };
  };

  return {
    sections: [
      {
        title: `1a. Per-page overhead, in-process send (Promise.resolve), ${SEND_PAGES.toLocaleString('en')} pages`,
        rows: sendRows,
        notes: [
          'Scan rows: tokens are LastEvaluatedKey objects (compared by value by paginate); string rows: a ListTables-style string token.',
          'The send reads its abort signal as an SDK call does; the loops hand it one signal, paginate one per request.',
        ],
      },
      {
        title: `1b. SDK paginator vs paginate on a DynamoDBClient whose send() resolves at once, ${INSTANT_PAGES.toLocaleString('en')} pages`,
        rows: instantRows,
        notes: [
          'All rows construct a ScanCommand per page and the client does no I/O, so only the paginators differ.',
          'Same cancellation ability: the client reads every signal; paginateScan and the loops get one, paginate makes one per pagination.',
          'The engine goals (against createPaginator, and through the whole SDK) are judged in section 8 (engineCost).',
        ],
      },
    ],
    goals: [
      {
        id: '1.raw',
        goal: `paginate within 1.15x of the raw while(token) loop (${SEND_PAGES.toLocaleString('en')} in-process pages)`,
        ...goalOf(sendRows, 'paginate(spec, send)'),
        target: 1.15,
        unit: 'x',
        op: '<=',
      },
    ],
    details: {
      sendPages: SEND_PAGES,
      instantClientPages: INSTANT_PAGES,
      samplesMsPerRound: { send: sendTimings.toJSON(), instantClient: instantTimings.toJSON() },
    },
  };
});

/**
 * The differential harness: botocore's own paginators and waiters and rxjs-aws
 * through the real SDK v3 clients, on the same moto_server state.
 *
 * A test file lists services (state to create, paginators and waiters with
 * their inputs and the outcome each is meant to reach) and calls
 * `describeDifferential`. Before its tests, the file starts one moto_server and
 * one botocore process, and in three rounds:
 *   1. botocore creates the state (one batch of boto3 calls);
 *   2. botocore runs every case while rxjs-aws runs them too (reads only, so both at once);
 *   3. botocore resumes from the tokens rxjs-aws printed.
 * Each test then compares one case: pages and their boundaries, resume tokens
 * both ways, waiter outcomes, attempts and messages.
 */
import { lastValueFrom, tap, toArray } from 'rxjs';
import {
  paginate,
  resumeTokenOf,
  waitForAttempts,
  WaiterError,
  type BoundPaginator,
  type BoundWaiter,
  type SdkClient,
  type WaiterAttempt,
} from '../../src';
import { errorCodesOf } from '../../src/specs/WaiterResponse';
import { describeIfMoto, findMotoServer, isCI, startMoto, type MotoServer } from '../support/startMoto';
import {
  startBotocoreSide,
  type BotocoreCase,
  type BotocorePages,
  type BotocoreResult,
  type BotocoreSide,
  type BotocoreWait,
  type SetUpStep,
} from './botocoreSide';

/** What the set-up saved, by name: inputs that need an id read it here. */
export type Saved = Record<string, unknown>;

/** `n` of something: set-up steps, resources. */
export const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

/** An input member read from the saved set-up, by a dotted path (`'run.Instances.0.InstanceId'`). */
export const read =
  (path: string) =>
  (saved: Saved): unknown =>
    path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], saved);
type Input = object | ((saved: Saved) => object);

export type Outcome = 'success' | 'success on error' | 'failure' | 'timeout' | 'error';

/** A spec bound to a command of any service: each case types its own. */
type AnyPaginator = BoundPaginator<any, any, any, any, any>;
type AnyWaiter = BoundWaiter<any, any, any, any>;

export interface PaginatorCase {
  readonly paginator: AnyPaginator;
  readonly input?: Input;
  /** A dotted path to what identifies an item (`UserName`); items that are strings need none. */
  readonly itemKey?: string;
  /** The page size both sides ask for; none reads everything with the service's own default. */
  readonly pageSize?: number | string;
  /** How many items the input finds (a check that the set-up made them). */
  readonly items: number;
  /** `'pages'` where moto honours the page size (more than one page is then required), else why moto answers with one page. */
  readonly paging: 'pages' | { readonly onePage: string };
  /** The `maxItems` of the resume-token cases. @default one past the first page, or half of a single page */
  readonly maxItems?: number;
  /** Why the service's own token differs between two reads of the same state: tokens are then compared but for it. */
  readonly tokensVary?: string;
}

export interface WaiterCase {
  /** botocore's name of the waiter, or of the case's own spec. */
  readonly name: string;
  readonly waiter: AnyWaiter;
  /** The waiter is the case's own (`waiter.spec` is given to botocore too), not a shipped one. */
  readonly own?: boolean;
  readonly input: Input;
  /** The state the input finds, for the title: `cluster deleted`. */
  readonly state: string;
  /** The outcome both must reach (rxjs-aws's, where `deliberate` says botocore's differs). */
  readonly expect: Outcome;
  /** A deliberate difference: botocore's outcome, and why (README or docs/differential.md). */
  readonly deliberate?: { readonly botocore: Outcome; readonly why: string };
  /** @default 2 */
  readonly maxAttempts?: number;
}

export interface ServiceCases {
  /** botocore's service name (`boto3.client(service)`). */
  readonly service: string;
  /** The wire protocol, for titles. */
  readonly protocol: string;
  /** A real SDK v3 client for moto. */
  readonly client: (config: ReturnType<MotoServer['clientConfig']>) => SdkClient & { destroy(): void };
  /** boto3 calls that make the state; `service` defaults to this one. */
  readonly setUp?: readonly (Omit<SetUpStep, 'service'> & { readonly service?: string })[];
  readonly paginators?: readonly PaginatorCase[];
  readonly waiters?: readonly WaiterCase[];
  /** Paginators and waiters not compared, each with the reason (moto lacks the state or the operation). */
  readonly gaps?: readonly { readonly name: string; readonly reason: string }[];
}

interface OurPages {
  pages: unknown[][];
  resumeToken: string | null;
}

interface OurWait {
  outcome: Outcome | 'threw';
  reason: string | null;
  attempts: number;
  last?: WaiterAttempt;
  thrown?: unknown;
}

const DELAY = 0;

/**
 * moto_server and the botocore process, started and told to load `services`
 * before the test file loads its cases: moto loads each service's backend on
 * its first request (seconds for SSM or SageMaker) and the SDK clients take
 * seconds to load too, so the two overlap. Only where the tests run (moto
 * present, or CI, which requires it).
 */
function prepare(
  services: readonly string[],
): { ready: Promise<{ moto: MotoServer; botocore: BotocoreSide }>; stop(): Promise<void> } | undefined {
  if (findMotoServer() === undefined && !isCI()) return undefined;
  const port = 20_000 + Math.floor(Math.random() * 40_000);
  const moto = startMoto({ port });
  const botocore = startBotocoreSide();
  // Written now, answered while the cases load. A failure here fails the set-up too, with its own message.
  const warmed = Promise.all([
    botocore.preload(services),
    botocore.connect(`http://127.0.0.1:${port}`),
    botocore.warm(services),
  ]).catch(() => undefined);
  const ready = (async () => {
    const server = await moto;
    if (!server) throw new Error('moto_server is missing');
    await warmed;
    // moto moved to another port (this one was taken): follow it.
    if (server.port !== port) await botocore.connect(server.endpoint);
    return { moto: server, botocore };
  })();
  // Kept from being an unhandled rejection: the set-up awaits it and fails with the reason.
  ready.catch(() => undefined);
  return {
    ready,
    async stop() {
      await botocore.stop();
      await (await moto.catch(() => undefined))?.stop();
    },
  };
}

/**
 * A client factory for `ServiceCases.client`. Typed loosely on purpose: the
 * generator declares stand-ins for the client packages that are not
 * devDependencies (src/services/sdkStubs.d.ts), and a stand-in has neither the
 * constructor's config nor `destroy` until it is regenerated.
 */
export function sdkClient(Client: unknown): ServiceCases['client'] {
  return (config) => new (Client as new (config: object) => SdkClient & { destroy(): void })(config);
}

/** The operation a bound spec's command sends: `ListUsersCommand` sends `ListUsers`. */
function operationOf(spec: AnyPaginator | AnyWaiter): string {
  return spec.command.name.replace(/Command$/, '');
}

function at(value: unknown, path: string | undefined): unknown {
  if (path === undefined) return value;
  return path
    .split('.')
    .reduce<unknown>((v, key) => (v === null || typeof v !== 'object' ? undefined : (v as Record<string, unknown>)[key]), value);
}

function firstResultKey(paginator: AnyPaginator): string {
  const key = paginator.spec.result_key;
  const first = Array.isArray(key) ? key[0] : key;
  if (typeof first !== 'string') throw new Error(`${operationOf(paginator)} has no result key`);
  return first;
}

/** The decoded botocore-format token: base64 of a JSON object. */
export function decodeToken(token: string | null): unknown {
  return token === null ? null : JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
}

function resolveInput(input: Input | undefined, saved: Saved): object {
  return typeof input === 'function' ? input(saved) : (input ?? {});
}

function defaultMaxItems(p: PaginatorCase): number {
  if (p.maxItems !== undefined) return p.maxItems;
  if (p.paging === 'pages' && p.pageSize !== undefined) return Math.min(Number(p.pageSize) + 1, p.items - 1);
  return Math.max(1, Math.floor(p.items / 2));
}

const paginatorId = (service: string, p: PaginatorCase, what: string) => `${service} ${operationOf(p.paginator)} ${what}`;
const waiterId = (service: string, w: WaiterCase) => `${service} ${w.name} ${w.state}`;

function pagingTitle(p: PaginatorCase): string {
  if (p.pageSize === undefined) return `${p.items} items, the service's own page size`;
  if (p.paging === 'pages') return `${p.items} items in pages of ${p.pageSize}`;
  return `${p.items} items: moto ignores the page size ${p.pageSize} (${p.paging.onePage}), so one page`;
}

/** One line per service: what its cases cover (`DIFF_SUMMARY=1 npx jest spec/differential` prints it). */
function summary(services: readonly ServiceCases[]): string {
  return services
    .map((service) => {
      const paged = (service.paginators ?? []).map((p) => {
        const name = operationOf(p.paginator);
        if (p.pageSize === undefined) return `${name} (service's page size)`;
        return p.paging === 'pages' ? `${name} (pages of ${p.pageSize})` : `${name} (moto ignores the page size)`;
      });
      const outcomes = (service.waiters ?? []).map((w) => `${w.name}: ${w.expect}`);
      const gaps = (service.gaps ?? []).map((gap) => `not compared: ${gap.name}`);
      return `${service.service} (${service.protocol}): ${[...paged, ...outcomes, ...gaps].join('; ')}`;
    })
    .join('\n');
}

/**
 * Declares the differential tests under `title`: one moto_server and one
 * botocore process for the file, every case compared by its own test. `names`
 * are the botocore services the cases use (set-up included), warmed while
 * `load` loads the cases (and with them their SDK clients).
 */
export function describeDifferential(title: string, names: readonly string[], load: () => readonly ServiceCases[]): void {
  const started = prepare(names);
  const services = load();
  const used = services.flatMap((service) => [
    service.service,
    ...(service.setUp ?? []).map((step) => step.service ?? service.service),
  ]);
  const unnamed = [...new Set(used)].filter((name) => !names.includes(name));
  if (unnamed.length > 0)
    throw new Error(`describeDifferential(${JSON.stringify(title)}): add ${unnamed.join(', ')} to its services`);
  describeIfMoto(title, () => {
    let moto: MotoServer;
    let botocore: BotocoreSide;
    const clients = new Map<string, SdkClient & { destroy(): void }>();
    let saved: Saved = {};
    let theirs = new Map<string, BotocoreResult>();
    const ours = new Map<string, OurPages | OurWait | { failed: unknown }>();
    let theirsFromOurs = new Map<string, BotocoreResult>();

    const pageRun = async (service: ServiceCases, p: PaginatorCase, options: object): Promise<OurPages> => {
      const client = clients.get(service.service)!;
      const key = firstResultKey(p.paginator);
      const pages = await lastValueFrom(paginate(p.paginator, client, resolveInput(p.input, saved), options).pipe(toArray()));
      return {
        pages: pages.map((page) => {
          const found = at(page, key);
          return (Array.isArray(found) ? found : found === undefined ? [] : [found]).map((item) => at(item, p.itemKey));
        }),
        resumeToken: (pages.length > 0 && resumeTokenOf(pages[pages.length - 1]!)) || null,
      };
    };

    const waitRun = async (service: ServiceCases, w: WaiterCase): Promise<OurWait> => {
      const client = clients.get(service.service)!;
      const attempts: WaiterAttempt[] = [];
      const options = { delay: DELAY, maxAttempts: w.maxAttempts ?? 2 };
      try {
        await lastValueFrom(
          waitForAttempts(w.waiter, client, resolveInput(w.input, saved), options).pipe(tap((a) => attempts.push(a))),
        );
        const last = attempts[attempts.length - 1]!;
        return { outcome: last.response.ok ? 'success' : 'success on error', reason: null, attempts: attempts.length, last };
      } catch (error) {
        if (!(error instanceof WaiterError))
          return { outcome: 'threw', reason: String(error), attempts: attempts.length, thrown: error };
        return { outcome: error.kind, reason: error.message, attempts: error.attempts, last: attempts[attempts.length - 1] };
      }
    };

    const cases = (): BotocoreCase[] =>
      services.flatMap((service) => [
        ...(service.paginators ?? []).flatMap((p): BotocoreCase[] => {
          const base = {
            kind: 'paginate' as const,
            service: service.service,
            operation: operationOf(p.paginator),
            input: resolveInput(p.input, saved),
            ...(p.itemKey !== undefined && { itemKey: p.itemKey }),
            ...(p.pageSize !== undefined && { pageSize: p.pageSize }),
          };
          return [
            { ...base, id: paginatorId(service.service, p, 'all') },
            { ...base, id: paginatorId(service.service, p, 'cut'), maxItems: defaultMaxItems(p), resume: true },
          ];
        }),
        ...(service.waiters ?? []).map((w): BotocoreCase => ({
          id: waiterId(service.service, w),
          kind: 'wait',
          service: service.service,
          waiter: w.name,
          ...(w.own && { spec: { ...w.waiter.spec, operation: operationOf(w.waiter) } }),
          input: resolveInput(w.input, saved),
          delay: DELAY,
          maxAttempts: w.maxAttempts ?? 2,
        })),
      ]);

    // A case that throws fails its own test, not the file's set-up.
    const settle = async (id: string, run: () => Promise<OurPages | OurWait>) => {
      try {
        ours.set(id, await run());
      } catch (error) {
        ours.set(id, { failed: error });
      }
    };
    const ourPages = (id: string): OurPages => {
      const result = ours.get(id);
      if (result && 'failed' in result) throw result.failed;
      return result as OurPages;
    };

    const runOurs = async () => {
      for (const service of services) {
        for (const p of service.paginators ?? []) {
          const size = p.pageSize === undefined ? {} : { pageSize: p.pageSize };
          await settle(paginatorId(service.service, p, 'all'), () => pageRun(service, p, size));
          await settle(paginatorId(service.service, p, 'cut'), () =>
            pageRun(service, p, { ...size, maxItems: defaultMaxItems(p) }),
          );
        }
        for (const w of service.waiters ?? []) await settle(waiterId(service.service, w), () => waitRun(service, w));
      }
    };

    beforeAll(async () => {
      const t0 = Date.now();
      const lap = (what: string) => process.env.DIFF_TIMING && console.log(`${what}: ${Date.now() - t0} ms`);
      ({ moto, botocore } = await started!.ready);
      lap('moto');
      for (const service of services) clients.set(service.service, service.client(moto.clientConfig()));
      saved = await botocore.setUp(
        services.flatMap((service) => (service.setUp ?? []).map((step) => ({ service: service.service, ...step }))),
      );
      lap('set-up');
      const [botocoreResults] = await Promise.all([
        botocore.run(cases()).finally(() => lap('botocore')),
        runOurs().finally(() => lap('ours')),
      ]);
      theirs = botocoreResults;
      // Round 3: botocore resumes from our tokens, we resume from botocore's.
      const resumes: BotocoreCase[] = [];
      for (const service of services) {
        for (const p of service.paginators ?? []) {
          const id = paginatorId(service.service, p, 'cut');
          const cut = ours.get(id);
          const ourToken = cut && 'resumeToken' in cut ? cut.resumeToken : null;
          const theirToken = (theirs.get(id) as BotocorePages | undefined)?.resumeToken ?? null;
          const size = p.pageSize === undefined ? {} : { pageSize: p.pageSize };
          if (ourToken !== null) {
            resumes.push({
              id,
              kind: 'paginate',
              service: service.service,
              operation: operationOf(p.paginator),
              input: resolveInput(p.input, saved),
              ...(p.itemKey !== undefined && { itemKey: p.itemKey }),
              ...size,
              startingToken: ourToken,
            });
            await settle(`${id} ours from ours`, () => pageRun(service, p, { ...size, startingToken: ourToken }));
          }
          if (theirToken !== null)
            await settle(`${id} ours from botocore`, () => pageRun(service, p, { ...size, startingToken: theirToken }));
        }
      }
      theirsFromOurs = await botocore.run(resumes);
      lap('resumes');
    }, 300_000);

    afterAll(async () => {
      if (process.env.DIFF_SUMMARY) console.log(summary(services));
      for (const client of clients.values()) client.destroy();
      await started?.stop();
    });

    const botocoreResult = <T>(id: string): T => {
      const result = theirs.get(id);
      if (!result) throw new Error(`botocore did not run ${id}`);
      if ('error' in result) throw new Error(`botocore failed ${id}: ${result.error}`);
      return result as unknown as T;
    };

    for (const service of services) {
      describe(`${service.service} (${service.protocol})`, () => {
        for (const p of service.paginators ?? []) {
          const name = operationOf(p.paginator);
          it(`${name}: ${pagingTitle(p)}, the same pages as botocore`, () => {
            const their = botocoreResult<BotocorePages>(paginatorId(service.service, p, 'all'));
            const our = ourPages(paginatorId(service.service, p, 'all'));
            expect(our.pages).toEqual(their.pages);
            expect(their.pages.flat()).toHaveLength(p.items);
            if (p.pageSize !== undefined) {
              if (p.paging === 'pages') expect(their.pages.length).toBeGreaterThan(1);
              else expect(their.pages).toHaveLength(1);
            }
          });

          const varying = p.tokensVary === undefined ? '' : ` (service tokens compared by shape only: ${p.tokensVary})`;
          it(`${name}: maxItems ${defaultMaxItems(p)} prints botocore's resume token${varying}, and each side resumes from the other's`, () => {
            const id = paginatorId(service.service, p, 'cut');
            const their = botocoreResult<BotocorePages>(id);
            const our = ourPages(id);
            expect(our.pages).toEqual(their.pages);
            expect(their.resumeToken).not.toBeNull();
            // README, deliberate difference 19: a token that cuts a page also records the page size it was cut at.
            const limitKey = p.paginator.spec.limit_key;
            const decoded = decodeToken(our.resumeToken) as Record<string, unknown>;
            const recorded =
              limitKey !== undefined && p.pageSize !== undefined && 'boto_truncate_amount' in decoded
                ? { [limitKey]: p.pageSize }
                : {};
            const expected: Record<string, unknown> = { ...(decodeToken(their.resumeToken) as object), ...recorded };
            if (p.tokensVary !== undefined) {
              for (const key of [p.paginator.spec.input_token].flat())
                if (typeof key === 'string' && key in expected) expected[key] = expect.any(String);
            }
            expect(decoded).toEqual(expected);
            // Resumed either way, the rest is the same, and nothing is lost or repeated.
            const all = botocoreResult<BotocorePages>(paginatorId(service.service, p, 'all')).pages.flat();
            const ourFromTheirs = ourPages(`${id} ours from botocore`);
            expect(ourFromTheirs.pages).toEqual(their.resumed);
            expect([...their.pages.flat(), ...ourFromTheirs.pages.flat()]).toEqual(all);
            const theirsFromOur = theirsFromOurs.get(id) as BotocorePages;
            expect(theirsFromOur.pages).toEqual(ourPages(`${id} ours from ours`).pages);
            expect([...our.pages.flat(), ...theirsFromOur.pages.flat()]).toEqual(all);
          });
        }

        for (const w of service.waiters ?? []) {
          const versus = w.deliberate
            ? `where botocore ends in ${w.deliberate.botocore} (deliberate: ${w.deliberate.why})`
            : `as botocore${w.own ? ' running the same spec' : ''}`;
          it(`${w.name} (${w.state}): ${w.expect}, ${versus}`, () => {
            const their = botocoreResult<BotocoreWait>(waiterId(service.service, w));
            const result = ours.get(waiterId(service.service, w));
            if (result && 'failed' in result) throw result.failed;
            const our = result as OurWait;
            if (our.outcome === 'threw') throw our.thrown;
            const theirOutcome: Outcome =
              their.outcome === 'success' && their.lastCode !== null ? 'success on error' : their.outcome;
            expect(our.outcome).toBe(w.expect);
            if (w.deliberate) {
              expect(theirOutcome).toBe(w.deliberate.botocore);
              return;
            }
            expect({ outcome: our.outcome, attempts: our.attempts }).toEqual({ outcome: theirOutcome, attempts: their.attempts });
            // botocore's message, word for word, where it explains an outcome (README, difference 5: a timeout names the acceptor that matched).
            if (our.outcome === 'failure' || our.outcome === 'error') expect(our.reason).toBe(their.reason);
            // The code botocore saw is one the SDK's exception answers to, where an error acceptor matched it.
            if (
              their.lastCode !== null &&
              (our.last?.acceptor?.matcher === 'error' || our.last?.acceptor?.matcher === 'errorType')
            ) {
              expect(our.last?.response.ok).toBe(false);
              expect(errorCodesOf(our.last?.response.ok === false ? our.last.response.error : undefined)).toContain(
                their.lastCode,
              );
            }
          });
        }

        for (const gap of service.gaps ?? []) it.skip(`${gap.name}: not compared, ${gap.reason}`, () => undefined);
      });
    }
  });
}

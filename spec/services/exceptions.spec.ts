/**
 * The `exceptions` map of generated waiters (docs/differential.md, "What the generator emits"): recorded by
 * refresh:services from botocore's service models, emitted by the generator, and typed by the exception's name.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateModule } from '../../src/services/codegen/generate';
import { botocoreDataDir, exceptionsOf, readModel, type BotocoreModel } from '../../src/services/codegen/refreshServices';
import { readServiceList } from '../../src/services/codegen/serviceList';

const ROOT = join(__dirname, '../..');
const list = readServiceList();
const subpathOf = new Map(list.services.map((s) => [s.botocore?.split('/')[0], s.subpath]));

/** The table of docs/differential.md: botocore service → waiter → its exceptions map. */
function documented(): Map<string, Map<string, Record<string, string>>> {
  const text = readFileSync(join(ROOT, 'docs/differential.md'), 'utf8');
  const section = text.slice(text.indexOf('## What the generator emits'));
  const table = new Map<string, Map<string, Record<string, string>>>();
  for (const line of section.slice(0, section.indexOf('\n## ', 1)).split('\n')) {
    const row = /^\| (\S+) \| ([A-Za-z, ]+) \| `(\w+)` → `(\w+)` \|$/.exec(line);
    if (!row) continue;
    const [, service, waiters, code, exception] = row;
    const byWaiter = table.get(service!) ?? new Map<string, Record<string, string>>();
    for (const waiter of waiters!.split(', ')) byWaiter.set(waiter, { ...byWaiter.get(waiter), [code!]: exception! });
    table.set(service!, byWaiter);
  }
  return table;
}

type Waiter = { spec: { acceptors?: unknown[] }; exceptions?: Record<string, string> };
const table = documented();

describe('exceptions of generated waiters', () => {
  it('the table names 8 services, the ones services.json records exceptions for', () => {
    expect([...table.keys()].map((s) => subpathOf.get(s)).sort()).toEqual(
      list.services.filter((s) => s.exceptions !== undefined).map((s) => s.subpath),
    );
    expect(table.size).toBe(8);
  });

  it.each([...table].map(([service, waiters]) => [service, waiters] as const))(
    '%s: each waiter of the table carries its map, and no other waiter has one',
    (service, waiters) => {
      const subpath = subpathOf.get(service)!;
      const module = require(join(ROOT, 'src/services/generated', subpath, 'specs.ts')) as Record<string, Waiter>;
      const mapped = Object.fromEntries(
        Object.entries(module).flatMap(([name, bound]) => (bound.exceptions ? [[name, bound.exceptions]] : [])),
      );
      expect(mapped).toEqual(Object.fromEntries(waiters));
    },
  );

  it.each([...table].map(([service, waiters]) => [service, waiters] as const))(
    "%s: a waiter that succeeds on the code types what it emits by the exception's name",
    (service, waiters) => {
      const subpath = subpathOf.get(service)!;
      const text = readFileSync(join(ROOT, 'src/services/generated', subpath, 'specs.ts'), 'utf8');
      const module = require(join(ROOT, 'src/services/generated', subpath, 'specs.ts')) as Record<string, Waiter>;
      for (const [name, exceptions] of waiters) {
        const declaration = text.slice(text.indexOf(`export const ${name}: BoundWaiter<`)).split('> = {')[0]!;
        const acceptors = (module[name]!.spec.acceptors ?? []) as { matcher: string; expected: unknown; state: string }[];
        for (const [code, exception] of Object.entries(exceptions)) {
          const succeeds = acceptors.some((a) => a.matcher === 'error' && a.expected === code && a.state === 'success');
          expect(declaration.includes(`'${exception}'`)).toBe(succeeds);
          expect(declaration).not.toContain(`'${code}'`);
        }
      }
    },
  );
});

describe('generateModule with an exceptions map', () => {
  const waiter = (acceptors: object[]) => ({ operation: 'DescribeThing', delay: 1, maxAttempts: 2, acceptors });
  const gone = { matcher: 'error', expected: 'ThingNotFound', state: 'success' };
  const retry = { matcher: 'error', expected: 'Busy', state: 'retry' };
  const text = generateModule({
    service: 'x',
    client: 'sdk',
    clientClass: 'XClient',
    serviceId: 'X',
    commands: ['DescribeThing'],
    paginators: {},
    waiters: { Deleted: waiter([gone, retry]), Ready: waiter([retry]), Other: waiter([{ ...gone, expected: 'Else' }]) },
    exceptions: { ThingNotFound: 'ThingNotFoundFault', Busy: 'BusyFault', Unused: 'UnusedFault' },
    smithy: {
      model: 'x.json',
      paginators: {},
      waiters: {
        Gone: {
          operation: 'DescribeThing',
          spec: { acceptors: [{ state: 'success', matcher: { errorType: 'ThingNotFound' } }] },
        },
      },
    },
  }).text;
  const block = (name: string) => text.slice(text.indexOf(`export const ${name}:`)).split('\n};')[0]!;
  /** The type arguments of its BoundWaiter, past input, output and client: its success errors, if any. */
  const successErrors = (name: string) =>
    block(name)
      .split('> = {')[0]!
      .split('BoundWaiter<')[1]!
      .split(',')
      .map((arg) => arg.trim())
      .slice(3);

  it("gives each botocore waiter the codes its acceptors name, and types its success errors by the exception's name", () => {
    expect(successErrors('Deleted')).toEqual(["'ThingNotFoundFault'"]);
    expect(block('Deleted')).toContain("  exceptions: { Busy: 'BusyFault', ThingNotFound: 'ThingNotFoundFault' },");
    expect(block('Ready')).toContain("  exceptions: { Busy: 'BusyFault' },");
    expect(successErrors('Ready')).toEqual([]);
  });

  it('leaves codes the map does not name, and Smithy waiters (whose errorType names the exception), as they are', () => {
    expect(successErrors('Other')).toEqual(["'Else'"]);
    expect(block('Other')).not.toContain('exceptions');
    expect(successErrors('Gone')).toEqual(["'ThingNotFound'"]);
    expect(block('Gone')).not.toContain('exceptions');
  });
});

describe('exceptionsOf (refresh:services)', () => {
  const shapes: BotocoreModel['shapes'] = {
    ClusterNotFoundFault: { exception: true, error: { code: 'ClusterNotFound' } },
    ResourceNotFound: { exception: true, error: { code: 'ResourceNotFound' } },
    ResourceNotFoundException: { exception: true, error: { code: 'ResourceNotFound' } },
    SameName: { exception: true },
  };
  const waiters = {
    W: {
      acceptors: ['ClusterNotFound', 'ResourceNotFound', 'SameName', 'InvalidInstanceID.NotFound', true].map((expected) => ({
        matcher: 'error',
        expected,
        state: 'success',
      })),
    },
    P: { acceptors: [{ matcher: 'path', argument: 'ClusterNotFound', expected: 'ClusterNotFound', state: 'success' }] },
  };
  const model = (metadata: Partial<BotocoreModel['metadata']>): BotocoreModel => ({
    metadata: { serviceId: 'X', ...metadata },
    operations: {},
    shapes,
  });

  it("maps an error acceptor's code to the shape whose @awsQueryError code it is, on the query protocols", () => {
    expect(exceptionsOf(model({ protocol: 'query' }), waiters)).toEqual({ ClusterNotFound: 'ClusterNotFoundFault' });
    expect(exceptionsOf(model({ protocol: 'ec2' }), waiters)).toEqual({ ClusterNotFound: 'ClusterNotFoundFault' });
  });

  it('and on JSON or CBOR services in query-compatible mode, but on no other protocol', () => {
    expect(exceptionsOf(model({ protocol: 'smithy-rpc-v2-cbor', awsQueryCompatible: {} }), waiters)).toEqual({
      ClusterNotFound: 'ClusterNotFoundFault',
    });
    for (const protocol of ['json', 'rest-json', 'rest-xml']) expect(exceptionsOf(model({ protocol }), waiters)).toBeUndefined();
  });

  it('gives nothing for a waiter without such a code', () => {
    expect(exceptionsOf(model({ protocol: 'query' }), { P: waiters.P })).toBeUndefined();
  });
});

function botocoreData(): string | undefined {
  try {
    execFileSync('python3', ['-c', 'import botocore'], { stdio: 'ignore' });
    return botocoreDataDir();
  } catch {
    return undefined;
  }
}
const data = botocoreData();

(data ? describe : describe.skip)("services.json's exceptions (botocore's service models on this machine)", () => {
  it('are what refresh:services records from them', () => {
    const corpus = JSON.parse(readFileSync(join(ROOT, 'src/specs/data/botocore/corpus.json'), 'utf8')) as Record<
      string,
      { waiters?: Record<string, unknown> }
    >;
    const recorded = list.services.flatMap((s) => {
      if (s.botocore === undefined) return [];
      const [name, version] = s.botocore.split('/') as [string, string];
      const exceptions = exceptionsOf(readModel(join(data!, name, version)), corpus[s.botocore]?.waiters ?? {});
      return exceptions ? [[s.subpath, exceptions] as const] : [];
    });
    expect(Object.fromEntries(recorded)).toEqual(
      Object.fromEntries(list.services.flatMap((s) => (s.exceptions ? [[s.subpath, s.exceptions]] : []))),
    );
  });
});

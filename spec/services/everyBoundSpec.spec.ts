/**
 * Every bound paginator and waiter of every subpath compiles and runs once as an app that never called
 * `useFullJmespath()` gets it: this file's module registry never installs an evaluator (nothing here opts in, and jest
 * gives each test file a registry of its own), so a shipped spec that needs full JMESPath must carry it.
 *
 * The client is a labelled fake, `send` answering one scripted empty response: what is tested is that each spec
 * compiles and evaluates every expression it has on a response, not a service. The client packages this repository
 * does not install are stood in for by modules whose every `<Name>Command` is a class keeping its input.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, take, toArray } from 'rxjs';
import { paginate } from '../../src/operators/paginate/paginate';
import { waitForAttempts } from '../../src/operators/wait/waitForAttempts';
import { isBound, type BoundPaginator, type BoundWaiter } from '../../src/specs/bound';
import { compilePaginator } from '../../src/specs/compilePaginator';
import { compileWaiter } from '../../src/specs/compileWaiter';
import { installedJmespath } from '../../src/specs/jmespathEngine';
import { readServiceList } from '../../src/services/codegen/serviceList';

const ROOT = join(__dirname, '../..');
const GENERATED = join(ROOT, 'src/services/generated');
const subpaths = readdirSync(GENERATED, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const packages = new Map(readServiceList().services.map((s) => [s.subpath, s.package]));

/** A stand-in client package: any `<Name>Command` is a class keeping its input. */
function standIn(): object {
  const classes = new Map<string, unknown>();
  return new Proxy(
    {},
    {
      get: (_, name) => {
        if (typeof name !== 'string' || !name.endsWith('Command')) return undefined;
        if (!classes.has(name))
          classes.set(
            name,
            {
              [name]: class {
                constructor(readonly input: unknown) {}
              },
            }[name],
          );
        return classes.get(name);
      },
    },
  );
}

for (const pkg of new Set(packages.values())) {
  let installed = true;
  try {
    require.resolve(pkg);
  } catch {
    installed = false;
  }
  if (!installed) jest.doMock(pkg, standIn, { virtual: true });
}

/** The labelled fake client: every request is answered with the same empty response. */
const scripted = { sent: 0, send: async () => (scripted.sent++, {}) };

type Bound = { spec: object; command: unknown; operation?: string };

describe('every bound spec of every subpath, in a registry that never opted in to full JMESPath', () => {
  const modules = subpaths.map((subpath) => [subpath, require(join(GENERATED, subpath)) as Record<string, unknown>] as const);

  it('covers every subpath', () => {
    expect(modules.length).toBe(subpaths.length);
    expect(subpaths.length).toBeGreaterThanOrEqual(281);
  });

  it.each(modules)('%s: each paginator pages once and each waiter polls once on a scripted response', async (_, module) => {
    let checked = 0;
    for (const [name, value] of Object.entries(module)) {
      if (typeof value !== 'object' || value === null || !isBound(value)) continue;
      const bound = value as Bound;
      const before = scripted.sent;
      if (compileBound(bound).kind === 'paginator') {
        const pages = await lastValueFrom(paginate(bound as BoundPaginator<object, object>, scripted, {}).pipe(toArray()));
        // No token in the response: exactly one page, from exactly one request.
        expect([name, pages.length, scripted.sent - before]).toEqual([name, 1, 1]);
      } else {
        const attempts = await lastValueFrom(
          waitForAttempts(bound as BoundWaiter<object, object>, scripted, {}, { maxWaitTime: 60 }).pipe(take(1), toArray()),
        );
        expect([name, attempts.length, scripted.sent - before]).toEqual([name, 1, 1]);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
    expect(installedJmespath()).toBeUndefined();
  });
});

/** A bound spec compiled as what it is: a paginator has an operation name and a paginator spec. */
function compileBound(bound: Bound): { kind: string } {
  return 'input_token' in bound.spec ? compilePaginator(bound as never) : compileWaiter(bound as never);
}

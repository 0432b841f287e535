import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  generateAll,
  generateModule,
  latestCorpusEntry,
  type Generated,
  type Unbound,
} from '../../src/services/codegen/generate';
import { SMITHY_PATH, type SmithySpecs } from '../../src/services/codegen/extractSmithy';
import { CORPUS_PATH, readServiceList } from '../../src/services/codegen/serviceList';
import { isBound } from '../../src/specs/bound';
import { compilePaginator } from '../../src/specs/compilePaginator';
import { compileWaiter } from '../../src/specs/compileWaiter';
import { useFullJmespath } from '../../src/specs/fullJmespath';

const ROOT = join(__dirname, '../..');
type Corpus = Parameters<typeof latestCorpusEntry>[0];
const corpus = JSON.parse(readFileSync(CORPUS_PATH, 'utf8')) as Corpus;
const list = readServiceList();
const smithy = JSON.parse(readFileSync(SMITHY_PATH, 'utf8')) as SmithySpecs;
const generated: Generated = generateAll();
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, unknown>>;
const installed = list.services.filter((s) => s.package in (pkg['devDependencies'] ?? {}));

describe('src/services/codegen/generate.ts', () => {
  it('every file the service list drives is what the generator writes (run `npm run generate`)', () => {
    const stale = [...generated.files].filter(([path, text]) => readFileSync(join(ROOT, path), 'utf8') !== text);
    expect(stale.map(([path]) => path)).toEqual([]);
    // The list drives all of them: modules, entries, package.json blocks, typedoc.
    expect(generated.files.has('package.json')).toBe(true);
    expect(generated.files.has('typedoc.json')).toBe(true);
    expect(generated.files.has('src/services/generated/s3/index.ts')).toBe(true);
    // A service with extras gets its entry generated too, exporting them under their own module documentation.
    expect(generated.files.get('src/services/generated/dynamodb/index.ts')).toContain("export * from '../../extras/dynamodb';");
  });

  it('gives every service a subpath: exports with types, typesVersions, an optional peer (meta only), a typedoc entry', () => {
    const typedoc = JSON.parse(readFileSync(join(ROOT, 'typedoc.json'), 'utf8')) as { entryPoints: string[] };
    const exportsMap = pkg['exports']!;
    const typesVersions = (pkg['typesVersions'] as Record<string, Record<string, string[]>>)['*']!;
    // Every folder of src/services/generated is a subpath, and nothing else is.
    const folders = readdirSync(join(ROOT, 'src/services/generated'), { withFileTypes: true }).filter((d) => d.isDirectory());
    expect(folders.map((d) => d.name).sort()).toEqual(generated.published.map((s) => s.subpath).sort());
    // A service for which botocore has nothing gets no subpath; one with extras keeps it.
    expect(generated.published.find((s) => s.subpath === 'sts')).toBeUndefined();
    expect(generated.published.find((s) => s.subpath === 'dynamodb-streams')).toBeDefined();
    for (const s of generated.published) {
      expect(exportsMap[`./${s.subpath}`]).toEqual({
        import: {
          types: `./dist/esm/services/generated/${s.subpath}/index.d.ts`,
          default: `./dist/esm/services/generated/${s.subpath}/index.js`,
        },
        require: {
          types: `./dist/cjs/services/generated/${s.subpath}/index.d.ts`,
          default: `./dist/cjs/services/generated/${s.subpath}/index.js`,
        },
      });
      expect(typesVersions[s.subpath]).toEqual([`dist/cjs/services/generated/${s.subpath}/index.d.ts`]);
      // An optional peer by peerDependenciesMeta alone (docs/package.md): npm does not fetch it, pnpm and yarn link it.
      expect(pkg['peerDependencies']![s.package]).toBeUndefined();
      expect(pkg['peerDependenciesMeta']![s.package]).toEqual({ optional: true });
      expect(typedoc.entryPoints).toContain(`src/services/generated/${s.subpath}/index.ts`);
    }
    expect(Object.keys(exportsMap)).toEqual(expect.arrayContaining(['.', './dynamodb', './ec2', './signing', './package.json']));
    expect(pkg['peerDependencies']!['rxjs']).toBe('^7.8.0');
    expect(pkg['peerDependenciesMeta']!['rxjs']).toBeUndefined();
  });

  it('indexes every operation under docs/operations, titles TypeDoc modules by import path, and lands on the index', () => {
    const pages = readdirSync(join(ROOT, 'docs/operations')).sort();
    expect(pages).toEqual(['README.md', ...generated.published.map((s) => `${s.subpath}.md`)].sort());
    const index = generated.files.get('docs/operations/README.md')!;
    for (const s of generated.published) {
      expect(index).toContain(`[\`rxjs-aws/${s.subpath}\`](${s.subpath}.md)`);
      expect(generated.files.get(`src/services/generated/${s.subpath}/index.ts`)).toContain(` * @module rxjs-aws/${s.subpath}\n`);
      const page = generated.files.get(`docs/operations/${s.subpath}.md`)!;
      for (const e of generated.modules.get(`src/services/generated/${s.subpath}/specs.ts`)?.entries ?? []) {
        expect(page).toContain(`| \`${e.exported}\` | \`${e.operation}\` |`);
      }
    }
    // What a newcomer looks for is one click from the landing page.
    expect(index).toContain('`ListObjectsV2` in\n  [`rxjs-aws/s3`](s3.md)');
    expect(generated.files.get('docs/operations/s3.md')).toContain(
      '| `ListObjectsV2` | `ListObjectsV2` | `Contents`, `CommonPrefixes` | `MaxKeys` |',
    );
    expect(generated.files.get('docs/operations/cloudformation.md')).toContain(
      '| `StackCreateComplete` | `DescribeStacks` | every 30 s, 120 attempts |',
    );
    // A Smithy waiter's page says it needs a deadline.
    expect(generated.files.get('docs/operations/auto-scaling.md')).toContain('give `maxWaitTime`');
    const typedoc = JSON.parse(generated.files.get('typedoc.json')!) as { readme: string };
    expect(typedoc.readme).toBe('docs/operations/README.md');
  });

  it('names subpaths after the SDK package', () => {
    const byBotocore = new Map(list.services.map((s) => [s.botocore?.split('/')[0], s.subpath]));
    expect(byBotocore.get('logs')).toBe('cloudwatch-logs');
    expect(byBotocore.get('stepfunctions')).toBe('sfn');
    expect(byBotocore.get('elbv2')).toBe('elastic-load-balancing-v2');
    expect(byBotocore.get('route53')).toBe('route-53');
    expect(byBotocore.get('dynamodb')).toBe('dynamodb');
    expect(byBotocore.get('ec2')).toBe('ec2');
    for (const s of list.services)
      expect(s.package.endsWith(`/client-${s.subpath}`) || s.package === `@aws-sdk/${s.subpath}`).toBe(true);
  });

  it('binds or reports every paginator and waiter of the corpus and of the Smithy models, with the reason', () => {
    const unbound = JSON.parse(readFileSync(join(ROOT, 'src/services/codegen/unbound.json'), 'utf8')) as Unbound[];
    const reported = new Set(unbound.filter((u) => u.source === 'botocore').map((u) => `${u.corpus} ${u.kind} ${u.name}`));
    const bound = new Set<string>();
    const boundSmithy = new Set<string>();
    for (const [path, module] of generated.modules) {
      const subpath = path.split('/')[3]!;
      const key = list.services.find((s) => s.subpath === subpath)!.botocore!;
      for (const e of module.entries) {
        if (e.source === 'botocore') bound.add(`${key} ${e.kind} ${e.name}`);
        else boundSmithy.add(`${subpath} ${e.kind} ${e.name}`);
      }
    }
    let total = 0;
    for (const [key, entry] of Object.entries(corpus)) {
      for (const [kind, specs] of [
        ['paginator', entry.paginators ?? {}],
        ['waiter', entry.waiters ?? {}],
      ] as const) {
        for (const name of Object.keys(specs)) {
          total++;
          const id = `${key} ${kind} ${name}`;
          expect([id, bound.has(id) !== reported.has(id)]).toEqual([id, true]);
        }
      }
    }
    expect(total).toBe(3294 + 602);
    expect(bound.size + reported.size).toBe(total);
    // Latest versions: everything of botocore's with an SDK client is bound.
    expect(bound.size).toBe(2807 + 338);
    // Every Smithy spec botocore lacks is bound or reported, never both.
    const smithyReported = new Set(
      unbound
        .filter((u) => u.source === 'smithy' && u.reason !== 'no-spec-in-sources')
        .map((u) => `${u.kind} ${u.name} ${u.corpus}`),
    );
    for (const [subpath, model] of Object.entries(smithy.services)) {
      const entry = list.services.find((s) => s.subpath === subpath);
      const botocore = entry?.botocore ? corpus[entry.botocore]! : {};
      for (const [kind, specs] of [
        ['paginator', model.paginators],
        ['waiter', model.waiters],
      ] as const) {
        for (const name of Object.keys(specs)) {
          if (name in ((kind === 'paginator' ? botocore.paginators : botocore.waiters) ?? {})) continue;
          const id = `${subpath} ${kind} ${name}`;
          expect([id, boundSmithy.has(id) !== smithyReported.has(`${kind} ${name} ${model.model}`)]).toEqual([id, true]);
        }
      }
    }
    expect(boundSmithy.size).toBeGreaterThan(500);
    expect(new Set(unbound.map((u) => u.reason))).toEqual(
      new Set([
        'older-api-version',
        'no-sdk-client',
        'operation-missing-from-client',
        'no-service-entry',
        'no-spec-in-sources',
        'hand-written',
      ]),
    );
  });

  it("binds what only the SDK's model has, says where each spec came from, and lets botocore's win where both have one", () => {
    const dynamodb = generated.modules.get('src/services/generated/dynamodb/specs.ts')!;
    const sources = Object.fromEntries(dynamodb.entries.map((e) => [e.exported, e.source]));
    // botocore has no ListExports, ListImports, ListContributorInsights: the model does.
    expect(sources).toMatchObject({
      ListExports: 'smithy',
      ListImports: 'smithy',
      ListContributorInsights: 'smithy',
      Scan: 'botocore',
    });
    const text = generated.files.get('src/services/generated/dynamodb/specs.ts')!;
    expect(text).toContain(
      " * paginator of the SDK's Smithy model (botocore has none) ListExports: pages of `ListExportsCommand`.",
    );
    expect(text).toContain(' * botocore paginator Scan: pages of `ScanCommand`.');
    expect(text).toContain('aws/api-models-aws 56c8953e87ae');
    // Both have Scan: botocore's (with Count and ScannedCount) is bound.
    expect(dynamodb.entries.find((e) => e.name === 'Scan')!.spec).toEqual(corpus['dynamodb/2012-08-10']!.paginators!['Scan']);
    // A hand-written extra keeps its own spec: CloudWatch Logs' GetLogEvents stops on the same token, the model's does not.
    const logs = generated.modules.get('src/services/generated/cloudwatch-logs/specs.ts')!;
    expect(logs.entries.map((e) => e.name)).not.toContain('GetLogEvents');
    expect(logs.unbound).toContainEqual(expect.objectContaining({ name: 'GetLogEvents', reason: 'hand-written' }));
    // What the installed client has and neither source covers is reported by name.
    const unbound = JSON.parse(readFileSync(join(ROOT, 'src/services/codegen/unbound.json'), 'utf8')) as Unbound[];
    expect(unbound).toContainEqual(expect.objectContaining({ name: 'ListBulkOperations', reason: 'no-spec-in-sources' }));
  });

  it('lists where botocore and the model differ in what a spec does', () => {
    const elb = generated.modules.get('src/services/generated/elastic-load-balancing-v2/specs.ts')!;
    expect(elb.differences).toContainEqual({
      kind: 'paginator',
      name: 'DescribeLoadBalancers',
      detail: "limit_key: 'PageSize' vs none",
    });
    const readme = generated.files.get('src/services/generated/README.md')!;
    expect(readme).toContain(
      "| `rxjs-aws/elastic-load-balancing-v2` | paginator | DescribeLoadBalancers | limit_key: 'PageSize' vs none |",
    );
    // A 2xx status acceptor is what Smithy's `success: true` says: no difference.
    expect(readme).not.toContain('{ status: 200 }');
  });

  it('is deterministic whatever order the botocore maps come in', () => {
    const { paginators, waiters } = latestCorpusEntry(corpus, 'dynamodb');
    const reversed = <T>(record: Record<string, T>) => Object.fromEntries(Object.entries(record).reverse());
    const s = list.services.find((e) => e.subpath === 'dynamodb')!;
    const options = {
      smithy: smithy.services['dynamodb']!,
      smithyCommit: smithy.source.commit,
      service: 'dynamodb',
      client: s.package,
      clientClass: s.client,
      serviceId: s.serviceId,
      botocoreKey: s.botocore!,
      commands: s.commands!,
    };
    expect(generateModule({ ...options, paginators: reversed(paginators), waiters: reversed(waiters) }).text).toBe(
      generated.files.get('src/services/generated/dynamodb/specs.ts'),
    );
  });

  it('reports, and does not bind, a spec whose operation the client lacks', () => {
    const module = generateModule({
      service: 'x',
      client: 'sdk',
      clientClass: 'XClient',
      serviceId: 'X',
      commands: ['DescribeThing'],
      paginators: { ScanEverything: { input_token: 'A', output_token: 'B' } },
      waiters: { Gone: { operation: 'DescribeNothing', delay: 1, maxAttempts: 1, acceptors: [] } },
    });
    expect(module.paginators.size + module.waiters.size).toBe(0);
    expect(module.unbound.map((u) => [u.name, u.reason, u.detail])).toEqual([
      ['ScanEverything', 'operation-missing-from-client', 'sdk has no ScanEverythingCommand'],
      ['Gone', 'operation-missing-from-client', 'sdk has no DescribeNothingCommand'],
    ]);
  });

  it('suffixes a waiter named like a paginator, types items unknown for non-member result keys, wraps long lines', () => {
    const { text, waiters } = generateModule({
      service: 'x',
      client: 'sdk',
      clientClass: 'XClient',
      serviceId: 'X',
      commands: ['ListThings', 'DescribeThing'],
      paginators: { ListThings: { input_token: 'T', output_token: 'T', result_key: 'Things[].Name' } },
      waiters: { ListThings: { operation: 'DescribeThing', delay: 1, maxAttempts: 2, acceptors: [] } },
    });
    expect([...waiters]).toEqual([['ListThingsWaiter', 'ListThings']]);
    expect(text).toContain(
      'export const ListThingsWaiter: BoundWaiter<DescribeThingCommandInput, DescribeThingCommandOutput, XClient> = {',
    );
    expect(text).toContain(
      "BoundPaginator<\n  ListThingsCommandInput,\n  ListThingsCommandOutput,\n  unknown,\n  XClient,\n  'Things[].Name'\n> = {",
    );
    expect(text).toContain("const service: ServiceBinding = { serviceId: 'X', client: 'XClient', package: 'sdk' };");
    for (const module of generated.files.values()) {
      if (!module.startsWith('/*\n * Generated')) continue;
      const long = module.split('\n').filter((line) => line.length > 120 && !line.includes("'") && !line.startsWith(' *'));
      expect(long).toEqual([]);
    }
  });
});

describe('src/services/codegen/generate.ts types', () => {
  const module = (paginators: Record<string, unknown>, waiters: Record<string, unknown>) =>
    generateModule({
      service: 'x',
      client: 'sdk',
      clientClass: 'XClient',
      serviceId: 'X',
      commands: ['ListThings', 'DescribeThing'],
      paginators,
      waiters,
    }).text;
  const waiter = (...acceptors: object[]) => ({ Thing: { operation: 'DescribeThing', delay: 1, maxAttempts: 2, acceptors } });
  const declared = (text: string) => text.split('\n').find((line) => line.startsWith('export const Thing'));

  it('carries every result key of a paginator, as written, for items(spec, key)', () => {
    const text = module({ ListThings: { input_token: 'T', output_token: 'T', result_key: ['Things', 'Count', 'A.B'] } }, {});
    expect(text).toContain("  XClient,\n  'Things' | 'Count' | 'A.B'\n>");
    expect(module({ ListThings: { input_token: 'T', output_token: 'T' } }, {})).toContain(
      'BoundPaginator<ListThingsCommandInput, ListThingsCommandOutput, unknown, XClient, never>',
    );
  });

  it("types a waiter by the errors its success acceptors match: codes, any error, or none (the output's type alone)", () => {
    const prefix = 'export const Thing: BoundWaiter<DescribeThingCommandInput, DescribeThingCommandOutput, XClient';
    const gone = { matcher: 'error', expected: 'NotFound', state: 'success' };
    const alsoGone = { matcher: 'error', expected: 'Gone', state: 'success' };
    expect(declared(module({}, waiter(gone, alsoGone)))).toBe(`${prefix}, 'Gone' | 'NotFound'> = {`);
    expect(declared(module({}, waiter({ matcher: 'error', expected: true, state: 'success' })))).toBe(`${prefix}, string> = {`);
    // An SDK client rejects any status outside 2xx, whatever the error's code.
    expect(declared(module({}, waiter({ matcher: 'status', expected: 404, state: 'success' })))).toBe(`${prefix}, string> = {`);
    for (const responseOnly of [
      { matcher: 'status', expected: 200, state: 'success' },
      { matcher: 'error', expected: false, state: 'success' },
      { matcher: 'error', expected: 'NotFound', state: 'retry' },
      { matcher: 'path', argument: 'Thing.State', expected: 'ready', state: 'success' },
    ]) {
      expect(declared(module({}, waiter(responseOnly)))).toBe(`${prefix}> = {`);
    }
  });
});

describe('generated modules', () => {
  it.each(installed.filter((s) => s.botocore).map((s) => [s.subpath, s]))(
    '%s holds the corpus specs verbatim, bound to its SDK command classes',
    (_subpath, s) => {
      const sdk = require(s.package) as Record<string, unknown>;
      // A service botocore has nothing for (dynamodb-streams, which has extras) gets no specs module.
      const specsPath = join(ROOT, `src/services/generated/${s.subpath}/specs.ts`);
      const module = (existsSync(specsPath) ? require(specsPath) : {}) as Record<
        string,
        { spec: unknown; command: unknown; service: unknown }
      >;
      const { paginators, waiters } = corpus[s.botocore!]!;
      const fromModel =
        generated.modules.get(`src/services/generated/${s.subpath}/specs.ts`)?.entries.filter((e) => e.source === 'smithy') ?? [];
      expect(Object.keys(module).length).toBe(
        Object.keys(paginators ?? {}).length + Object.keys(waiters ?? {}).length + fromModel.length,
      );
      for (const e of fromModel) {
        expect(module[e.exported]!.command).toBe(sdk[`${e.operation}Command`]);
        expect(() => (e.kind === 'paginator' ? compilePaginator : compileWaiter)(module[e.exported] as never)).not.toThrow();
      }
      for (const [name, spec] of Object.entries(paginators ?? {})) {
        expect(module[name]!.spec).toEqual(spec);
        expect(module[name]!.command).toBe(sdk[`${name}Command`]);
        expect(module[name]!.service).toEqual({ serviceId: s.serviceId, client: s.client, package: s.package });
        expect(isBound(module[name]!)).toBe(true);
        expect(() => compilePaginator(module[name] as never)).not.toThrow();
      }
      for (const [name, spec] of Object.entries(waiters ?? {})) {
        const exported = module[name]?.spec === spec || !(name in (paginators ?? {})) ? name : `${name}Waiter`;
        expect(module[exported]!.spec).toEqual(spec);
        expect(module[exported]!.command).toBe(sdk[`${(spec as { operation: string }).operation}Command`]);
        expect(() => compileWaiter(module[exported] as never)).not.toThrow();
      }
      // The client class the types name is the package's, and its serviceId is what resolveSend checks.
      const Client = sdk[s.client] as new (config: object) => { config: { serviceId: string }; destroy(): void };
      const client = new Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
      expect(client.config.serviceId).toBe(s.serviceId);
      client.destroy();
    },
  );

  it("every spec of botocore's corpus compiles (as an app's own specs, with full JMESPath opted in)", () => {
    useFullJmespath();
    let count = 0;
    for (const s of list.services) {
      if (!s.botocore) continue;
      const { paginators = {}, waiters = {} } = corpus[s.botocore]!;
      for (const spec of Object.values(paginators)) compilePaginator(spec as never);
      for (const spec of Object.values(waiters)) compileWaiter(spec as never);
      count += Object.keys(paginators).length + Object.keys(waiters).length;
    }
    expect(count).toBeGreaterThan(3000);
  });

  it('the snapshot of each installed client matches the package (run npm run refresh:services)', () => {
    for (const s of installed) {
      if (!s.botocore) continue;
      const sdk = require(s.package) as Record<string, unknown>;
      const commands = Object.keys(sdk)
        .filter((k) => /^[A-Z][A-Za-z0-9]*Command$/.test(k) && typeof sdk[k] === 'function')
        .map((k) => k.slice(0, -'Command'.length));
      for (const needed of new Set([
        ...Object.keys(corpus[s.botocore]!.paginators ?? {}),
        ...Object.values(corpus[s.botocore]!.waiters ?? {}).map((w) => (w as { operation: string }).operation),
      ])) {
        expect([s.subpath, needed, commands.includes(needed)]).toEqual([s.subpath, needed, s.commands!.includes(needed)]);
      }
    }
  });
});

describe('entry points load only their own SDK package', () => {
  const loadedBy = (entry: string) => {
    const script = [
      "require('ts-node').register({ transpileOnly: true });",
      `require('./${entry}');`,
      'const sdk = Object.keys(require.cache).filter((p) => /node_modules\\/@aws-sdk\\/(client|lib)-/.test(p)).map((p) => p.match(/@aws-sdk\\/((client|lib)-[a-z0-9-]+)/)[1]);',
      "const own = Object.keys(require.cache).filter((p) => /\\/src\\/services\\/(generated|extras)\\//.test(p)).map((p) => p.split('/src/services/')[1].split('/')[1]);",
      'process.stdout.write(JSON.stringify({ sdk: [...new Set(sdk)].sort(), own: [...new Set(own)].sort() }));',
    ].join('\n');
    const output = execFileSync(process.execPath, ['-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '1' },
    });
    return JSON.parse(output) as { sdk: string[]; own: string[] };
  };

  it('the root loads no SDK and no service', () => {
    expect(loadedBy('src')).toEqual({ sdk: [], own: [] });
  });

  it('rxjs-aws/s3 loads @aws-sdk/client-s3 and its own specs only', () => {
    expect(loadedBy('src/services/generated/s3')).toEqual({ sdk: ['client-s3'], own: ['s3'] });
  });

  it('rxjs-aws/cloudwatch-logs loads @aws-sdk/client-cloudwatch-logs only', () => {
    expect(loadedBy('src/services/generated/cloudwatch-logs')).toEqual({
      sdk: ['client-cloudwatch-logs'],
      own: ['cloudwatch-logs'],
    });
  });

  it('the root does not load the AWS SDK (jest module registry)', () => {
    const loaded: string[] = [];
    jest.isolateModules(() => {
      for (const { package: name } of installed) {
        jest.doMock(name, () => {
          loaded.push(name);
          return {};
        });
      }
      const index = require('../../src') as Record<string, unknown>;
      expect(typeof index['paginate']).toBe('function');
      expect(index).not.toHaveProperty('Scan');
    });
    expect(loaded).toEqual([]);
  });
});

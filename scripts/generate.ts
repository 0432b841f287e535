/**
 * Generates everything the service list (`src/specs/data/sdk/services.json`, see scripts/serviceList.ts) drives:
 * - `src/services/<subpath>/generated.ts`: every botocore paginator and waiter of the service's newest API version
 *   whose operation the SDK client has, bound to its command and typed from the client package;
 * - `src/services/<subpath>/index.ts` (unless the entry is `hand-written`);
 * - `src/services/sdkStubs.d.ts`: stand-in types for the client packages that are not devDependencies, so this
 *   repository type-checks without installing hundreds of clients (never shipped: users' types come from their own client);
 * - package.json `exports`, `typesVersions`, `peerDependencies`, `peerDependenciesMeta`; typedoc.json `entryPoints`;
 * - `src/specs/data/sdk/unbound.json` and `src/services/README.md`: the subpath table and every botocore paginator or
 *   waiter that is not bound, with the reason.
 *
 * Usage: `npm run generate` writes them; `npm run generate:check` writes nothing and exits 1 when any differs.
 */
import { isPlainMemberPath } from '../src/specs/compileExpression';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CORPUS_PATH, readServiceList, type ServiceEntry, type ServiceList } from './serviceList';

/** The botocore release `src/specs/data/botocore/corpus.json` was taken from. */
export const BOTOCORE_VERSION = '1.43.11';

const ROOT = resolve(__dirname, '..');
export { CORPUS_PATH };

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
type JsonObject = { readonly [key: string]: Json };

export interface GenerateOptions {
  /** The subpath (`cloudwatch-logs`), used in the header. */
  readonly service: string;
  /** The SDK v3 package the commands and shapes come from (`@aws-sdk/client-cloudwatch-logs`). */
  readonly client: string;
  /** The client class of that package (`CloudWatchLogsClient`): the client type the bound specs take. @default 'SdkClient-shaped, untyped' */
  readonly clientClass: string;
  /** The client's `config.serviceId` (`CloudWatch Logs`), checked at run time. */
  readonly serviceId: string;
  /** The corpus key the specs come from (`logs/2014-03-28`), for the header. @default service */
  readonly botocoreKey?: string;
  /** botocore paginators: `paginators-1.json`'s `pagination` map. */
  readonly paginators: Readonly<Record<string, unknown>>;
  /** botocore waiters: `waiters-2.json`'s `waiters` map. */
  readonly waiters: Readonly<Record<string, unknown>>;
  /** The operations the client has a command for; a spec of any other operation is reported, not bound. */
  readonly commands: readonly string[];
  /** Module specifier of `src/specs/bound` as seen from the generated file. @default '../../specs/bound' */
  readonly boundImport?: string;
  /** @default BOTOCORE_VERSION */
  readonly botocoreVersion?: string;
}

/** A botocore paginator or waiter that is not bound, and why. */
export interface Unbound {
  /** Corpus key (`sdb/2009-04-15`). */
  readonly corpus: string;
  readonly kind: 'paginator' | 'waiter';
  readonly name: string;
  readonly reason: 'older-api-version' | 'no-sdk-client' | 'operation-missing-from-client';
  readonly detail: string;
}

/** What a generated module exports, for tests and reports. */
export interface GeneratedModule {
  readonly text: string;
  /** Export name → botocore paginator name. */
  readonly paginators: ReadonlyMap<string, string>;
  /** Export name → botocore waiter name. */
  readonly waiters: ReadonlyMap<string, string>;
  /** Specs of this service version not bound. */
  readonly unbound: readonly Unbound[];
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const RESERVED = new Set(['BoundPaginator', 'BoundWaiter', 'ItemOf', 'ServiceBinding']);
const WIDTH = 120;

/** Plain code-unit order: the same on every machine, unlike `localeCompare`. */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function fail(message: string): never {
  throw new Error(`generate: ${message}`);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A TS literal of JSON data: keys sorted, one line when it fits, else one member per line. */
function literal(value: Json, indent: string, room: number): string {
  const flat = flatLiteral(value);
  if (flat.length <= room || typeof value !== 'object' || value === null) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const rows = (value as readonly Json[]).map((v) => `${inner}${literal(v, inner, WIDTH - inner.length - 1)},`);
    return `[\n${rows.join('\n')}\n${indent}]`;
  }
  const obj = value as JsonObject;
  const rows = Object.keys(obj)
    .sort(byCodeUnit)
    .map((k) => {
      const head = `${inner}${key(k)}: `;
      return `${head}${literal(obj[k] as Json, inner, WIDTH - head.length - 1)},`;
    });
  return `{\n${rows.join('\n')}\n${indent}}`;
}

function flatLiteral(value: Json): string {
  if (Array.isArray(value)) return `[${(value as readonly Json[]).map(flatLiteral).join(', ')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort(byCodeUnit);
    return keys.length === 0 ? '{}' : `{ ${keys.map((k) => `${key(k)}: ${flatLiteral(value[k] as Json)}`).join(', ')} }`;
  }
  return quote(value);
}

function key(name: string): string {
  return IDENTIFIER.test(name) ? name : quote(name);
}

/** JSON scalars, with single-quoted strings. */
function quote(value: Json): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  const body = JSON.stringify(value).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
  return `'${body}'`;
}

/** Text safe inside a `/** … *\/` comment. */
function commentSafe(text: string): string {
  return text.replace(/\*\//g, '*\\/');
}

/** The first result key, when it names a top-level output member; else undefined (items are `unknown`). */
function firstTopLevelResultKey(spec: JsonObject): string | undefined {
  const resultKey = spec['result_key'];
  const first = Array.isArray(resultKey) ? resultKey[0] : resultKey;
  return typeof first === 'string' && IDENTIFIER.test(first) ? first : undefined;
}

/** Every result key of a paginator spec, as written (`'Items' | 'Count'`): the keys `items(spec, key)` accepts. */
function resultKeysType(spec: JsonObject): string {
  const resultKey = spec['result_key'];
  const keys = (Array.isArray(resultKey) ? resultKey : [resultKey]).filter((k): k is string => typeof k === 'string');
  return keys.length === 0 ? 'never' : [...new Set(keys)].map(quote).join(' | ');
}

/**
 * The error codes a botocore waiter's success acceptors match (`'ResourceNotFoundException'`; `string` for any
 * error), or undefined when it succeeds only on responses: what `waitFor` may emit besides the output.
 */
function successErrorsType(spec: JsonObject): string | undefined {
  const acceptors = Array.isArray(spec['acceptors']) ? spec['acceptors'] : [];
  const codes = new Set<string>();
  for (const acceptor of acceptors) {
    if (!isObject(acceptor) || acceptor['state'] !== 'success') continue;
    const { matcher, expected } = acceptor;
    // An SDK client rejects every status outside 2xx: S3's BucketNotExists succeeds on the 404 error, whatever its code.
    if (matcher === 'status' && typeof expected === 'number' && (expected < 200 || expected > 299)) return 'string';
    if (matcher !== 'error') continue;
    // `expected: false` succeeds on a response (no error); `true` on any error.
    if (expected === true) return 'string';
    if (typeof expected === 'string') codes.add(expected);
  }
  return codes.size === 0 ? undefined : [...codes].sort(byCodeUnit).map(quote).join(' | ');
}

/** `export const Name: Type<A, B> = {`, with the type arguments one per line when the line would be too long. */
function declaration(name: string, type: string, args: readonly string[]): string {
  const flat = `export const ${name}: ${type}<${args.join(', ')}> = {`;
  if (flat.length <= WIDTH) return flat;
  return [`export const ${name}: ${type}<`, `  ${args.join(',\n  ')}`, '> = {'].join('\n');
}

/**
 * The text of one service module.
 * @example
 * ```ts
 * const { text } = generateModule({ service: 'dynamodb', client: '@aws-sdk/client-dynamodb', clientClass: 'DynamoDBClient',
 *   serviceId: 'DynamoDB', paginators, waiters, commands: ['Scan', 'DescribeTable'] });
 * ```
 */
export function generateModule(options: GenerateOptions): GeneratedModule {
  const { service, client, clientClass, serviceId, boundImport = '../../specs/bound' } = options;
  const { botocoreVersion = BOTOCORE_VERSION, botocoreKey = service } = options;
  const commands = new Set(options.commands);
  const reserved = new Set([...RESERVED, clientClass, 'service']);
  const unbound: Unbound[] = [];
  const missing = (kind: Unbound['kind'], name: string, operation: string) =>
    unbound.push({
      corpus: botocoreKey,
      kind,
      name,
      reason: 'operation-missing-from-client',
      detail: `${client} has no ${operation}Command`,
    });

  const paginatorExports = new Map<string, string>();
  const waiterExports = new Map<string, string>();
  const operations = new Set<string>();

  for (const name of Object.keys(options.paginators).sort(byCodeUnit)) {
    if (!IDENTIFIER.test(name) || reserved.has(name))
      fail(`${service}: paginator name ${JSON.stringify(name)} is not usable as an export`);
    if (!isObject(options.paginators[name])) fail(`${service}: paginator ${name} is not an object`);
    if (!commands.has(name)) {
      missing('paginator', name, name);
      continue;
    }
    paginatorExports.set(name, name);
    operations.add(name);
  }
  for (const name of Object.keys(options.waiters).sort(byCodeUnit)) {
    const spec = options.waiters[name];
    if (!isObject(spec)) fail(`${service}: waiter ${name} is not an object`);
    const operation = spec['operation'];
    if (typeof operation !== 'string' || !IDENTIFIER.test(operation)) fail(`${service}: waiter ${name} has no usable operation`);
    if (!commands.has(operation)) {
      missing('waiter', name, operation);
      continue;
    }
    // A waiter named like a paginator is exported as `<Name>Waiter`.
    const exported = paginatorExports.has(name) ? `${name}Waiter` : name;
    if (!IDENTIFIER.test(exported) || reserved.has(exported) || paginatorExports.has(exported)) {
      fail(`${service}: waiter name ${JSON.stringify(name)} is not usable as an export`);
    }
    waiterExports.set(exported, name);
    operations.add(operation);
  }

  const sortedOperations = [...operations].sort(byCodeUnit);
  const exportNames = new Set([...paginatorExports.keys(), ...waiterExports.keys()]);
  for (const operation of sortedOperations) {
    const command = `${operation}Command`;
    if (exportNames.has(command)) fail(`${service}: export ${command} would shadow the imported command`);
  }

  const lines: string[] = [];
  lines.push(
    '/*',
    ` * Generated by scripts/generate.ts from botocore ${botocoreVersion} — do not edit.`,
    ' * botocore is licensed under the Apache License 2.0: see src/specs/data/botocore/LICENSE.botocore',
    ' * and src/specs/data/botocore/NOTICE.botocore.',
    ` * ${botocoreKey}: ${paginatorExports.size} paginators, ${waiterExports.size} waiters, typed from ${client}.`,
    ' */',
  );
  if (exportNames.size === 0) {
    lines.push('export {};');
    return { text: `${lines.join('\n')}\n`, paginators: paginatorExports, waiters: waiterExports, unbound };
  }
  lines.push(`import {`);
  for (const operation of sortedOperations) {
    lines.push(`  ${operation}Command,`, `  type ${operation}CommandInput,`, `  type ${operation}CommandOutput,`);
  }
  lines.push(`  type ${clientClass},`, `} from '${client}';`);
  const needsPaginator = paginatorExports.size > 0;
  const needsWaiter = waiterExports.size > 0;
  const boundTypes = [
    needsPaginator && 'BoundPaginator',
    needsWaiter && 'BoundWaiter',
    needsPaginator && 'ItemOf',
    'ServiceBinding',
  ]
    .filter(Boolean)
    .join(', ');
  lines.push(`import type { ${boundTypes} } from '${boundImport}';`);
  const fullExports = new Set(
    [...paginatorExports, ...waiterExports]
      .filter(
        ([exported, name]) =>
          !expressionsOf(paginatorExports.has(exported) ? options.paginators[name] : options.waiters[name]).every(
            isPlainMemberPath,
          ),
      )
      .map(([exported]) => exported),
  );
  if (fullExports.size > 0) lines.push(`import { fullJmespath } from '${boundImport.replace(/bound$/, 'fullJmespath')}';`);
  lines.push('');
  lines.push(
    `/** The client these specs are bound to, checked when one is given. */`,
    `const service: ServiceBinding = { serviceId: ${quote(serviceId)}, client: ${quote(clientClass)}, package: ${quote(client)} };`,
    '',
  );

  for (const [exported, name] of paginatorExports) {
    const spec = options.paginators[name] as JsonObject;
    const resultKey = firstTopLevelResultKey(spec);
    const output = `${name}CommandOutput`;
    const item = resultKey === undefined ? 'unknown' : `ItemOf<${output}, '${resultKey}'>`;
    lines.push(
      `/**`,
      ` * botocore paginator ${commentSafe(name)}: pages of \`${name}Command\`.`,
      ` * @example paginate(${exported}, client, input).pipe(items(${exported}))`,
      ` */`,
      declaration(exported, 'BoundPaginator', [`${name}CommandInput`, output, item, clientClass, resultKeysType(spec)]),
      `  spec: ${literal(spec, '  ', WIDTH - 9)},`,
      `  command: ${name}Command,`,
      `  operation: ${quote(`${service}.${name}`)},`,
      ...(fullExports.has(exported) ? ['  jmespath: fullJmespath,'] : []),
      `  service,`,
      `};`,
      '',
    );
  }

  for (const [exported, name] of waiterExports) {
    const spec = options.waiters[name] as JsonObject;
    const operation = spec['operation'] as string;
    const successErrors = successErrorsType(spec);
    lines.push(
      `/**`,
      ` * botocore waiter ${commentSafe(name)}: polls \`${operation}Command\`.`,
      ` * @example waitFor(${exported}, client, input)`,
      ` */`,
      declaration(exported, 'BoundWaiter', [
        `${operation}CommandInput`,
        `${operation}CommandOutput`,
        clientClass,
        ...(successErrors === undefined ? [] : [successErrors]),
      ]),
      `  spec: ${literal(spec, '  ', WIDTH - 9)},`,
      `  command: ${operation}Command,`,
      ...(fullExports.has(exported) ? ['  jmespath: fullJmespath,'] : []),
      `  service,`,
      `};`,
      '',
    );
  }

  return { text: `${lines.join('\n').trimEnd()}\n`, paginators: paginatorExports, waiters: waiterExports, unbound };
}

/** Every JMESPath expression of a botocore paginator or waiter spec. */
function expressionsOf(spec: unknown): string[] {
  if (!isObject(spec)) return [];
  const strings = (value: Json | undefined): string[] =>
    typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  const acceptors = Array.isArray(spec['acceptors']) ? spec['acceptors'] : [];
  return [
    ...strings(spec['output_token']),
    ...strings(spec['more_results']),
    ...strings(spec['result_key']),
    ...strings(spec['non_aggregate_keys']),
    ...acceptors.flatMap((acceptor) => (isObject(acceptor) ? strings(acceptor['argument']) : [])),
  ];
}

type Corpus = Readonly<Record<string, { paginators?: Record<string, unknown>; waiters?: Record<string, unknown> }>>;

/** The newest API version of `service` in the corpus (`ec2` → `ec2/2016-11-15`). */
export function latestCorpusEntry(
  corpus: Corpus,
  service: string,
): { key: string; paginators: Record<string, unknown>; waiters: Record<string, unknown> } {
  const keys = Object.keys(corpus)
    .filter((k) => k.startsWith(`${service}/`))
    .sort(byCodeUnit);
  const key = keys[keys.length - 1] ?? fail(`the corpus has no service ${service}`);
  const entry = corpus[key]!;
  return { key, paginators: entry.paginators ?? {}, waiters: entry.waiters ?? {} };
}

/** Every file the service list drives, keyed by path relative to the repository, with what each module binds. */
export interface Generated {
  readonly files: ReadonlyMap<string, string>;
  /** Generated module path → what it exports. */
  readonly modules: ReadonlyMap<string, GeneratedModule>;
  readonly unbound: readonly Unbound[];
  /** The services that get a subpath: those with something bound, or hand-written extras. */
  readonly published: readonly ServiceEntry[];
}

const GENERATED_HEADER = 'Generated by scripts/generate.ts from src/specs/data/sdk/services.json — do not edit.';

function entryText(entry: ServiceEntry, module: GeneratedModule): string {
  const first = [...module.paginators.keys()][0];
  const waiter = [...module.waiters.keys()][0];
  const example = [
    '/**',
    ` * \`rxjs-aws/${entry.subpath}\`: the botocore paginators and waiters of ${entry.serviceId} (${entry.botocore}) bound to`,
    ` * their \`${entry.package}\` commands. ${GENERATED_HEADER}`,
    ' *',
    ' * @example',
    ' * ```ts',
    ` * import { ${entry.client} } from '${entry.package}';`,
    ` * import { ${first ? 'items, paginate' : ''}${first && waiter ? ', ' : ''}${waiter ? 'waitFor' : ''} } from 'rxjs-aws';`,
    ` * import { ${[first, waiter].filter(Boolean).join(', ')} } from 'rxjs-aws/${entry.subpath}';`,
    ' *',
    ` * const client = new ${entry.client}({});`,
    ...(first ? [` * paginate(${first}, client, {}).pipe(items(${first})).subscribe(console.log);`] : []),
    ...(waiter ? [` * waitFor(${waiter}, client, {}).subscribe();`] : []),
    ' * ```',
    ' * @packageDocumentation',
    ' */',
    "export * from './generated';",
    '',
  ];
  return example.join('\n');
}

/** Stand-in declarations of the client packages that are not installed, enough for the generated modules to compile. */
function stubsText(entries: readonly { entry: ServiceEntry; operations: readonly string[] }[]): string {
  const lines = [
    `// ${GENERATED_HEADER}`,
    '// Stand-ins for the SDK client packages that are not devDependencies, so that this repository type-checks and',
    '// builds without installing every client. Never shipped: the published .d.ts files import the real types from',
    "// the user's own client package. Install a client as a devDependency (and regenerate) to type-check against it.",
  ];
  for (const { entry, operations } of entries) {
    lines.push(`declare module '${entry.package}' {`);
    lines.push(`  export class ${entry.client} {`, '    send(command: object, options?: object): Promise<unknown>;', '  }');
    for (const operation of operations) {
      lines.push(
        `  export class ${operation}Command {`,
        `    constructor(input: ${operation}CommandInput);`,
        '  }',
        `  export type ${operation}CommandInput = Record<string, unknown>;`,
        `  export type ${operation}CommandOutput = Record<string, unknown>;`,
      );
    }
    lines.push('}');
  }
  return `${lines.join('\n')}\n`;
}

function markdownText(list: ServiceList, modules: ReadonlyMap<string, GeneratedModule>, unbound: readonly Unbound[]): string {
  const rows = list.services.map((entry) => {
    const module = modules.get(`src/services/${entry.subpath}/generated.ts`);
    const counts = module ? `${module.paginators.size} | ${module.waiters.size}` : '– | –';
    const botocore = entry.botocore ? `\`${entry.botocore.split('/')[0]}\`` : '–';
    return `| ${botocore} | \`rxjs-aws/${entry.subpath}\` | \`${entry.package}\` | \`${entry.client}\` | ${counts} |`;
  });
  const reasons = unbound.filter((u) => u.reason !== 'older-api-version');
  const older = unbound.length - reasons.length;
  return [
    '# Services',
    '',
    `<!-- ${GENERATED_HEADER} -->`,
    '',
    `One subpath per AWS SDK v3 client package, named after it; specs from botocore ${list.botocoreVersion}, newest API`,
    'version of each service. Counts are the paginators and waiters bound there; hand-written extras (such as',
    '`parallelScan` or `TableStreamEnabled`) come on top. Services for which botocore has no paginator and no waiter',
    'get no subpath.',
    '',
    '| botocore | subpath | SDK package | client | paginators | waiters |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    '## Not bound',
    '',
    `${older} paginators and waiters of older API versions are superseded by the newest version's. The others, with the`,
    'reason (also in `src/specs/data/sdk/unbound.json`):',
    '',
    '| botocore | kind | name | reason |',
    '| --- | --- | --- | --- |',
    ...reasons.map((u) => `| \`${u.corpus}\` | ${u.kind} | ${u.name} | ${u.reason}: ${u.detail} |`),
    '',
  ].join('\n');
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The entry points besides the root and the services: subpath, then the source path under src/. */
const OTHER_ENTRIES: readonly (readonly [string, string])[] = [
  ['signing', 'signing'],
  ['step-functions', 'stepFunctions/index'],
  ['opentelemetry', 'opentelemetry'],
];

/** Peers besides the SDK clients: optional, each loaded only by the entry point that needs it. */
const OTHER_PEERS: Readonly<Record<string, string>> = { '@opentelemetry/api': '^1.0.0' };

/** package.json with the blocks the list drives rewritten, every other field as it was. */
function packageJsonText(current: string, list: ServiceList): string {
  const pkg = JSON.parse(current) as Record<string, unknown>;
  const conditions = (path: string) => ({
    import: { types: `./dist/esm/${path}.d.ts`, default: `./dist/esm/${path}.js` },
    require: { types: `./dist/cjs/${path}.d.ts`, default: `./dist/cjs/${path}.js` },
  });
  const exportsMap: Record<string, unknown> = { '.': conditions('index') };
  const typesVersions: Record<string, string[]> = {};
  const peers: Record<string, string> = {};
  const peersMeta: Record<string, { optional: true }> = {};
  for (const entry of list.services) {
    exportsMap[`./${entry.subpath}`] = conditions(`services/${entry.subpath}/index`);
    typesVersions[entry.subpath] = [`dist/cjs/services/${entry.subpath}/index.d.ts`];
  }
  for (const [subpath, path] of OTHER_ENTRIES) {
    exportsMap[`./${subpath}`] = conditions(path);
    typesVersions[subpath] = [`dist/cjs/${path}.d.ts`];
  }
  exportsMap['./package.json'] = './package.json';
  for (const name of [...new Set(list.services.map((s) => s.package))].sort(byCodeUnit)) {
    peers[name] = '^3.0.0';
    peersMeta[name] = { optional: true };
  }
  for (const [name, range] of Object.entries(OTHER_PEERS)) {
    peers[name] = range;
    peersMeta[name] = { optional: true };
  }
  peers['rxjs'] = '^7.8.0';
  const sortedPeers = Object.fromEntries(Object.entries(peers).sort(([a], [b]) => byCodeUnit(a, b)));
  const sortedMeta = Object.fromEntries(Object.entries(peersMeta).sort(([a], [b]) => byCodeUnit(a, b)));
  return json({
    ...pkg,
    peerDependencies: sortedPeers,
    exports: exportsMap,
    typesVersions: { '*': typesVersions },
    peerDependenciesMeta: sortedMeta,
  });
}

function typedocText(current: string, list: ServiceList): string {
  const config = JSON.parse(current) as Record<string, unknown>;
  const entryPoints = [
    'src/index.ts',
    ...list.services.map((s) => `src/services/${s.subpath}/index.ts`),
    ...OTHER_ENTRIES.map(([, path]) => `src/${path}.ts`),
  ];
  return json({ ...config, entryPoints });
}

/**
 * Everything the service list drives, as it should be on disk.
 * @example
 * ```ts
 * const { files } = generateAll();
 * for (const [path, text] of files) writeFileSync(path, text);
 * ```
 */
export function generateAll(root: string = ROOT, list: ServiceList = readServiceList()): Generated {
  const corpus = JSON.parse(readFileSync(join(root, 'src/specs/data/botocore/corpus.json'), 'utf8')) as Corpus;
  const pkgText = readFileSync(join(root, 'package.json'), 'utf8');
  const devDependencies = (JSON.parse(pkgText) as { devDependencies?: Record<string, string> }).devDependencies ?? {};
  const files = new Map<string, string>();
  const modules = new Map<string, GeneratedModule>();
  const unbound: Unbound[] = [];
  const stubs: { entry: ServiceEntry; operations: string[] }[] = [];
  const bound = new Set<string>();
  const published: ServiceEntry[] = list.services.filter((entry) => entry.botocore === undefined);

  for (const entry of list.services) {
    if (entry.botocore === undefined) continue;
    const key = entry.botocore;
    const name = key.split('/')[0]!;
    const { paginators, waiters } = corpus[key] ?? fail(`${entry.subpath}: the corpus has no ${key}`);
    if (latestCorpusEntry(corpus, name).key !== key) fail(`${entry.subpath}: ${key} is not the newest API version of ${name}`);
    bound.add(key);
    const module = generateModule({
      service: entry.subpath,
      client: entry.package,
      clientClass: entry.client,
      serviceId: entry.serviceId,
      botocoreKey: key,
      paginators: paginators ?? {},
      waiters: waiters ?? {},
      commands: entry.commands ?? [],
      botocoreVersion: list.botocoreVersion,
    });
    const out = `src/services/${entry.subpath}/generated.ts`;
    unbound.push(...module.unbound);
    // botocore has nothing for this service: no subpath, unless it has hand-written extras.
    if (module.paginators.size + module.waiters.size === 0 && (entry.entry ?? 'generated') === 'generated') continue;
    published.push(entry);
    files.set(out, module.text);
    modules.set(out, module);
    if ((entry.entry ?? 'generated') === 'generated')
      files.set(`src/services/${entry.subpath}/index.ts`, entryText(entry, module));
    if (!(entry.package in devDependencies)) {
      const operations = new Set<string>();
      for (const n of module.paginators.values()) operations.add(n);
      for (const n of module.waiters.values()) operations.add((waiters![n] as { operation: string }).operation);
      stubs.push({ entry, operations: [...operations].sort(byCodeUnit) });
    }
  }

  const withoutClient = new Map(list.withoutClient.map((w) => [w.botocore, w]));
  const newest = new Map<string, string>();
  for (const key of Object.keys(corpus).sort(byCodeUnit)) newest.set(key.split('/')[0]!, key);
  for (const key of Object.keys(corpus).sort(byCodeUnit)) {
    if (bound.has(key)) continue;
    const name = key.split('/')[0]!;
    const latest = newest.get(name)!;
    const missingClient = withoutClient.get(latest);
    const [reason, detail]: [Unbound['reason'], string] =
      latest !== key
        ? ['older-api-version', `superseded by ${latest}`]
        : missingClient
          ? ['no-sdk-client', `no ${missingClient.package} (service id ${missingClient.serviceId}) is known to exist`]
          : fail(`${key} is neither in the service list nor in its withoutClient list: run scripts/refreshServices.ts`);
    const { paginators = {}, waiters = {} } = corpus[key]!;
    for (const n of Object.keys(paginators).sort(byCodeUnit))
      unbound.push({ corpus: key, kind: 'paginator', name: n, reason, detail });
    for (const n of Object.keys(waiters).sort(byCodeUnit)) unbound.push({ corpus: key, kind: 'waiter', name: n, reason, detail });
  }
  unbound.sort((a, b) => byCodeUnit(`${a.corpus} ${a.kind} ${a.name}`, `${b.corpus} ${b.kind} ${b.name}`));

  files.set('src/services/sdkStubs.d.ts', stubsText(stubs));
  files.set('src/specs/data/sdk/unbound.json', json(unbound));
  published.sort((a, b) => byCodeUnit(a.subpath, b.subpath));
  const publishedList: ServiceList = { ...list, services: published };
  files.set('src/services/README.md', markdownText(publishedList, modules, unbound));
  files.set('package.json', packageJsonText(pkgText, publishedList));
  files.set('typedoc.json', typedocText(readFileSync(join(root, 'typedoc.json'), 'utf8'), publishedList));
  return { files, modules, unbound, published };
}

function main(argv: readonly string[]): number {
  const unknown = argv.filter((a) => a !== '--check');
  if (unknown.length > 0) fail(`unknown argument ${unknown[0]}`);
  const check = argv.includes('--check');
  const { files, modules, unbound } = generateAll();
  let stale = 0;
  for (const [out, text] of files) {
    const path = join(ROOT, out);
    let current: string | undefined;
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      // missing: stale, or to be written
    }
    if (current === text) continue;
    if (check) {
      stale++;
      console.error(`${out} is out of date: run npm run generate`);
    } else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
  }
  let paginators = 0;
  let waiters = 0;
  for (const m of modules.values()) {
    paginators += m.paginators.size;
    waiters += m.waiters.size;
  }
  console.log(`${modules.size} services: ${paginators} paginators, ${waiters} waiters bound; ${unbound.length} reported unbound`);
  return stale === 0 ? 0 : 1;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}

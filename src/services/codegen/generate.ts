/**
 * Generates everything the service list (`services.json` beside this file, see serviceList.ts) drives:
 * - `src/services/generated/<subpath>/specs.ts`: every botocore paginator and waiter of the service's newest API
 *   version whose operation the SDK client has, bound to its command and typed from the client package;
 * - `src/services/generated/<subpath>/index.ts`: the subpath's entry, which also exports the hand-written extras of
 *   `src/services/extras/<subpath>` for a service whose entry in the list says `extras`;
 * - `src/services/generated/sdkStubs.d.ts`: stand-in types for the client packages that are not devDependencies, so
 *   this repository type-checks without installing hundreds of clients (never shipped: users' types come from their
 *   own client);
 * - package.json `exports`, `typesVersions`, `peerDependencies` (rxjs, OpenTelemetry) and `peerDependenciesMeta` (every
 *   SDK package as well, optional); typedoc.json `entryPoints`;
 * - `unbound.json` beside this file and `src/services/generated/README.md`: the subpath table and every botocore
 *   paginator or waiter that is not bound, with the reason.
 *
 * Usage: `npm run generate` writes them; `npm run generate:check` writes nothing and exits 1 when any differs.
 */
import { isPlainMemberPath } from '../../specs/compileExpression';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { CORPUS_PATH, readServiceList, type ServiceEntry, type ServiceList } from './serviceList';
import { SMITHY_PATH, type SmithyService, type SmithySpecs } from './extractSmithy';

/** The botocore release `src/specs/data/botocore/corpus.json` was taken from. */
export const BOTOCORE_VERSION = '1.43.11';

const ROOT = resolve(__dirname, '../../..');
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
  /**
   * The SDK's Smithy model's specs for the same service (`src/specs/data/smithy/specs.json`): those botocore lacks are
   * bound too; where both have one, botocore's wins. @default none
   */
  readonly smithy?: SmithyService;
  /** The operations the client has a command for; a spec of any other operation is reported, not bound. */
  readonly commands: readonly string[];
  /** Module specifier of `src/specs/bound` as seen from the generated file. @default '../../../specs/bound' */
  readonly boundImport?: string;
  /** @default BOTOCORE_VERSION */
  readonly botocoreVersion?: string;
  /** The Smithy models' commit, for the header. @default 'unknown' */
  readonly smithyCommit?: string;
  /** Names the service's hand-written extras export: a Smithy spec of the same name is theirs to bind. @default none */
  readonly handWritten?: readonly string[];
  /**
   * The exception of each wire code botocore's error acceptors name, where they differ (services.json `exceptions`).
   * @default none (every code is its exception's name)
   */
  readonly exceptions?: Readonly<Record<string, string>>;
}

/** Where a spec comes from: botocore's `paginators-1.json`/`waiters-2.json`, or the SDK's Smithy model. */
export type SpecSource = 'botocore' | 'smithy';

/** A paginator or waiter that is not bound, and why. */
export interface Unbound {
  readonly source: SpecSource;
  /** botocore's corpus key (`sdb/2009-04-15`), or the Smithy model's path. */
  readonly corpus: string;
  readonly kind: 'paginator' | 'waiter';
  readonly name: string;
  readonly reason:
    | 'older-api-version'
    | 'no-sdk-client'
    | 'operation-missing-from-client'
    | 'no-service-entry'
    | 'no-spec-in-sources'
    | 'hand-written';
  readonly detail: string;
}

/** One bound spec of a generated module. */
export interface BoundEntry {
  /** The export's name: the spec's, or `<Name>Waiter` for a waiter named like a paginator. */
  readonly exported: string;
  readonly kind: 'paginator' | 'waiter';
  /** The spec's name: a paginator's operation, or the waiter's name. */
  readonly name: string;
  /** The operation it sends. */
  readonly operation: string;
  readonly source: SpecSource;
  /** A botocore paginator, a botocore waiter, or a Smithy waiter. */
  readonly spec: JsonObject;
  /**
   * A waiter's `exceptions` map: the exception of each wire code its error acceptors name, where the two differ
   * (`{ ClusterNotFound: 'ClusterNotFoundFault' }`). @default undefined (none differ)
   */
  readonly exceptions?: Readonly<Record<string, string>>;
}

/** What a generated module exports, for tests and reports. */
export interface GeneratedModule {
  readonly text: string;
  /** Export name → paginator name. */
  readonly paginators: ReadonlyMap<string, string>;
  /** Export name → waiter name. */
  readonly waiters: ReadonlyMap<string, string>;
  /** Every bound spec, paginators then waiters, each sorted by name. */
  readonly entries: readonly BoundEntry[];
  /** Specs of this service not bound. */
  readonly unbound: readonly Unbound[];
  /** Specs both sources have that differ in what they do, botocore's being bound. */
  readonly differences: readonly SourceDifference[];
}

/** A paginator or waiter both sources have, differing in a way that changes what it does. */
export interface SourceDifference {
  readonly kind: 'paginator' | 'waiter';
  readonly name: string;
  /** What differs, botocore's first: `limit_key: none vs PageSize`. */
  readonly detail: string;
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
 * The names of the errors a waiter's success acceptors match (`'ResourceNotFoundException'`; `string` for any error),
 * or undefined when it succeeds only on responses: what `waitFor` may emit besides the output. Reads botocore
 * acceptors (`matcher: 'error'`), whose wire code `exceptions` turns into the exception's name (the `name` of what the
 * SDK throws), and Smithy ones (`matcher: { errorType }`, which names the exception, `{ success: false }`).
 */
function successErrorsType(spec: JsonObject, exceptions: Readonly<Record<string, string>> = {}): string | undefined {
  const acceptors = Array.isArray(spec['acceptors']) ? spec['acceptors'] : [];
  const codes = new Set<string>();
  for (const acceptor of acceptors) {
    if (!isObject(acceptor) || acceptor['state'] !== 'success') continue;
    const { matcher, expected } = acceptor;
    if (isObject(matcher)) {
      if (matcher['success'] === false) return 'string';
      if (typeof matcher['errorType'] === 'string') codes.add(matcher['errorType']);
      continue;
    }
    // An SDK client rejects every status outside 2xx: S3's BucketNotExists succeeds on the 404 error, whatever its code.
    if (matcher === 'status' && typeof expected === 'number' && (expected < 200 || expected > 299)) return 'string';
    if (matcher !== 'error') continue;
    // `expected: false` succeeds on a response (no error); `true` on any error.
    if (expected === true) return 'string';
    if (typeof expected === 'string') codes.add(exceptions[expected] ?? expected);
  }
  return codes.size === 0 ? undefined : [...codes].sort(byCodeUnit).map(quote).join(' | ');
}

/** The part of the service's `exceptions` that a botocore waiter's error acceptors name, or undefined when none. */
function exceptionsOf(spec: JsonObject, service: Readonly<Record<string, string>> = {}): Record<string, string> | undefined {
  const acceptors = Array.isArray(spec['acceptors']) ? spec['acceptors'] : [];
  const codes = acceptors
    .map((acceptor) => (isObject(acceptor) && acceptor['matcher'] === 'error' ? acceptor['expected'] : undefined))
    .filter((code): code is string => typeof code === 'string' && service[code] !== undefined);
  if (codes.length === 0) return undefined;
  return Object.fromEntries([...new Set(codes)].sort(byCodeUnit).map((code) => [code, service[code]!]));
}

/** `export const Name: Type<A, B> = {`, with the type arguments one per line when the line would be too long. */
function declaration(name: string, type: string, args: readonly string[]): string {
  const flat = `export const ${name}: ${type}<${args.join(', ')}> = {`;
  if (flat.length <= WIDTH) return flat;
  return [`export const ${name}: ${type}<`, `  ${args.join(',\n  ')}`, '> = {'].join('\n');
}

/** The specs of one service, botocore's and the Smithy model's, as bound: botocore's wins where both have one. */
function unionOf(options: GenerateOptions): { entries: BoundEntry[]; unbound: Unbound[]; differences: SourceDifference[] } {
  const { service, client, clientClass, botocoreKey = service, smithy } = options;
  const commands = new Set(options.commands);
  const reserved = new Set([...RESERVED, clientClass, 'service']);
  const entries: BoundEntry[] = [];
  const unbound: Unbound[] = [];
  const differences: SourceDifference[] = [];
  const corpusOf = (source: SpecSource) => (source === 'botocore' ? botocoreKey : (smithy?.model ?? service));
  const usable = (kind: string, name: string) => {
    if (!IDENTIFIER.test(name) || reserved.has(name))
      fail(`${service}: ${kind} name ${JSON.stringify(name)} is not usable as an export`);
  };
  const bind = (source: SpecSource, kind: BoundEntry['kind'], name: string, operation: string, spec: JsonObject) => {
    if (!commands.has(operation)) {
      const detail = `${client} has no ${operation}Command`;
      unbound.push({ source, corpus: corpusOf(source), kind, name, reason: 'operation-missing-from-client', detail });
      return;
    }
    const exceptions = kind === 'waiter' && source === 'botocore' ? exceptionsOf(spec, options.exceptions) : undefined;
    entries.push({ exported: name, kind, name, operation, source, spec, ...(exceptions && { exceptions }) });
  };

  const smithyPaginators = smithy?.paginators ?? {};
  for (const name of Object.keys(options.paginators).sort(byCodeUnit)) {
    usable('paginator', name);
    const spec = options.paginators[name];
    if (!isObject(spec)) fail(`${service}: paginator ${name} is not an object`);
    const other = smithyPaginators[name];
    if (other !== undefined) differences.push(...paginatorDifferences(name, spec, other as unknown as JsonObject));
    bind('botocore', 'paginator', name, name, spec);
  }
  const handWritten = new Set(options.handWritten);
  const byHand = (kind: BoundEntry['kind'], name: string) => {
    if (!handWritten.has(name)) return false;
    const detail = `src/services/extras/${service} binds its own ${name}`;
    unbound.push({ source: 'smithy', corpus: corpusOf('smithy'), kind, name, reason: 'hand-written', detail });
    return true;
  };
  for (const name of Object.keys(smithyPaginators).sort(byCodeUnit)) {
    if (name in options.paginators || byHand('paginator', name)) continue;
    usable('paginator', name);
    bind('smithy', 'paginator', name, name, smithyPaginators[name] as unknown as JsonObject);
  }
  const smithyWaiters = smithy?.waiters ?? {};
  const waiters: [SpecSource, string, string, JsonObject][] = [];
  for (const name of Object.keys(options.waiters).sort(byCodeUnit)) {
    const spec = options.waiters[name];
    if (!isObject(spec)) fail(`${service}: waiter ${name} is not an object`);
    const operation = spec['operation'];
    if (typeof operation !== 'string' || !IDENTIFIER.test(operation)) fail(`${service}: waiter ${name} has no usable operation`);
    const other = smithyWaiters[name];
    if (other !== undefined) differences.push(...waiterDifferences(name, spec, other.operation, other.spec as JsonObject));
    waiters.push(['botocore', name, operation, spec]);
  }
  for (const name of Object.keys(smithyWaiters).sort(byCodeUnit)) {
    if (name in options.waiters || byHand('waiter', name)) continue;
    const { operation, spec } = smithyWaiters[name]!;
    if (!IDENTIFIER.test(operation)) fail(`${service}: waiter ${name} has no usable operation`);
    waiters.push(['smithy', name, operation, spec as JsonObject]);
  }
  const paginatorNames = new Set(entries.map((e) => e.name));
  for (const [source, name, operation, spec] of waiters.sort(([, a], [, b]) => byCodeUnit(a, b))) {
    // A waiter named like a paginator is exported as `<Name>Waiter`.
    const exported = paginatorNames.has(name) ? `${name}Waiter` : name;
    usable('waiter', exported);
    if (paginatorNames.has(exported)) fail(`${service}: waiter name ${JSON.stringify(name)} is not usable as an export`);
    const before = entries.length;
    bind(source, 'waiter', name, operation, spec);
    if (entries.length > before) entries[entries.length - 1] = { ...entries[entries.length - 1]!, exported };
  }
  return { entries, unbound, differences };
}

const asList = (value: Json | undefined): readonly Json[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const shown = (value: Json | undefined) => (value === undefined ? 'none' : flatLiteral(value));

/** What a botocore paginator and the Smithy model's for the same operation do differently: tokens, page size, items. */
function paginatorDifferences(name: string, botocore: JsonObject, smithy: JsonObject): SourceDifference[] {
  const differences: SourceDifference[] = [];
  for (const field of ['input_token', 'output_token', 'limit_key'] as const) {
    if (flatLiteral(asList(botocore[field])) !== flatLiteral(asList(smithy[field])))
      differences.push({ kind: 'paginator', name, detail: `${field}: ${shown(botocore[field])} vs ${shown(smithy[field])}` });
  }
  // The model's items are one key; botocore may list more, and its first is what items() yields.
  const items = smithy['result_key'];
  if (items !== undefined && asList(botocore['result_key'])[0] !== items)
    differences.push({ kind: 'paginator', name, detail: `result_key: ${shown(botocore['result_key'])} vs ${shown(items)}` });
  return differences;
}

/** What a botocore waiter and the Smithy model's of the same name do differently: operation and pace. */
function waiterDifferences(name: string, botocore: JsonObject, operation: string, smithy: JsonObject): SourceDifference[] {
  const differences: SourceDifference[] = [];
  if (botocore['operation'] !== operation)
    differences.push({ kind: 'waiter', name, detail: `operation: ${shown(botocore['operation'])} vs ${operation}` });
  const minDelay = smithy['minDelay'] ?? 2;
  if (botocore['delay'] !== minDelay)
    differences.push({ kind: 'waiter', name, detail: `delay: ${shown(botocore['delay'])} vs minDelay ${shown(minDelay)}` });
  const ours = acceptorsAsSmithy(botocore);
  const theirs = asList(smithy['acceptors']);
  for (let i = 0; i < Math.max(ours.length, theirs.length); i++) {
    if (flatLiteral(ours[i] ?? null) === flatLiteral(theirs[i] ?? null)) continue;
    const detail = `acceptors[${i}]: ${shown(ours[i])} vs ${shown(theirs[i])}`;
    differences.push({ kind: 'waiter', name, detail: detail.replace(/\|/g, '\\|') });
  }
  return differences;
}

const COMPARATORS: Readonly<Record<string, string>> = { pathAll: 'allStringEquals', pathAny: 'anyStringEquals' };

/** botocore acceptors in Smithy's form, where one exists, to tell which waiters really differ. */
function acceptorsAsSmithy(spec: JsonObject): readonly Json[] {
  const acceptors = Array.isArray(spec['acceptors']) ? spec['acceptors'] : [];
  return acceptors.map((acceptor): Json => {
    if (!isObject(acceptor)) return acceptor;
    const { matcher, argument, expected, state } = acceptor;
    if (matcher === 'error')
      return typeof expected === 'string'
        ? { matcher: { errorType: expected }, state }
        : { matcher: { success: !expected }, state };
    // Any 2xx is a response, what Smithy's `success: true` matches.
    if (matcher === 'status')
      return typeof expected === 'number' && expected >= 200 && expected <= 299
        ? { matcher: { success: true }, state }
        : { matcher: { status: expected ?? null }, state };
    const comparator =
      matcher === 'path' ? (typeof expected === 'boolean' ? 'booleanEquals' : 'stringEquals') : COMPARATORS[String(matcher)];
    if (comparator === undefined) return acceptor;
    return {
      matcher: {
        output: {
          comparator,
          expected: typeof expected === 'boolean' ? String(expected) : (expected ?? null),
          path: argument ?? null,
        },
      },
      state,
    };
  });
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
  const { service, client, clientClass, serviceId, boundImport = '../../../specs/bound' } = options;
  const { botocoreVersion = BOTOCORE_VERSION, botocoreKey = service, smithyCommit = 'unknown' } = options;
  const { entries, unbound, differences } = unionOf(options);
  const paginatorExports = new Map(entries.filter((e) => e.kind === 'paginator').map((e) => [e.exported, e.name]));
  const waiterExports = new Map(entries.filter((e) => e.kind === 'waiter').map((e) => [e.exported, e.name]));
  const sortedOperations = [...new Set(entries.map((e) => e.operation))].sort(byCodeUnit);
  const exportNames = new Set(entries.map((e) => e.exported));
  for (const operation of sortedOperations) {
    const command = `${operation}Command`;
    if (exportNames.has(command)) fail(`${service}: export ${command} would shadow the imported command`);
  }
  const fromSmithy = entries.filter((e) => e.source === 'smithy');
  const count = (list: readonly BoundEntry[], kind: BoundEntry['kind']) => list.filter((e) => e.kind === kind).length;

  const lines: string[] = [];
  lines.push(
    '/*',
    ` * Generated by src/services/codegen/generate.ts from botocore ${botocoreVersion} and the SDK's Smithy models — do not edit.`,
    ' * botocore is licensed under the Apache License 2.0: see src/specs/data/botocore/LICENSE.botocore',
    ' * and src/specs/data/botocore/NOTICE.botocore.',
    ` * ${botocoreKey}: ${paginatorExports.size - count(fromSmithy, 'paginator')} paginators, ${waiterExports.size - count(fromSmithy, 'waiter')} waiters, typed from ${client}.`,
    ...(fromSmithy.length === 0
      ? []
      : [
          ` * ${count(fromSmithy, 'paginator')} paginators and ${count(fromSmithy, 'waiter')} waiters that botocore lacks come from the SDK's Smithy`,
          ` * model ${commentSafe(options.smithy!.model)} (aws/api-models-aws ${smithyCommit.slice(0, 12)}),`,
          ' * Apache License 2.0: see src/specs/data/smithy/LICENSE.api-models-aws and NOTICE.api-models-aws.',
        ]),
    ' */',
  );
  const module = { paginators: paginatorExports, waiters: waiterExports, entries, unbound, differences };
  if (entries.length === 0) {
    lines.push('export {};');
    return { ...module, text: `${lines.join('\n')}\n` };
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
    entries.some((e) => e.kind === 'paginator' && firstTopLevelResultKey(e.spec) !== undefined) && 'ItemOf',
    'ServiceBinding',
  ]
    .filter(Boolean)
    .join(', ');
  lines.push(`import type { ${boundTypes} } from '${boundImport}';`);
  const needsFull = (entry: BoundEntry) => !expressionsOf(entry.spec).every(isPlainMemberPath);
  if (entries.some(needsFull)) lines.push(`import { withFullJmespath } from '${boundImport.replace(/bound$/, 'fullJmespath')}';`);
  lines.push('');
  lines.push(
    `/** The client these specs are bound to, checked when one is given. */`,
    `const service: ServiceBinding = { serviceId: ${quote(serviceId)}, client: ${quote(clientClass)}, package: ${quote(client)} };`,
    '',
  );
  const origin = (entry: BoundEntry) =>
    entry.source === 'botocore' ? `botocore ${entry.kind}` : `${entry.kind} of the SDK's Smithy model (botocore has none)`;

  for (const entry of entries) {
    const { exported, name, spec, operation } = entry;
    if (entry.kind === 'paginator') {
      const resultKey = firstTopLevelResultKey(spec);
      const output = `${name}CommandOutput`;
      const item = resultKey === undefined ? 'unknown' : `ItemOf<${output}, '${resultKey}'>`;
      lines.push(
        `/**`,
        ` * ${origin(entry)} ${commentSafe(name)}: pages of \`${name}Command\`.`,
        ` * @example paginate(${exported}, client, input).pipe(items(${exported}))`,
        ` */`,
        declaration(exported, 'BoundPaginator', [`${name}CommandInput`, output, item, clientClass, resultKeysType(spec)]),
        specMember(spec, needsFull(entry)),
        `  command: ${name}Command,`,
        `  operation: ${quote(`${service}.${name}`)},`,
        `  service,`,
        `};`,
        '',
      );
      continue;
    }
    const successErrors = successErrorsType(spec, entry.exceptions);
    lines.push(
      `/**`,
      ` * ${origin(entry)} ${commentSafe(name)}: polls \`${operation}Command\`.`,
      ` * @example waitFor(${exported}, client, input)`,
      ` */`,
      declaration(exported, 'BoundWaiter', [
        `${operation}CommandInput`,
        `${operation}CommandOutput`,
        clientClass,
        ...(successErrors === undefined ? [] : [successErrors]),
      ]),
      specMember(spec, needsFull(entry)),
      ...(entry.exceptions ? [`  exceptions: ${literal(entry.exceptions, '  ', WIDTH - 15)},`] : []),
      `  command: ${operation}Command,`,
      `  service,`,
      `};`,
      '',
    );
  }

  return { ...module, text: `${lines.join('\n').trimEnd()}\n` };
}

/**
 * The `spec:` member of a bound spec; one that needs full JMESPath carries it (`withFullJmespath`), so that the bound
 * spec and its `.spec` compile without `useFullJmespath()`. The call is marked pure: an app that imports other specs
 * of the module drops it, and JMESPath with it, from its bundle.
 */
function specMember(spec: JsonObject, fullJmespath: boolean): string {
  if (!fullJmespath) return `  spec: ${literal(spec, '  ', WIDTH - 9)},`;
  return `  spec: /* @__PURE__ */ withFullJmespath(${literal(spec, '  ', WIDTH - 43)}),`;
}

/** Every JMESPath expression of a paginator or waiter spec, botocore's or Smithy's. */
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
    // Smithy acceptors: `matcher: { output: { path } }` or `{ inputOutput: { path } }`.
    ...acceptors.flatMap((acceptor) => {
      const matcher = isObject(acceptor) ? acceptor['matcher'] : undefined;
      if (!isObject(matcher)) return [];
      return ['output', 'inputOutput'].flatMap((kind) => {
        const path = matcher[kind];
        return isObject(path) ? strings(path['path']) : [];
      });
    }),
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

const GENERATED_HEADER = 'Generated by src/services/codegen/generate.ts from its services.json — do not edit.';

/**
 * The subpath's entry: its bound specs, and for a service with extras, what `src/services/extras/<subpath>/index.ts`
 * exports, under that file's own module documentation.
 */
function entryText(root: string, entry: ServiceEntry, module: GeneratedModule | undefined): string {
  const specs = module === undefined ? [] : ["export * from './specs';"];
  if (entry.extras) {
    const extras = readFileSync(join(root, `src/services/extras/${entry.subpath}/index.ts`), 'utf8');
    const doc = /^\/\*\*[\s\S]*?\*\//.exec(extras)?.[0] ?? fail(`extras/${entry.subpath}/index.ts has no module documentation`);
    // TypeDoc titles the module by its import path, not by the file's folder.
    const titled = doc.replace(' * @packageDocumentation', ` * @module rxjs-aws/${entry.subpath}\n * @packageDocumentation`);
    return [titled, `// ${GENERATED_HEADER}`, ...specs, `export * from '../../extras/${entry.subpath}';`, ''].join('\n');
  }
  const first = [...module!.paginators.keys()][0];
  const waiter = module!.entries.find((e) => e.kind === 'waiter');
  const smithyWaiter = waiter?.source === 'smithy';
  return [
    '/**',
    ` * \`rxjs-aws/${entry.subpath}\`: the paginators and waiters of ${entry.serviceId} (botocore's ${entry.botocore} and the SDK's`,
    ` * Smithy model) bound to their \`${entry.package}\` commands; every one of them, with its operation, result keys and`,
    ` * defaults, is in docs/operations/${entry.subpath}.md. ${GENERATED_HEADER}`,
    ' *',
    ' * @example',
    ' * ```ts',
    ` * import { ${entry.client} } from '${entry.package}';`,
    ` * import { ${first ? 'items, paginate' : ''}${first && waiter ? ', ' : ''}${waiter ? 'waitFor' : ''} } from 'rxjs-aws';`,
    ` * import { ${[first, waiter?.exported].filter(Boolean).join(', ')} } from 'rxjs-aws/${entry.subpath}';`,
    ' *',
    ` * const client = new ${entry.client}({});`,
    ...(first ? [` * paginate(${first}, client, {}).pipe(items(${first})).subscribe(console.log);`] : []),
    // A Smithy waiter has no maxAttempts: the wait needs a deadline.
    ...(waiter ? [` * waitFor(${waiter.exported}, client, {}${smithyWaiter ? ', { maxWaitTime: 300 }' : ''}).subscribe();`] : []),
    ' * ```',
    ` * @module rxjs-aws/${entry.subpath}`,
    ' * @packageDocumentation',
    ' */',
    ...specs,
    '',
  ].join('\n');
}

/** The names `src/services/extras/<subpath>/index.ts` exports (`export { A, B } from './x';`). */
function extrasExports(root: string, subpath: string): string[] {
  const text = readFileSync(join(root, `src/services/extras/${subpath}/index.ts`), 'utf8');
  return [...text.matchAll(/^export\s*(?:type\s*)?\{([^}]*)\}/gm)].flatMap((m) =>
    m[1]!
      .split(',')
      .map((name) =>
        name
          .replace(/^\s*type\s+/, '')
          .trim()
          .split(/\s+as\s+/)
          .pop()!,
      )
      .filter(Boolean),
  );
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
    // A stack typed by the service, as a real client's is, so that no stand-in is taken for another's client.
    lines.push(
      `  export class ${entry.client} {`,
      `    readonly middlewareStack: { readonly service: '${entry.package}' };`,
      '    send(command: object, options?: object): Promise<unknown>;',
      '  }',
    );
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

function markdownText(
  list: ServiceList,
  modules: ReadonlyMap<string, GeneratedModule>,
  unbound: readonly Unbound[],
  differences: ReadonlyMap<string, readonly SourceDifference[]>,
  smithy: SmithySpecs,
): string {
  const all = [...modules.values()].flatMap((m) => m.entries);
  const tally = (source: SpecSource, kind: BoundEntry['kind']) =>
    all.filter((e) => e.source === source && e.kind === kind).length.toLocaleString('en-US');
  const rows = list.services.map((entry) => {
    const module = modules.get(`src/services/generated/${entry.subpath}/specs.ts`);
    const entries = module?.entries ?? [];
    const smithyCount = entries.filter((e) => e.source === 'smithy').length;
    const counts = module ? `${module.paginators.size} | ${module.waiters.size} | ${smithyCount || '–'}` : '– | – | –';
    const botocore = entry.botocore ? `\`${entry.botocore.split('/')[0]}\`` : '–';
    return `| ${botocore} | [\`rxjs-aws/${entry.subpath}\`](../../../docs/operations/${entry.subpath}.md) | \`${entry.package}\` | \`${entry.client}\` | ${counts} |`;
  });
  const reasons = new Map<string, Unbound[]>();
  for (const u of unbound) reasons.set(u.reason, [...(reasons.get(u.reason) ?? []), u]);
  const REASONS: Readonly<Record<Unbound['reason'], string>> = {
    'older-api-version': "botocore specs of an older API version, superseded by the newest version's",
    'no-sdk-client': 'botocore specs of a service whose SDK v3 package is not known to exist',
    'operation-missing-from-client': 'specs of an operation the client has no command for',
    'no-service-entry': "Smithy specs of an SDK package the service list does not name (it is drawn from botocore's services)",
    'no-spec-in-sources': 'what an installed client paginates or waits for that neither source has a spec for',
    'hand-written': "Smithy specs the service's hand-written extras bind themselves",
  };
  const listed = [...reasons.keys()].filter((r) => r !== 'older-api-version' && r !== 'no-service-entry');
  const diffRows = [...differences].flatMap(([subpath, list]) =>
    list.map((d) => `| \`rxjs-aws/${subpath}\` | ${d.kind} | ${d.name} | ${d.detail} |`),
  );
  const { commit, date } = smithy.source;
  return [
    '# Services',
    '',
    `<!-- ${GENERATED_HEADER} -->`,
    '',
    `One subpath per AWS SDK v3 client package, named after it. The specs are the union of botocore ${list.botocoreVersion}'s`,
    "(newest API version of each service) and the SDK's own Smithy models (aws/api-models-aws",
    `${commit.slice(0, 12)}, ${date}, \`src/specs/data/smithy\`): a paginator or waiter only the model has is bound`,
    "too; where both have one, botocore's is bound (this project's bar is botocore's semantics) and the differences",
    'that change what it does are listed below. Each subpath links to its index of operations. Hand-written extras (such',
    'as `parallelScan` or `TableStreamEnabled`) come on top. A service for which neither has a paginator or a waiter',
    'gets no subpath.',
    '',
    '| source | paginators | waiters |',
    '| --- | --- | --- |',
    `| botocore | ${tally('botocore', 'paginator')} | ${tally('botocore', 'waiter')} |`,
    `| Smithy model (botocore has none) | ${tally('smithy', 'paginator')} | ${tally('smithy', 'waiter')} |`,
    '',
    '| botocore | subpath | SDK package | client | paginators | waiters | of which from the Smithy model |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    '## Not bound',
    '',
    '| reason | paginators | waiters |',
    '| --- | --- | --- |',
    ...[...reasons].map(
      ([reason, list]) =>
        `| ${REASONS[reason as Unbound['reason']]} (\`${reason}\`) | ${list.filter((u) => u.kind === 'paginator').length} | ${list.filter((u) => u.kind === 'waiter').length} |`,
    ),
    '',
    'Each one is in `src/services/codegen/unbound.json`; those of an older API version or of a package the list does not',
    'name are left out here:',
    '',
    '| source | spec | kind | name | reason |',
    '| --- | --- | --- | --- | --- |',
    ...listed.flatMap((reason) =>
      reasons.get(reason)!.map((u) => `| ${u.source} | \`${u.corpus}\` | ${u.kind} | ${u.name} | ${u.reason}: ${u.detail} |`),
    ),
    '',
    '## Where botocore and the Smithy model differ',
    '',
    "botocore's spec is bound. A Smithy model has no `maxAttempts` (its waiters run until a `maxWaitTime`), so only",
    "the poll's first delay is compared; acceptors are compared after writing botocore's in Smithy's form (a `status`",
    'matcher has none).',
    '',
    '| subpath | kind | name | botocore vs Smithy model |',
    '| --- | --- | --- | --- |',
    ...diffRows,
    '',
  ].join('\n');
}

/** Text safe in a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

const codes = (value: Json | undefined) =>
  asList(value)
    .map((v) => `\`${cell(String(v))}\``)
    .join(', ') || '–';

/** One subpath's index page: every paginator and waiter with its operation, result keys and defaults. */
function operationsPageText(entry: ServiceEntry, module: GeneratedModule | undefined, handWritten: readonly string[]): string {
  const entries = module?.entries ?? [];
  const paginators = entries.filter((e) => e.kind === 'paginator');
  const waiters = entries.filter((e) => e.kind === 'waiter');
  const from = (e: BoundEntry) => (e.source === 'botocore' ? 'botocore' : 'SDK model');
  const pace = (e: BoundEntry) =>
    e.source === 'botocore'
      ? `every ${shown(e.spec['delay'])} s, ${shown(e.spec['maxAttempts'])} attempts`
      : `${shown(e.spec['minDelay'] ?? 2)}–${shown(e.spec['maxDelay'] ?? 120)} s backing off; give \`maxWaitTime\``;
  const onError = (e: BoundEntry) => {
    const names = successErrorsType(e.spec, e.exceptions)
      ?.replace(/'/g, '`')
      .replace(/\bstring\b/, 'any error');
    const sent = Object.entries(e.exceptions ?? {});
    const codes =
      sent.length === 1
        ? [`sent as \`${sent[0]![0]}\``]
        : sent.map(([code, exception]) => `\`${exception}\` sent as \`${code}\``);
    return names === undefined ? '–' : sent.length === 0 ? names : `${names} (${codes.join(', ')})`;
  };
  return [
    `# \`rxjs-aws/${entry.subpath}\``,
    '',
    `<!-- ${GENERATED_HEADER} -->`,
    '',
    `${entry.serviceId} through \`${entry.package}\` (\`${entry.client}\`): \`import { ... } from 'rxjs-aws/${entry.subpath}'\`.`,
    'Back to [every subpath](README.md).',
    '',
    ...(paginators.length === 0
      ? []
      : [
          '## Paginators',
          '',
          "`paginate(Name, client, input)`; `items(Name)` yields the first result key's elements, `items(Name, key)` another's.",
          'The page-size key is what `pageSize` sets. A paginator whose model names no result key (–) pages only: read',
          'each page.',
          '',
          '| export | operation | result keys | page-size key | token in → out | source |',
          '| --- | --- | --- | --- | --- | --- |',
          ...paginators.map(
            (e) =>
              `| \`${e.exported}\` | \`${e.operation}\` | ${codes(e.spec['result_key'])} | ${codes(e.spec['limit_key'])} | ` +
              `${codes(e.spec['input_token'])} ← ${codes(e.spec['output_token'])} | ${from(e)} |`,
          ),
          '',
        ]),
    ...(waiters.length === 0
      ? []
      : [
          '## Waiters',
          '',
          '`waitFor(Name, client, input)`. A waiter that succeeds on an error emits that error (the last column).',
          '',
          '| export | operation | pace by default | succeeds on the error | source |',
          '| --- | --- | --- | --- | --- |',
          ...waiters.map((e) => `| \`${e.exported}\` | \`${e.operation}\` | ${pace(e)} | ${onError(e)} | ${from(e)} |`),
          '',
        ]),
    ...(handWritten.length === 0
      ? []
      : ['## Hand-written', '', `Documented in the API reference: ${handWritten.map((n) => `\`${n}\``).join(', ')}.`, '']),
  ].join('\n');
}

/**
 * A type test of every (spec, client) pair of the installed clients: a bound spec takes its own client, and every other
 * one is a compile error (`@ts-expect-error`), so that no two clients look alike to the operators.
 */
function clientPairsText(
  list: ServiceList,
  modules: ReadonlyMap<string, GeneratedModule>,
  installed: ReadonlySet<string>,
): string {
  const clients = list.services.filter((s) => installed.has(s.package));
  // Subpaths whose specs are all hand-written: one of each kind they have.
  const handWritten: Readonly<Record<string, readonly [BoundEntry['kind'], string][]>> = {
    'dynamodb-streams': [
      ['paginator', 'ListStreams'],
      ['waiter', 'StreamEnabled'],
    ],
    'lib-dynamodb': [['paginator', 'Scan']],
  };
  const specs = clients.flatMap((s) => {
    const byHand = (handWritten[s.subpath] ?? []).map(([kind, exported]) => ({ kind, exported }) as BoundEntry);
    const entries = [...byHand, ...(modules.get(`src/services/generated/${s.subpath}/specs.ts`)?.entries ?? [])];
    const paginator = entries.find((e) => e.kind === 'paginator');
    const waiter = entries.find((e) => e.kind === 'waiter');
    return [paginator, waiter].filter((e): e is BoundEntry => e !== undefined).map((e) => ({ s, e }));
  });
  const alias = (s: ServiceEntry) => s.subpath.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const lines = [
    `// ${GENERATED_HEADER}`,
    '// Every (spec, client) pair of the clients installed here: the right client compiles, every other one must not.',
    "import { paginate, waitFor } from '../../src';",
    ...clients.flatMap((s) => [
      `import type { ${s.client} } from '${s.package}';`,
      `import * as ${alias(s)} from '../../src/services/generated/${s.subpath}';`,
    ]),
    '',
    ...clients.map((s) => `declare const ${alias(s)}Client: ${s.client};`),
    'declare const input: never;',
    '',
    'export function pairs(): unknown[] {',
    '  return [',
  ];
  for (const { s, e } of specs) {
    const call = e.kind === 'paginator' ? 'paginate' : 'waitFor';
    for (const c of clients) {
      if (c === s) lines.push(`    ${call}(${alias(s)}.${e.exported}, ${alias(c)}Client, input),`);
      else
        lines.push(
          `    // @ts-expect-error ${c.client} for ${s.subpath}.${e.exported}`,
          `    ${call}(${alias(s)}.${e.exported}, ${alias(c)}Client, input),`,
        );
    }
  }
  lines.push('  ];', '}', '');
  return lines.join('\n');
}

/** The index of every subpath's operations, and TypeDoc's landing page: where to start. */
function operationsIndexText(list: ServiceList, modules: ReadonlyMap<string, GeneratedModule>): string {
  const rows = list.services.map((entry) => {
    const module = modules.get(`src/services/generated/${entry.subpath}/specs.ts`);
    const names = (kind: BoundEntry['kind']) => module?.entries.filter((e) => e.kind === kind).length ?? 0;
    return `| [\`rxjs-aws/${entry.subpath}\`](${entry.subpath}.md) | ${entry.serviceId} | ${names('paginator')} | ${names('waiter')} |`;
  });
  return [
    '# Every operation, by subpath',
    '',
    `<!-- ${GENERATED_HEADER} -->`,
    '',
    '## Where to start',
    '',
    '- `paginate(spec, client, input)` pages through an operation, `items(spec)` yields what its pages list, and',
    '  `waitFor(spec, client, input)` polls until a resource is ready; they come from `rxjs-aws`.',
    '- The specs come from one subpath per AWS SDK v3 client package: `rxjs-aws/s3` for `@aws-sdk/client-s3`. Find',
    '  the service below, then the operation on its page: listing S3 objects under a prefix is `ListObjectsV2` in',
    '  [`rxjs-aws/s3`](s3.md), waiting for a CloudFormation stack is `StackCreateComplete` in',
    '  [`rxjs-aws/cloudformation`](cloudformation.md).',
    '',
    '```ts',
    "import { S3Client } from '@aws-sdk/client-s3';",
    "import { items, paginate } from 'rxjs-aws';",
    "import { ListObjectsV2 } from 'rxjs-aws/s3';",
    '',
    "paginate(ListObjectsV2, new S3Client({}), { Bucket: 'logs', Prefix: '2024/' })",
    '  .pipe(items(ListObjectsV2))',
    '  .subscribe((object) => console.log(object.Key));',
    '```',
    '',
    '## Subpaths',
    '',
    '| subpath | service | paginators | waiters |',
    '| --- | --- | --- | --- |',
    ...rows,
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
    exportsMap[`./${entry.subpath}`] = conditions(`services/generated/${entry.subpath}/index`);
    typesVersions[entry.subpath] = [`dist/cjs/services/generated/${entry.subpath}/index.d.ts`];
  }
  for (const [subpath, path] of OTHER_ENTRIES) {
    exportsMap[`./${subpath}`] = conditions(path);
    typesVersions[subpath] = [`dist/cjs/${path}.d.ts`];
  }
  exportsMap['./package.json'] = './package.json';
  // The AWS packages are optional peers by peerDependenciesMeta alone: pnpm and yarn take them as optional peers (and
  // link the app's client under hoist=false and Plug'n'Play's strict mode), while npm, which reads peers from
  // peerDependencies only, no longer fetches some 300 packuments on install nor lists them as UNMET OPTIONAL
  // (docs/package.md, `npm run package:shape`). A range said nothing: every @aws-sdk/client-* is v3.
  for (const name of [...new Set(list.services.map((s) => s.package))].sort(byCodeUnit)) peersMeta[name] = { optional: true };
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
    ...list.services.map((s) => `src/services/generated/${s.subpath}/index.ts`),
    ...OTHER_ENTRIES.map(([, path]) => `src/${path}.ts`),
  ];
  // The landing page says where to start: the index of every operation.
  return json({ ...config, readme: 'docs/operations/README.md', entryPoints });
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
  const smithy = JSON.parse(readFileSync(join(root, relative(ROOT, SMITHY_PATH)), 'utf8')) as SmithySpecs;
  const differences = new Map<string, readonly SourceDifference[]>();
  const pkgText = readFileSync(join(root, 'package.json'), 'utf8');
  const devDependencies = (JSON.parse(pkgText) as { devDependencies?: Record<string, string> }).devDependencies ?? {};
  const files = new Map<string, string>();
  const modules = new Map<string, GeneratedModule>();
  const unbound: Unbound[] = [];
  const stubs: { entry: ServiceEntry; operations: string[] }[] = [];
  const bound = new Set<string>();
  const published: ServiceEntry[] = list.services.filter((entry) => entry.botocore === undefined);
  for (const entry of published) files.set(`src/services/generated/${entry.subpath}/index.ts`, entryText(root, entry, undefined));

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
      ...(smithy.services[entry.subpath] && { smithy: smithy.services[entry.subpath], smithyCommit: smithy.source.commit }),
      ...(entry.extras && { handWritten: extrasExports(root, entry.subpath) }),
      ...(entry.exceptions && { exceptions: entry.exceptions }),
    });
    if (module.differences.length > 0) differences.set(entry.subpath, module.differences);
    unbound.push(...notCovered(entry, module, list.botocoreVersion, smithy));
    const out = `src/services/generated/${entry.subpath}/specs.ts`;
    unbound.push(...module.unbound);
    // Neither source has anything for this service: no subpath, unless it has hand-written extras.
    if (module.paginators.size + module.waiters.size === 0 && !entry.extras) continue;
    published.push(entry);
    const bindsAny = module.paginators.size + module.waiters.size > 0;
    if (bindsAny) files.set(out, module.text);
    modules.set(out, module);
    files.set(`src/services/generated/${entry.subpath}/index.ts`, entryText(root, entry, bindsAny ? module : undefined));
    if (!(entry.package in devDependencies)) {
      stubs.push({ entry, operations: [...new Set(module.entries.map((e) => e.operation))].sort(byCodeUnit) });
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
      unbound.push({ source: 'botocore', corpus: key, kind: 'paginator', name: n, reason, detail });
    for (const n of Object.keys(waiters).sort(byCodeUnit))
      unbound.push({ source: 'botocore', corpus: key, kind: 'waiter', name: n, reason, detail });
  }
  // Models of SDK packages the service list does not name (it is drawn from botocore's services).
  const listed = new Set(list.services.map((entry) => entry.subpath));
  for (const name of Object.keys(smithy.services).sort(byCodeUnit)) {
    if (listed.has(name)) continue;
    const { model, paginators, waiters } = smithy.services[name]!;
    const detail = `@aws-sdk/client-${name} is not in the service list (run npm run refresh:services)`;
    for (const n of Object.keys(paginators))
      unbound.push({ source: 'smithy', corpus: model, kind: 'paginator', name: n, reason: 'no-service-entry', detail });
    for (const n of Object.keys(waiters))
      unbound.push({ source: 'smithy', corpus: model, kind: 'waiter', name: n, reason: 'no-service-entry', detail });
  }
  unbound.sort((a, b) => byCodeUnit(`${a.corpus} ${a.kind} ${a.name}`, `${b.corpus} ${b.kind} ${b.name}`));

  files.set('src/services/generated/sdkStubs.d.ts', stubsText(stubs));
  files.set('src/services/codegen/unbound.json', json(unbound));
  published.sort((a, b) => byCodeUnit(a.subpath, b.subpath));
  const publishedList: ServiceList = { ...list, services: published };
  files.set('src/services/generated/README.md', markdownText(publishedList, modules, unbound, differences, smithy));
  for (const entry of published) {
    const module = modules.get(`src/services/generated/${entry.subpath}/specs.ts`);
    const handWritten = entry.extras ? extrasExports(root, entry.subpath) : [];
    files.set(`docs/operations/${entry.subpath}.md`, operationsPageText(entry, module, handWritten));
  }
  files.set('docs/operations/README.md', operationsIndexText(publishedList, modules));
  files.set('spec/types/clientPairs.ts', clientPairsText(publishedList, modules, new Set(Object.keys(devDependencies))));
  files.set('package.json', packageJsonText(pkgText, publishedList));
  files.set('typedoc.json', typedocText(readFileSync(join(root, 'typedoc.json'), 'utf8'), publishedList));
  return { files, modules, unbound, published };
}

/**
 * What an installed client paginates or waits for (services.json `sdkSpecs`) that neither source has a spec for:
 * newer than both, or a model missing from the extraction.
 */
function notCovered(entry: ServiceEntry, module: GeneratedModule, botocoreVersion: string, smithy: SmithySpecs): Unbound[] {
  if (entry.sdkSpecs === undefined) return [];
  const bound = new Set(module.entries.map((e) => `${e.kind} ${e.name}`));
  const { commit, date } = smithy.source;
  const models = smithy.missing.includes(entry.subpath)
    ? `the SDK's Smithy model (absent from the extraction at aws/api-models-aws ${commit.slice(0, 12)})`
    : `the SDK's Smithy models at aws/api-models-aws ${commit.slice(0, 12)} (${date})`;
  const report = (kind: Unbound['kind'], name: string, exported: string): Unbound => ({
    source: 'smithy',
    corpus: entry.commandsFrom ?? entry.package,
    kind,
    name,
    reason: 'no-spec-in-sources',
    detail: `${entry.package} has ${exported}; neither botocore ${botocoreVersion} nor ${models} has its spec`,
  });
  return [
    ...entry.sdkSpecs.paginators.filter((n) => !bound.has(`paginator ${n}`)).map((n) => report('paginator', n, `paginate${n}`)),
    ...entry.sdkSpecs.waiters.filter((n) => !bound.has(`waiter ${n}`)).map((n) => report('waiter', n, `waitUntil${n}`)),
  ];
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

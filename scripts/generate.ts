/**
 * Generates the service modules (`src/services/dynamodb/generated.ts`, `src/services/ec2/generated.ts`): one bound
 * paginator or waiter per botocore entry, typed from the AWS SDK v3 package.
 *
 * Usage:
 *   npx ts-node --transpile-only scripts/generate.ts
 *     (every module of DEFAULT_SERVICES, from src/specs/data/botocore/corpus.json)
 *   npx ts-node --transpile-only scripts/generate.ts --paginators paginators-1.json --waiters waiters-2.json \
 *     --service s3 --client @aws-sdk/client-s3 --out src/services/s3/generated.ts [--botocore-version 1.43.11] [--check]
 *
 * `--check` writes nothing and exits 1 when a checked-in module differs from what would be generated.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The botocore release `src/specs/data/botocore/corpus.json` was taken from. */
export const BOTOCORE_VERSION = '1.43.11';

const ROOT = resolve(__dirname, '..');
export const CORPUS_PATH = join(ROOT, 'src/specs/data/botocore/corpus.json');

/** The modules generated from the vendored corpus by default. */
export const DEFAULT_SERVICES: readonly { readonly service: string; readonly client: string; readonly out: string }[] = [
  { service: 'dynamodb', client: '@aws-sdk/client-dynamodb', out: 'src/services/dynamodb/generated.ts' },
  { service: 'ec2', client: '@aws-sdk/client-ec2', out: 'src/services/ec2/generated.ts' },
];

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
type JsonObject = { readonly [key: string]: Json };

export interface GenerateOptions {
  /** Service name, used in the header (`dynamodb`). */
  readonly service: string;
  /** The SDK v3 package the commands and shapes come from (`@aws-sdk/client-dynamodb`). */
  readonly client: string;
  /** botocore paginators: `paginators-1.json`'s `pagination` map. */
  readonly paginators: Readonly<Record<string, unknown>>;
  /** botocore waiters: `waiters-2.json`'s `waiters` map. */
  readonly waiters: Readonly<Record<string, unknown>>;
  /** Module specifier of `src/specs/bound` as seen from the generated file. @default '../../specs/bound' (from src/services/<service>) */
  readonly boundImport?: string;
  /** @default BOTOCORE_VERSION */
  readonly botocoreVersion?: string;
  /**
   * The SDK package's exports, to check every command exists; `require(client)` by default.
   * Pass `false` to skip the check.
   */
  readonly sdk?: Readonly<Record<string, unknown>> | false;
}

/** What a generated module exports, for tests and reports. */
export interface GeneratedModule {
  readonly text: string;
  /** Export name → botocore paginator name. */
  readonly paginators: ReadonlyMap<string, string>;
  /** Export name → botocore waiter name. */
  readonly waiters: ReadonlyMap<string, string>;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const RESERVED = new Set(['BoundPaginator', 'BoundWaiter', 'ItemOf']);
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

function loadSdk(client: string): Readonly<Record<string, unknown>> {
  try {
    return require(client) as Record<string, unknown>;
  } catch (error) {
    return fail(`cannot load ${client} to check its commands (install it?): ${(error as Error).message}`);
  }
}

/** The first result key, when it names a top-level output member; else undefined (items are `unknown`). */
function firstTopLevelResultKey(spec: JsonObject): string | undefined {
  const resultKey = spec['result_key'];
  const first = Array.isArray(resultKey) ? resultKey[0] : resultKey;
  return typeof first === 'string' && IDENTIFIER.test(first) ? first : undefined;
}

/**
 * The text of one service module.
 * @example
 * ```ts
 * const { text } = generateModule({ service: 'dynamodb', client: '@aws-sdk/client-dynamodb', paginators, waiters });
 * ```
 */
export function generateModule(options: GenerateOptions): GeneratedModule {
  const { service, client, boundImport = '../../specs/bound', botocoreVersion = BOTOCORE_VERSION } = options;
  const sdk = options.sdk === false ? undefined : (options.sdk ?? loadSdk(client));

  const paginatorNames = Object.keys(options.paginators).sort(byCodeUnit);
  const waiterNames = Object.keys(options.waiters).sort(byCodeUnit);
  const paginatorExports = new Map<string, string>();
  const waiterExports = new Map<string, string>();
  const operations = new Set<string>();

  for (const name of paginatorNames) {
    if (!IDENTIFIER.test(name) || RESERVED.has(name))
      fail(`${service}: paginator name ${JSON.stringify(name)} is not usable as an export`);
    if (!isObject(options.paginators[name])) fail(`${service}: paginator ${name} is not an object`);
    paginatorExports.set(name, name);
    operations.add(name);
  }
  for (const name of waiterNames) {
    const spec = options.waiters[name];
    if (!isObject(spec)) fail(`${service}: waiter ${name} is not an object`);
    const operation = spec['operation'];
    if (typeof operation !== 'string' || !IDENTIFIER.test(operation)) fail(`${service}: waiter ${name} has no usable operation`);
    // A waiter named like a paginator is exported as `<Name>Waiter`.
    const exported = paginatorExports.has(name) ? `${name}Waiter` : name;
    if (!IDENTIFIER.test(exported) || RESERVED.has(exported) || paginatorExports.has(exported)) {
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
    if (sdk && typeof sdk[command] !== 'function')
      fail(`${service}: ${client} has no ${command} (needed by the ${operation} spec)`);
  }

  const lines: string[] = [];
  lines.push(
    '/*',
    ` * Generated by scripts/generate.ts from botocore ${botocoreVersion} — do not edit.`,
    ' * botocore is licensed under the Apache License 2.0: see src/specs/data/botocore/LICENSE.botocore',
    ' * and src/specs/data/botocore/NOTICE.botocore.',
    ` * Service ${service}: ${paginatorExports.size} paginators, ${waiterExports.size} waiters, typed from ${client}.`,
    ' */',
  );
  lines.push(`import {`);
  for (const operation of sortedOperations) {
    lines.push(`  ${operation}Command,`, `  type ${operation}CommandInput,`, `  type ${operation}CommandOutput,`);
  }
  lines.push(`} from '${client}';`);
  const needsPaginator = paginatorExports.size > 0;
  const needsWaiter = waiterExports.size > 0;
  const boundTypes = [needsPaginator && 'BoundPaginator', needsWaiter && 'BoundWaiter', needsPaginator && 'ItemOf']
    .filter(Boolean)
    .join(', ');
  if (boundTypes) lines.push(`import type { ${boundTypes} } from '${boundImport}';`);
  lines.push('');

  for (const [exported, name] of paginatorExports) {
    const spec = options.paginators[name] as JsonObject;
    const resultKey = firstTopLevelResultKey(spec);
    const output = `${name}CommandOutput`;
    const item = resultKey === undefined ? 'unknown' : `ItemOf<${output}, '${resultKey}'>`;
    const type = `BoundPaginator<${name}CommandInput, ${output}, ${item}>`;
    lines.push(
      `/**`,
      ` * botocore paginator ${commentSafe(name)}: pages of \`${name}Command\`.`,
      ` * @example paginate(${exported}, client, input).pipe(items(${exported}))`,
      ` */`,
      `export const ${exported}: ${type} = {`,
      `  spec: ${literal(spec, '  ', WIDTH - 9)},`,
      `  command: ${name}Command,`,
      `};`,
      '',
    );
  }

  for (const [exported, name] of waiterExports) {
    const spec = options.waiters[name] as JsonObject;
    const operation = spec['operation'] as string;
    const type = `BoundWaiter<${operation}CommandInput, ${operation}CommandOutput>`;
    lines.push(
      `/**`,
      ` * botocore waiter ${commentSafe(name)}: polls \`${operation}Command\`.`,
      ` * @example waitFor(${exported}, client, input)`,
      ` */`,
      `export const ${exported}: ${type} = {`,
      `  spec: ${literal(spec, '  ', WIDTH - 9)},`,
      `  command: ${operation}Command,`,
      `};`,
      '',
    );
  }

  return { text: `${lines.join('\n').trimEnd()}\n`, paginators: paginatorExports, waiters: waiterExports };
}

/** The newest API version of `service` in the corpus (`ec2` → `ec2/2016-11-15`). */
export function latestCorpusEntry(
  corpus: Readonly<Record<string, { paginators?: Record<string, unknown>; waiters?: Record<string, unknown> }>>,
  service: string,
): { key: string; paginators: Record<string, unknown>; waiters: Record<string, unknown> } {
  const keys = Object.keys(corpus)
    .filter((k) => k.startsWith(`${service}/`))
    .sort(byCodeUnit);
  const key = keys[keys.length - 1] ?? fail(`the corpus has no service ${service}`);
  const entry = corpus[key]!;
  return { key, paginators: entry.paginators ?? {}, waiters: entry.waiters ?? {} };
}

/** The modules of DEFAULT_SERVICES from the vendored corpus, keyed by output path (relative to the repository). */
export function generateDefaultModules(corpusPath: string = CORPUS_PATH): Map<string, GeneratedModule> {
  const corpus = JSON.parse(readFileSync(corpusPath, 'utf8')) as Parameters<typeof latestCorpusEntry>[0];
  const modules = new Map<string, GeneratedModule>();
  for (const { service, client, out } of DEFAULT_SERVICES) {
    const { paginators, waiters } = latestCorpusEntry(corpus, service);
    modules.set(out, generateModule({ service, client, paginators, waiters }));
  }
  return modules;
}

function readJsonMember(file: string, member: string): Record<string, unknown> {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!isObject(parsed)) fail(`${file} is not a JSON object`);
  const found = parsed[member];
  if (found === undefined) return {};
  if (!isObject(found)) fail(`${file}: "${member}" is not an object`);
  return found as Record<string, unknown>;
}

function parseArgs(argv: readonly string[]): { flags: Map<string, string>; check: boolean } {
  const flags = new Map<string, string>();
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--check') check = true;
    else if (['--paginators', '--waiters', '--service', '--client', '--out', '--botocore-version'].includes(arg)) {
      const value = argv[++i];
      if (value === undefined) fail(`${arg} needs a value`);
      flags.set(arg.slice(2), value);
    } else fail(`unknown argument ${arg}`);
  }
  return { flags, check };
}

function main(argv: readonly string[]): number {
  const { flags, check } = parseArgs(argv);
  let outputs: Map<string, GeneratedModule>;
  if (flags.size === 0) {
    outputs = generateDefaultModules();
  } else {
    const service = flags.get('service') ?? fail('--service is required');
    const out = flags.get('out') ?? `src/services/${service}/generated.ts`;
    if (!flags.has('paginators') && !flags.has('waiters')) fail('give --paginators and/or --waiters');
    const paginatorsFile = flags.get('paginators');
    const waitersFile = flags.get('waiters');
    const outPath = resolve(out);
    let boundImport = relative(dirname(outPath), join(ROOT, 'src/specs/bound')).split('\\').join('/');
    if (!boundImport.startsWith('.')) boundImport = `./${boundImport}`;
    const botocoreVersion = flags.get('botocore-version');
    outputs = new Map([
      [
        out,
        generateModule({
          service,
          client: flags.get('client') ?? `@aws-sdk/client-${service}`,
          paginators: paginatorsFile ? readJsonMember(paginatorsFile, 'pagination') : {},
          waiters: waitersFile ? readJsonMember(waitersFile, 'waiters') : {},
          boundImport,
          ...(botocoreVersion === undefined ? {} : { botocoreVersion }),
        }),
      ],
    ]);
  }
  let stale = 0;
  for (const [out, { text, paginators, waiters }] of outputs) {
    const path = resolve(flags.size === 0 ? ROOT : process.cwd(), out);
    if (check) {
      let current = '';
      try {
        current = readFileSync(path, 'utf8');
      } catch {
        // missing: stale
      }
      if (current !== text) {
        stale++;
        console.error(`${out} is out of date: run scripts/generate.ts`);
      }
    } else {
      writeFileSync(path, text);
      console.log(`${out}: ${paginators.size} paginators, ${waiters.size} waiters`);
    }
  }
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

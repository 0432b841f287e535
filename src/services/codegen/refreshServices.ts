/**
 * Refreshes the service list `src/services/codegen/services.json`: which AWS SDK v3 client package binds each botocore
 * service, its client class, its service id and the commands it has. `npm run generate` reads only that file, so CI
 * needs no client packages beyond the devDependencies.
 *
 * Usage:
 *   npm run refresh:services -- [--botocore <botocore/data>] [--packages <list>]
 *
 * - `--botocore`: botocore's data folder (default: asks `python3` where botocore is). For each service of the corpus,
 *   its newest API version's `service-2.json(.gz)` gives `metadata.serviceId` (SDK v3 names its package after it:
 *   `CloudWatch Logs` -> `@aws-sdk/client-cloudwatch-logs`, client `CloudWatchLogsClient`) and its operations.
 * - `--packages`: a file listing the npm packages that exist, one per line (the first column of a TSV is used). A
 *   service whose derived package is not listed gets no subpath and is reported. Without it, the previous decisions are kept.
 * - A client package installed in node_modules is the better source: its real command classes are recorded
 *   (`commandsFrom: "<package>@<version>"`) instead of botocore's operation names.
 *
 * Hand-made fields (`extras`, extra subpaths without a `botocore` key) survive a refresh.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  CORPUS_PATH,
  SERVICES_PATH,
  readServiceList,
  writeServiceList,
  type ServiceEntry,
  type ServiceList,
} from './serviceList';

const ROOT = resolve(__dirname, '../../..');

function flag(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(`--${name}`);
  if (at < 0) return undefined;
  const value = argv[at + 1];
  if (value === undefined) throw new Error(`--${name} needs a value`);
  return value;
}

/** botocore's `data` folder, as the machine's `python3` imports it. */
export function botocoreDataDir(): string {
  const out = execFileSync('python3', ['-c', 'import botocore,os;print(os.path.dirname(botocore.__file__))'], {
    encoding: 'utf8',
  });
  return join(out.trim(), 'data');
}

/** What is read of a botocore `service-2.json`. */
export interface BotocoreModel {
  readonly metadata: { readonly serviceId: string; readonly protocol?: string; readonly awsQueryCompatible?: object };
  readonly operations: Readonly<Record<string, unknown>>;
  readonly shapes?: Readonly<Record<string, { readonly exception?: boolean; readonly error?: { readonly code?: string } }>>;
}

/** The `service-2.json` (or `.json.gz`) of one API version's folder under botocore's `data`. */
export function readModel(dir: string): BotocoreModel {
  const plain = join(dir, 'service-2.json');
  const text = existsSync(plain) ? readFileSync(plain, 'utf8') : gunzipSync(readFileSync(`${plain}.gz`)).toString('utf8');
  return JSON.parse(text) as BotocoreModel;
}

/**
 * The exception each wire code named by an error acceptor of `waiters` belongs to, where its name is not the code
 * (`{ ClusterNotFound: 'ClusterNotFoundFault' }`), or undefined when there is none. On the query protocols, and on a
 * JSON or CBOR service in query-compatible mode, a shape answers to its `@awsQueryError` code (botocore's `error.code`);
 * on every other protocol the wire code is the shape's name, so nothing differs. A code no shape has (EC2's
 * `InvalidInstanceID.NotFound`) gets no entry: SDK v3 names the error after the code.
 * @example
 * ```ts
 * exceptionsOf(redshiftModel, corpus['redshift/2012-12-01'].waiters); // { ClusterNotFound: 'ClusterNotFoundFault' }
 * ```
 */
export function exceptionsOf(
  model: BotocoreModel,
  waiters: Readonly<Record<string, unknown>>,
): Record<string, string> | undefined {
  const { protocol, awsQueryCompatible } = model.metadata;
  if (protocol !== 'query' && protocol !== 'ec2' && awsQueryCompatible === undefined) return undefined;
  const shapes = model.shapes ?? {};
  const byCode = new Map<string, string>();
  for (const name of Object.keys(shapes).sort()) {
    const code = shapes[name]!.error?.code;
    if (code !== undefined && !byCode.has(code)) byCode.set(code, name);
  }
  const found: Record<string, string> = {};
  for (const waiter of Object.values(waiters)) {
    const acceptors = (waiter as { acceptors?: readonly { matcher?: string; expected?: unknown }[] }).acceptors ?? [];
    for (const { matcher, expected } of acceptors) {
      if (matcher !== 'error' || typeof expected !== 'string') continue;
      // The SDK looks a code up by shape name first (CloudWatch's two shapes with the code ResourceNotFound).
      const shape = shapes[expected]?.exception ? expected : byCode.get(expected);
      if (shape !== undefined && shape !== expected) found[expected] = shape;
    }
  }
  const codes = Object.keys(found).sort();
  return codes.length === 0 ? undefined : Object.fromEntries(codes.map((code) => [code, found[code]!]));
}

/** `CloudWatch Logs` -> `cloudwatch-logs`, the SDK v3 package suffix. */
export function packageSuffix(serviceId: string): string {
  return serviceId.trim().toLowerCase().split(/\s+/).join('-');
}

/** `CloudWatch Logs` -> `CloudWatchLogsClient`, `Elastic Load Balancing v2` -> `ElasticLoadBalancingV2Client`. */
export function clientClassName(serviceId: string): string {
  const words = serviceId.trim().split(/\s+/);
  return `${words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}Client`;
}

/** The installed package's command names and version, when it is in node_modules. */
function installedCommands(
  pkg: string,
):
  | { commands: string[]; from: string; client: string | undefined; specs: { paginators: string[]; waiters: string[] } }
  | undefined {
  const manifest = join(ROOT, 'node_modules', pkg, 'package.json');
  if (!existsSync(manifest)) return undefined;
  const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = '1';
  const sdk = require(pkg) as Record<string, unknown>;
  const commands = Object.keys(sdk)
    .filter((k) => /^[A-Z][A-Za-z0-9]*Command$/.test(k) && k !== 'Command' && typeof sdk[k] === 'function')
    .map((k) => k.slice(0, -'Command'.length))
    .sort();
  const client = Object.keys(sdk).find((k) => /^[A-Z][A-Za-z0-9]*Client$/.test(k) && typeof sdk[k] === 'function');
  // What the client itself paginates and waits for (`paginateListExports`, `waitUntilTableExists`): the generator
  // reports any of them that neither botocore nor the Smithy models extraction has a spec for.
  const named = (prefix: string) =>
    Object.keys(sdk)
      .filter((k) => k.startsWith(prefix) && /^[A-Z]/.test(k.slice(prefix.length)) && typeof sdk[k] === 'function')
      .map((k) => k.slice(prefix.length))
      .sort();
  return { commands, from: `${pkg}@${version}`, client, specs: { paginators: named('paginate'), waiters: named('waitUntil') } };
}

function main(argv: readonly string[]): void {
  const dataDir = flag(argv, 'botocore') ?? botocoreDataDir();
  const packagesFile = flag(argv, 'packages');
  const known = packagesFile
    ? new Set(
        readFileSync(packagesFile, 'utf8')
          .split('\n')
          .map((line) => line.split('\t')[0]!.trim())
          .filter(Boolean),
      )
    : undefined;
  const previous: ServiceList = existsSync(SERVICES_PATH)
    ? readServiceList()
    : { botocoreVersion: '', services: [], withoutClient: [] };
  const previousBySubpath = new Map(previous.services.map((s) => [s.subpath, s]));
  const previousMissing = new Set(previous.withoutClient.map((s) => s.package));

  const corpus = JSON.parse(readFileSync(CORPUS_PATH, 'utf8')) as Record<string, unknown>;
  const latest = new Map<string, string>();
  for (const key of Object.keys(corpus).sort()) latest.set(key.split('/')[0]!, key);

  const services: ServiceEntry[] = [];
  const withoutClient: ServiceList['withoutClient'][number][] = [];
  for (const [name, key] of latest) {
    const version = key.split('/')[1]!;
    const model = readModel(join(dataDir, name, version));
    const serviceId = model.metadata.serviceId;
    const suffix = packageSuffix(serviceId);
    const pkg = `@aws-sdk/client-${suffix}`;
    const exists = known ? known.has(pkg) : !previousMissing.has(pkg);
    if (!exists) {
      withoutClient.push({ botocore: key, serviceId, package: pkg });
      continue;
    }
    const installed = installedCommands(pkg);
    const exceptions = exceptionsOf(model, (corpus[key] as { waiters?: Record<string, unknown> }).waiters ?? {});
    const before = previousBySubpath.get(suffix);
    services.push({
      subpath: suffix,
      package: pkg,
      client: installed?.client ?? clientClassName(serviceId),
      serviceId,
      botocore: key,
      ...(before?.extras ? { extras: true } : {}),
      commandsFrom: installed?.from ?? `botocore ${name}/${version} service model`,
      commands: installed?.commands ?? Object.keys(model.operations).sort(),
      ...(installed && { sdkSpecs: installed.specs }),
      ...(exceptions && { exceptions }),
    });
  }
  // Subpaths that bind no botocore service (lib-dynamodb) are kept as they were.
  for (const s of previous.services) if (s.botocore === undefined) services.push(s);
  services.sort((a, b) => (a.subpath < b.subpath ? -1 : a.subpath > b.subpath ? 1 : 0));
  writeServiceList({ botocoreVersion: previous.botocoreVersion || '1.43.11', services, withoutClient });
  console.log(`${SERVICES_PATH}: ${services.length} services, ${withoutClient.length} without an SDK v3 client`);
}

if (require.main === module) main(process.argv.slice(2));

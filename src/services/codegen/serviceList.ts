/**
 * The service list, `src/services/codegen/services.json`: the one list that drives the generator, every
 * `src/services/generated/<subpath>` module, package.json's `exports`/`typesVersions`/peer dependencies and typedoc's
 * entry points. `refreshServices.ts` beside it rewrites it from botocore and the SDK packages; adding a service by hand
 * is adding an entry, then `npm run generate`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
export const CORPUS_PATH = join(ROOT, 'src/specs/data/botocore/corpus.json');
export const SERVICES_PATH = join(__dirname, 'services.json');

/**
 * One subpath of the package, `rxjs-aws/<subpath>`, bound to one SDK v3 package.
 * @example
 * ```ts
 * const s3: ServiceEntry = { subpath: 's3', package: '@aws-sdk/client-s3', client: 'S3Client', serviceId: 'S3',
 *   botocore: 's3/2006-03-01', commandsFrom: '@aws-sdk/client-s3@3.1175.0', commands: ['ListObjectsV2'] };
 * ```
 */
export interface ServiceEntry {
  /** `rxjs-aws/<subpath>`, the SDK package name without `@aws-sdk/client-`. */
  readonly subpath: string;
  /** The SDK v3 package the commands and types come from. */
  readonly package: string;
  /** Its client class (`S3Client`): the type of client the subpath's specs take. */
  readonly client: string;
  /** The client's `config.serviceId` (`S3`), checked at run time. */
  readonly serviceId: string;
  /** The corpus key of the newest botocore API version (`s3/2006-03-01`); absent for a subpath with no botocore specs. */
  readonly botocore?: string;
  /**
   * Whether the subpath adds hand-written extras from `src/services/extras/<subpath>/index.ts` (DynamoDB's
   * `parallelScan`, say): its generated entry exports them too, and takes its module documentation from there.
   * @default false
   */
  readonly extras?: boolean;
  /** Where `commands` was read: an installed package (`name@version`) or botocore's service model. */
  readonly commandsFrom?: string;
  /** Operation names the client has a `<name>Command` for. */
  readonly commands?: readonly string[];
  /**
   * For an installed client: what it paginates (`paginateListExports` → `ListExports`) and waits for
   * (`waitUntilTableExists` → `TableExists`), so that one no spec source covers is reported.
   * @default undefined (not installed: not known)
   */
  readonly sdkSpecs?: { readonly paginators: readonly string[]; readonly waiters: readonly string[] };
  /**
   * The modelled exception of each wire code a botocore error acceptor of this service names, where the two differ
   * (`{ ClusterNotFound: 'ClusterNotFoundFault' }`): on the query protocols and query-compatible JSON or CBOR services
   * a shape's `@awsQueryError` code is not its name. Recorded by `refreshServices.ts` from botocore's service model, so
   * the generator needs no Python; it gives the waiters their `exceptions` map and types what they emit by the exception.
   * @default undefined (every such code is its exception's name, or no shape has it)
   */
  readonly exceptions?: Readonly<Record<string, string>>;
}

/**
 * The whole list.
 * @example
 * ```ts
 * const list = readServiceList();
 * ```
 */
export interface ServiceList {
  readonly botocoreVersion: string;
  readonly services: readonly ServiceEntry[];
  /** botocore services whose SDK v3 package is not known to exist: reported, not bound. */
  readonly withoutClient: readonly { readonly botocore: string; readonly serviceId: string; readonly package: string }[];
}

/**
 * Reads the list.
 * @example
 * ```ts
 * const s3 = readServiceList().services.find((s) => s.subpath === 's3');
 * ```
 */
export function readServiceList(path: string = SERVICES_PATH): ServiceList {
  return JSON.parse(readFileSync(path, 'utf8')) as ServiceList;
}

/**
 * Writes the list with one service per line, so a refresh shows as a small diff.
 * @example
 * ```ts
 * writeServiceList(readServiceList());
 * ```
 */
export function writeServiceList(list: ServiceList, path: string = SERVICES_PATH): void {
  const rows = (items: readonly object[]) => items.map((item) => `    ${JSON.stringify(item)}`).join(',\n');
  const text = [
    '{',
    `  "botocoreVersion": ${JSON.stringify(list.botocoreVersion)},`,
    '  "services": [',
    rows(list.services),
    '  ],',
    '  "withoutClient": [',
    rows(list.withoutClient),
    '  ]',
    '}',
    '',
  ].join('\n');
  writeFileSync(path, text);
}

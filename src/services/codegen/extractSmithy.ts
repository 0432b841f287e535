/**
 * Extracts the paginators and waiters of the AWS SDK's Smithy models (aws/api-models-aws, the models SDK v3's
 * clients are generated from) into `src/specs/data/smithy/specs.json`, once, so that the generator and the tests never
 * read the models: run it again to refresh, on a clone or a mirror of that repository.
 *
 * - `smithy.api#paginated` (merged over the service's own `smithy.api#paginated` defaults, as Smithy does) becomes a
 *   botocore-shaped paginator: `inputToken` → `input_token`, `outputToken` → `output_token`, `pageSize` → `limit_key`,
 *   `items` → `result_key` (absent when the model names no items: such a paginator pages, `items()` yields nothing);
 * - `smithy.waiters#waitable` waiters stay Smithy waiters (the core compiles both forms), with their operation beside
 *   them; their prose (`documentation`, `tags`) is left out.
 *
 * Usage: `npm run extract:smithy -- <git dir of aws/api-models-aws> [commit]`: a model whose blob the repository lacks
 * (a partial mirror) is listed under `missing`, not guessed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
export const SMITHY_DIR = join(ROOT, 'src/specs/data/smithy');
export const SMITHY_PATH = join(SMITHY_DIR, 'specs.json');

/** A botocore-shaped paginator converted from a `smithy.api#paginated` trait. */
export interface SmithyPaginator {
  readonly input_token: string;
  readonly output_token: string;
  readonly limit_key?: string;
  readonly result_key?: string;
}

/** A `smithy.waiters#waitable` waiter, and the operation it polls. */
export interface SmithyWaiterEntry {
  readonly operation: string;
  readonly spec: {
    readonly acceptors: readonly unknown[];
    readonly minDelay?: number;
    readonly maxDelay?: number;
    readonly deprecated?: boolean;
  };
}

/** What one service model yields. */
export interface SmithyService {
  /** The model's path in the repository. */
  readonly model: string;
  readonly paginators: Readonly<Record<string, SmithyPaginator>>;
  readonly waiters: Readonly<Record<string, SmithyWaiterEntry>>;
}

/** The whole extraction, keyed by the SDK package's name without `@aws-sdk/client-` (the models' folder names). */
export interface SmithySpecs {
  readonly source: { readonly repository: string; readonly commit: string; readonly date: string };
  /** Models the repository lists but whose content it lacks (a partial mirror): nothing extracted for them. */
  readonly missing: readonly string[];
  readonly services: Readonly<Record<string, SmithyService>>;
}

type Shape = { type?: string; traits?: Record<string, unknown> };
type Paginated = { inputToken?: string; outputToken?: string; pageSize?: string; items?: string };

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The paginators and waiters of one model (`shapes` of a Smithy JSON AST).
 * @example
 * ```ts
 * const { paginators } = extractModel('dynamodb/service/2012-08-10/dynamodb-2012-08-10.json', model.shapes);
 * paginators['ListExports']; // { input_token: 'NextToken', output_token: 'NextToken', limit_key: 'MaxResults' }
 * ```
 */
export function extractModel(model: string, shapes: Readonly<Record<string, Shape>>): SmithyService {
  const service = Object.values(shapes).find((shape) => shape.type === 'service');
  const defaults = (service?.traits?.['smithy.api#paginated'] ?? {}) as Paginated;
  const paginators: Record<string, SmithyPaginator> = {};
  const waiters: Record<string, SmithyWaiterEntry> = {};
  for (const id of Object.keys(shapes).sort(byCodeUnit)) {
    const shape = shapes[id]!;
    if (shape.type !== 'operation') continue;
    const operation = id.slice(id.indexOf('#') + 1);
    const paginated = shape.traits?.['smithy.api#paginated'] as Paginated | undefined;
    // A trait without both tokens only marks the operation for its service's defaults; without them it does not page.
    if (paginated !== undefined) {
      const { inputToken, outputToken, pageSize, items } = { ...defaults, ...paginated };
      if (inputToken !== undefined && outputToken !== undefined) {
        paginators[operation] = {
          input_token: inputToken,
          output_token: outputToken,
          ...(pageSize !== undefined && { limit_key: pageSize }),
          ...(items !== undefined && { result_key: items }),
        };
      }
    }
    const waitable = (shape.traits?.['smithy.waiters#waitable'] ?? {}) as Record<string, Record<string, unknown>>;
    for (const name of Object.keys(waitable).sort(byCodeUnit)) {
      const { acceptors, minDelay, maxDelay, deprecated } = waitable[name]!;
      waiters[name] = {
        operation,
        spec: {
          acceptors: acceptors as unknown[],
          ...(typeof minDelay === 'number' && { minDelay }),
          ...(typeof maxDelay === 'number' && { maxDelay }),
          ...(deprecated === true && { deprecated }),
        },
      };
    }
  }
  return { model, paginators, waiters };
}

/** specs.json with one service, paginator or waiter per line, so that a refresh shows as a small diff. */
export function smithySpecsText(specs: SmithySpecs): string {
  const entries = (record: Readonly<Record<string, unknown>>, indent: string) =>
    Object.keys(record)
      .sort(byCodeUnit)
      .map((key) => `${indent}${JSON.stringify(key)}: ${JSON.stringify(record[key])}`)
      .join(',\n');
  const services = Object.keys(specs.services)
    .sort(byCodeUnit)
    .map((name) => {
      const { model, paginators, waiters } = specs.services[name]!;
      const block = (record: Readonly<Record<string, unknown>>) =>
        Object.keys(record).length === 0 ? '{}' : `{\n${entries(record, '        ')}\n      }`;
      return [
        `    ${JSON.stringify(name)}: {`,
        `      "model": ${JSON.stringify(model)},`,
        `      "paginators": ${block(paginators)},`,
        `      "waiters": ${block(waiters)}`,
        '    }',
      ].join('\n');
    });
  return [
    '{',
    `  "source": ${JSON.stringify(specs.source)},`,
    `  "missing": ${JSON.stringify(specs.missing)},`,
    '  "services": {',
    services.join(',\n'),
    '  }',
    '}',
    '',
  ].join('\n');
}

function main(argv: readonly string[]): void {
  const [gitDir, commitArg = 'HEAD'] = argv;
  if (gitDir === undefined) throw new Error('usage: extractSmithy.ts <git dir of aws/api-models-aws> [commit]');
  const git = (...args: string[]) =>
    execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: 'pipe' });
  const commit = git('rev-parse', commitArg).trim();
  const date = git('show', '-s', '--format=%cs', commit).trim();
  const services: Record<string, SmithyService> = {};
  const missing: string[] = [];
  // `<package>/service/<version>/<package>-<version>.json` at first, `models/<package>/service/...` later on.
  const models = git('ls-tree', '-r', '--name-only', commit)
    .split('\n')
    .filter((path) => /^(models\/)?[^/]+\/service\/[^/]+\/[^/]+\.json$/.test(path));
  for (const model of models) {
    const name = model.replace(/^models\//, '').split('/')[0]!;
    let text: string;
    try {
      text = git('show', `${commit}:${model}`);
    } catch {
      missing.push(name);
      continue;
    }
    const { shapes } = JSON.parse(text) as { shapes: Record<string, Shape> };
    services[name] = extractModel(model, shapes);
  }
  const specs: SmithySpecs = {
    source: { repository: 'aws/api-models-aws', commit, date },
    missing: missing.sort(byCodeUnit),
    services,
  };
  mkdirSync(SMITHY_DIR, { recursive: true });
  writeFileSync(SMITHY_PATH, smithySpecsText(specs));
  for (const file of ['LICENSE', 'NOTICE'])
    writeFileSync(join(SMITHY_DIR, `${file}.api-models-aws`), git('show', `${commit}:${file}`));
  let paginators = 0;
  let waiters = 0;
  for (const s of Object.values(services)) {
    paginators += Object.keys(s.paginators).length;
    waiters += Object.keys(s.waiters).length;
  }
  console.log(
    `${Object.keys(services).length} models at ${commit.slice(0, 12)} (${date}): ${paginators} paginators, ${waiters} waiters; ` +
      `missing: ${missing.join(', ') || 'none'}`,
  );
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}

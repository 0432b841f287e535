import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CORPUS_PATH,
  DEFAULT_SERVICES,
  generateDefaultModules,
  generateModule,
  latestCorpusEntry,
  type GeneratedModule,
} from '../../scripts/generate';
import { isBound } from '../../src/specs/bound';
import { compilePaginator } from '../../src/specs/compilePaginator';
import { compileWaiter } from '../../src/specs/compileWaiter';

const ROOT = join(__dirname, '../..');
const corpus = JSON.parse(readFileSync(CORPUS_PATH, 'utf8')) as Parameters<typeof latestCorpusEntry>[0];

describe('scripts/generate.ts', () => {
  let modules: Map<string, GeneratedModule>;
  beforeAll(() => {
    modules = generateDefaultModules();
  });

  it.each(DEFAULT_SERVICES.map((s) => [s.out]))('%s is what the generator writes (run `npm run generate`)', (out) => {
    const checkedIn = readFileSync(join(ROOT, out), 'utf8');
    expect(checkedIn).toBe(modules.get(out)!.text);
  });

  it('exports every paginator and waiter of the newest API version', () => {
    expect(latestCorpusEntry(corpus, 'dynamodb').key).toBe('dynamodb/2012-08-10');
    expect(latestCorpusEntry(corpus, 'ec2').key).toBe('ec2/2016-11-15');
    const dynamo = modules.get('src/services/dynamodb/generated.ts')!;
    const ec2 = modules.get('src/services/ec2/generated.ts')!;
    expect([dynamo.paginators.size, dynamo.waiters.size]).toEqual([5, 6]);
    expect([ec2.paginators.size, ec2.waiters.size]).toEqual([171, 43]);
    // No waiter was renamed: botocore names are the export names.
    for (const m of [dynamo, ec2]) {
      for (const [exported, name] of [...m.paginators, ...m.waiters]) expect(exported).toBe(name);
    }
  });

  it('is deterministic whatever order the botocore maps come in', () => {
    const { paginators, waiters } = latestCorpusEntry(corpus, 'dynamodb');
    const reversed = <T>(record: Record<string, T>) => Object.fromEntries(Object.entries(record).reverse());
    const options = { service: 'dynamodb', client: '@aws-sdk/client-dynamodb' };
    expect(generateModule({ ...options, paginators: reversed(paginators), waiters: reversed(waiters) }).text).toBe(
      modules.get('src/services/dynamodb/generated.ts')!.text,
    );
  });

  it('fails loudly when the SDK has no such command', () => {
    expect(() =>
      generateModule({
        service: 'dynamodb',
        client: '@aws-sdk/client-dynamodb',
        paginators: { ScanEverything: { input_token: 'A', output_token: 'B' } },
        waiters: {},
      }),
    ).toThrow('@aws-sdk/client-dynamodb has no ScanEverythingCommand');
    expect(() =>
      generateModule({
        service: 'dynamodb',
        client: '@aws-sdk/client-dynamodb',
        paginators: {},
        waiters: { Gone: { operation: 'DescribeNothing', delay: 1, maxAttempts: 1, acceptors: [] } },
      }),
    ).toThrow('has no DescribeNothingCommand');
  });

  it('suffixes a waiter named like a paginator, and types items unknown for non-member result keys', () => {
    const { text, waiters } = generateModule({
      service: 'x',
      client: 'sdk',
      sdk: { ListThingsCommand: class {}, DescribeThingCommand: class {} },
      paginators: { ListThings: { input_token: 'T', output_token: 'T', result_key: 'Things[].Name' } },
      waiters: { ListThings: { operation: 'DescribeThing', delay: 1, maxAttempts: 2, acceptors: [] } },
    });
    expect([...waiters]).toEqual([['ListThingsWaiter', 'ListThings']]);
    expect(text).toContain('export const ListThingsWaiter: BoundWaiter<DescribeThingCommandInput, DescribeThingCommandOutput>');
    expect(text).toContain('BoundPaginator<ListThingsCommandInput, ListThingsCommandOutput, unknown>');
  });
});

describe('generated modules', () => {
  it('hold the corpus specs verbatim, bound to SDK command classes', () => {
    const sdk = require('@aws-sdk/client-dynamodb') as Record<string, unknown>;

    const dynamodb = require('../../src/services/dynamodb/generated') as Record<string, { spec: unknown; command: unknown }>;
    const { paginators, waiters } = latestCorpusEntry(corpus, 'dynamodb');
    expect(Object.keys(dynamodb).sort()).toEqual([...Object.keys(paginators), ...Object.keys(waiters)].sort());
    for (const [name, spec] of Object.entries(paginators)) {
      expect(dynamodb[name]!.spec).toEqual(spec);
      expect(dynamodb[name]!.command).toBe(sdk[`${name}Command`]);
      expect(isBound(dynamodb[name]!)).toBe(true);
      expect(() => compilePaginator(dynamodb[name] as never)).not.toThrow();
    }
    for (const [name, spec] of Object.entries(waiters)) {
      expect(dynamodb[name]!.spec).toEqual(spec);
      expect(dynamodb[name]!.command).toBe(sdk[`${(spec as { operation: string }).operation}Command`]);
      expect(() => compileWaiter(dynamodb[name] as never)).not.toThrow();
    }
  });

  it('ec2 specs all compile', () => {
    const ec2 = require('../../src/services/ec2/generated') as Record<string, { spec: unknown; command: unknown }>;
    const { paginators, waiters } = latestCorpusEntry(corpus, 'ec2');
    expect(Object.keys(ec2)).toHaveLength(Object.keys(paginators).length + Object.keys(waiters).length);
    for (const name of Object.keys(paginators)) expect(() => compilePaginator(ec2[name] as never)).not.toThrow();
    for (const name of Object.keys(waiters)) expect(() => compileWaiter(ec2[name] as never)).not.toThrow();
  });
});

describe('the package entry point', () => {
  it('does not load the AWS SDK (jest module registry)', () => {
    const loaded: string[] = [];
    jest.isolateModules(() => {
      for (const { client } of DEFAULT_SERVICES) {
        jest.doMock(client, () => {
          loaded.push(client);
          return {};
        });
      }

      const index = require('../../src') as Record<string, unknown>;
      expect(typeof index['paginate']).toBe('function');
      expect(index).not.toHaveProperty('Scan');
    });
    expect(loaded).toEqual([]);
  });

  it('does not load the AWS SDK (plain node require.cache)', () => {
    const script = [
      "require('ts-node').register({ transpileOnly: true });",
      "require('./src');",
      "const sdk = Object.keys(require.cache).filter((p) => p.includes('@aws-sdk') || p.includes('@smithy'));",
      "const own = Object.keys(require.cache).filter((p) => p.includes('/services/'));",
      'process.stdout.write(JSON.stringify({ sdk, own }));',
    ].join('\n');
    const output = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual({ sdk: [], own: [] });
  });
});

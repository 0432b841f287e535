/**
 * `npm run test:types`: the type tests with the TypeScript versions users have: 5.4 (the oldest supported), 5.9 (the
 * root's), 6 and 7, each but the root's in its own install under spec/types (a second `typescript` would shadow the
 * root's `tsc` bin).
 *
 * 1. spec/types/tsconfig.json must compile cleanly (types right, every `@ts-expect-error` still an error);
 * 2. each case below must fail to compile with the given message, and that message only: one diagnostic, never
 *    "No overload matches this call", so that users read the same short error on every version.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const TYPES = join(ROOT, 'spec/types');

interface Compiler {
  readonly name: string;
  /** Its own install (package.json and package-lock.json), or none for the root's. */
  readonly dir?: string;
  readonly compilerOptions?: Readonly<Record<string, string>>;
  /** Files of spec/types/tsconfig.json this version leaves out. */
  readonly without?: readonly string[];
}

const COMPILERS: readonly Compiler[] = [
  {
    name: 'TypeScript 5.4',
    dir: join(TYPES, 'ts5.4'),
    // Before 5.8, nodenext refuses a CommonJS file's require of an ES module (src/specs/fullJmespath.ts imports one);
    // the published types are checked under each resolution by test:packed-types, not here.
    compilerOptions: { module: 'preserve', moduleResolution: 'bundler' },
    // Its lib's AsyncIterableIterator takes one type argument.
    without: ['iterator56.ts'],
  },
  { name: 'TypeScript 5.9' },
  { name: 'TypeScript 6', dir: join(TYPES, 'ts6') },
  { name: 'TypeScript 7', dir: join(TYPES, 'ts7') },
];

const tscOf = (c: Compiler) => join(c.dir ?? ROOT, 'node_modules/typescript/bin/tsc');

/**
 * Code that must not compile, and the one diagnostic the compiler must print (after the file and position); or, with
 * `overloads`, a diagnostic that says it among what each overload gave.
 */
const MUST_FAIL: readonly { readonly name: string; readonly code: string; readonly says: RegExp; readonly overloads?: true }[] = [
  {
    name: 'a misspelt input member of a bound paginator',
    code: "paginate(dynamodb.Scan, new DynamoDBClient({}), { TableNam: 'x' });",
    says: /^error TS2561: Object literal may only specify known properties, but 'TableNam' does not exist in type 'ScanCommandInput'\. Did you mean to write 'TableName'\?$/,
  },
  {
    name: 'a misspelt input member of a bound waiter',
    code: "waitFor(dynamodb.TableExists, new DynamoDBClient({}), { TableNam: 'x' });",
    says: /^error TS2561: Object literal may only specify known properties, but 'TableNam' does not exist in type 'DescribeTableCommandInput'\. Did you mean to write 'TableName'\?$/,
  },
  {
    name: 'a misspelt input member of processPages',
    code: "processPages(dynamodb.Scan, new DynamoDBClient({}), { TableNam: 'x' }, () => []);",
    says: /^error TS2561: Object literal may only specify known properties, but 'TableNam' does not exist in type 'ScanCommandInput'\. Did you mean to write 'TableName'\?$/,
  },
  {
    name: 'an EC2 paginator with a DynamoDB client',
    code: 'paginate(ec2.DescribeInstances, new DynamoDBClient({}), {});',
    says: /^error TS2345: Argument of type 'DynamoDBClient' is not assignable to parameter of type 'ExpectedClient<EC2Client>'\. /,
  },
  {
    name: 'a DynamoDB waiter with an EC2 client',
    code: "waitFor(dynamodb.TableExists, new EC2Client({}), { TableName: 't' });",
    says: /^error TS2345: Argument of type 'EC2Client' is not assignable to parameter of type 'ExpectedClient<DynamoDBClient>'\. /,
  },
  {
    name: 'an EC2 paginator with a DynamoDB client, in processItems',
    code: 'processItems(ec2.DescribeInstances, new DynamoDBClient({}), {}, () => []);',
    says: /^error TS2345: Argument of type 'DynamoDBClient' is not assignable to parameter of type 'ExpectedClient<EC2Client>'\. /,
  },
  {
    name: 'pages of another paginator into items',
    code: 'paginate(dynamodb.ListTables, new DynamoDBClient({}), {}).pipe(items(dynamodb.Scan));',
    says: /^error TS2345: .*Type 'ListTablesCommandOutput' has no properties in common with type 'PageWith<ScanCommandOutput, /,
  },
  {
    name: 'a result key the paginator does not have',
    code: "items(dynamodb.Scan, 'TableNames');",
    // TypeScript 7 orders the union differently. items keeps an overload per form (plain spec, bound spec with and
    // without a key): TypeScript 5 prints each.
    says: /Argument of type '"TableNames"' is not assignable to parameter of type '("(Items|Count|ScannedCount)"( \| )?){3}'\./,
    overloads: true,
  },
];

const HEADER = [
  "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
  "import { EC2Client } from '@aws-sdk/client-ec2';",
  "import { items, paginate, processItems, processPages, waitFor } from '../../../src';",
  "import * as dynamodb from '../../../src/services/generated/dynamodb';",
  "import * as ec2 from '../../../src/services/generated/ec2';",
  'void EC2Client;',
  'void DynamoDBClient;',
  'void items;',
  'void processItems;',
  'void processPages;',
].join('\n');

function compile(tsc: string, project: string): { ok: boolean; output: string } {
  try {
    execFileSync(process.execPath, [tsc, '-p', project], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
    return { ok: true, output: '' };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${stdout}${stderr}` };
  }
}

/** The diagnostics of a compiler's output, each with its continuation lines, whitespace collapsed, position dropped. */
function diagnostics(output: string): string[] {
  const found: string[] = [];
  for (const line of output.split('\n')) {
    const start = /^\S.*\(\d+,\d+\): (error TS\d+: .*)$/.exec(line);
    if (start) found.push(start[1]!);
    else if (found.length > 0 && line.trim() !== '') found[found.length - 1] += ` ${line.trim()}`;
  }
  return found.map((d) => d.replace(/\s+/g, ' '));
}

function install(c: Compiler): void {
  if (c.dir !== undefined && !existsSync(tscOf(c))) {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: c.dir, stdio: 'inherit' });
  }
}

function main(): number {
  let failures = 0;
  const scratch = mkdtempSync(join(TYPES, '.cases-'));
  const project = (name: string, files?: readonly string[], compilerOptions?: Compiler['compilerOptions']) => {
    const path = join(scratch, `tsconfig.${name}.json`);
    const config = { extends: relative(scratch, join(TYPES, 'tsconfig.json')), compilerOptions, files };
    writeFileSync(path, JSON.stringify(config));
    return path;
  };
  try {
    for (const [i, c] of MUST_FAIL.entries()) writeFileSync(join(scratch, `case${i}.ts`), `${HEADER}\n${c.code}\n`);
    for (const [n, compiler] of COMPILERS.entries()) {
      install(compiler);
      const { name, compilerOptions, without = [] } = compiler;
      const files = (JSON.parse(readFileSync(join(TYPES, 'tsconfig.json'), 'utf8')) as { files: string[] }).files
        .filter((f) => !without.includes(f))
        .map((f) => relative(scratch, join(TYPES, f)));
      const clean = compile(tscOf(compiler), project(`clean${n}`, files, compilerOptions));
      console.log(`${name}: spec/types ${clean.ok ? 'compiles' : 'FAILS'}`);
      if (!clean.ok) {
        console.error(clean.output);
        failures++;
      }
      for (const [i, c] of MUST_FAIL.entries()) {
        const { ok, output } = compile(tscOf(compiler), project(`case${i}.${n}`, [`case${i}.ts`], compilerOptions));
        const said = diagnostics(output);
        const passed = !ok && said.length === 1 && c.says.test(said[0]!) && (c.overloads === true || !/overload/i.test(said[0]!));
        console.log(`${name}: ${c.name}: ${passed ? 'reported' : 'NOT REPORTED AS EXPECTED'}`);
        if (!passed) {
          console.error(ok ? '  (it compiled)' : output);
          failures++;
        }
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`${COMPILERS.length * (MUST_FAIL.length + 1) - failures} passed, ${failures} failed`);
  return failures === 0 ? 0 : 1;
}

process.exitCode = main();

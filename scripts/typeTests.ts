/**
 * `npm run test:types`: the type tests with both TypeScript majors users have, TypeScript 5 (the root's) and
 * TypeScript 7 (spec/types/ts7, its own install because its `tsc` bin would shadow TypeScript 5's).
 *
 * 1. spec/types/tsconfig.json must compile cleanly (types right, every `@ts-expect-error` still an error);
 * 2. each case below must fail to compile with the given message, so users see a readable error on both majors.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const TYPES = join(ROOT, 'spec/types');
const TS7 = join(TYPES, 'ts7');

const COMPILERS: readonly { readonly name: string; readonly tsc: string }[] = [
  { name: 'TypeScript 5', tsc: join(ROOT, 'node_modules/typescript/bin/tsc') },
  { name: 'TypeScript 7', tsc: join(TS7, 'node_modules/typescript/bin/tsc') },
];

/** Code that must not compile, and what the compiler must say. */
const MUST_FAIL: readonly { readonly name: string; readonly code: string; readonly says: readonly RegExp[] }[] = [
  {
    name: 'a misspelt input member of a bound paginator',
    code: "paginate(dynamodb.Scan, new DynamoDBClient({}), { TableNam: 'x' });",
    says: [/'TableNam' does not exist in type 'ScanCommandInput'\. Did you mean to write 'TableName'\?/],
  },
  {
    name: 'a misspelt input member of a bound waiter',
    code: "waitFor(dynamodb.TableExists, new DynamoDBClient({}), { TableNam: 'x' });",
    says: [/'TableNam' does not exist in type 'DescribeTableCommandInput'\. Did you mean to write 'TableName'\?/],
  },
  {
    name: 'an EC2 paginator with a DynamoDB client',
    code: 'paginate(ec2.DescribeInstances, new DynamoDBClient({}), {});',
    says: [/Argument of type 'DynamoDBClient' is not assignable to parameter of type 'ExpectedClient<EC2Client>'/],
  },
  {
    name: 'a DynamoDB waiter with an EC2 client',
    code: "waitFor(dynamodb.TableExists, new EC2Client({}), { TableName: 't' });",
    says: [/Argument of type 'EC2Client' is not assignable to parameter of type 'ExpectedClient<DynamoDBClient>'/],
  },
  {
    name: 'pages of another paginator into items',
    code: 'paginate(dynamodb.ListTables, new DynamoDBClient({}), {}).pipe(items(dynamodb.Scan));',
    says: [/Type 'ListTablesCommandOutput' has no properties in common with type 'PageWith<ScanCommandOutput, /],
  },
  {
    name: 'a result key the paginator does not have',
    code: "items(dynamodb.Scan, 'TableNames');",
    // TypeScript 7 orders the union differently.
    says: [/Argument of type '"TableNames"' is not assignable to parameter of type '("(Items|Count|ScannedCount)"( \| )?){3}'/],
  },
];

const HEADER = [
  "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
  "import { EC2Client } from '@aws-sdk/client-ec2';",
  "import { items, paginate, waitFor } from '../../../src';",
  "import * as dynamodb from '../../../src/services/generated/dynamodb';",
  "import * as ec2 from '../../../src/services/generated/ec2';",
  'void EC2Client;',
  'void DynamoDBClient;',
  'void items;',
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

function main(): number {
  if (!existsSync(join(TS7, 'node_modules/typescript'))) {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: TS7, stdio: 'inherit' });
  }
  let failures = 0;
  const scratch = mkdtempSync(join(TYPES, '.cases-'));
  try {
    for (const [i, c] of MUST_FAIL.entries()) writeFileSync(join(scratch, `case${i}.ts`), `${HEADER}\n${c.code}\n`);
    for (const { name, tsc } of COMPILERS) {
      const clean = compile(tsc, join(TYPES, 'tsconfig.json'));
      console.log(`${name}: spec/types ${clean.ok ? 'compiles' : 'FAILS'}`);
      if (!clean.ok) {
        console.error(clean.output);
        failures++;
      }
      for (const [i, c] of MUST_FAIL.entries()) {
        const project = join(scratch, `tsconfig.case${i}.json`);
        const config = { extends: relative(scratch, join(TYPES, 'tsconfig.json')), files: [`case${i}.ts`] };
        writeFileSync(project, JSON.stringify(config));
        const { ok, output } = compile(tsc, project);
        const missing = c.says.filter((re) => !re.test(output.replace(/\s+/g, ' ')));
        const passed = !ok && missing.length === 0;
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

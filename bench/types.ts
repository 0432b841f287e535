/**
 * Measurement 10, what the types cost the compiler: an app that imports one subpath (`rxjs-aws/dynamodb`; on
 * TypeScript 7 also `rxjs-aws/ec2`, the largest, whose app alone takes 14 s to check on TypeScript 5.9) and calls
 * `paginate` once, against the same app using the client alone, type-checked by `tsc --extendedDiagnostics` on
 * TypeScript 5.9 (the root's) and TypeScript 7 (spec/types/ts7's own install).
 *
 * The package is seen as an app installs it: the runner's tsc build (bench/.build/dist, with declarations) behind
 * the root package.json's exports, in bench/.build/types/node_modules/rxjs-aws; strict, nodenext, skipLibCheck, as
 * apps compile. The two apps are checked in alternating order, round after round, after one unrecorded round; the
 * time ratio is taken per round (median [lowest, highest]), the type counts are the compiler's own (the same every
 * round).
 */
import { execFileSync } from 'child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { join } from 'path';
import { alive, main, median, progress, range, type Goal, type Row, type Section, type WorkerReport } from './common';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 2 : 4;
const ROOT = join(__dirname, '..', '..');
const DIST = join(__dirname, 'dist');
const WORK = join(__dirname, 'types');

interface Compiler {
  readonly name: string;
  readonly id: string;
  /** Its own install (spec/types/ts7), installed from its lockfile when missing; none for the root's. */
  readonly dir?: string;
  /** The subpaths whose apps it checks. */
  readonly subpaths: readonly string[];
}

const COMPILERS: readonly Compiler[] = [
  { name: 'TypeScript 5.9', id: 'ts5', subpaths: ['dynamodb'] },
  { name: 'TypeScript 7', id: 'ts7', dir: join(ROOT, 'spec/types/ts7'), subpaths: ['dynamodb', 'ec2'] },
];
const tscOf = (c: Compiler) => join(c.dir ?? ROOT, 'node_modules/typescript/bin/tsc');

interface App {
  readonly subpath: string;
  readonly client: string;
  readonly command: string;
  readonly paginator: string;
  readonly input: string;
}

const APPS: readonly App[] = [
  { subpath: 'dynamodb', client: 'DynamoDBClient', command: 'ScanCommand', paginator: 'Scan', input: "{ TableName: 'music' }" },
  { subpath: 'ec2', client: 'EC2Client', command: 'DescribeInstancesCommand', paginator: 'DescribeInstances', input: '{}' },
];

/** The app using the client alone, and the same app calling paginate once. */
function sources(app: App): { alone: string; paginate: string } {
  const alone = [
    `import { ${app.client}, ${app.command} } from '@aws-sdk/client-${app.subpath}';`,
    `const client = new ${app.client}({});`,
    `export const response = client.send(new ${app.command}(${app.input}));`,
  ];
  const paginate = [
    ...alone,
    "import { paginate } from 'rxjs-aws';",
    `import { ${app.paginator} } from 'rxjs-aws/${app.subpath}';`,
    `export const pages = paginate(${app.paginator}, client, ${app.input});`,
  ];
  return { alone: `${alone.join('\n')}\n`, paginate: `${paginate.join('\n')}\n` };
}

const COMPILER_OPTIONS = {
  target: 'ES2022',
  lib: ['ES2022'],
  module: 'nodenext',
  moduleResolution: 'nodenext',
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
};

/** Writes the package as installed and one project per app; returns each project's tsconfig path. */
function setUp(): Map<string, string> {
  if (!existsSync(join(DIST, 'index.d.ts'))) throw new Error(`no declarations in ${DIST}: run through bench/run.ts`);
  rmSync(WORK, { recursive: true, force: true });
  const pkg = join(WORK, 'node_modules', 'rxjs-aws');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  copyFileSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(DIST, join(pkg, 'dist', 'cjs'), 'dir');
  const projects = new Map<string, string>();
  for (const app of APPS) {
    for (const [kind, text] of Object.entries(sources(app))) {
      const name = `${app.subpath}-${kind}`;
      writeFileSync(join(WORK, `${name}.ts`), text);
      const config = join(WORK, `tsconfig.${name}.json`);
      writeFileSync(config, JSON.stringify({ compilerOptions: COMPILER_OPTIONS, files: [`${name}.ts`] }, null, 2));
      projects.set(name, config);
    }
  }
  return projects;
}

interface Diagnostics {
  readonly types: number;
  readonly checkMs: number;
  readonly totalMs: number;
}

function check(compiler: Compiler, project: string): Diagnostics {
  let out: string;
  try {
    out = execFileSync(process.execPath, [tscOf(compiler), '-p', project, '--extendedDiagnostics'], {
      cwd: WORK,
      encoding: 'utf8',
      stdio: 'pipe',
    });
  } catch (error) {
    const { stdout = '' } = error as { stdout?: string };
    throw new Error(`${compiler.name} does not compile ${project}:\n${stdout}`, { cause: error });
  }
  const field = (label: string) => {
    const m = new RegExp(`^${label}:\\s+([\\d.]+)(s?)`, 'm').exec(out);
    if (!m) throw new Error(`${compiler.name}: no "${label}" in --extendedDiagnostics:\n${out}`);
    return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
  };
  return { types: field('Types'), checkMs: field('Check time'), totalMs: field('Total time') };
}

function install(compiler: Compiler): void {
  if (compiler.dir !== undefined && !existsSync(tscOf(compiler))) {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: compiler.dir, stdio: 'ignore' });
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** The declaration files the paginate app adds to the app alone, and their lines: rxjs's, and the package's own. */
function added(project: Map<string, string>, subpath: string): { rxjs: [number, number]; own: [number, number] } {
  const list = (name: string) =>
    execFileSync(process.execPath, [tscOf(COMPILERS[0]!), '-p', project.get(`${subpath}-${name}`)!, '--listFilesOnly'], {
      cwd: WORK,
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean);
  const alone = new Set(list('alone'));
  const extra = list('paginate').filter((f) => !alone.has(f) && f.endsWith('.d.ts'));
  const tally = (files: string[]): [number, number] => [
    files.length,
    files.reduce((sum, f) => sum + readFileSync(f, 'utf8').split('\n').length, 0),
  ];
  return {
    rxjs: tally(extra.filter((f) => f.includes('/node_modules/rxjs/'))),
    own: tally(extra.filter((f) => !f.includes('/node_modules/rxjs/'))),
  };
}

async function run(): Promise<WorkerReport> {
  const projects = setUp();
  const rows: Row[] = [];
  const goals: Goal[] = [];
  const details: Record<string, unknown> = {};
  for (const compiler of COMPILERS) {
    install(compiler);
    for (const app of APPS.filter((a) => compiler.subpaths.includes(a.subpath))) {
      const samples = { alone: [] as Diagnostics[], paginate: [] as Diagnostics[] };
      for (let round = -1; round < ROUNDS; round++) {
        // Alternating order, so drift on a busy machine falls on both apps alike.
        const order = round % 2 === 0 ? (['alone', 'paginate'] as const) : (['paginate', 'alone'] as const);
        for (const kind of order) {
          const d = check(compiler, projects.get(`${app.subpath}-${kind}`)!);
          if (round >= 0) samples[kind].push(d);
        }
        progress('types', `${compiler.name}, rxjs-aws/${app.subpath}: round ${round + 1} of ${ROUNDS}`);
        alive();
      }
      const total = samples.paginate.map((p, i) => p.totalMs / samples.alone[i]!.totalMs);
      const checkRatio = samples.paginate.map((p, i) => p.checkMs / samples.alone[i]!.checkMs);
      const types = { alone: samples.alone[0]!.types, paginate: samples.paginate[0]!.types };
      const added = types.paginate - types.alone;
      const alone = `${compiler.name}: the ${app.client} app alone`;
      rows.push(
        {
          name: alone,
          value: median(samples.alone.map((d) => d.totalMs)),
          unit: 'ms',
          note: `${types.alone.toLocaleString('en')} types; check ${round1(median(samples.alone.map((d) => d.checkMs)))} ms`,
        },
        {
          name: `${compiler.name}: + rxjs-aws/${app.subpath}, paginate(${app.paginator}) once`,
          value: median(samples.paginate.map((d) => d.totalMs)),
          unit: 'ms',
          ratio: median(total),
          ratioRange: range(total),
          ratioTo: alone,
          note:
            `${types.paginate.toLocaleString('en')} types (+${added.toLocaleString('en')}); check time ` +
            `${median(checkRatio).toFixed(3)}x [${range(checkRatio)
              .map((r) => r.toFixed(3))
              .join(', ')}]`,
        },
      );
      goals.push(
        {
          id: `10.types-time-${app.subpath}-${compiler.id}`,
          goal: `type-check, rxjs-aws/${app.subpath} + paginate vs client alone, ${compiler.name}`,
          measured: median(total),
          range: range(total),
          target: 1.1,
          unit: 'x',
          op: '<=',
        },
        {
          id: `10.types-count-${app.subpath}-${compiler.id}`,
          goal: `types added, rxjs-aws/${app.subpath} + paginate, ${compiler.name}`,
          measured: added,
          target: 1000,
          unit: 'types',
          op: '<=',
        },
      );
      details[`${app.subpath}/${compiler.id}`] = samples;
    }
  }
  const notes = [
    'tsc --extendedDiagnostics, total time (parse, bind, check) per round; ratios per round, alternating order; strict, nodenext, skipLibCheck',
  ];
  for (const app of APPS) {
    const { rxjs, own } = added(projects, app.subpath);
    details[`${app.subpath}/added`] = { rxjs, own };
    notes.push(
      `rxjs-aws/${app.subpath} + paginate adds ${rxjs[0]} declaration files of rxjs (${rxjs[1].toLocaleString('en')} lines) ` +
        `and ${own[0]} of rxjs-aws (${own[1].toLocaleString('en')} lines)`,
    );
  }
  const section: Section = {
    title: '10. Type-check cost: an app importing one subpath and calling paginate once, against the client alone',
    rows,
    notes,
  };
  return { sections: [section], goals, details: { rounds: ROUNDS, ...details } };
}

main(run);

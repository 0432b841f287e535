/**
 * `npm run bench`: builds the workers (esbuild, src bundled in) into
 * bench/.build, runs each in a fresh `node --expose-gc` process one after the
 * other, prints every section and the goals, and writes the results under
 * bench/results/ (ignored by git: one machine's figures; docs quote them from there,
 * with the machine and load). A run where a worker failed never replaces the last good results.
 * When a goal is missed (or with --profile) it also records a --cpu-prof
 * profile of the paginate hot path in bench/profiles and prints its top
 * self-time functions.
 *
 *   npm run bench                      every goal, within 5 minutes on 2 busy cores (judged as goal "bench.duration")
 *   npm run bench:full                 and the real-server measurements beside them (dynalite, readAhead: about 3 min more)
 *   npm run bench -- --only pages,memory
 *   npm run bench -- --quick           smaller counts, for trying the harness (goals not meaningful)
 *   npm run bench -- --profile         profile even when every goal is met
 */
import { execFileSync, fork } from 'child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'fs';
import { SourceMap, type SourceMapPayload } from 'module';
import { join, relative } from 'path';
import { build } from 'esbuild';
import { bundleCommonJsCore } from '../scripts/bundleCommonJsCore';
import { machine, type Goal, type Section, type WorkerReport } from './common';
import { saveResults } from './saveResults';

const ROOT = join(__dirname, '..');
const BENCH = join(ROOT, 'bench');
const OUT = join(BENCH, '.build');
const PROFILES = join(BENCH, 'profiles');
const RESULTS = join(BENCH, 'results');

interface WorkerSpec {
  readonly name: string;
  readonly what: string;
  /** Runs only with --full (or named by --only): a real server's figures, slow and judged by no goal of the engine's. */
  readonly full?: true;
}

/** What `npm run bench` may take on 2 busy cores; `--full` runs longer. */
const DURATION_GOAL_S = 300;

/**
 * A worker is stopped only when it has said nothing for this long: it reports
 * progress after every round (a few seconds apart on an idle machine), so
 * only a hang is this quiet. A busy machine makes a run slower, never failed.
 */
const SILENCE_S = 600;

const WORKERS: readonly WorkerSpec[] = [
  { name: 'pages', what: '1. per-page overhead' },
  { name: 'memory', what: '2. flat memory' },
  { name: 'dynalite', what: '3. real server + 6. parallel scan', full: true },
  { name: 'waiters', what: '4. many waiters' },
  { name: 'coldstart', what: '5. cold start + bundle size' },
  { name: 'readAhead', what: '7. read-ahead with prefetch + parallel scan speed-up with latency', full: true },
  { name: 'engineCost', what: '8. engine cost against SDK v3 (per page and per poll, engine and whole SDK)' },
  { name: 'governor', what: '9. a shared governor against a throttling DynamoDB' },
  { name: 'types', what: '10. type-check cost of importing a subpath and calling paginate' },
];
/** Bundled too: the dynalite server processes and the profiling workload. */
const HELPERS = ['dynaliteServer', 'throttlingServer', 'profile'];

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const onlyArg = args.find((arg, i) => args[i - 1] === '--only' || arg.startsWith('--only='));
const only = onlyArg === undefined ? undefined : new Set(onlyArg.replace(/^--only=/, '').split(','));
const quick = flag('quick');
const full = flag('full');

async function buildWorkers(): Promise<void> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  await build({
    entryPoints: [...WORKERS.map((w) => w.name), ...HELPERS].map((name) => join(BENCH, `${name}.ts`)),
    outdir: OUT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // src is bundled in (compiled, as users run it); dependencies load from node_modules as in an app.
    external: ['rxjs', 'rxjs/*', '@aws-sdk/*', '@smithy/*', '@jmespath-community/jmespath', 'dynalite', 'esbuild'],
    sourcemap: true,
    logLevel: 'warning',
  });
  // The package as published (`npm run build`'s CommonJS half), for the cold-start and types measurements.
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      join(ROOT, 'tsconfig.build.json'),
      '--outDir',
      join(OUT, 'dist'),
      // Declarations too: the types worker type-checks an app against them.
      '--declaration',
      'true',
      '--declarationMap',
      'false',
      '--sourceMap',
      'false',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await bundleCommonJsCore(ROOT, join(OUT, 'dist'));
}

function runWorker(spec: WorkerSpec, extraArgs: string[] = [], execArgv: string[] = ['--expose-gc']): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    const child = fork(join(OUT, `${spec.name}.js`), [...extraArgs, ...(quick ? ['--quick'] : [])], {
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: {
        ...process.env,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ?? 'true',
      },
    });
    let result: WorkerReport | undefined;
    let timer: NodeJS.Timeout | undefined;
    const watch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        console.error(`  [${spec.name}] silent for ${SILENCE_S} s (hung?): stopping it`);
        child.kill('SIGKILL');
      }, SILENCE_S * 1000);
    };
    watch();
    child.on('message', (message: { kind?: string; result?: WorkerReport }) => {
      watch();
      if (message.kind === 'report') result = message.result;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (result && code === 0) resolve(result);
      else reject(new Error(`worker ${spec.name} exited with ${signal ?? code}${result ? '' : ', no report'}`));
    });
  });
}

// ---- printing -------------------------------------------------------------------

const fmt = (value: number): string => {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 1000 ? 0 : abs >= 100 ? 1 : abs >= 10 ? 2 : abs >= 1 ? 3 : 4;
  return value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
};

/** `[low-high]` of a ratio or value, in the same digits as the median. */
const rangeText = (range: readonly [number, number] | undefined, digits: (value: number) => string): string =>
  range === undefined ? '' : `[${digits(range[0])}, ${digits(range[1])}]`;
const ratioDigits = (value: number) => value.toFixed(3);

function printSection(section: Section): void {
  console.log(`\n${section.title}`);
  const nameWidth = Math.max(...section.rows.map((r) => r.name.length), 10);
  const valueWidth = Math.max(...section.rows.map((r) => fmt(r.value).length + 1 + r.unit.length), 10);
  for (const row of section.rows) {
    const value = `${fmt(row.value)} ${row.unit}`.padStart(valueWidth);
    const ratio = row.ratio === undefined ? ''.padEnd(8) : `${row.ratio.toFixed(3)}x`.padStart(8);
    const spread = rangeText(row.ratioRange, ratioDigits).padEnd(row.ratioRange ? 15 : 0);
    const detail = [row.ratioTo && `vs ${row.ratioTo}`, row.note].filter(Boolean).join('; ');
    console.log(`  ${row.name.padEnd(nameWidth)}  ${value}  ${ratio} ${spread} ${detail}`);
  }
  for (const note of section.notes ?? []) console.log(`  note: ${note}`);
}

interface JudgedGoal extends Goal {
  readonly status: 'met' | 'missed' | 'skipped';
  readonly missedBy?: string;
}

function judge(goal: Goal): JudgedGoal {
  if (goal.skipped !== undefined || !Number.isFinite(goal.measured)) return { ...goal, status: 'skipped' };
  const met =
    goal.op === '<='
      ? goal.measured <= goal.target
      : goal.op === '>='
        ? goal.measured >= goal.target
        : goal.measured < goal.target;
  if (met) return { ...goal, status: 'met' };
  const gap = Math.abs(goal.measured - goal.target);
  const percent = (gap / goal.target) * 100;
  const side = goal.op === '>=' ? 'under' : 'over';
  return {
    ...goal,
    status: 'missed',
    missedBy: `${fmt(gap)} ${goal.unit} ${side} (${percent.toFixed(1)}% ${side === 'over' ? 'above' : 'below'} the target)`,
  };
}

/** Every ratio of the run in one table: the row, its ratio, and what it is relative to. */
function printRatios(sections: Section[]): void {
  console.log('\nRatios (rows measured side by side in this run)');
  const lines = sections.flatMap((section) =>
    section.rows.filter((row) => row.ratio !== undefined).map((row) => ({ id: section.title.split(' ')[0]!, row })),
  );
  const width = Math.max(...lines.map(({ row }) => row.name.trim().length));
  for (const { id, row } of lines)
    console.log(
      `  ${id.padEnd(4)} ${row.name.trim().padEnd(width)}  ${`${row.ratio!.toFixed(3)}x`.padStart(9)} ${rangeText(row.ratioRange, ratioDigits).padEnd(15)}  vs ${row.ratioTo}`,
    );
}

function printGoals(goals: JudgedGoal[]): void {
  console.log('\nGoals (median [lowest-highest round])');
  const width = Math.max(...goals.map((g) => g.goal.length));
  for (const g of goals) {
    const measured = `${fmt(g.measured)} ${g.unit}`.padStart(14) + ` ${rangeText(g.range, fmt)}`.padEnd(22);
    const target = `${g.op ?? '<'} ${fmt(g.target)} ${g.unit}`.padEnd(12);
    const status =
      g.status === 'met' ? 'met' : g.status === 'skipped' ? `skipped: ${g.skipped ?? 'not measured'}` : `MISSED by ${g.missedBy}`;
    console.log(`  ${g.goal.padEnd(width)}  ${measured}  ${target}  ${status}${g.note ? ` [${g.note}]` : ''}`);
  }
}

// ---- profile ----------------------------------------------------------------------

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

interface HotFunction {
  readonly name: string;
  readonly where: string;
  readonly selfMs: number;
  readonly percent: number;
}

/** Top self-time functions of a .cpuprofile, bundle positions mapped back to src through esbuild's source map. */
function summarizeProfile(file: string, top = 15): HotFunction[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const bundle = join(OUT, 'profile.js');
  const map = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as SourceMapPayload);
  const self = new Map<string, { name: string; where: string; us: number }>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const frame = byId.get(id)!.callFrame;
    total += us;
    const where = whereOf(frame, bundle, map);
    const key = `${frame.functionName}|${where}`;
    const entry = self.get(key) ?? { name: frame.functionName || '(anonymous)', where, us: 0 };
    entry.us += us;
    self.set(key, entry);
  });
  return [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((e) => ({ name: e.name, where: e.where, selfMs: e.us / 1000, percent: (e.us / total) * 100 }));
}

/** `src/file.ts:line` of a frame (where the function starts), or the node_modules / node-internal location. */
function whereOf(frame: CpuProfile['nodes'][number]['callFrame'], bundle: string, map: SourceMap): string {
  if (!frame.url) return '(native)';
  const path = frame.url.replace(/^file:\/\//, '');
  if (path === bundle) {
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string; originalLine?: number };
    if (entry.originalSource !== undefined && entry.originalLine !== undefined) {
      const source = relative(ROOT, join(OUT, entry.originalSource.replace(/^file:\/\//, '')));
      return `${source}:${entry.originalLine + 1}`;
    }
    return `bench/.build/profile.js:${frame.lineNumber + 1}`;
  }
  const rel = relative(ROOT, path);
  return `${rel.startsWith('..') ? path : rel}:${frame.lineNumber + 1}`;
}

/** Self time summed per file (src module, node_modules package file, or native). */
function byFile(functions: HotFunction[]): Array<{ file: string; percent: number }> {
  const sums = new Map<string, number>();
  for (const f of functions) {
    const file = f.where.replace(/:\d+$/, '');
    sums.set(file, (sums.get(file) ?? 0) + f.percent);
  }
  return [...sums].map(([file, percent]) => ({ file, percent })).sort((a, b) => b.percent - a.percent);
}

async function profilePaginate(): Promise<{ file: string; top: HotFunction[]; files: Array<{ file: string; percent: number }> }> {
  mkdirSync(PROFILES, { recursive: true });
  const name = `paginate-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`;
  await runWorker(
    { name: 'profile', what: 'profile' },
    [],
    ['--expose-gc', '--cpu-prof', `--cpu-prof-dir=${PROFILES}`, `--cpu-prof-name=${name}`, '--cpu-prof-interval=100'],
  );
  const file = join(PROFILES, name);
  return { file, top: summarizeProfile(file), files: byFile(summarizeProfile(file, Infinity)).slice(0, 10) };
}

// ---- main -------------------------------------------------------------------------------

async function mainRun(): Promise<void> {
  const started = performance.now();
  const host = machine();
  const versions = Object.fromEntries(
    [
      'rxjs',
      '@aws-sdk/client-dynamodb',
      '@smithy/util-waiter',
      '@jmespath-community/jmespath',
      'dynalite',
      'tinybench',
      'esbuild',
    ].map((pkg) => [
      pkg,
      (JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version,
    ]),
  );
  console.log('rxjs-aws benchmarks' + (quick ? ' (--quick: reduced counts, goals not meaningful)' : ''));
  console.log(
    `machine: ${host.os}; ${host.cpu}, ${host.cores} cores, ${host.memoryGb} GB; node ${host.node} (V8 ${host.v8}); load average ${host.loadAverage1m}`,
  );
  console.log(
    `versions: ${Object.entries(versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  console.log('Ratios compare rows measured side by side in the same process and run; times are medians.');
  const load = host.loadAverage1m as number;
  if (load > (host.cores as number) * 0.5) {
    console.log(`WARNING: the machine is busy (1-minute load average ${load} on ${host.cores} cores): expect noisier ratios.`);
  }

  const t0 = performance.now();
  await buildWorkers();
  console.log(`built bench/.build (esbuild bundles + tsc dist) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const reports: Record<string, WorkerReport | { error: string }> = {};
  const sections: Section[] = [];
  const goals: Goal[] = [];
  for (const spec of WORKERS) {
    if (only ? !only.has(spec.name) : spec.full && !full) continue;
    const t = performance.now();
    console.log(`\nrunning ${spec.name} (${spec.what})...`);
    try {
      const report = await runWorker(spec);
      reports[spec.name] = report;
      sections.push(...report.sections);
      goals.push(...report.goals);
      report.sections.forEach(printSection);
      console.log(`  (${spec.name}: ${((performance.now() - t) / 1000).toFixed(1)} s)`);
    } catch (error) {
      reports[spec.name] = { error: String(error) };
      console.error(`  ${spec.name} FAILED: ${String(error)}`);
    }
  }

  if (!full && !quick && only === undefined) {
    goals.push({
      id: 'bench.duration',
      goal: `npm run bench (every goal, without --full) ends within ${DURATION_GOAL_S / 60} minutes`,
      measured: (performance.now() - started) / 1000,
      target: DURATION_GOAL_S,
      unit: 's',
      op: '<=',
    });
  }
  const judged = goals.map(judge);
  console.log('\n' + '='.repeat(100));
  console.log('All sections');
  sections.forEach(printSection);
  printRatios(sections);
  printGoals(judged);

  let profile: Awaited<ReturnType<typeof profilePaginate>> | undefined;
  // The type-check goals (10.) are explained by the files they add, in their notes, not by the paginate profile.
  const missed = judged.filter((g) => g.status === 'missed' && !g.id.startsWith('10.'));
  if ((missed.length > 0 && full) || flag('profile')) {
    console.log(
      `\n${missed.length > 0 ? `${missed.length} goal(s) missed` : '--profile'}: profiling the paginate hot path (200,000 pages, Promise send reading its signal, 5 runs)...`,
    );
    try {
      profile = await profilePaginate();
      console.log(`profile: ${relative(ROOT, profile.file)} (open in Chrome DevTools > Performance, or VS Code)`);
      console.log('top self time:');
      for (const f of profile.top)
        console.log(`  ${f.percent.toFixed(1).padStart(5)}%  ${fmt(f.selfMs).padStart(9)} ms  ${f.name}  ${f.where}`);
      console.log('self time by file:');
      for (const f of profile.files) console.log(`  ${f.percent.toFixed(1).padStart(5)}%  ${f.file}`);
    } catch (error) {
      console.error(`  profiling FAILED: ${String(error)}`);
    }
  }

  const seconds = (performance.now() - started) / 1000;
  const results = {
    generatedAt: new Date().toISOString(),
    quick,
    full,
    machine: { ...host, loadAverage1mAtEnd: machine().loadAverage1m },
    versions,
    durationSeconds: Math.round(seconds * 10) / 10,
    goals: judged,
    sections,
    only: only && [...only],
    profile: profile && { file: relative(ROOT, profile.file), topSelfTime: profile.top, selfTimeByFile: profile.files },
    workers: reports,
  };
  const failed = Object.values(reports).some((r) => 'error' in r);
  const saved = saveResults(RESULTS, results, { failed, partial: quick || only !== undefined, at: new Date() });
  console.log(
    `\nwrote ${relative(ROOT, saved.file)}` +
      (saved.latest
        ? ' and bench/results/latest.json'
        : `; bench/results/latest.json (the last complete run) left as it was: this run ${failed ? 'had a failed worker' : 'was partial (--only or --quick)'}`) +
      `; total ${seconds.toFixed(1)} s`,
  );
  if (failed) process.exitCode = 1;
  // Old profiles: keep the last five.
  if (existsSync(PROFILES)) {
    readdirSync(PROFILES)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => ({ f, t: statSync(join(PROFILES, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t)
      .slice(5)
      .forEach(({ f }) => rmSync(join(PROFILES, f)));
  }
}

mainRun().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

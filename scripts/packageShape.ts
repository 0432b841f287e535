/**
 * `npm run package:shape`: measures the shapes rxjs-aws could be published in, as a consumer meets them, and prints
 * the figures docs/package.md gives (`--write` puts them there).
 *
 * It packs the package once (`npm pack`, which builds), then derives each shape from that tarball by editing its
 * package.json (the code is the same in all), and says which one package.json has:
 * - `peers`: every AWS client (and lib-dynamodb) an optional peer: in `peerDependencies` (`^3.0.0`) and,
 *   `optional: true`, in `peerDependenciesMeta`;
 * - `meta-only`: the AWS packages in `peerDependenciesMeta` only;
 * - `none`: the AWS packages in neither.
 *
 * For each shape, a scratch project installs the tarball with `rxjs` and `@aws-sdk/client-dynamodb`:
 * - npm, with an empty cache (every packument and tarball from the registry): seconds, packuments fetched, packages
 *   installed, and the `UNMET OPTIONAL` lines of `npm ls --all`;
 * - pnpm (isolated `node_modules`), as a single project and as a workspace package (`packages/app`, with pnpm's
 *   default hoisting and with `hoist=false`), and yarn 4 with Plug'n'Play (with its default fallback and with
 *   `pnpFallbackMode: none`): whether `require('rxjs-aws/dynamodb')` and `import('rxjs-aws/dynamodb')` load the client.
 * It also counts the tarball's files, its size, the lines `npm pack` prints, and how many files there would be with
 * each subpath's generated code in one file per build (`index.js` and `index.d.ts` per subpath folder).
 *
 * Usage: `npm run package:shape -- [--shapes peers,meta-only,none] [--runs 1] [--write]`. Needs the npm registry;
 * fetches pnpm 10 and yarn 4 into its scratch folder (`--no-pnpm`, `--no-yarn` to skip). Times depend on the network
 * and the machine's load, which the output states.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const DOC = join(ROOT, 'docs/package.md');
const BEGIN = '<!-- packageShape:begin -->';
const END = '<!-- packageShape:end -->';
const PNPM = 'pnpm@10.34.9';
const YARN = '@yarnpkg/cli-dist@4.18.1';
const CLIENT = '@aws-sdk/client-dynamodb';
const SHAPES = ['peers', 'meta-only', 'none'] as const;
type Shape = (typeof SHAPES)[number];

const argv = process.argv.slice(2);
const option = (name: string) => {
  const at = argv.indexOf(`--${name}`);
  return at < 0 ? undefined : argv[at + 1];
};
const shapes = (option('shapes')?.split(',') ?? [...SHAPES]) as Shape[];
for (const s of shapes) if (!SHAPES.includes(s)) throw new Error(`unknown shape ${s}: one of ${SHAPES.join(', ')}`);
const runs = Number(option('runs') ?? 1);
const withPnpm = !argv.includes('--no-pnpm');
const withYarn = !argv.includes('--no-yarn');

type Result = { ok: true; stdout: string; stderr: string; seconds: number } | { ok: false; message: string; seconds: number };

/** Runs a command, never throwing: what failed and its first line of error is a figure too. */
function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Result {
  const started = process.hrtime.bigint();
  const out = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '1', ...env },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (out.status === 0) return { ok: true, stdout: out.stdout, stderr: out.stderr, seconds };
  const text = `${out.stderr}\n${out.stdout}`;
  const lines = text.split('\n');
  const line =
    lines.find((l) => /tried to access|Cannot find module|Error:|ERR!|YN0001/.test(l)) ??
    lines.find((l) => /error|ERR/i.test(l)) ??
    text.trim().split('\n')[0] ??
    '';
  return { ok: false, message: line.trim().slice(0, 200), seconds };
}

function must(result: Result, what: string): Extract<Result, { ok: true }> {
  if (!result.ok) throw new Error(`${what} failed: ${result.message}`);
  return result;
}

const work = mkdtempSync(join(tmpdir(), 'rxjs-aws-shape-'));
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const load = () => loadavg()[0]!.toFixed(1);

function packOriginal(): { tarball: string; packLines: number } {
  const out = must(run('npm', ['pack', '--pack-destination', work, '--loglevel', 'notice'], ROOT), 'npm pack');
  const name = out.stdout.trim().split('\n').pop()!;
  // npm prints its notices (a line per file) on stderr, the tarball's name on stdout.
  const packLines = `${out.stderr}${out.stdout}`.trim().split('\n').length;
  return { tarball: join(work, name), packLines };
}

/** The shape's tarball: the original's files, its package.json edited. */
function packShape(original: string, shape: Shape): string {
  const dir = join(work, `shape-${shape}`);
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xzf', original, '-C', dir]);
  const manifestPath = join(dir, 'package/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, Record<string, unknown> | undefined>;
  const aws = awsPackages(manifest);
  const without = (record: Record<string, unknown> | undefined) =>
    Object.fromEntries(Object.entries(record ?? {}).filter(([name]) => !aws.includes(name)));
  const sorted = (record: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
  const peers = shape === 'peers' ? Object.fromEntries(aws.map((name) => [name, '^3.0.0'])) : {};
  const meta = shape === 'none' ? {} : Object.fromEntries(aws.map((name) => [name, { optional: true }]));
  manifest['peerDependencies'] = sorted({ ...without(manifest['peerDependencies']), ...peers });
  manifest['peerDependenciesMeta'] = sorted({ ...without(manifest['peerDependenciesMeta']), ...meta });
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  const out = must(
    run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, '--loglevel', 'warn'], join(dir, 'package')),
    'repack',
  );
  return join(dir, out.stdout.trim().split('\n').pop()!);
}

/** The AWS SDK packages a manifest names as peers, either way. */
function awsPackages(manifest: Record<string, Record<string, unknown> | undefined>): string[] {
  const names = [...Object.keys(manifest['peerDependencies'] ?? {}), ...Object.keys(manifest['peerDependenciesMeta'] ?? {})];
  return [...new Set(names.filter((name) => name.startsWith('@aws-sdk/')))].sort();
}

/** Which shape a manifest has. */
function shapeOf(manifest: Record<string, Record<string, unknown> | undefined>): Shape {
  const aws = awsPackages(manifest);
  if (aws.length === 0) return 'none';
  return aws.some((name) => name in (manifest['peerDependencies'] ?? {})) ? 'peers' : 'meta-only';
}

interface TarballFigures {
  readonly files: number;
  readonly packedKiB: number;
  readonly unpackedKiB: number;
  readonly bundledFiles: number;
}

function tarballFigures(tarball: string): TarballFigures {
  const listing = execFileSync('tar', ['-tzvf', tarball], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .trim()
    .split('\n');
  const entries = listing.map((line) => {
    const parts = line.trim().split(/\s+/);
    return { size: Number(parts[2]), path: parts[parts.length - 1]! };
  });
  const files = entries.filter((e) => !e.path.endsWith('/'));
  // One index.js and one index.d.ts per subpath folder and build, the rest of the package as it is.
  const generated = /^package\/dist\/(cjs|esm)\/services\/generated\/([^/]+)\//;
  const folders = new Set(files.flatMap((f) => (generated.test(f.path) ? [f.path.match(generated)![0]] : [])));
  const others = files.filter((f) => !generated.test(f.path)).length;
  const packed = readFileSync(tarball).length;
  return {
    files: files.length,
    packedKiB: packed / 1024,
    unpackedKiB: files.reduce((sum, f) => sum + f.size, 0) / 1024,
    bundledFiles: others + folders.size * 2,
  };
}

interface NpmFigures {
  readonly coldSeconds: number;
  readonly packuments: number;
  readonly packages: number;
  readonly unmetOptional: number;
  readonly loads: boolean;
}

function consumer(dir: string, dependencies: Record<string, string>, type?: 'module'): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, ...(type && { type }), dependencies }, null, 2)}\n`,
  );
}

/** Loads the subpath as CommonJS and as an ES module: the client must resolve from inside rxjs-aws. */
function loads(dir: string, node: readonly string[] = []): Result {
  const program =
    "const { Scan } = require('rxjs-aws/dynamodb');" +
    "import('rxjs-aws/dynamodb').then((m) => { if (m.Scan.command !== Scan.command || Scan.command.name !== 'ScanCommand') process.exit(2); });";
  return run(process.execPath, [...node, '-e', program], dir);
}

function npmFigures(tarball: string, shape: Shape, round: number): NpmFigures {
  const dir = join(work, `npm-${shape}-${round}`);
  const cache = join(dir, '.cache');
  consumer(dir, { 'rxjs-aws': `file:${tarball}`, rxjs: '^7.8.0', [CLIENT]: '^3' });
  const cold = must(
    run('npm', ['install', '--no-audit', '--no-fund', '--cache', cache, '--loglevel', 'http'], dir),
    `npm install (${shape})`,
  );
  // A packument is a GET of the registry without /-/ (the path of tarballs).
  const packuments = cold.stderr
    .split('\n')
    .filter((l) => /http fetch GET 200 https?:\/\/\S+/.test(l) && !/\/-\//.test(l)).length;
  // npm ls exits 1 on some of what it reports: its output is read either way.
  const ls = spawnSync('npm', ['ls', '--all'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const unmetOptional = ls.stdout.split('\n').filter((l) => l.includes('UNMET OPTIONAL')).length;
  const packages = Number(
    must(run('npm', ['query', '*', '--loglevel', 'error'], dir), 'npm query').stdout.match(/"location"/g)?.length ?? 0,
  );
  return {
    coldSeconds: cold.seconds,
    packuments,
    packages,
    unmetOptional,
    loads: loads(dir).ok,
  };
}

function tools(): { pnpm?: string; yarn?: string } {
  if (!withPnpm && !withYarn) return {};
  const dir = join(work, 'tools');
  consumer(dir, {});
  must(
    run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--loglevel', 'error', ...(withPnpm ? [PNPM] : []), ...(withYarn ? [YARN] : [])],
      dir,
    ),
    'installing pnpm and yarn',
  );
  return {
    ...(withPnpm && { pnpm: join(dir, 'node_modules/pnpm/bin/pnpm.cjs') }),
    ...(withYarn && { yarn: join(dir, 'node_modules/@yarnpkg/cli-dist/bin/yarn.js') }),
  };
}

type Verdict = string;

function verdict(install: Result, load: Result | undefined): Verdict {
  if (!install.ok) return `install fails: ${install.message}`;
  if (load === undefined || load.ok) return `loads (${install.seconds.toFixed(1)} s)`;
  return `install ok, load fails: ${load.message}`;
}

/** pnpm: one project, and a workspace whose package `packages/app` has the client, with pnpm's hoisting and without. */
function pnpmVerdicts(pnpm: string, tarball: string, shape: Shape): Verdict[] {
  const store = join(work, 'pnpm-store');
  const pnpmRun = (dir: string) =>
    run(process.execPath, [pnpm, 'install', '--store-dir', store, '--reporter', 'append-only'], dir, { CI: '1' });
  const single = join(work, `pnpm-${shape}`);
  consumer(single, { 'rxjs-aws': `file:${tarball}`, rxjs: '^7.8.0', [CLIENT]: '^3' });
  const singleInstall = pnpmRun(single);
  const verdicts = [verdict(singleInstall, singleInstall.ok ? loads(single) : undefined)];
  for (const hoist of [true, false]) {
    // The app's client is in packages/app/node_modules, which Node's lookup from pnpm's store does not pass: only
    // a declared peer, or pnpm's hoisting of everything into node_modules/.pnpm/node_modules, finds it.
    const root = join(work, `pnpm-ws-${shape}-${hoist ? 'hoist' : 'nohoist'}`);
    consumer(root, {});
    writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n');
    if (!hoist) writeFileSync(join(root, '.npmrc'), 'hoist=false\n');
    const app = join(root, 'packages/app');
    consumer(app, { 'rxjs-aws': `file:${tarball}`, rxjs: '^7.8.0', [CLIENT]: '^3' });
    const install = pnpmRun(root);
    verdicts.push(verdict(install, install.ok ? loads(app) : undefined));
  }
  return verdicts;
}

/** yarn 4 Plug'n'Play, with its default fallback (packages may use the top-level project's dependencies) and without. */
function yarnVerdicts(yarn: string, tarball: string, shape: Shape): Verdict[] {
  return (['dependencies-only', 'none'] as const).map((fallback) => {
    const dir = join(work, `yarn-${shape}-${fallback}`);
    consumer(dir, { 'rxjs-aws': `file:${tarball}`, rxjs: '^7.8.0', [CLIENT]: '^3' });
    writeFileSync(join(dir, 'yarn.lock'), '');
    writeFileSync(
      join(dir, '.yarnrc.yml'),
      `nodeLinker: pnp\npnpFallbackMode: ${fallback}\nenableGlobalCache: false\ncacheFolder: ${join(work, 'yarn-cache')}\n`,
    );
    const install = run(process.execPath, [yarn, 'install'], dir, { YARN_ENABLE_IMMUTABLE_INSTALLS: 'false', CI: '1' });
    if (!install.ok) return verdict(install, undefined);
    // Plug'n'Play resolves through .pnp.cjs (and .pnp.loader.mjs for ES modules), as `yarn node` would.
    const esm = join(dir, '.pnp.loader.mjs');
    return verdict(install, loads(dir, ['--require', join(dir, '.pnp.cjs'), ...(existsSync(esm) ? ['--loader', esm] : [])]));
  });
}

function main(): void {
  const startLoad = load();
  process.stderr.write(`packing (builds first) in ${work}\n`);
  // --tarball reuses a packed tarball (to try the installs again); the lines npm pack prints are then not counted.
  const given = option('tarball');
  const { tarball, packLines } = given ? { tarball: resolve(given), packLines: Number.NaN } : packOriginal();
  const figures = tarballFigures(tarball);
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, unknown>>;
  const peers = awsPackages(manifest).length;
  const shipped = shapeOf(manifest);
  const { pnpm, yarn } = tools();
  const rows: string[] = [];
  const strictRows: string[] = [];
  for (const shape of shapes) {
    const shaped = packShape(tarball, shape);
    const measured: NpmFigures[] = [];
    for (let round = 0; round < runs; round++) {
      process.stderr.write(`npm, ${shape}, run ${round + 1} of ${runs} (load ${load()})\n`);
      measured.push(npmFigures(shaped, shape, round));
    }
    const m = measured[0]!;
    rows.push(
      `| ${shape} | ${median(measured.map((x) => x.coldSeconds)).toFixed(1)} | ` +
        `${m.packuments} | ${m.packages} | ${m.unmetOptional} | ${m.loads ? 'yes' : 'no'} |`,
    );
    process.stderr.write(`pnpm and yarn, ${shape}\n`);
    const p = pnpm ? pnpmVerdicts(pnpm, shaped, shape) : ['not run', 'not run', 'not run'];
    const y = yarn ? yarnVerdicts(yarn, shaped, shape) : ['not run', 'not run'];
    strictRows.push(`| ${shape} | ${[...p, ...y].join(' | ')} |`);
  }
  const kib = (n: number) => `${Math.round(n).toLocaleString('en-US')} KiB`;
  const text = [
    `Measured by \`npm run package:shape\` on ${new Date().toISOString().slice(0, 10)}, node ${process.version}, npm ${must(
      run('npm', ['--version'], ROOT),
      'npm --version',
    ).stdout.trim()}, load average ${startLoad} at the start and ${load()} at the end (2 cores), against ${must(
      run('npm', ['config', 'get', 'registry'], ROOT),
      'npm config',
    ).stdout.trim()}; ${runs} run${runs === 1 ? '' : 's'} per shape${runs > 1 ? ' (median)' : ''}.`,
    '',
    `The tarball: ${figures.files.toLocaleString('en-US')} files, ${kib(figures.packedKiB)} packed, ${kib(figures.unpackedKiB)} unpacked; \`npm pack\` prints ${Number.isNaN(packLines) ? 'lines not counted (--tarball)' : `${packLines.toLocaleString('en-US')} lines`}. ` +
      `With each subpath's generated code in one file per build: ${figures.bundledFiles.toLocaleString('en-US')} files (counted from the same listing). ` +
      `${peers} AWS packages are optional peers; package.json has the shape \`${shipped}\`.`,
    '',
    `A consumer installs the tarball with \`rxjs\` and \`${CLIENT}\` (npm, empty cache):`,
    '',
    '| shape | install (s) | packuments fetched | packages | `npm ls --all` UNMET OPTIONAL lines | `rxjs-aws/dynamodb` loads |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Stricter package managers (${PNPM}, yarn ${YARN.split('@').pop()} Plug'n'Play), loading \`rxjs-aws/dynamodb\` as CommonJS and as an ES module:`,
    '',
    '| shape | pnpm, one project | pnpm, workspace package | pnpm, workspace package, `hoist=false` | yarn 4 PnP | yarn 4 PnP, `pnpFallbackMode: none` |',
    '| --- | --- | --- | --- | --- | --- |',
    ...strictRows,
  ].join('\n');
  process.stdout.write(`${text}\n`);
  if (argv.includes('--write')) {
    const doc = readFileSync(DOC, 'utf8');
    const from = doc.indexOf(BEGIN);
    const to = doc.indexOf(END);
    if (from < 0 || to < from) throw new Error(`${DOC} has no ${BEGIN} … ${END} block`);
    writeFileSync(DOC, `${doc.slice(0, from + BEGIN.length)}\n${text}\n${doc.slice(to)}`);
    process.stderr.write(`wrote ${DOC}\n`);
  }
}

try {
  main();
} finally {
  if (!argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
}

/**
 * Measurement 5, cold start and bundle size.
 *
 * Cold start: fresh `node` processes (20 of each, interleaved, after two
 * unrecorded rounds), requiring the package as published: `npm run build`'s
 * tsc output, built by the runner into bench/.build/dist. Each process also
 * times its own `require`s with hrtime, so the added milliseconds show twice:
 * as a difference of process wall times, and measured inside the process.
 *
 * Size: esbuild bundle + minify, gzip level 9, in KiB, of an app module
 * using paginate alone and paginate + waitFor on Scan / TableExists, with
 * everything rxjs-aws brings bundled (its JMESPath dependency included) and
 * only rxjs and the app's own @aws-sdk/* external; and against one using SDK
 * v3's paginateScan + waitUntilTableExists (see bench/README.md for why there
 * are three views of the comparison).
 */
import { execFileSync } from 'child_process';
import { join } from 'path';
import { APPS, APP_EXTERNAL, bundleSize, type Size } from './bundleSize';
import { alive, main, median, progress, range, type Goal, type Row, type WorkerReport } from './common';

const quick = process.argv.includes('--quick');
const RUNS = quick ? 5 : 12;
const ROOT = join(__dirname, '..', '..');
const DIST = join(__dirname, 'dist');

// ---- cold start --------------------------------------------------------------------

interface Config {
  readonly name: string;
  /** Modules required in order, each timed; none for the bare `node -e ""`. */
  readonly modules: readonly string[];
}

const RXJS_AWS = join(DIST, 'index.js');
const RXJS_AWS_DYNAMODB = join(DIST, 'services', 'generated', 'dynamodb', 'index.js');
const CONFIGS: readonly Config[] = [
  { name: 'node -e ""', modules: [] },
  { name: "require('rxjs')", modules: ['rxjs'] },
  { name: "require('rxjs'), then rxjs-aws", modules: ['rxjs', RXJS_AWS] },
  { name: "require('rxjs'), '@aws-sdk/client-dynamodb'", modules: ['rxjs', '@aws-sdk/client-dynamodb'] },
  { name: '... then rxjs-aws', modules: ['rxjs', '@aws-sdk/client-dynamodb', RXJS_AWS] },
  { name: '... then rxjs-aws + rxjs-aws/dynamodb', modules: ['rxjs', '@aws-sdk/client-dynamodb', RXJS_AWS, RXJS_AWS_DYNAMODB] },
];

const script = (modules: readonly string[]) =>
  modules.length === 0
    ? ''
    : `const h=process.hrtime.bigint,t=[];for(const m of ${JSON.stringify(modules)}){const a=h();require(m);t.push(Number(h()-a)/1e6)}process.stdout.write(JSON.stringify(t))`;

interface ColdSamples {
  wall: number[];
  /** Per module of the config: in-process require times. */
  requires: number[][];
}

function coldStart(): Map<string, ColdSamples> {
  const samples = new Map<string, ColdSamples>(CONFIGS.map((c) => [c.name, { wall: [], requires: c.modules.map(() => []) }]));
  const env = { ...process.env, NODE_OPTIONS: '' };
  for (let round = -2; round < RUNS; round++) {
    // Interleaved, order rotating, so drift on a busy machine spreads over every config.
    for (let k = 0; k < CONFIGS.length; k++) {
      const config = CONFIGS[(k + Math.max(round, 0)) % CONFIGS.length]!;
      const t0 = process.hrtime.bigint();
      const out = execFileSync(process.execPath, ['-e', script(config.modules)], { cwd: ROOT, env, encoding: 'utf8' });
      const wall = Number(process.hrtime.bigint() - t0) / 1e6;
      if (round < 0) continue;
      const entry = samples.get(config.name)!;
      entry.wall.push(wall);
      if (config.modules.length) (JSON.parse(out) as number[]).forEach((ms, i) => entry.requires[i]!.push(ms));
    }
    alive();
  }
  return samples;
}

// ---- bundle size -------------------------------------------------------------------------

const bundle = (contents: string, external: string[]) => bundleSize(ROOT, contents, external);

const AWS_EXTERNAL = ['@aws-sdk/*'];
const SMITHY_EXTERNAL = ['@aws-sdk/*', '@smithy/*'];
const RXJS_EXTERNAL = ['rxjs', 'rxjs/*', '@jmespath-community/jmespath'];

main(async (): Promise<WorkerReport> => {
  progress('coldstart', `${CONFIGS.length} configurations × ${RUNS} fresh node processes (+2 warm-up rounds)`);
  const cold = coldStart();
  const wallOf = (name: string) => median(cold.get(name)!.wall);
  /** Median of the per-round differences: each round runs every configuration back to back, so drift cancels. */
  const added = (name: string, over: string) => {
    const a = cold.get(name)!.wall;
    const b = cold.get(over)!.wall;
    return median(a.map((ms, i) => ms - b[i]!));
  };
  const base = wallOf('node -e ""');
  const rxjs = wallOf("require('rxjs')");
  const withAws = wallOf("require('rxjs'), then rxjs-aws");
  const sdk = wallOf("require('rxjs'), '@aws-sdk/client-dynamodb'");
  const withDynamo = wallOf('... then rxjs-aws + rxjs-aws/dynamodb');
  const addedRange = (name: string, over: string) => {
    const b = cold.get(over)!.wall;
    return range(cold.get(name)!.wall.map((ms, i) => ms - b[i]!));
  };
  const inProcess = (name: string, from: number) =>
    cold
      .get(name)!
      .requires.slice(from)
      .reduce((sum, list) => sum + median(list), 0);
  const coldRows: Row[] = [
    { name: 'node -e "" (baseline)', value: base, unit: 'ms', note: 'process wall time, spawn to exit' },
    { name: "require('rxjs')", value: rxjs, unit: 'ms', ratio: rxjs / base, ratioTo: 'baseline' },
    {
      name: "require('rxjs') + require('rxjs-aws')",
      value: withAws,
      unit: 'ms',
      ratio: withAws / rxjs,
      ratioTo: "require('rxjs')",
    },
    {
      name: '  added by rxjs-aws (wall, paired difference)',
      value: added("require('rxjs'), then rxjs-aws", "require('rxjs')"),
      unit: 'ms',
      note: `difference of medians: ${(withAws - rxjs).toFixed(2)} ms`,
    },
    {
      name: '  added by rxjs-aws (require timed in-process)',
      value: inProcess("require('rxjs'), then rxjs-aws", 1),
      unit: 'ms',
      note: 'incl. @jmespath-community/jmespath',
    },
    { name: "require rxjs + '@aws-sdk/client-dynamodb'", value: sdk, unit: 'ms', ratio: sdk / base, ratioTo: 'baseline' },
    {
      name: '  + rxjs-aws + rxjs-aws/dynamodb',
      value: withDynamo,
      unit: 'ms',
      ratio: withDynamo / sdk,
      ratioTo: 'rxjs + client-dynamodb',
    },
    {
      name: '  added by rxjs-aws + its DynamoDB specs (wall, paired)',
      value: added('... then rxjs-aws + rxjs-aws/dynamodb', "require('rxjs'), '@aws-sdk/client-dynamodb'"),
      unit: 'ms',
      note: `difference of medians: ${(withDynamo - sdk).toFixed(2)} ms`,
    },
    {
      name: '  added by rxjs-aws + its DynamoDB specs (in-process)',
      value: inProcess('... then rxjs-aws + rxjs-aws/dynamodb', 2),
      unit: 'ms',
    },
  ];

  progress('coldstart', 'bundle sizes (esbuild, minify, gzip -9)');
  const sizes = {
    paginateAlone: await bundle(APPS.paginateOnly, APP_EXTERNAL),
    paginateWaitFor: await bundle(APPS.rxjsAws, APP_EXTERNAL),
    rxjsAwsOwn: await bundle(APPS.rxjsAws, [...AWS_EXTERNAL, ...RXJS_EXTERNAL]),
    sdkAsAsked: await bundle(APPS.sdk, SMITHY_EXTERNAL),
    sdkClientExternal: await bundle(APPS.sdk, AWS_EXTERNAL),
    base: await bundle(APPS.base, []),
    baseRxjsAws: await bundle(`${APPS.base}\n${APPS.rxjsAws}`, []),
    baseSdk: await bundle(`${APPS.base}\n${APPS.sdk}`, []),
    baseRxjsExternal: await bundle(APPS.base, RXJS_EXTERNAL),
    baseRxjsAwsRxjsExternal: await bundle(`${APPS.base}\n${APPS.rxjsAws}`, RXJS_EXTERNAL),
  };
  const kib = (bytes: number) => bytes / 1024;
  const addedSdk = sizes.baseSdk.gzip - sizes.base.gzip;
  const addedRxjsAws = sizes.baseRxjsAws.gzip - sizes.base.gzip;
  const addedRxjsAwsOnly = sizes.baseRxjsAwsRxjsExternal.gzip - sizes.baseRxjsExternal.gzip;
  const jmespathBytes = (size: Size) =>
    size.modules.filter(([path]) => path.includes('@jmespath-community')).reduce((sum, [, bytes]) => sum + bytes, 0);
  const sizeRows: Row[] = [
    {
      name: 'paginate alone; only rxjs + the app SDK external',
      value: kib(sizes.paginateAlone.gzip),
      unit: 'KiB min+gz',
      note: `${kib(sizes.paginateAlone.min).toFixed(1)} KiB minified, of which JMESPath ${kib(jmespathBytes(sizes.paginateAlone)).toFixed(1)} KiB`,
    },
    {
      name: 'paginate + waitFor; only rxjs + the app SDK external',
      value: kib(sizes.paginateWaitFor.gzip),
      unit: 'KiB min+gz',
      note: `${kib(sizes.paginateWaitFor.min).toFixed(1)} KiB minified, of which JMESPath ${kib(jmespathBytes(sizes.paginateWaitFor)).toFixed(1)} KiB`,
    },
    {
      name: 'rxjs-aws app; rxjs, jmespath, @aws-sdk/* external',
      value: kib(sizes.rxjsAwsOwn.gzip),
      unit: 'KiB gz',
      note: `${kib(sizes.rxjsAwsOwn.min).toFixed(1)} KiB minified: rxjs-aws's own code`,
    },
    {
      name: 'SDK app; @aws-sdk/*, @smithy/* external',
      value: kib(sizes.sdkAsAsked.gzip),
      unit: 'KiB gz',
      note: 'only import statements: the paginator and waiter live in the externals',
    },
    {
      name: 'SDK app; @aws-sdk/* external, @smithy/* bundled',
      value: kib(sizes.sdkClientExternal.gzip),
      unit: 'KiB gz',
      note: 'still empty: paginateScan/waitUntilTableExists are in @aws-sdk/client-dynamodb',
    },
    {
      name: 'DynamoDB app baseline (client + 2 commands), all bundled',
      value: kib(sizes.base.gzip),
      unit: 'KiB gz',
      note: `${kib(sizes.base.min).toFixed(0)} KiB minified`,
    },
    {
      name: 'added by paginateScan + waitUntilTableExists',
      value: kib(addedSdk),
      unit: 'KiB gz',
      note: 'baseline + SDK app, minus baseline',
    },
    {
      name: 'added by paginate + waitFor, rxjs + jmespath bundled',
      value: kib(addedRxjsAws),
      unit: 'KiB gz',
      ratio: addedRxjsAws / addedSdk,
      ratioTo: 'SDK paginator + waiter',
    },
    {
      name: 'added by paginate + waitFor, rxjs + jmespath external',
      value: kib(addedRxjsAwsOnly),
      unit: 'KiB gz',
      ratio: addedRxjsAwsOnly / addedSdk,
      ratioTo: 'SDK paginator + waiter',
      note: 'an app that already ships rxjs and jmespath',
    },
  ];
  const goals: Goal[] = [
    {
      id: '5.import',
      goal: `the root entry adds <= 5 ms after rxjs and client-dynamodb (wall, paired, ${RUNS} runs)`,
      measured: added('... then rxjs-aws', "require('rxjs'), '@aws-sdk/client-dynamodb'"),
      range: addedRange('... then rxjs-aws', "require('rxjs'), '@aws-sdk/client-dynamodb'"),
      target: 5,
      unit: 'ms',
      op: '<=',
      note: `require timed in-process: ${inProcess('... then rxjs-aws', 2).toFixed(2)} ms`,
    },
    {
      id: '5.import-dynamodb',
      goal: 'rxjs-aws + DynamoDB specs add < 10 ms over rxjs + client-dynamodb',
      measured: added('... then rxjs-aws + rxjs-aws/dynamodb', "require('rxjs'), '@aws-sdk/client-dynamodb'"),
      range: addedRange('... then rxjs-aws + rxjs-aws/dynamodb', "require('rxjs'), '@aws-sdk/client-dynamodb'"),
      target: 10,
      unit: 'ms',
      note: `require timed in-process: ${inProcess('... then rxjs-aws + rxjs-aws/dynamodb', 2).toFixed(2)} ms`,
    },
    {
      id: '5.size-paginate',
      goal: 'paginate alone <= 6 KiB min+gz, JMESPath included, rxjs and @aws-sdk/* external (a bundle: no range)',
      measured: kib(sizes.paginateAlone.gzip),
      target: 6,
      unit: 'KiB',
      op: '<=',
    },
    {
      id: '5.size-paginate-waitFor',
      goal: 'paginate + waitFor <= 9 KiB min+gz, JMESPath included, rxjs and @aws-sdk/* external (a bundle: no range)',
      measured: kib(sizes.paginateWaitFor.gzip),
      target: 9,
      unit: 'KiB',
      op: '<=',
    },
  ];
  return {
    sections: [
      { title: `5a. Cold start: fresh node processes, median of ${RUNS} each (package as built by tsc)`, rows: coldRows },
      {
        title: '5b. Bundle size: esbuild --bundle --minify (browser, ESM), gzip -9',
        rows: sizeRows,
        notes: [
          'With @aws-sdk/* external the SDK app bundles nothing, so the fair view is the "added" rows: what each adds to an app that already',
          'bundles a DynamoDBClient with ScanCommand and DescribeTableCommand (sizes of the gzipped whole bundle, minus the baseline).',
          `largest modules of the rxjs-aws app (minified bytes): ${sizes.rxjsAwsOwn.modules
            .slice(0, 8)
            .map(([path, bytes]) => `${path.replace(/^src\//, '')} ${bytes}`)
            .join(', ')}`,
        ],
      },
    ],
    goals,
    details: {
      runs: RUNS,
      coldStartMs: Object.fromEntries(cold),
      bytes: Object.fromEntries(
        Object.entries(sizes).map(([name, { min, gzip, modules }]) => [
          name,
          { min, gzip, ...(name === 'rxjsAwsOwn' && { modules }) },
        ]),
      ),
    },
  };
});

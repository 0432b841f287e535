/**
 * Where a benchmark run's results go: one file per run, named after its time,
 * in an ignored directory (one machine's figures do not belong in the
 * repository; docs quote them from here, with the machine and load), and `latest.json` only ever a complete
 * run in which every worker succeeded, so a failed or partial run never
 * replaces good results.
 */
import { copyFileSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';

export interface RunOutcome {
  /** A worker failed: its sections are missing. */
  readonly failed: boolean;
  /** Only some workers ran (`--only`), or with reduced counts (`--quick`). */
  readonly partial: boolean;
  /** When the run ended; names the file. */
  readonly at: Date;
}

export interface SavedResults {
  /** The file this run was written to. */
  readonly file: string;
  /** Whether `latest.json` now holds this run. */
  readonly latest: boolean;
}

/** Runs kept besides `latest.json`, newest first. */
export const KEPT_RUNS = 20;

/**
 * Writes `results` to `<dir>/<time>[-failed|-partial].json` (atomically), and
 * to `<dir>/latest.json` only when the run is complete and no worker failed;
 * older runs beyond {@link KEPT_RUNS} are removed.
 *
 * @example
 * const saved = saveResults('bench/results', results, { failed: false, partial: false, at: new Date() });
 * saved.latest; // true: bench/results/latest.json is this run
 */
export function saveResults(dir: string, results: unknown, outcome: RunOutcome): SavedResults {
  mkdirSync(dir, { recursive: true });
  const suffix = outcome.failed ? '-failed' : outcome.partial ? '-partial' : '';
  const file = join(dir, `${outcome.at.toISOString().replace(/[:.]/g, '-')}${suffix}.json`);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  const latest = !outcome.failed && !outcome.partial;
  if (latest) copyFileSync(file, join(dir, 'latest.json'));
  readdirSync(dir)
    .filter((name) => name !== 'latest.json' && name.endsWith('.json'))
    .sort()
    .reverse()
    .slice(KEPT_RUNS)
    .forEach((name) => rmSync(join(dir, name)));
  return { file, latest };
}

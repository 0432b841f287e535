/**
 * The benchmark never replaces good results with a failed or partial run, and
 * keeps its files out of the repository's tracked paths.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { KEPT_RUNS, saveResults } from '../../bench/saveResults';

describe('saveResults', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rxjs-aws-bench-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second));
  const latest = () => JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')) as { run: string };

  test('a complete run becomes latest.json; a failed or partial one is kept beside it and replaces nothing', () => {
    expect(saveResults(dir, { run: 'good' }, { failed: false, partial: false, at: at(1) }).latest).toBe(true);
    expect(latest()).toEqual({ run: 'good' });

    const failed = saveResults(dir, { run: 'failed' }, { failed: true, partial: false, at: at(2) });
    expect(failed.latest).toBe(false);
    expect(failed.file).toBe(join(dir, '2026-01-01T00-00-02-000Z-failed.json'));
    const partial = saveResults(dir, { run: 'partial' }, { failed: false, partial: true, at: at(3) });
    expect(partial.latest).toBe(false);
    expect(partial.file).toBe(join(dir, '2026-01-01T00-00-03-000Z-partial.json'));
    expect(latest()).toEqual({ run: 'good' });

    expect(saveResults(dir, { run: 'better' }, { failed: false, partial: false, at: at(4) }).latest).toBe(true);
    expect(latest()).toEqual({ run: 'better' });
    expect(readdirSync(dir).sort()).toEqual([
      '2026-01-01T00-00-01-000Z.json',
      '2026-01-01T00-00-02-000Z-failed.json',
      '2026-01-01T00-00-03-000Z-partial.json',
      '2026-01-01T00-00-04-000Z.json',
      'latest.json',
    ]);
  });

  test(`keeps the newest ${KEPT_RUNS} runs besides latest.json`, () => {
    for (let s = 0; s < KEPT_RUNS + 5; s++) saveResults(dir, { run: s }, { failed: s % 2 === 1, partial: false, at: at(s) });
    const runs = readdirSync(dir).filter((name) => name !== 'latest.json');
    expect(runs).toHaveLength(KEPT_RUNS);
    expect(runs.sort()[0]).toBe('2026-01-01T00-00-05-000Z-failed.json');
    expect(latest()).toEqual({ run: KEPT_RUNS + 4 });
  });
});

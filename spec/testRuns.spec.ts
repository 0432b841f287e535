/**
 * `npm run test:core` is the inner loop: it must not start a server. A test file that starts one (dynalite,
 * moto, the botocore side of the differential suite, a worker process) belongs to the `servers` project of
 * jest.config.js, or to `services` under spec/services.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const STARTS_A_SERVER = /startDynalite\(|startMoto\(|describeIfMoto|motoStepFunctions|from '\.\/differential'|spawn\(|fork\(/;

interface Project {
  displayName: string;
  testPathIgnorePatterns?: string[];
}

function specFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? specFiles(path) : entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('the test runs', () => {
  const { projects } = require(join(ROOT, 'jest.config.js')) as { projects: Project[] };
  const core = projects.find((p) => p.displayName === 'core')!;
  const ignored = (core.testPathIgnorePatterns ?? []).map((p) => new RegExp(p.replace('<rootDir>', ROOT)));

  it('has the core, services and servers projects', () => {
    expect(projects.map((p) => p.displayName)).toEqual(['core', 'services', 'servers']);
  });

  it('keeps every test file that starts a server out of the core run', () => {
    const inCore = specFiles(join(ROOT, 'spec'))
      .filter((path) => path !== __filename)
      .filter((path) => STARTS_A_SERVER.test(readFileSync(path, 'utf8')))
      .filter((path) => !ignored.some((pattern) => pattern.test(path)))
      .map((path) => relative(ROOT, path));
    expect(inCore).toEqual([]);
  });

  it('recognises a file that starts a server', () => {
    expect(STARTS_A_SERVER.test('ddb = await startDynalite();')).toBe(true);
    expect(STARTS_A_SERVER.test("import { paginate } from '../../src';")).toBe(false);
  });
});

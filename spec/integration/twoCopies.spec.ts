/**
 * Two copies of rxjs-aws in one process, as an app gets when it loads both the CommonJS and the
 * ES module build (a Nest app importing an ES module helper). Both builds are made from src with
 * esbuild into a temporary folder, and a child node process requires the one and imports the
 * other: a page or error of one copy keeps its resume token for the other copy's resumeTokenOf,
 * and each copy's error classes recognise the other copy's errors.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const PROBE = `
import { createRequire } from 'node:module';
const cjs = createRequire(import.meta.url)('./copy.cjs');
const esm = await import('./copy.mjs');

const spec = { input_token: 'NextToken', output_token: 'NextToken', result_key: 'Items' };
// Page n holds item n; the pages never end.
const numbered = (input) => {
  const n = Number(input.NextToken ?? 0);
  return Promise.resolve({ Items: [n], NextToken: String(n + 1) });
};
const pages = (copy, options) =>
  new Promise((resolve, reject) => {
    const seen = [];
    copy.paginate(spec, numbered, {}, options).subscribe({ next: (p) => seen.push(p), error: reject, complete: () => resolve(seen) });
  });
const thrown = (call) => {
  try {
    call();
  } catch (error) {
    return error;
  }
};

const out = { distinct: cjs.resumeTokenOf !== esm.resumeTokenOf && cjs.PaginationError !== esm.PaginationError };

const pageOfCjs = (await pages(cjs, { maxItems: 2 }))[1];
const pageOfEsm = (await pages(esm, { maxItems: 2 }))[1];
out.tokens = {
  cjsPageByCjs: cjs.resumeTokenOf(pageOfCjs),
  cjsPageByEsm: esm.resumeTokenOf(pageOfCjs),
  esmPageByCjs: cjs.resumeTokenOf(pageOfEsm),
};
out.resumedByTheOtherCopy = (await pages(esm, { maxItems: 2, startingToken: esm.resumeTokenOf(pageOfCjs) })).map((p) => p.Items[0]);

const signer = { sign: (token) => 'sealed:' + token, verify: (sealed) => sealed.slice('sealed:'.length) };
out.sealedByTheOtherCopy = esm.resumeTokenOf((await pages(cjs, { maxItems: 1, signer }))[0]);

const cycle = await new Promise((resolve) =>
  cjs.paginate(spec, () => Promise.resolve({ Items: [1], NextToken: 'again' }), {}).subscribe({ error: resolve }),
);
out.cycle = {
  name: cycle.name,
  byCjs: cycle instanceof cjs.PaginationError,
  byEsm: cycle instanceof esm.PaginationError,
  asSpecError: cycle instanceof esm.SpecError,
  token: esm.resumeTokenOf(cycle),
};

const refused = thrown(() => cjs.paginate(spec, numbered, {}, { pagesize: 1 }));
out.refused = { byEsm: refused instanceof esm.SpecError, field: refused.field, asWaiterError: refused instanceof esm.WaiterError };

const timeout = new esm.WaiterError('timeout', 'Max attempts exceeded', { attempts: 1, lastResponse: undefined });
out.waiterError = { byCjs: timeout instanceof cjs.WaiterError, byEsm: timeout instanceof esm.WaiterError };
out.plainError = new Error('x') instanceof cjs.SpecError || new Error('x') instanceof esm.SpecError;

class Mine extends cjs.SpecError {}
out.subclass = {
  ownInstance: new Mine('f', 'p') instanceof Mine,
  parentInstance: new cjs.SpecError('f', 'p') instanceof Mine,
  otherCopy: new esm.SpecError('f', 'p') instanceof Mine,
};

process.stdout.write(JSON.stringify(out));
`;

describe('two copies of the library in one process (the CommonJS and the ES module build)', () => {
  let dir: string;
  let out: Record<string, unknown>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rxjs-aws-two-copies-'));
    const entry = join(__dirname, '..', '..', 'src', 'index.ts');
    for (const [format, file] of [
      ['cjs', 'copy.cjs'],
      ['esm', 'copy.mjs'],
    ] as const) {
      buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format, outfile: join(dir, file), logLevel: 'error' });
    }
    writeFileSync(join(dir, 'probe.mjs'), PROBE);
    out = JSON.parse(execFileSync(process.execPath, [join(dir, 'probe.mjs')], { encoding: 'utf8' })) as Record<string, unknown>;
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('they really are two copies', () => {
    expect(out['distinct']).toBe(true);
  });

  test('resumeTokenOf of one copy reads the pages of the other, and the other copy resumes from it', () => {
    // botocore's format of { NextToken: '2' }: base64 of its JSON.
    const two = Buffer.from('{"NextToken": "2"}').toString('base64');
    expect(out['tokens']).toEqual({ cjsPageByCjs: two, cjsPageByEsm: two, esmPageByCjs: two });
    expect(out['resumedByTheOtherCopy']).toEqual([2, 3]);
  });

  test("a sealed resume point is sealed by the other copy's resumeTokenOf", () => {
    expect(out['sealedByTheOtherCopy']).toBe(`sealed:${Buffer.from('{"NextToken": "1"}').toString('base64')}`);
  });

  test('an error of one copy is an instance of the other copy’s class, and keeps its resume token', () => {
    expect(out['cycle']).toEqual({
      name: 'PaginationError',
      byCjs: true,
      byEsm: true,
      asSpecError: false,
      token: Buffer.from('{"NextToken": "again"}').toString('base64'),
    });
    expect(out['refused']).toEqual({ byEsm: true, field: 'options.pagesize', asWaiterError: false });
    expect(out['waiterError']).toEqual({ byCjs: true, byEsm: true });
    expect(out['plainError']).toBe(false);
  });

  test('a subclass keeps the ordinary instanceof', () => {
    expect(out['subclass']).toEqual({ ownInstance: true, parentInstance: false, otherCopy: false });
  });
});

/**
 * `npm run build`: the CommonJS and ES module builds, each with its types.
 * tsc writes both; the CommonJS core is then bundled into one file
 * ({@link bundleCommonJsCore}), ES modules get the file extensions Node's ESM
 * loader needs (`./operators/paginate` -> `./operators/paginate.js`), and each
 * half gets a package.json that says which kind of module its .js files are.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { bundleCommonJsCore } from './bundleCommonJsCore';
import { filesUnder } from './filesUnder';

const ROOT = resolve(__dirname, '..');
const DIST = join(ROOT, 'dist');

rmSync(DIST, { recursive: true, force: true });
const tsc = require.resolve('typescript/bin/tsc');
for (const project of ['tsconfig.build.json', 'tsconfig.esm.json']) {
  execFileSync(process.execPath, [tsc, '-p', join(ROOT, project)], { stdio: 'inherit' });
}
void bundleCommonJsCore(ROOT, join(DIST, 'cjs')).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
writeFileSync(join(DIST, 'cjs/package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
writeFileSync(join(DIST, 'esm/package.json'), `${JSON.stringify({ type: 'module', sideEffects: false })}\n`);

const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*)\2/g;
for (const file of filesUnder(join(DIST, 'esm'))) {
  if (!/\.(js|d\.ts)$/.test(file)) continue;
  const text = readFileSync(file, 'utf8');
  const fixed = text.replace(SPECIFIER, (whole, lead: string, quote: string, specifier: string) => {
    if (/\.(c|m)?js$/.test(specifier)) return whole;
    const target = resolve(dirname(file), specifier);
    const withExtension = existsSync(`${target}.js`) ? `${specifier}.js` : `${specifier}/index.js`;
    return `${lead}${quote}${withExtension}${quote}`;
  });
  if (fixed !== text) writeFileSync(file, fixed);
}

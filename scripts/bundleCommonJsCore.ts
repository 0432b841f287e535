/**
 * The CommonJS build's core in one file. `require('rxjs-aws')` of tsc's
 * output reads and compiles one small file per module, most of its cold
 * start; bundled, it reads one. Every module the root entry reaches is put
 * in `core.js`, under its path, and its own file becomes a one-line stub that
 * hands out the bundled copy, so the subpaths, `rxjs-aws/signing` and the
 * rest (still one file per module) share the root's module instances: one
 * `SpecError`, one JMESPath setting, one governor type, whichever file asks.
 *
 * The ES module build keeps one file per module: bundlers drop what an app
 * does not use, which a single file would defeat.
 */
import { build, type Plugin } from 'esbuild';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { filesUnder } from './filesUnder';

const CORE = 'core.js';

const JMESPATH = '@jmespath-community/jmespath';

/**
 * The JMESPath library, required when an expression first needs it rather than when the core loads: a CommonJS
 * module whose exports (the library's, named at build time) are getters.
 */
function lazyLibrary(): string {
  const names = Object.keys(require(JMESPATH) as object).filter((name) => name !== 'default' && name !== '__esModule');
  return `let library;
const load = () => library || (library = require(${JSON.stringify(JMESPATH)}));
Object.defineProperty(exports, '__esModule', { value: true });
for (const name of ${JSON.stringify(names)}) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });
`;
}

const lazyJmespath: Plugin = {
  name: 'lazy-jmespath',
  setup(b) {
    b.onResolve({ filter: /^@jmespath-community\/jmespath$/ }, (args) =>
      args.namespace === 'lazy-jmespath' ? { path: args.path, external: true } : { path: JMESPATH, namespace: 'lazy-jmespath' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-jmespath' }, () => ({ contents: lazyLibrary(), loader: 'js' }));
  },
};

/**
 * Bundles what `src/index.ts` reaches into `<cjsDir>/core.js`, turns each of those modules' files in `cjsDir`
 * (tsc's CommonJS output of `src`) into a stub that re-exports its bundled copy, and points the other modules'
 * `require`s of them at the bundled copies.
 * @returns the modules bundled, as paths under `src` without extension.
 * @example
 * ```ts
 * await bundleCommonJsCore(ROOT, join(ROOT, 'dist/cjs'));
 * ```
 */
export async function bundleCommonJsCore(root: string, cjsDir: string): Promise<string[]> {
  const src = join(root, 'src');
  if (existsSync(join(cjsDir, CORE))) throw new Error(`${join(cjsDir, CORE)}: tsc wrote a module of that name; rename it`);
  const reached = await build({
    entryPoints: [join(src, 'index.ts')],
    bundle: true,
    write: false,
    platform: 'node',
    packages: 'external',
    metafile: true,
    logLevel: 'error',
  });
  const modules = Object.keys(reached.metafile.inputs)
    .map((input) => relative(src, resolve(root, input)).replace(/\.ts$/, ''))
    .sort();
  const entry =
    modules.map((module, i) => `import * as m${i} from './${module}';`).join('\n') +
    `\nexport const modules = {\n${modules.map((module, i) => `  ${JSON.stringify(module)}: m${i},`).join('\n')}\n};\n` +
    // As tsc marks its CommonJS modules: interop helpers (\`__importStar\`) then take them as they are.
    `for (const module of Object.values(modules)) Object.defineProperty(module, '__esModule', { value: true });\n`;
  await build({
    stdin: { contents: entry, resolveDir: src, loader: 'ts', sourcefile: 'core.ts' },
    outfile: join(cjsDir, CORE),
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    packages: 'external',
    // Whitespace and syntax only: names stay as written, for stack traces and `constructor.name`.
    minifyWhitespace: true,
    minifySyntax: true,
    plugins: [lazyJmespath],
    logLevel: 'error',
  });
  const bundled = new Set(modules);
  const coreFrom = (file: string) => relative(dirname(file), join(cjsDir, CORE)).replace(/^(?!\.)/, './');
  for (const module of modules) {
    const file = join(cjsDir, `${module}.js`);
    if (!existsSync(file)) throw new Error(`${file}: tsc wrote no such module, yet src/index.ts reaches src/${module}.ts`);
    writeFileSync(
      file,
      `"use strict";\nmodule.exports = require(${JSON.stringify(coreFrom(file))}).modules[${JSON.stringify(module)}];\n`,
    );
  }
  // The other modules (subpaths, extras, signing) take the bundled copies from the core itself, not through the
  // stubs: a subpath then reads its own files only.
  for (const file of filesUnder(cjsDir)) {
    const module = relative(cjsDir, file).replace(/\.js$/, '');
    if (!file.endsWith('.js') || bundled.has(module) || module === 'core') continue;
    const text = readFileSync(file, 'utf8');
    const direct = text.replace(REQUIRE, (whole, specifier: string) => {
      const target = relative(cjsDir, resolve(dirname(file), specifier)).replace(/\.js$/, '');
      const found = [target, `${target}/index`].find((candidate) => bundled.has(candidate));
      return found === undefined ? whole : `require(${JSON.stringify(coreFrom(file))}).modules[${JSON.stringify(found)}]`;
    });
    if (direct !== text) writeFileSync(file, direct);
  }
  return modules;
}

/** A `require` of a relative path, as tsc writes it in CommonJS output. */
const REQUIRE = /\brequire\("(\.{1,2}\/[^"]*)"\)/g;

import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every file under `dir`, at any depth, as a path joined to `dir`: what the build's passes over its output read.
 * @example
 * ```ts
 * for (const file of filesUnder('dist/esm')) if (file.endsWith('.js')) fixSpecifiers(file);
 * ```
 */
export function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

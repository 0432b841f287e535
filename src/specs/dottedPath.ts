import { SpecError } from '../errors/SpecError';
import { isPlainRecord } from '../util/isPlainRecord';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Splits a result or non-aggregate key into its members. botocore writes these
 * keys back into pages (truncation, `build_full_result`), which only works for
 * dotted paths, so anything else is a SpecError up front rather than a crash later.
 * @internal
 */
export function dottedPath(source: string, field: string): readonly string[] {
  const path = source.split('.');
  if (!path.every((member) => IDENTIFIER.test(member))) {
    throw new SpecError(
      field,
      `must be a dotted path of member names (it is written back into pages), got ${JSON.stringify(source)}`,
    );
  }
  // Written with plain assignment, `__proto__` would reach Object.prototype (prototype pollution).
  if (path.includes('__proto__')) throw new SpecError(field, 'must not name __proto__');
  return path;
}

/**
 * A copy of `target` with `value` at `path`; objects along the path are copied,
 * missing ones created, so the caller's response is never mutated.
 * @internal
 */
export function withValueAt(target: unknown, path: readonly string[], value: unknown, depth = 0): Record<string, unknown> {
  const copy: Record<string, unknown> = isPlainRecord(target) ? { ...target } : {};
  const member = path[depth]!;
  copy[member] = depth === path.length - 1 ? value : withValueAt(copy[member], path, value, depth + 1);
  return copy;
}

/**
 * Sets `value` at `path` inside `target` in place, creating objects on the way:
 * for accumulators the library owns (full results).
 * @internal
 */
export function setValueAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const next = node[path[i]!];
    if (isPlainRecord(next)) {
      node = next;
    } else {
      const created: Record<string, unknown> = {};
      node[path[i]!] = created;
      node = created;
    }
  }
  node[path[path.length - 1]!] = value;
}

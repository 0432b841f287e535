import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One service version of the vendored botocore corpus (see README.md). */
export interface CorpusEntry {
  readonly paginators?: Record<string, unknown>;
  readonly waiters?: Record<string, unknown>;
}

export interface NamedSpec {
  /** `service/apiVersion Operation` or `service/apiVersion WaiterName`. */
  readonly name: string;
  readonly spec: unknown;
}

let cached: Record<string, CorpusEntry> | undefined;

/** The vendored botocore 1.43.11 corpus, parsed once per test file. */
export function loadCorpus(): Record<string, CorpusEntry> {
  cached ??= JSON.parse(readFileSync(join(__dirname, '../../src/specs/data/botocore/corpus.json'), 'utf8')) as Record<
    string,
    CorpusEntry
  >;
  return cached;
}

/** Every paginator spec of the corpus, fresh copies the caller may mutate. */
export function corpusPaginators(): NamedSpec[] {
  return Object.entries(loadCorpus()).flatMap(([service, entry]) =>
    Object.entries(entry.paginators ?? {}).map(([name, spec]) => ({ name: `${service} ${name}`, spec: copy(spec) })),
  );
}

/** Every waiter spec of the corpus, fresh copies the caller may mutate. */
export function corpusWaiters(): NamedSpec[] {
  return Object.entries(loadCorpus()).flatMap(([service, entry]) =>
    Object.entries(entry.waiters ?? {}).map(([name, spec]) => ({ name: `${service} ${name}`, spec: copy(spec) })),
  );
}

// JSON round trip rather than structuredClone: under jest, structuredClone builds
// objects from the outer realm, whose prototype is not this realm's Object.prototype.
function copy(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

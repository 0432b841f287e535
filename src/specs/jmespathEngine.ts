import type { CompiledExpression } from './compileExpression';

/**
 * Compiles the JMESPath expressions that are more than a plain member path
 * (`Reservations[].Instances[].State.Name`, `length(Items) > \`0\``). Plain
 * paths never need one, so an app whose specs only use those does not bundle it.
 * @example
 * ```ts
 * const engine: JmespathEngine = fullJmespath;
 * engine.compile('Items[].id', 'expression').search({ Items: [{ id: 1 }] }); // [1]
 * ```
 * @internal
 */
export interface JmespathEngine {
  /** Parses `source`, naming `field` in the SpecError if it does not parse. */
  compile(source: string, field: string): CompiledExpression;
}

let installed: JmespathEngine | undefined;

/**
 * Makes `engine` the one every later spec compiles its non-plain expressions with.
 * @internal
 */
export function installJmespath(engine: JmespathEngine | undefined): void {
  installed = engine;
}

/** The engine installed by `useFullJmespath()`, if any. @internal */
export function installedJmespath(): JmespathEngine | undefined {
  return installed;
}

/**
 * Runs `compile` with `engine` as the installed one, then puts the previous
 * one back: a bound spec that needs the full evaluator carries it, so its
 * user never has to install it (compiling is synchronous, so nothing else
 * can see the swap).
 * @internal
 */
export function compilingWith<T>(engine: JmespathEngine | undefined, compile: () => T): T {
  if (engine === undefined) return compile();
  const previous = installed;
  installed = engine;
  try {
    return compile();
  } finally {
    installed = previous;
  }
}

/** The full evaluator a bound spec carries because one of its expressions needs it. @internal */
export function engineOf(bound: object): JmespathEngine | undefined {
  const engine = (bound as { jmespath?: unknown }).jmespath;
  return typeof engine === 'object' && engine !== null && typeof (engine as JmespathEngine).compile === 'function'
    ? (engine as JmespathEngine)
    : undefined;
}

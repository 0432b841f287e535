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

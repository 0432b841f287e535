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

// Spec objects that carry the evaluator their expressions need: a generated module's specs, so that the bound spec
// and its `.spec` alike compile without `useFullJmespath()`. Weak, so a spec nobody holds is not kept alive.
const carried = new WeakMap<object, JmespathEngine>();

/**
 * Makes `spec` compile its non-plain expressions with `engine`, whatever is installed: the spec object itself,
 * not a copy of it, carries the evaluator. Returns `spec`.
 * @internal
 */
export function carryJmespath<T extends object>(spec: T, engine: JmespathEngine): T {
  carried.set(spec, engine);
  return spec;
}

/**
 * Runs `compile` with the evaluator `spec` carries as the installed one, then puts the previous one back (compiling
 * is synchronous, so nothing else can see the swap); with none carried, as it is.
 * @internal
 */
export function compilingWith<T>(spec: object, compile: () => T): T {
  const engine = carried.get(spec);
  if (engine === undefined || engine === installed) return compile();
  const previous = installed;
  installed = engine;
  try {
    return compile();
  } finally {
    installed = previous;
  }
}

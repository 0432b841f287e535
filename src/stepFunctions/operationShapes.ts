/**
 * What a value of an operation's input or output is, as its SDK v3 command's
 * schema says: enough to show where JMESPath and JSONPath agree. `absent`
 * is a member the shape does not have (JMESPath reads null, JSONPath nothing);
 * `unknown` is a document, or a schema this reader does not know.
 * @internal
 */
export type Shape =
  | { readonly kind: 'structure'; member(name: string): Shape }
  | { readonly kind: 'list'; element(): Shape }
  | { readonly kind: 'map'; value(): Shape }
  | { readonly kind: 'scalar' | 'absent' | 'unknown' };

/** The shapes of an operation's request and response. @internal */
export interface OperationShapes {
  readonly input: Shape;
  readonly output: Shape;
}

const UNKNOWN: Shape = { kind: 'unknown' };
const ABSENT: Shape = { kind: 'absent' };
const SCALAR: Shape = { kind: 'scalar' };

// Smithy's static schemas (@smithy/core/schema, in SDK v3 clients since 2025): a number for a simple type
// (64 + n a list of n, 128 + n a map of n, 15 a document), or a tuple [kind, namespace, name, traits, ...]
// (0 a named simple type, 1 a list, 2 a map, 3 / -3 / 4 a structure, error or union, 9 an operation);
// a member is [schema, traits]; a function stands for the schema it returns.
const DOCUMENT = 15;

/** The command's schema, as SDK v3 commands since 2025 carry it on an instance; undefined for older ones. @internal */
export function commandSchema(command: new (input: never) => object): unknown {
  try {
    return (new command({} as never) as { schema?: unknown }).schema;
  } catch {
    return undefined;
  }
}

/** The shapes of the command's operation, or undefined when it carries no schema this reader knows. @internal */
export function operationShapes(command: new (input: never) => object): OperationShapes | undefined {
  const schema = commandSchema(command);
  if (!Array.isArray(schema) || schema[0] !== 9 || schema.length < 6) return undefined;
  return { input: shapeOf(schema[4]), output: shapeOf(schema[5]) };
}

function shapeOf(ref: unknown, depth = 0): Shape {
  // Schemas are recursive (a structure that holds itself): shapes are built lazily, and a runaway is unknown.
  if (depth > 64) return UNKNOWN;
  let schema: unknown;
  try {
    schema = typeof ref === 'function' ? (ref as () => unknown)() : ref;
  } catch {
    return UNKNOWN;
  }
  if (typeof schema === 'number') return simpleShape(schema, depth);
  if (!Array.isArray(schema)) return UNKNOWN;
  if (schema.length === 2) return shapeOf(schema[0], depth + 1); // a member: [schema, traits]
  switch (schema[0]) {
    case 0:
      return shapeOf(schema[4], depth + 1);
    case 1:
      return { kind: 'list', element: () => shapeOf(schema[4], depth + 1) };
    case 2:
      return { kind: 'map', value: () => shapeOf(schema[5], depth + 1) };
    case 3:
    case -3:
    case 4: {
      const names: unknown = schema[4];
      const members: unknown = schema[5];
      if (!Array.isArray(names) || !Array.isArray(members)) return UNKNOWN;
      return {
        kind: 'structure',
        member: (name) => (names.includes(name) ? shapeOf(members[names.indexOf(name)], depth + 1) : ABSENT),
      };
    }
    default:
      return UNKNOWN;
  }
}

function simpleShape(code: number, depth: number): Shape {
  if (code === DOCUMENT) return UNKNOWN;
  if (code >= 64 && code < 128) return { kind: 'list', element: () => simpleShape(code & 63, depth + 1) };
  if (code >= 128 && code < 256) return { kind: 'map', value: () => simpleShape(code & 63, depth + 1) };
  return SCALAR;
}

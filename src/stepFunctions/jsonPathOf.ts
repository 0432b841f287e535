import { compile } from '@jmespath-community/jmespath';

type Node = ReturnType<typeof compile>;

/**
 * A JMESPath expression rewritten as JSONPath, or why it cannot be.
 * `wildcards` counts the `[*]` steps: 0 means a definite path (a Choice
 * `Variable`), 1 or more a list (for `pathAll` / `pathAny`).
 * @internal
 */
export type JsonPathOf =
  { readonly ok: true; readonly path: string; readonly wildcards: number } | { readonly ok: false; readonly reason: string };

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

// JMESPath's node types, in the words a reason should use.
const NODE_WORDS: Record<string, string> = {
  Comparator: 'a comparison',
  Function: 'a function call',
  FilterProjection: 'a filter projection [?...]',
  AndExpression: 'a logical and (&&)',
  OrExpression: 'a logical or (||)',
  NotExpression: 'a logical not (!)',
  MultiSelectList: 'a multi-select list',
  MultiSelectHash: 'a multi-select hash',
  Literal: 'a literal',
  Slice: 'a slice',
  Pipe: 'a pipe',
  ValueProjection: 'an object projection (*)',
  Current: 'the current node (@)',
  Root: 'the root node ($)',
};

/**
 * Rewrites the JMESPath subset that JSONPath says the same way: member
 * chains (`a.b`), non-negative indexes (`a[0]`) and list projections
 * (`a[].b`, `a[*].b`, flattened `a[].b[].c`). Anything else is refused with
 * the construct named, never approximated: JSONPath in Step Functions has no
 * functions, and its filters cannot be evaluated where a Choice reads.
 * @internal
 */
export function jsonPathOf(expression: string, root = '$'): JsonPathOf {
  let ast: Node;
  try {
    ast = compile(expression);
  } catch (error) {
    return { ok: false, reason: `does not parse as JMESPath: ${(error as Error).message}` };
  }
  try {
    const { path, wildcards } = walk(ast, false);
    return { ok: true, path: root + path, wildcards };
  } catch (error) {
    if (error instanceof Unsupported) return { ok: false, reason: error.message };
    throw error;
  }
}

class Unsupported extends Error {}

function walk(node: Node, inProjection: boolean): { path: string; wildcards: number } {
  const n = node as unknown as { type: string; name?: string; value?: unknown; left?: Node; right?: Node; child?: Node };
  switch (n.type) {
    case 'Field':
      return { path: member(n.name!), wildcards: 0 };
    case 'Identity':
      return { path: '', wildcards: 0 };
    case 'Subexpression': {
      const left = walk(n.left!, inProjection);
      const right = walk(n.right!, inProjection);
      return { path: left.path + right.path, wildcards: left.wildcards + right.wildcards };
    }
    case 'IndexExpression': {
      const left = walk(n.left!, inProjection);
      const index = n.right as unknown as { type: string; value?: unknown };
      if (index.type !== 'Index')
        throw new Unsupported(`uses ${NODE_WORDS[index.type] ?? `a ${index.type} node`}, which has no JSONPath form`);
      if (typeof index.value !== 'number' || index.value < 0) {
        throw new Unsupported('uses a negative index, which Step Functions JSONPath does not support');
      }
      return { path: `${left.path}[${index.value}]`, wildcards: left.wildcards };
    }
    case 'Flatten': {
      // a[] flattens one level: a projection inside it ([].b[]) yields one flat list, as JSONPath's [*].b[*] does.
      const child = walk(n.child!, false);
      return { path: `${child.path}[*]`, wildcards: child.wildcards + 1 };
    }
    case 'Projection': {
      if (inProjection) {
        throw new Unsupported(
          'projects inside a projection without flattening: JMESPath keeps nested lists, JSONPath flattens them',
        );
      }
      const leftNode = n.left as unknown as { type: string };
      const left = walk(n.left!, false);
      // `a[*]` arrives as Projection(Field a, ...); `a[]` as Projection(Flatten(a), ...), which already added [*].
      const base = leftNode.type === 'Flatten' ? left : { path: `${left.path}[*]`, wildcards: left.wildcards + 1 };
      const right = walk(n.right!, true);
      return { path: base.path + right.path, wildcards: base.wildcards + right.wildcards };
    }
    default:
      throw new Unsupported(`uses ${NODE_WORDS[n.type] ?? `a ${n.type} node`}, which has no JSONPath form`);
  }
}

function member(name: string): string {
  if (IDENTIFIER.test(name)) return `.${name}`;
  if (/['\\\]]/.test(name)) throw new Unsupported(`names the member ${JSON.stringify(name)}, which JSONPath cannot quote`);
  return `['${name}']`;
}

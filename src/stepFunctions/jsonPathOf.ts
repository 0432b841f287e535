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
  const step = jsonPathMember(name);
  if (!step.ok) throw new Unsupported(step.reason);
  return step.step;
}

/**
 * The JSONPath step to member `name`: `.name`, or `['name']` when it is no identifier. Refused where Step
 * Functions would read the quoted form as something else: `['*']` is a wildcard, and a quote, backslash or
 * bracket cannot be quoted.
 * @internal
 */
export function jsonPathMember(
  name: string,
): { readonly ok: true; readonly step: string } | { readonly ok: false; readonly reason: string } {
  if (IDENTIFIER.test(name)) return { ok: true, step: `.${name}` };
  if (name === '*') return { ok: false, reason: 'names the member "*", which JSONPath reads as a wildcard' };
  if (name === '' || /['\\\]]/.test(name)) {
    return { ok: false, reason: `names the member ${JSON.stringify(name)}, which JSONPath cannot quote` };
  }
  return { ok: true, step: `['${name}']` };
}

/**
 * `length(<projection>) <comparator> <number>`, the one comparison JSONPath
 * can make: `States.ArrayLength` of the projected list. `base` is the member
 * the projection starts from, whose absence makes JMESPath's `length` fail
 * (no match) where JSONPath would count an empty list.
 * @internal
 */
export type LengthComparison =
  | {
      readonly ok: true;
      readonly path: string;
      readonly base: string;
      readonly comparator: 'EQ' | 'NE' | 'GT' | 'GTE' | 'LT' | 'LTE';
      readonly value: number;
    }
  | { readonly ok: false; readonly reason: string };

const COMPARATORS = new Set(['EQ', 'NE', 'GT', 'GTE', 'LT', 'LTE']);

/** The length comparison `expression` is, or undefined when it is not one. @internal */
export function lengthComparisonOf(expression: string, root: string): LengthComparison | undefined {
  let ast: Node;
  try {
    ast = compile(expression);
  } catch {
    return undefined;
  }
  const node = ast as unknown as {
    type: string;
    name?: string;
    left?: { type: string; name?: string; children?: Node[] };
    right?: { type: string; value?: unknown };
  };
  const { left, right } = node;
  if (
    node.type !== 'Comparator' ||
    !COMPARATORS.has(node.name!) ||
    left?.type !== 'Function' ||
    left.name !== 'length' ||
    left.children?.length !== 1 ||
    right?.type !== 'Literal' ||
    typeof right.value !== 'number'
  ) {
    return undefined;
  }
  let walked: { path: string; wildcards: number };
  try {
    walked = walk(left.children[0]!, false);
  } catch (error) {
    if (error instanceof Unsupported) return { ok: false, reason: error.message };
    throw error;
  }
  if (walked.wildcards === 0) {
    return { ok: false, reason: 'measures a member that may be a string or a list: only a projection is known to be a list' };
  }
  const path = root + walked.path;
  return {
    ok: true,
    path,
    base: path.slice(0, path.indexOf('[*]')),
    comparator: node.name as 'EQ' | 'NE' | 'GT' | 'GTE' | 'LT' | 'LTE',
    value: right.value,
  };
}

/** A parsed JMESPath expression, or undefined when it does not parse. @internal */
export function parseJmesPath(expression: string): JmesPathNode | undefined {
  try {
    return compile(expression) as unknown as JmesPathNode;
  } catch {
    return undefined;
  }
}

/** The parts of a JMESPath syntax tree node that the compilers here read. @internal */
export interface JmesPathNode {
  readonly type: string;
  readonly name?: string;
  readonly value?: unknown;
  readonly left?: JmesPathNode;
  readonly right?: JmesPathNode;
  readonly child?: JmesPathNode;
  readonly children?: readonly JmesPathNode[];
}

/** {@link jsonPathOf} for a node of a larger expression. @internal */
export function jsonPathOfNode(node: JmesPathNode, root: string): JsonPathOf {
  try {
    const { path, wildcards } = walk(node as unknown as Node, false);
    return { ok: true, path: root + path, wildcards };
  } catch (error) {
    if (error instanceof Unsupported) return { ok: false, reason: error.message };
    throw error;
  }
}

/** How a reason names a node: `a comparison`, `a function call`. @internal */
export function nodeWords(node: JmesPathNode): string {
  return NODE_WORDS[node.type] ?? `a ${node.type} node`;
}

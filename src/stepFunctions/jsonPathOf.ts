import { compile } from '@jmespath-community/jmespath';
import type { Shape } from './operationShapes';

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

const UNKNOWN: Shape = { kind: 'unknown' };

// The shapes of the roots the expressions being planned start from (`$.response`: the operation's output), while
// `planningWith` runs; none outside it. Planning is synchronous, so nothing else sees them.
let roots: ReadonlyMap<string, Shape> | undefined;

/**
 * Runs `plan` with the shapes of the roots its expressions start from, so that
 * a flatten can be shown to say in JSONPath what it says in JMESPath.
 * @internal
 */
export function planningWith<T>(shapes: ReadonlyMap<string, Shape> | undefined, plan: () => T): T {
  const previous = roots;
  roots = shapes;
  try {
    return plan();
  } finally {
    roots = previous;
  }
}

/**
 * Rewrites the JMESPath subset that JSONPath says the same way: member
 * chains (`a.b`), non-negative indexes (`a[0]`) and list projections
 * (`a[].b`, `a[*].b`, flattened `a[].b[].c`). Anything else is refused with
 * the construct named, never approximated: JSONPath in Step Functions has no
 * functions, and its filters cannot be evaluated where a Choice reads.
 *
 * A flatten (`[]`) needs the operation's shapes (see {@link planningWith}):
 * JSONPath's `[*]` spreads a list's elements but not lists inside it, and
 * spreads an object's values where JMESPath keeps the object. So `a[]` is
 * `[*]` when `a` is a list of non-lists and `[*][*]` when it is a list of
 * lists; a flatten of projected values (`a[].b[]`) is `[*]` when each `b` is a
 * list and nothing when it is not one; a flatten of what is no list, or of
 * what no schema describes, is refused. (Responses are taken to follow their
 * operation's model, as the service's do: no list where a structure is modelled.)
 * @internal
 */
export function jsonPathOf(expression: string, root = '$'): JsonPathOf {
  let ast: Node;
  try {
    ast = compile(expression);
  } catch (error) {
    return { ok: false, reason: `does not parse as JMESPath: ${(error as Error).message}` };
  }
  return jsonPathOfNode(ast as unknown as JmesPathNode, root);
}

class Unsupported extends Error {}

interface Walked {
  readonly path: string;
  /** The `[*]` steps in `path`. */
  readonly wildcards: number;
  /** The shape of each value the path reaches. */
  readonly shape: Shape;
}

const source = (node: Node) => {
  const n = node as unknown as { type: string; name?: string; left?: Node; right?: Node; child?: Node; value?: unknown };
  return n;
};

function walk(node: Node, inProjection: boolean, shape: Shape): Walked {
  const n = source(node);
  switch (n.type) {
    case 'Field':
      return { path: member(n.name!), wildcards: 0, shape: memberShape(shape, n.name!) };
    case 'Identity':
      return { path: '', wildcards: 0, shape };
    case 'Subexpression': {
      const left = walk(n.left!, inProjection, shape);
      const right = walk(n.right!, inProjection, left.shape);
      return { path: left.path + right.path, wildcards: left.wildcards + right.wildcards, shape: right.shape };
    }
    case 'IndexExpression': {
      const left = walk(n.left!, inProjection, shape);
      const index = n.right as unknown as { type: string; value?: unknown };
      if (index.type !== 'Index')
        throw new Unsupported(`uses ${NODE_WORDS[index.type] ?? `a ${index.type} node`}, which has no JSONPath form`);
      if (typeof index.value !== 'number' || index.value < 0) {
        throw new Unsupported('uses a negative index, which Step Functions JSONPath does not support');
      }
      return { path: `${left.path}[${index.value}]`, wildcards: left.wildcards, shape: elementShape(left.shape) };
    }
    case 'Flatten':
      return flatten(n.child!, shape);
    case 'Projection': {
      if (inProjection) {
        throw new Unsupported(
          'projects inside a projection without flattening: JMESPath keeps nested lists, JSONPath flattens them',
        );
      }
      const leftNode = source(n.left!);
      // `a[]` arrives as Projection(Flatten(a), ...), whose elements the flatten already reached; `a[*]` as
      // Projection(Field a, ...), a list whose elements [*] reaches (an object's values JMESPath would not).
      let base: Walked;
      if (leftNode.type === 'Flatten') {
        base = walk(n.left!, false, shape);
      } else {
        const left = walk(n.left!, false, shape);
        if (left.shape.kind === 'structure' || left.shape.kind === 'map') {
          throw new Unsupported(
            `projects ${describe(n.left!)}[*] over an object: JMESPath gives nothing there, JSONPath its values`,
          );
        }
        base = { path: `${left.path}[*]`, wildcards: left.wildcards + 1, shape: elementShape(left.shape) };
      }
      const right = walk(n.right!, true, base.shape);
      return { path: base.path + right.path, wildcards: base.wildcards + right.wildcards, shape: right.shape };
    }
    default:
      throw new Unsupported(`uses ${NODE_WORDS[n.type] ?? `a ${n.type} node`}, which has no JSONPath form`);
  }
}

/**
 * JMESPath's `child[]`: the list `child` gives with its list elements spread one level. Said in JSONPath only
 * where the shapes show it: see {@link jsonPathOf}.
 */
function flatten(childNode: Node, shape: Shape): Walked {
  const child = walk(childNode, false, shape);
  const what = `flattens ${describe(childNode)}`;
  if (child.shape.kind === 'unknown') {
    throw new Unsupported(
      roots === undefined
        ? `${what}, which JSONPath's [*] says the same way only if it is a list holding no lists, and no schema shows ` +
            "that (bind the spec to its SDK v3 command: clients since 2025 carry their operation's schema)"
        : `${what}, a document in its operation's schema: nothing shows whether it is a list or holds lists`,
    );
  }
  if (child.shape.kind === 'absent') return { path: `${child.path}[*]`, wildcards: child.wildcards + 1, shape: child.shape };
  if (child.wildcards > 0) {
    // Projected values: JMESPath spreads the ones that are lists and keeps the others, as they are.
    if (child.shape.kind === 'list') {
      return { path: `${child.path}[*]`, wildcards: child.wildcards + 1, shape: child.shape.element() };
    }
    return child;
  }
  if (child.shape.kind !== 'list') {
    throw new Unsupported(`${what}, which is no list: JMESPath gives nothing there, JSONPath its values`);
  }
  const element = child.shape.element();
  if (element.kind === 'unknown') {
    throw new Unsupported(`${what}, a list of documents: JMESPath spreads the ones that are lists, JSONPath cannot tell them`);
  }
  // A list of lists: JMESPath spreads every element, as [*][*] reaches the elements of each.
  if (element.kind === 'list') {
    return { path: `${child.path}[*][*]`, wildcards: child.wildcards + 2, shape: element.element() };
  }
  return { path: `${child.path}[*]`, wildcards: child.wildcards + 1, shape: element };
}

function memberShape(shape: Shape, name: string): Shape {
  switch (shape.kind) {
    case 'structure':
      return shape.member(name);
    case 'map':
      return shape.value();
    case 'unknown':
      return UNKNOWN;
    default:
      return { kind: 'absent' };
  }
}

function elementShape(shape: Shape): Shape {
  if (shape.kind === 'list') return shape.element();
  return shape.kind === 'unknown' ? UNKNOWN : { kind: 'absent' };
}

/** The JMESPath source of a (small) node, for reasons: `Reservations`, `Reservations[].Instances`. */
function describe(node: Node): string {
  const n = source(node);
  switch (n.type) {
    case 'Field':
      return IDENTIFIER.test(n.name!) ? n.name! : JSON.stringify(n.name);
    case 'Subexpression':
      return `${describe(n.left!)}.${describe(n.right!)}`;
    case 'Flatten':
      return `${describe(n.child!)}[]`;
    case 'Projection':
      return `${describe(n.left!)}${source(n.left!).type === 'Flatten' ? '' : '[*]'}${source(n.right!).type === 'Identity' ? '' : `.${describe(n.right!)}`}`;
    case 'IndexExpression':
      return `${describe(n.left!)}[${String(source(n.right!).value)}]`;
    case 'Identity':
      return '@';
    default:
      return nodeWords(n as JmesPathNode);
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
  let walked: Walked;
  try {
    walked = walk(left.children[0]!, false, rootShape(root));
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
    const { path, wildcards } = walk(node as unknown as Node, false, rootShape(root));
    return { ok: true, path: root + path, wildcards };
  } catch (error) {
    if (error instanceof Unsupported) return { ok: false, reason: error.message };
    throw error;
  }
}

function rootShape(root: string): Shape {
  return roots?.get(root) ?? UNKNOWN;
}

/** How a reason names a node: `a comparison`, `a function call`. @internal */
export function nodeWords(node: JmesPathNode): string {
  return NODE_WORDS[node.type] ?? `a ${node.type} node`;
}

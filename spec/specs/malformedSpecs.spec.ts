import fc from 'fast-check';
import { compilePaginator } from '../../src/specs/compilePaginator';
import { compileWaiter } from '../../src/specs/compileWaiter';
import { SpecError } from '../../src/errors/SpecError';
import type { PaginatorSpec, WaiterSpec } from '../../src/specs/types';
import type { WaiterResponse } from '../../src/specs/WaiterResponse';
import { corpusPaginators, corpusWaiters } from '../support/corpus';

// Property: whatever a spec holds, compiling it either succeeds or throws a
// SpecError, never a TypeError or anything else; and what compiles behaves.

const SEED = 20240611;
const RUNS = 1000;
const params = { seed: SEED, numRuns: RUNS };

/** Compiles, returning the result or the SpecError; any other error escapes and fails the property. */
function attempt<T>(compile: () => T): T | SpecError {
  try {
    return compile();
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    // The field may be '' when the spec has a member named ''; it is still named.
    expect(typeof error.field).toBe('string');
    expect(error.problem).not.toBe('');
    expect(error.message).toBe(`${error.field}: ${error.problem}`);
    return error;
  }
}

// ---- building blocks -------------------------------------------------------

const FIELD_NAMES = [
  'input_token',
  'output_token',
  'limit_key',
  'more_results',
  'result_key',
  'non_aggregate_keys',
  'operation',
  'description',
  'delay',
  'maxAttempts',
  'acceptors',
  'state',
  'matcher',
  'argument',
  'expected',
  'documentation',
  'minDelay',
  'maxDelay',
  'deprecated',
  'tags',
  'message',
  'output',
  'inputOutput',
  'success',
  'errorType',
  'path',
  'comparator',
  'kind',
  'matches',
  'search',
  'outputTokens',
];
/** Keys that trip naive lookups on plain objects. */
const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'toJSON', 'length', '0'];
const MATCHER_NAMES = [
  'path',
  'pathAll',
  'pathAny',
  'status',
  'error',
  'output',
  'inputOutput',
  'success',
  'errorType',
  'PATH',
  'Path',
  '',
  ' path',
  ...HOSTILE_KEYS,
];
const COMPARATORS = ['stringEquals', 'booleanEquals', 'allStringEquals', 'anyStringEquals', 'StringEquals', ...HOSTILE_KEYS];
const STATES = ['success', 'failure', 'retry', 'Success', 'done', ''];

const key = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...FIELD_NAMES, ...HOSTILE_KEYS));

/** Any JS value a spec could plausibly be handed: JSON, plus null prototypes, Dates, Maps, typed arrays. */
const junk: fc.Arbitrary<unknown> = fc.anything({
  key,
  maxDepth: 3,
  maxKeys: 5,
  withNullPrototype: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withObjectString: true,
});

const json: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 });

const corpusExpressions = [
  ...new Set(
    corpusWaiters().flatMap(({ spec }) => (spec as WaiterSpec).acceptors.flatMap((a) => (a.argument ? [a.argument] : []))),
  ),
];

/** Strings that are mostly not JMESPath: token soup, and real expressions with characters knocked out or added. */
const garbageExpression: fc.Arbitrary<string> = fc.oneof(
  fc
    .array(
      fc.constantFrom(
        '.',
        '[',
        ']',
        '[]',
        '[?',
        '?',
        '`',
        "'",
        '"',
        '|',
        '||',
        '&&',
        '&',
        '@',
        '*',
        '(',
        ')',
        '{',
        '}',
        ':',
        ',',
        '!',
        '==',
        '!=',
        '<',
        '>=',
        'a',
        'Foo',
        '0',
        '-1',
        ' ',
        '\\',
        '$',
        'length(',
        'contains(',
        '`[]`',
        '\u00e9',
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join('')),
  fc
    .tuple(fc.constantFrom(...corpusExpressions), fc.nat(), fc.nat({ max: 3 }), fc.string({ maxLength: 3 }))
    .map(([source, at, drop, insert]) => {
      const i = at % (source.length + 1);
      return source.slice(0, i) + insert + source.slice(i + drop);
    }),
  fc.string({ maxLength: 20 }),
);

// ---- mutations of real specs ----------------------------------------------

type Path = readonly (string | number)[];

function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...prefix, i], out));
  else if (isRecordLike(value)) {
    for (const k of Object.keys(value)) pathsOf((value as Record<string, unknown>)[k], [...prefix, k], out);
  }
  return out;
}

/** Objects whose own string keys mutations may walk and set (not arrays, typed arrays, Maps, Sets or Dates). */
function isRecordLike(value: unknown): value is object {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !ArrayBuffer.isView(value) &&
    !(value instanceof Map) &&
    !(value instanceof Set) &&
    !(value instanceof Date)
  );
}

function getAt(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, k) => (node as Record<string | number, unknown>)[k], root);
}

/** Sets an own data property, as JSON.parse would (so `__proto__` stays a plain key). */
function define(target: object, k: string | number, value: unknown): void {
  Object.defineProperty(target, k, { value, writable: true, enumerable: true, configurable: true });
}

type Mutation = {
  op:
    | 'drop'
    | 'replace'
    | 'json'
    | 'expression'
    | 'matcher'
    | 'comparator'
    | 'state'
    | 'wrapList'
    | 'wrapObject'
    | 'stringify'
    | 'addField'
    | 'empty'
    | 'duplicate';
  at: number;
  junk: unknown;
  json: unknown;
  expression: string;
  name: string;
  comparator: string;
  state: string;
  key: string;
  empty: unknown;
};

const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom<Mutation['op']>(
    'drop',
    'replace',
    'json',
    'expression',
    'matcher',
    'comparator',
    'state',
    'wrapList',
    'wrapObject',
    'stringify',
    'addField',
    'empty',
    'duplicate',
  ),
  at: fc.nat(),
  junk,
  json,
  expression: garbageExpression,
  name: fc.constantFrom(...MATCHER_NAMES),
  comparator: fc.constantFrom(...COMPARATORS),
  state: fc.constantFrom(...STATES),
  key,
  empty: fc.constantFrom([], {}, '', 0, null, undefined, false),
});

/**
 * A deep copy that keeps prototypes (null ones included). fast-check may map the
 * same generated values more than once while shrinking, so they are never
 * mutated in place: a second pass could otherwise build cycles.
 */
function clone(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(clone);
  if (value instanceof Date) return new Date(value.getTime());
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [clone(k), clone(v)]));
  if (value instanceof Set) return new Set([...value].map(clone));
  if (ArrayBuffer.isView(value)) return (value as unknown as { slice(): unknown }).slice();
  const copy = Object.create(Object.getPrototypeOf(value)) as object;
  for (const k of Object.keys(value)) define(copy, k, clone((value as Record<string, unknown>)[k]));
  return copy;
}

/** Applies `m` at one of the value's paths; returns the (possibly new) root. */
function mutate(root: unknown, m: Mutation): unknown {
  m = { ...m, junk: clone(m.junk), json: clone(m.json), empty: clone(m.empty) };
  const paths = pathsOf(root);
  const path = paths[m.at % paths.length]!;
  const current = getAt(root, path);
  let next: unknown;
  switch (m.op) {
    case 'drop': {
      if (path.length === 0) return undefined;
      const parent = getAt(root, path.slice(0, -1));
      const last = path[path.length - 1]!;
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete (parent as Record<string, unknown>)[last];
      return root;
    }
    case 'addField':
      if (isRecordLike(current)) {
        define(current, m.key, m.junk);
        return root;
      }
      next = { [m.key]: current };
      break;
    case 'duplicate':
      if (Array.isArray(current) && current.length > 0) {
        current.push(current[m.at % current.length]);
        return root;
      }
      next = [current, current];
      break;
    case 'replace':
      next = m.junk;
      break;
    case 'json':
      next = m.json;
      break;
    case 'expression':
      next = m.expression;
      break;
    case 'matcher':
      next = m.name;
      break;
    case 'comparator':
      next = m.comparator;
      break;
    case 'state':
      next = m.state;
      break;
    case 'wrapList':
      next = [current];
      break;
    case 'wrapObject':
      next = { [m.key]: current };
      break;
    case 'stringify':
      next = JSON.stringify(current) ?? 'undefined';
      break;
    case 'empty':
      next = m.empty;
      break;
  }
  if (path.length === 0) return next;
  define(getAt(root, path.slice(0, -1)) as object, path[path.length - 1]!, next);
  return root;
}

function mutated(specs: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc
    .tuple(fc.constantFrom(...specs), fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([spec, mutations]) => mutations.reduce(mutate, JSON.parse(JSON.stringify(spec)) as unknown));
}

// ---- structured random specs ----------------------------------------------

/** Usually a value from `valid`, sometimes one from `invalid` or junk, so both paths get exercised. */
function mostly<T>(valid: fc.Arbitrary<T>, invalid?: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const others = invalid ? [{ arbitrary: invalid, weight: 1 }] : [];
  return fc.oneof({ arbitrary: valid as fc.Arbitrary<unknown>, weight: 30 }, ...others, { arbitrary: junk, weight: 1 });
}

/** Now and then adds a member no spec defines. */
function withStrayField<T extends object>(arb: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc
    .tuple(arb, fc.oneof({ arbitrary: fc.constant(null), weight: 9 }, { arbitrary: fc.tuple(key, junk), weight: 1 }))
    .map(([spec, stray]) => {
      if (stray) define(spec, stray[0], stray[1]);
      return spec;
    });
}

const validExpression = fc.constantFrom(...corpusExpressions);
const expression = mostly(validExpression, garbageExpression);
const state = mostly(fc.constantFrom('success', 'failure', 'retry'), fc.constantFrom(...STATES));

const botocoreAcceptor = fc.oneof(
  fc.record({
    state,
    matcher: mostly(fc.constantFrom('path', 'pathAll', 'pathAny'), fc.constantFrom(...MATCHER_NAMES)),
    argument: expression,
    expected: mostly(fc.oneof(fc.constantFrom('ACTIVE', 'available', true, false), json)),
  }),
  fc.record({
    state,
    matcher: mostly(fc.constant('status'), fc.constantFrom(...MATCHER_NAMES)),
    expected: mostly(fc.integer({ min: 100, max: 599 }), fc.oneof(json, fc.double())),
  }),
  fc.record({
    state,
    matcher: mostly(fc.constant('error'), fc.constantFrom(...MATCHER_NAMES)),
    expected: mostly(fc.constantFrom('ResourceNotFoundException', 'NotFound', true, false), json),
  }),
  fc.record(
    { state, matcher: fc.constantFrom(...MATCHER_NAMES), argument: expression, expected: json, extra: junk },
    { requiredKeys: [] },
  ),
);

const pathMatcher = fc.record({
  path: expression,
  expected: mostly(fc.constantFrom('true', 'false', 'ACTIVE', 'a', '')),
  comparator: mostly(
    fc.constantFrom('stringEquals', 'booleanEquals', 'allStringEquals', 'anyStringEquals'),
    fc.constantFrom(...COMPARATORS),
  ),
});

const smithyMatcher = fc.oneof(
  { arbitrary: pathMatcher.map((output) => ({ output })), weight: 3 },
  { arbitrary: pathMatcher.map((inputOutput) => ({ inputOutput })), weight: 2 },
  { arbitrary: mostly(fc.boolean()).map((success) => ({ success })), weight: 3 },
  { arbitrary: mostly(fc.constantFrom('NotFound', 'com.x#NotFound', 'a#', '#')).map((errorType) => ({ errorType })), weight: 2 },
  { arbitrary: fc.dictionary(fc.constantFrom(...MATCHER_NAMES), junk, { maxKeys: 3 }), weight: 1 },
  { arbitrary: junk, weight: 1 },
);

const smithyAcceptor = fc.record(
  { state, matcher: smithyMatcher, message: mostly(fc.string()) },
  { requiredKeys: ['state', 'matcher'] },
);

const delaySeconds = mostly(fc.integer({ min: 0, max: 300 }), fc.oneof(fc.integer({ min: -5, max: 0 }), fc.double()));

const botocoreWaiter = withStrayField(
  fc.record(
    {
      operation: mostly(fc.constantFrom('DescribeTable', 'HeadBucket')),
      description: mostly(fc.string()),
      delay: delaySeconds,
      maxAttempts: mostly(fc.integer({ min: 1, max: 100 }), fc.oneof(fc.integer({ min: -5, max: 0 }), fc.double())),
      acceptors: mostly(fc.array(botocoreAcceptor, { minLength: 1, maxLength: 4 }), fc.constant([])),
    },
    { requiredKeys: ['delay', 'maxAttempts', 'acceptors'] },
  ),
);

const smithyWaiter = withStrayField(
  fc.record(
    {
      documentation: mostly(fc.string()),
      minDelay: mostly(fc.integer({ min: 1, max: 20 }), fc.oneof(fc.integer({ min: -5, max: 500 }), fc.double())),
      maxDelay: mostly(fc.integer({ min: 20, max: 300 }), fc.oneof(fc.integer({ min: -5, max: 20 }), fc.double())),
      deprecated: mostly(fc.boolean()),
      tags: mostly(fc.array(fc.string(), { maxLength: 2 })),
      acceptors: mostly(fc.array(smithyAcceptor, { minLength: 1, maxLength: 4 }), fc.constant([])),
    },
    { requiredKeys: ['acceptors'] },
  ),
);

const stringOrList = <T>(item: fc.Arbitrary<T>) => fc.oneof(item, fc.array(item, { minLength: 1, maxLength: 3 }));

const paginator = withStrayField(
  fc.record(
    {
      input_token: mostly(fc.constantFrom('NextToken', 'Marker'), fc.constantFrom('', ['A', 'B'], ['A', 'A'], [])),
      output_token: mostly(fc.constantFrom('NextToken', 'NextMarker || Contents[-1].Key'), stringOrList(garbageExpression)),
      limit_key: mostly(fc.constantFrom('MaxResults', 'Limit'), fc.constant('')),
      more_results: mostly(fc.constantFrom('IsTruncated', 'length(Items) > `0`'), garbageExpression),
      result_key: mostly(stringOrList(fc.constantFrom('Items', 'Contents', 'Reservations')), stringOrList(garbageExpression)),
      non_aggregate_keys: mostly(
        fc.array(fc.constantFrom('Name', 'Prefix'), { maxLength: 3 }),
        fc.array(garbageExpression, { maxLength: 3 }),
      ),
    },
    { requiredKeys: ['input_token', 'output_token'] },
  ),
);

// ---- what compiled specs must do ------------------------------------------

const sdkError = fc
  .record(
    {
      name: fc.oneof(fc.constantFrom('NotFound', 'ResourceNotFoundException', 'Error', 'com.x#NotFound'), json),
      Code: json,
      code: json,
      $metadata: fc.oneof(fc.record({ httpStatusCode: fc.oneof(fc.constantFrom(200, 404, 500), json) }), json),
    },
    { requiredKeys: [] },
  )
  .map((fields) => Object.assign(new Error('failed'), fields));

const response: fc.Arbitrary<WaiterResponse> = fc.oneof(
  fc.record({ ok: fc.constant(true as const), input: json, output: fc.oneof(json, junk) }),
  fc.record({ ok: fc.constant(false as const), input: json, error: fc.oneof(sdkError, json, junk) }),
);

type Outcome = 'compiled' | 'rejected';

function checkPaginator(spec: unknown): Outcome {
  const result = attempt(() => compilePaginator(spec as PaginatorSpec));
  if (result instanceof SpecError) return 'rejected';
  expect(compilePaginator(result)).toBe(result);
  expect(result.inputTokens.length).toBe(result.outputTokens.length);
  return 'compiled';
}

function checkWaiter(spec: unknown, responses: readonly WaiterResponse[]): Outcome {
  const result = attempt(() => compileWaiter(spec as WaiterSpec));
  if (result instanceof SpecError) return 'rejected';
  expect(compileWaiter(result)).toBe(result);
  for (const compiledAcceptor of result.acceptors) {
    expect(['success', 'failure', 'retry']).toContain(compiledAcceptor.state);
    expect(typeof compiledAcceptor.explanation).toBe('string');
    for (const r of responses) expect(typeof compiledAcceptor.matches(r)).toBe('boolean');
  }
  return 'compiled';
}

const responses = fc.array(response, { maxLength: 4 });

/**
 * Runs `check` over `arb` with the fixed seed and returns how many inputs
 * compiled and how many were rejected, so each test can show it exercised
 * the path it is about.
 */
function run<T>(arb: fc.Arbitrary<T>, check: (value: T, responses: readonly WaiterResponse[]) => Outcome) {
  const counts = { compiled: 0, rejected: 0 };
  fc.assert(
    fc.property(arb, responses, (value, rs) => {
      counts[check(value, rs)]++;
    }),
    params,
  );
  return counts;
}

const asSmithy = (spec: unknown): unknown => {
  if (!isRecordLike(spec)) return spec;
  const { delay: _d, maxAttempts: _m, operation: _o, description: _s, ...rest } = spec as Record<string, unknown>;
  return rest;
};

describe('spec compilation under fuzzing (fixed seed)', () => {
  const paginators = corpusPaginators().map(({ spec }) => spec);
  const waiters = corpusWaiters().map(({ spec }) => spec);

  it('compilePaginator: any value compiles or throws a SpecError', () => {
    expect(run(junk, checkPaginator).rejected).toBeGreaterThan(0);
  });

  it('compileWaiter: any value compiles or throws a SpecError', () => {
    expect(run(junk, checkWaiter).rejected).toBeGreaterThan(0);
  });

  it('compilePaginator: mutated corpus paginators compile or throw a SpecError', () => {
    const counts = run(mutated(paginators), checkPaginator);
    expect(counts.compiled).toBeGreaterThan(0);
    expect(counts.rejected).toBeGreaterThan(0);
  });

  it('compileWaiter: mutated corpus waiters compile or throw a SpecError; compiled ones match without throwing', () => {
    const counts = run(mutated(waiters), checkWaiter);
    expect(counts.compiled).toBeGreaterThan(0);
    expect(counts.rejected).toBeGreaterThan(0);
  });

  it('compileWaiter: mutated corpus waiters stripped to the Smithy form throw a SpecError', () => {
    // botocore acceptors are never valid Smithy acceptors.
    expect(run(mutated(waiters).map(asSmithy), checkWaiter).rejected).toBeGreaterThan(0);
  });

  it('compilePaginator: structured random paginators with garbage JMESPath', () => {
    const counts = run(paginator, checkPaginator);
    expect(counts.compiled).toBeGreaterThan(0);
    expect(counts.rejected).toBeGreaterThan(0);
  });

  it('compileWaiter: structured random botocore waiters', () => {
    const counts = run(botocoreWaiter, checkWaiter);
    expect(counts.compiled).toBeGreaterThan(0);
    expect(counts.rejected).toBeGreaterThan(0);
  });

  it('compileWaiter: structured random Smithy waiters', () => {
    const counts = run(smithyWaiter, checkWaiter);
    expect(counts.compiled).toBeGreaterThan(0);
    expect(counts.rejected).toBeGreaterThan(0);
  });
});

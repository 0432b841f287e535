import { compileExpression, type CompiledExpression } from './compileExpression';
import { describeValue } from '../util/describeValue';
import { isBound, type BoundPaginator } from './bound';
import { dottedPath } from './dottedPath';
import { isPlainRecord } from '../util/isPlainRecord';
import { SpecError } from '../errors/SpecError';
import { compilingWith } from './jmespathEngine';
import type { PaginatorSpec } from './types';

declare const shapes: unique symbol;

/**
 * A validated paginator whose JMESPath expressions are parsed once.
 * `I` and `O` are the request and response types it pages through.
 * @example
 * ```ts
 * const scan: CompiledPaginator<ScanCommandInput, ScanCommandOutput> = compilePaginator(scanSpec);
 * scan.inputTokens; // ['ExclusiveStartKey']
 * ```
 */
export interface CompiledPaginator<I = object, O = object> {
  readonly kind: 'paginator';
  /** The operation paged through (`'dynamodb.Scan'`), when the binding names it: signed tokens are bound to it. */
  readonly operation?: string;
  /** Request members carrying the tokens, in spec order. */
  readonly inputTokens: readonly string[];
  /** Where each token is found in a response, paired by position with `inputTokens`. */
  readonly outputTokens: readonly CompiledExpression[];
  readonly limitKey?: string;
  readonly moreResults?: CompiledExpression;
  /** The paged results; the first is the one `maxItems` counts. */
  readonly resultKeys: readonly SettableExpression[];
  readonly nonAggregateKeys: readonly SettableExpression[];
  /** The spec's `stop_on_same_token`: the token just sent coming back ends pagination. */
  readonly stopOnSameToken?: boolean;
  /** Type-level only: carries the request and response types. */
  readonly [shapes]?: { readonly input: I; readonly output: O };
}

/**
 * A result or non-aggregate key: a dotted path, so it can also be written.
 * @example
 * ```ts
 * compilePaginator(scanSpec).resultKeys[0].path; // ['Items']
 * ```
 */
export interface SettableExpression extends CompiledExpression {
  readonly path: readonly string[];
}

// Bound specs (the generated service modules) compile on first use, once, keeping imports cheap.
const compiledBound = new WeakMap<object, CompiledPaginator<unknown, unknown>>();

const KNOWN_FIELDS = new Set([
  'input_token',
  'output_token',
  'limit_key',
  'more_results',
  'result_key',
  'non_aggregate_keys',
  'stop_on_same_token',
]);

/**
 * Validates a botocore paginator spec and compiles its JMESPath expressions.
 *
 * Everything `paginate`, `fullResult` and `items` accept as a spec may be
 * passed through this first, so that a bad spec fails at start-up with a
 * {@link SpecError} rather than at the first page.
 *
 * @example
 * ```ts
 * const listTables = compilePaginator<ListTablesInput, ListTablesOutput>({
 *   input_token: 'ExclusiveStartTableName',
 *   output_token: 'LastEvaluatedTableName',
 *   limit_key: 'Limit',
 *   result_key: 'TableNames',
 * });
 * ```
 */
export function compilePaginator<I = object, O = object>(
  spec: PaginatorSpec | CompiledPaginator<I, O> | BoundPaginator<I, O, unknown>,
): CompiledPaginator<I, O> {
  if (isCompiledPaginator<I, O>(spec)) return spec;
  if (isPlainRecord(spec) && isBound(spec)) {
    let compiled = compiledBound.get(spec);
    if (!compiled) {
      const { operation } = spec as { operation?: unknown };
      compiled = compilePaginator(spec.spec as PaginatorSpec);
      if (typeof operation === 'string') compiled = { ...compiled, operation };
      compiledBound.set(spec, compiled);
    }
    return compiled as CompiledPaginator<I, O>;
  }
  if (!isPlainRecord(spec)) throw new SpecError('paginator', `expected an object, got ${describeValue(spec)}`);
  return compilingWith(spec, () => compileSpec(spec as PaginatorSpec));
}

function compileSpec<I, O>(spec: PaginatorSpec): CompiledPaginator<I, O> {
  for (const field of Object.keys(spec)) {
    if (!KNOWN_FIELDS.has(field)) throw new SpecError(field, 'is not a paginator field');
  }
  const inputTokens = stringList(spec.input_token, 'input_token');
  for (const [i, token] of inputTokens.entries()) {
    if (token === '') throw new SpecError(fieldAt('input_token', spec.input_token, i), 'must not be empty');
    refuseInheritedName(token, fieldAt('input_token', spec.input_token, i));
  }
  if (new Set(inputTokens).size !== inputTokens.length) throw new SpecError('input_token', 'names a member twice');
  const outputSources = stringList(spec.output_token, 'output_token');
  if (outputSources.length !== inputTokens.length) {
    throw new SpecError(
      'output_token',
      `has ${outputSources.length} expression(s) but input_token has ${inputTokens.length}; they are paired by position`,
    );
  }
  if (spec.limit_key !== undefined && (typeof spec.limit_key !== 'string' || spec.limit_key === '')) {
    throw new SpecError('limit_key', `expected a member name, got ${describeValue(spec.limit_key)}`);
  }
  if (spec.limit_key !== undefined) refuseInheritedName(spec.limit_key, 'limit_key');
  if (spec.stop_on_same_token !== undefined && typeof spec.stop_on_same_token !== 'boolean') {
    throw new SpecError('stop_on_same_token', `expected true or false, got ${describeValue(spec.stop_on_same_token)}`);
  }
  const resultSources = spec.result_key === undefined ? [] : stringList(spec.result_key, 'result_key');
  const nonAggregateSources = spec.non_aggregate_keys === undefined ? [] : arrayOf(spec.non_aggregate_keys, 'non_aggregate_keys');
  return {
    kind: 'paginator',
    inputTokens,
    outputTokens: outputSources.map((s, i) => compileExpression(s, fieldAt('output_token', spec.output_token, i))),
    ...(spec.limit_key !== undefined && { limitKey: spec.limit_key }),
    ...(spec.more_results !== undefined && { moreResults: compileExpression(spec.more_results, 'more_results') }),
    resultKeys: resultSources.map((s, i) => settable(s, fieldAt('result_key', spec.result_key, i))),
    nonAggregateKeys: nonAggregateSources.map((s, i) => settable(s, `non_aggregate_keys[${i}]`)),
    ...(spec.stop_on_same_token === true && { stopOnSameToken: true }),
  };
}

/**
 * A request member every object has without setting it (`__proto__`, `constructor`, `toString`, ... of
 * Object.prototype): written with assignment, `__proto__` sets the request's prototype (the next request inherited
 * the members of the token object the service returned), and the others read as present on an input that never
 * set them. No AWS member has such a name. (`prototype` is no member of a plain object: an ordinary name here.)
 */
function refuseInheritedName(name: string, field: string): void {
  if (name in Object.prototype) {
    throw new SpecError(field, `must not name ${name}: every object inherits it, so a request cannot hold it as its own member`);
  }
}

function settable(source: string, field: string): SettableExpression {
  const expression = compileExpression(source, field);
  return { ...expression, path: dottedPath(source, field) };
}

function isCompiledPaginator<I, O>(spec: unknown): spec is CompiledPaginator<I, O> {
  // Compiled expressions have `search` functions, which no JSON spec can carry.
  return (
    isPlainRecord(spec) &&
    spec['kind'] === 'paginator' &&
    Array.isArray(spec['outputTokens']) &&
    spec['outputTokens'].length > 0 &&
    spec['outputTokens'].every((e: unknown) => isPlainRecord(e) && typeof e['search'] === 'function')
  );
}

function stringList(value: unknown, field: string): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) throw new SpecError(field, `expected a string or a list of strings, got ${describeValue(value)}`);
  const list = arrayOf(value, field);
  if (list.length === 0) throw new SpecError(field, 'must not be an empty list');
  return list;
}

function arrayOf(value: unknown, field: string): string[] {
  if (!Array.isArray(value)) throw new SpecError(field, `expected a list of strings, got ${describeValue(value)}`);
  value.forEach((item, i) => {
    if (typeof item !== 'string') throw new SpecError(`${field}[${i}]`, `expected a string, got ${describeValue(item)}`);
  });
  return value as string[];
}

function fieldAt(field: string, value: unknown, index: number): string {
  return Array.isArray(value) ? `${field}[${index}]` : field;
}

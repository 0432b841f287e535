import { compileAcceptor, type CompiledAcceptor } from './compileAcceptor';
import { describeValue } from '../util/describeValue';
import { isBound, type BoundWaiter } from './bound';
import { compileSmithyAcceptor } from './compileSmithyAcceptor';
import { isPlainRecord } from '../util/isPlainRecord';
import { SpecError } from '../errors/SpecError';
import { compilingWith } from './jmespathEngine';
import { seconds } from '../util/seconds';
import { wholeNumber } from '../util/wholeNumber';
import type { SmithyWaiterSpec, WaiterSpec } from './types';

declare const shapes: unique symbol;

/**
 * A validated waiter with compiled acceptors. botocore waiters poll at a fixed
 * `delay` for `maxAttempts`; Smithy waiters back off exponentially between
 * `minDelay` and `maxDelay` until the caller's `maxWaitTime`.
 * @example
 * ```ts
 * const waiter: CompiledWaiter = compileWaiter({ acceptors: [{ state: 'success', matcher: { success: true } }] });
 * waiter.backoff; // 'exponential'
 * ```
 */
export interface CompiledWaiter<I = object, O = object> {
  readonly kind: 'waiter';
  readonly operation?: string;
  readonly acceptors: readonly CompiledAcceptor[];
  /** How delays grow by default: botocore's `fixed` or Smithy's `exponential`. */
  readonly backoff: 'fixed' | 'exponential';
  /** Seconds: botocore's `delay`, or Smithy's `minDelay`. */
  readonly minDelay: number;
  /** Seconds: botocore's `delay`, or Smithy's `maxDelay`. */
  readonly maxDelay: number;
  /** botocore's `maxAttempts`; Smithy waiters have none and need a `maxWaitTime`. */
  readonly maxAttempts?: number;
  /** Type-level only: carries the request and response types. */
  readonly [shapes]?: { readonly input: I; readonly output: O };
}

// Bound specs (the generated service modules) compile on first use, once, keeping imports cheap.
const compiledBound = new WeakMap<object, CompiledWaiter<unknown, unknown>>();

const BOTOCORE_FIELDS = new Set(['operation', 'description', 'delay', 'maxAttempts', 'acceptors']);
const SMITHY_FIELDS = new Set(['documentation', 'minDelay', 'maxDelay', 'deprecated', 'tags', 'acceptors']);

/**
 * Validates a waiter spec, botocore's `waiters-2.json` form or Smithy's
 * `@waitable` form, and compiles its acceptors.
 *
 * @example
 * ```ts
 * const tableExists = compileWaiter<DescribeTableInput, DescribeTableOutput>({
 *   delay: 20, maxAttempts: 25, operation: 'DescribeTable',
 *   acceptors: [
 *     { matcher: 'path', argument: 'Table.TableStatus', expected: 'ACTIVE', state: 'success' },
 *     { matcher: 'error', expected: 'ResourceNotFoundException', state: 'retry' },
 *   ],
 * });
 * ```
 */
export function compileWaiter<I = object, O = object>(
  spec: WaiterSpec | SmithyWaiterSpec | CompiledWaiter<I, O> | BoundWaiter<I, O>,
): CompiledWaiter<I, O> {
  if (isPlainRecord(spec) && isBound(spec)) {
    let compiled = compiledBound.get(spec);
    if (!compiled) compiledBound.set(spec, (compiled = compileWaiter(spec.spec as WaiterSpec)));
    return compiled as CompiledWaiter<I, O>;
  }
  // A compiled waiter's acceptors have `matches` functions, which no JSON spec can carry.
  if (
    isPlainRecord(spec) &&
    spec.kind === 'waiter' &&
    Array.isArray(spec.acceptors) &&
    spec.acceptors.length > 0 &&
    spec.acceptors.every((a: unknown) => isPlainRecord(a) && typeof a['matches'] === 'function')
  ) {
    return spec as CompiledWaiter<I, O>;
  }
  if (!isPlainRecord(spec)) throw new SpecError('waiter', `expected an object, got ${describeValue(spec)}`);
  return compilingWith(spec, () => compileSpec(spec as WaiterSpec | SmithyWaiterSpec));
}

function compileSpec<I, O>(spec: WaiterSpec | SmithyWaiterSpec): CompiledWaiter<I, O> {
  const smithy = !('delay' in spec) && !('maxAttempts' in spec);
  const known = smithy ? SMITHY_FIELDS : BOTOCORE_FIELDS;
  for (const field of Object.keys(spec)) {
    if (!known.has(field)) throw new SpecError(field, `is not a ${smithy ? 'Smithy' : 'botocore'} waiter field`);
  }
  const { acceptors } = spec;
  if (!Array.isArray(acceptors) || acceptors.length === 0) {
    throw new SpecError('acceptors', `expected a non-empty list, got ${describeValue(acceptors)}`);
  }
  if (smithy) {
    const minDelay = seconds(spec.minDelay ?? 2, 'minDelay', { min: 1 });
    const maxDelay = seconds(spec.maxDelay ?? 120, 'maxDelay', { min: 1 });
    if (minDelay > maxDelay) throw new SpecError('minDelay', `${minDelay} is greater than maxDelay ${maxDelay}`);
    const compiled = acceptors.map((a, i) => compileSmithyAcceptor(a, `acceptors[${i}]`));
    if (!compiled.some((a) => a.state === 'success')) throw new SpecError('acceptors', 'need at least one success acceptor');
    return { kind: 'waiter', acceptors: compiled, backoff: 'exponential', minDelay, maxDelay };
  }
  if (spec.operation !== undefined && typeof spec.operation !== 'string') {
    throw new SpecError('operation', `expected an operation name, got ${describeValue(spec.operation)}`);
  }
  const delay = seconds(spec.delay, 'delay', { min: 0 });
  const maxAttempts = wholeNumber(spec.maxAttempts, 'maxAttempts', { min: 1 });
  return {
    kind: 'waiter',
    ...(spec.operation !== undefined && { operation: spec.operation as string }),
    acceptors: acceptors.map((a, i) => compileAcceptor(a, `acceptors[${i}]`)),
    backoff: 'fixed',
    minDelay: delay,
    maxDelay: delay,
    maxAttempts,
  };
}

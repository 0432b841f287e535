import { isBound, type BoundWaiter } from '../specs/bound';
import { compileWaiter } from '../specs/compileWaiter';
import { isPlainRecord } from '../util/isPlainRecord';
import type { AcceptorSpec, SmithyAcceptorSpec, SmithyWaiterSpec, WaiterSpec } from '../specs/types';
import { planningWith } from './jsonPathOf';
import { operationShapes, type Shape } from './operationShapes';
import { STATE, stateMachineAcceptor, type StateMachineAcceptor } from './stateMachineAcceptor';

/**
 * An acceptor {@link toStateMachine} cannot express in Amazon States
 * Language's JSONPath, and why.
 * @example
 * ```ts
 * const gap: AcceptorGap = { acceptor: 1, matcher: 'path', reason: '"length(Items) > `0`" uses a comparison, which has no JSONPath form' };
 * ```
 */
export interface AcceptorGap {
  /** Index in the spec's `acceptors`. */
  readonly acceptor: number;
  /** The matcher as the spec names it: `path`, `pathAll`, `status`, `output`, ... */
  readonly matcher: string;
  readonly reason: string;
}

/**
 * The acceptors of a waiter that {@link toStateMachine} would refuse, each
 * with its reason; an empty list when the whole waiter compiles. Nothing is
 * approximated: an acceptor is either tested exactly as the waiter tests it, or listed here.
 * A flatten (`Reservations[].Instances[]`) is only shown exact by the
 * operation's schema, which a bound waiter's SDK v3 command carries (clients
 * since 2025): a spec on its own lists every acceptor that flattens.
 *
 * @throws {SpecError} when the spec itself is invalid.
 * @example
 * ```ts
 * import { TableExists } from 'rxjs-aws/dynamodb';
 * stateMachineGaps(TableExists); // []
 * ```
 */
export function stateMachineGaps<I, O>(waiter: WaiterSpec | SmithyWaiterSpec | BoundWaiter<I, O>): readonly AcceptorGap[] {
  return plannedAcceptors(waiter).flatMap(({ planned, matcher }, acceptor) =>
    planned.on === 'never' ? [{ acceptor, matcher, reason: planned.reason }] : [],
  );
}

/** Every acceptor of the waiter planned for a state machine, in order. @internal */
export function plannedAcceptors<I, O>(
  waiter: WaiterSpec | SmithyWaiterSpec | BoundWaiter<I, O>,
): { planned: StateMachineAcceptor; matcher: string }[] {
  const bound = isPlainRecord(waiter) && isBound(waiter) ? (waiter as BoundWaiter<I, O>) : undefined;
  const spec = (bound ? bound.spec : waiter) as WaiterSpec | SmithyWaiterSpec;
  // Compiled as given: a bound waiter carries the JMESPath evaluator its expressions need.
  const compiled = compileWaiter(waiter);
  const shapes = bound ? operationShapes(bound.command) : undefined;
  const roots =
    shapes &&
    new Map<string, Shape>([
      [STATE.response, shapes.output],
      // Smithy's inputOutput matchers read { input, output }.
      [
        '$',
        {
          kind: 'structure',
          member: (name) => (name === 'input' ? shapes.input : name === 'output' ? shapes.output : { kind: 'absent' }),
        },
      ],
    ]);
  return planningWith(roots, () =>
    spec.acceptors.map((acceptor: AcceptorSpec | SmithyAcceptorSpec, i) => ({
      planned: stateMachineAcceptor(acceptor, compiled.acceptors[i]!.explanation, bound?.exceptions),
      matcher: compiled.acceptors[i]!.matcher,
    })),
  );
}

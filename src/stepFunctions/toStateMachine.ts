import type { BoundWaiter } from '../specs/bound';
import { compileWaiter } from '../specs/compileWaiter';
import { describeValue } from '../util/describeValue';
import { wholeNumber } from '../util/wholeNumber';
import { isPlainRecord } from '../util/isPlainRecord';
import { optionsRecord } from '../util/optionsRecord';
import { SpecError } from '../errors/SpecError';
import { jsonPathMember } from './jsonPathOf';
import { sdkIntegration } from './sdkIntegration';
import { plannedAcceptors } from './stateMachineGaps';
import { STATE, type ChoiceRule } from './stateMachineAcceptor';

/**
 * An Amazon States Language definition, ready for `JSON.stringify` and
 * `CreateStateMachine`.
 * @example
 * ```ts
 * const definition: StateMachineDefinition = toStateMachine(TableExists, { TableName: 'music' });
 * await sfn.send(new CreateStateMachineCommand({ name: 'wait-for-music', definition: JSON.stringify(definition), roleArn }));
 * ```
 */
export interface StateMachineDefinition {
  readonly Comment: string;
  readonly QueryLanguage: 'JSONPath';
  readonly StartAt: string;
  readonly States: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** The execution's own time limit, from `maxWaitTime`. */
  readonly TimeoutSeconds?: number;
}

/**
 * Options of {@link toStateMachine}, checked when it is called: a bad or unknown one throws a `SpecError` naming
 * it (`options.delay`). Times are whole seconds (the Wait state's unit).
 * @example
 * ```ts
 * const options: ToStateMachineOptions = { delay: 30, maxAttempts: 120 };
 * ```
 */
export interface ToStateMachineOptions {
  /**
   * Seconds between attempts (fixed), or the least delay (Smithy's exponential backoff).
   * @default the spec's `delay` (botocore) or `minDelay` (Smithy)
   */
  readonly delay?: number;
  /**
   * The greatest delay of Smithy's exponential backoff.
   * @default the spec's `maxDelay`
   */
  readonly maxDelay?: number;
  /**
   * Attempts before the machine fails with `timeout`.
   * @default the spec's `maxAttempts` (botocore); none for Smithy waiters
   */
  readonly maxAttempts?: number;
  /**
   * The execution's `TimeoutSeconds`: past it, Step Functions ends the
   * execution as `TIMED_OUT`. Smithy waiters need it or `maxAttempts`.
   * @default undefined (no limit beyond maxAttempts)
   */
  readonly maxWaitTime?: number;
  /**
   * The service as the `arn:aws:states:::aws-sdk:<service>:<action>` resource spells it.
   * @default the command's Smithy namespace (`com.amazonaws.dynamodb` gives `dynamodb`)
   */
  readonly service?: string;
}

/**
 * The request of a compiled waiter: the operation's input, where a member
 * whose name ends in `.$` is a JSONPath into the execution's input, as in
 * Step Functions' `Parameters`. One definition then serves many resources.
 * @example
 * ```ts
 * const fixed: StateMachineInput<DescribeTableCommandInput> = { TableName: 'music' };
 * const perExecution: StateMachineInput<DescribeTableCommandInput> = { 'TableName.$': '$.table' };
 * ```
 */
export type StateMachineInput<I> = { readonly [K in keyof I]?: I[K] } & { readonly [path: `${string}.$`]: string };

type State = Record<string, unknown>;

const OPTIONS = ['delay', 'maxDelay', 'maxAttempts', 'maxWaitTime', 'service'] as const;

const FAILURE = 'Waiter encountered a terminal failure state: ';

/**
 * Compiles a bound waiter to a Step Functions state machine that polls its
 * operation through the AWS SDK integration
 * (`arn:aws:states:::aws-sdk:<service>:<action>`), tests the acceptors in
 * order, waits between attempts (Smithy's jittered exponential backoff with
 * `States.MathRandom`), and ends in a Succeed state (output
 * `{ "attempts": n }`) or a Fail state whose `Error` is the
 * `WaiterError` kind: `failure` (a failure acceptor matched),
 * `timeout` (`maxAttempts` ran out) or `error` (an error no acceptor expected).
 *
 * The request is `input` (see {@link StateMachineInput}: members ending in
 * `.$` are read from the execution's input), or an empty request.
 * The definition uses JSONPath (Step Functions' JSONata is not needed, and
 * JSONPath is what moto runs in tests). Acceptors JSONPath cannot state are
 * refused, not approximated: see {@link stateMachineGaps}.
 *
 * @throws {SpecError} naming the first acceptor that cannot be expressed, a request member Step Functions cannot
 * take (`input.TableName` set to undefined, a `.$` member that is no path), or a bad or unknown option (`options.delay`).
 * @example
 * ```ts
 * import { TableExists } from 'rxjs-aws/dynamodb';
 * import { toStateMachine } from 'rxjs-aws/step-functions';
 *
 * const definition = toStateMachine(TableExists, { TableName: 'music' }, { delay: 10 });
 * // StartAt "Start": Pass -> Attempt -> Call dynamodb:describeTable -> Judge response / Judge error -> Wait -> ...
 * ```
 */
export function toStateMachine<I, O>(
  waiter: BoundWaiter<I, O>,
  input?: StateMachineInput<I>,
  options?: ToStateMachineOptions,
): StateMachineDefinition {
  const given: ToStateMachineOptions = optionsRecord(options, 'options', OPTIONS);
  const compiled = compileWaiter(waiter);
  const planned = plannedAcceptors(waiter);
  const gap = planned.findIndex(({ planned: p }) => p.on === 'never');
  if (gap >= 0) {
    const { planned: p } = planned[gap]!;
    throw new SpecError(
      `acceptors[${gap}]`,
      `cannot be expressed in Step Functions JSONPath: ${(p as { reason: string }).reason}`,
    );
  }
  if (given.service !== undefined && typeof given.service !== 'string') {
    throw new SpecError('options.service', `expected a service name such as 'dynamodb', got ${describeValue(given.service)}`);
  }
  const { service, action } = sdkIntegration(waiter.command, compiled.operation, given.service);
  const exponential = compiled.backoff === 'exponential';
  // A given option is named as the option; a spec's value, as the spec field it came from.
  const delay = wholeSeconds(
    given.delay ?? compiled.minDelay,
    given.delay === undefined ? 'delay' : 'options.delay',
    exponential ? 1 : 0,
  );
  const maxDelay = wholeSeconds(
    given.maxDelay ?? compiled.maxDelay,
    given.maxDelay === undefined ? 'maxDelay' : 'options.maxDelay',
    delay,
  );
  const maxAttempts =
    given.maxAttempts === undefined ? compiled.maxAttempts : wholeNumber(given.maxAttempts, 'options.maxAttempts', { min: 1 });
  const maxWaitTime = given.maxWaitTime === undefined ? undefined : wholeSeconds(given.maxWaitTime, 'options.maxWaitTime', 1);
  if (maxAttempts === undefined && maxWaitTime === undefined) {
    throw new SpecError('options.maxWaitTime', 'is required: this waiter has no maxAttempts, so nothing else would end the wait');
  }
  const request: unknown = input ?? {};
  if (!isPlainRecord(request)) throw new SpecError('input', `expected a request object, got ${describeValue(request)}`);
  checkParameters(request, 'input');

  const states: Record<string, State> = {};
  const next = { success: 'Report success', retry: maxAttempts === undefined ? 'Back off' : 'Check attempts' };
  const target = (state: 'success' | 'failure' | 'retry', index: number) =>
    state === 'failure' ? `Failure (acceptor ${index})` : state === 'success' ? next.success : next.retry;

  states['Start'] = {
    Type: 'Pass',
    Parameters: {
      input: request,
      attempt: { n: 0 },
      ...(exponential && { backoff: { wait: delay, upper: delay } }),
    },
    Next: 'Attempt',
  };
  states['Attempt'] = {
    Type: 'Pass',
    Parameters: { 'n.$': `States.MathAdd(${STATE.attempt}, 1)` },
    ResultPath: '$.attempt',
    Next: 'Call',
  };

  const lists = planned.flatMap(({ planned: p }, index) => ('list' in p ? [{ index, list: p.list }] : []));
  const responseChoices: ChoiceRule[] = [];
  const errorChoices: ChoiceRule[] = [];
  planned.forEach(({ planned: p }, index) => {
    if (p.on === 'never') return;
    if (p.state === 'failure') {
      states[`Failure (acceptor ${index})`] = { Type: 'Fail', Error: 'failure', Cause: FAILURE + p.explanation };
    }
    const rule = 'list' in p ? p.list.rule(`$.tests.a${index}`) : p.rule;
    (p.on === 'response' ? responseChoices : errorChoices).push({ ...rule, Next: target(p.state, index) });
  });

  states['Call'] = {
    Type: 'Task',
    Resource: `arn:aws:states:::aws-sdk:${service}:${action}`,
    // Named members, not InputPath: the request is whatever the Start state made of `input`.
    Parameters: Object.fromEntries(
      Object.keys(request).map((key) => {
        const name = key.endsWith('.$') ? key.slice(0, -2) : key;
        return [`${name}.$`, `${STATE.input}${memberPath(name)}`];
      }),
    ),
    ResultPath: STATE.response,
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: STATE.error, Next: 'Judge error' }],
    Next: lists.length > 0 ? 'Collect' : 'Judge response',
  };
  if (lists.length > 0) {
    // JSONPath lists come out of Parameters; intrinsic functions test them in a second step.
    states['Collect'] = {
      Type: 'Pass',
      Parameters: Object.fromEntries(lists.map(({ index, list }) => [`a${index}.$`, list.path])),
      ResultPath: '$.lists',
      Next: `Shape ${lists[0]!.index}`,
    };
    lists.forEach(({ index, list }, i) => {
      const after = i + 1 < lists.length ? `Shape ${lists[i + 1]!.index}` : 'Judge response';
      const values = `$.lists.a${index}`;
      const kinds = ['IsString', 'IsNumeric', 'IsBoolean', 'IsNull'].map((kind) => ({ Variable: values, [kind]: true }));
      // Some interpreters hand a one-element match back as the bare value: wrap it again.
      states[`Shape ${index}`] = {
        Type: 'Choice',
        Choices: [{ Or: kinds, Next: `Test ${index} (one value)` }],
        Default: `Test ${index}`,
      };
      const test = (of: string): State => ({
        Type: 'Pass',
        Parameters: list.tests(of),
        ResultPath: `$.tests.a${index}`,
        Next: after,
      });
      states[`Test ${index}`] = test(values);
      states[`Test ${index} (one value)`] = test(`States.Array(${values})`);
    });
  }
  states['Judge response'] = choice(responseChoices, next.retry);
  states['Judge error'] = choice(errorChoices, 'Error');

  if (maxAttempts !== undefined) {
    states['Check attempts'] = {
      Type: 'Choice',
      Choices: [{ Variable: STATE.attempt, NumericGreaterThanEquals: maxAttempts, Next: 'Timeout' }],
      Default: exponential ? 'Back off' : 'Wait',
    };
    states['Timeout'] = { Type: 'Fail', Error: 'timeout', Cause: 'Max attempts exceeded' };
  }
  if (exponential) {
    // Smithy: wait a random whole number of seconds in [minDelay, upper]; upper doubles up to maxDelay.
    states['Back off'] = {
      Type: 'Pass',
      Parameters: {
        'wait.$': `States.MathRandom(${delay}, $.backoff.upper)`,
        'upper.$': 'States.MathAdd($.backoff.upper, $.backoff.upper)',
      },
      ResultPath: '$.backoff',
      Next: 'Cap backoff',
    };
    states['Cap backoff'] = {
      Type: 'Choice',
      Choices: [{ Variable: '$.backoff.upper', NumericGreaterThan: maxDelay, Next: 'Hold backoff' }],
      Default: 'Wait',
    };
    states['Hold backoff'] = {
      Type: 'Pass',
      Parameters: { 'wait.$': '$.backoff.wait', upper: maxDelay },
      ResultPath: '$.backoff',
      Next: 'Wait',
    };
    states['Wait'] = { Type: 'Wait', SecondsPath: '$.backoff.wait', Next: 'Attempt' };
  } else {
    states['Wait'] = { Type: 'Wait', Seconds: delay, Next: 'Attempt' };
  }
  states['Report success'] = { Type: 'Pass', Parameters: { 'attempts.$': STATE.attempt }, Next: 'Succeeded' };
  states['Succeeded'] = { Type: 'Succeed' };
  states['Error'] = {
    Type: 'Fail',
    Error: 'error',
    CausePath: `States.Format('An error occurred ({}): {}', ${STATE.error}.Error, ${STATE.error}.Cause)`,
  };
  return {
    Comment: `Waits with ${service}:${action}, compiled from a waiter spec by rxjs-aws`,
    QueryLanguage: 'JSONPath',
    StartAt: 'Start',
    States: states,
    ...(maxWaitTime !== undefined && { TimeoutSeconds: maxWaitTime }),
  };
}

function choice(choices: ChoiceRule[], fallback: string): State {
  // A Choice state needs at least one rule; with none, the fallback is all there is.
  if (choices.length === 0) return { Type: 'Pass', Next: fallback };
  return { Type: 'Choice', Choices: choices, Default: fallback };
}

/** Whole seconds within a Wait state's range (0 to 99999999). */
function wholeSeconds(value: unknown, field: string, floor: number): number {
  return wholeNumber(value, field, { min: floor, max: 99_999_999 });
}

function memberPath(name: string): string {
  const step = jsonPathMember(name);
  if (!step.ok) throw new SpecError(`input.${name}`, step.reason);
  return step.step;
}

/**
 * Checks the request as Step Functions' `Parameters` will read it: JSON values only (a member set to
 * `undefined` would vanish from the definition while the call still names it), and every member whose name ends
 * in `.$` a path into the execution input or an intrinsic function, never beside the same name without `.$`.
 */
function checkParameters(value: unknown, field: string): void {
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return;
    throw new SpecError(field, `is ${String(value)}, which JSON cannot hold`);
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkParameters(item, `${field}[${i}]`));
    return;
  }
  if (!isPlainRecord(value)) {
    const what =
      value === undefined
        ? 'undefined: leave the member out, or give it a value'
        : `${describeValue(value)}, which JSON cannot hold`;
    throw new SpecError(field, `is ${what}`);
  }
  for (const [key, member] of Object.entries(value)) {
    const at = `${field}.${key}`;
    if (!key.endsWith('.$')) {
      checkParameters(member, at);
      continue;
    }
    if (typeof member !== 'string' || !(member.startsWith('$') || member.startsWith('States.'))) {
      throw new SpecError(
        at,
        `a member ending in .$ takes a path into the execution input ($.table) or an intrinsic function (States.Format(...)), got ${describeValue(member)}`,
      );
    }
    if (Object.hasOwn(value, key.slice(0, -2))) {
      throw new SpecError(at, `is given beside ${JSON.stringify(key.slice(0, -2))}: a member is either a value or a path`);
    }
  }
}

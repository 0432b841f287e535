import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeTableCommand, type DescribeTableCommandInput, type DescribeTableCommandOutput } from '@aws-sdk/client-dynamodb';
import { SpecError, type BoundWaiter, type SmithyWaiterSpec, type WaiterSpec } from '../../src';
import { TableExists } from '../../src/services/generated/dynamodb';
import { InstanceRunning } from '../../src/services/generated/ec2';
import { stateMachineGaps, toStateMachine, type StateMachineDefinition } from '../../src/stepFunctions';
import { corpusWaiters } from '../support/corpus';
import { plannedAcceptors } from '../../src/stepFunctions/stateMachineGaps';
import { readServiceList } from '../../src/services/codegen/serviceList';
import { useFullJmespath } from '../../src/specs/fullJmespath';

// Botocore's corpus waiters are compiled here as an app's own specs: such an app opts in once.
useFullJmespath();

// asl-validator ships no type declarations.
const aslValidator: (definition: object) => {
  isValid: boolean;
  errorsText(separator?: string): string;
} = require('asl-validator');

const REPORT = join(__dirname, 'corpusReport.json');

const bind = (spec: WaiterSpec | SmithyWaiterSpec): BoundWaiter<DescribeTableCommandInput, DescribeTableCommandOutput> => ({
  spec,
  command: DescribeTableCommand,
});

function expectValid(definition: object): void {
  // A copy: asl-validator writes QueryLanguage into the states it checks.
  const result = aslValidator(JSON.parse(JSON.stringify(definition)) as object);
  if (!result.isValid) throw new Error(result.errorsText('\n'));
}

/**
 * Many definitions as branches of one Parallel state, their state names
 * prefixed (they must be unique in a machine): asl-validator builds its
 * schemas on every call, so one call for all keeps the test fast.
 */
function asBranches(definitions: readonly StateMachineDefinition[]): object {
  const Branches = definitions.map(({ StartAt, States }, i) => {
    const name = (state: string) => `${i}: ${state}`;
    const renamed = JSON.parse(JSON.stringify(States), function (this: unknown, key, value: unknown) {
      return (key === 'Next' || key === 'Default') && typeof value === 'string' ? name(value) : value;
    }) as Record<string, unknown>;
    return { StartAt: name(StartAt), States: Object.fromEntries(Object.entries(renamed).map(([k, v]) => [name(k), v])) };
  });
  return { StartAt: 'All', States: { All: { Type: 'Parallel', Branches, End: true } } };
}

/** A command of an SDK without schemas: the specs of the corpus on their own, as stateMachineGaps(spec) sees them. */
class SchemalessCommand {
  constructor(readonly input: unknown) {}
}
const bindSchemaless = (spec: WaiterSpec): BoundWaiter<object, object> => ({ spec, command: SchemalessCommand });

describe('toStateMachine over the botocore corpus', () => {
  const waiters = corpusWaiters();
  const report = waiters.map(({ name, spec }) => ({ name, gaps: stateMachineGaps(spec as WaiterSpec) }));
  const compiling = report.filter(({ gaps }) => gaps.length === 0);

  it('compiles 306 of the 602 waiters on their own and lists the other 296 with their reasons, as the checked-in report says', () => {
    // 278 of the 296 are refused only for a flatten (Reservations[].Instances[]), which only the operation's schema shows exact: bound
    // to their SDK command they compile (see "every shipped waiter of the installed clients" below).
    expect(waiters).toHaveLength(602);
    expect(compiling).toHaveLength(306);
    const expected = {
      waiters: waiters.length,
      compile: compiling.length,
      refused: report.filter(({ gaps }) => gaps.length > 0),
    };
    if (process.env.UPDATE_STEP_FUNCTIONS_REPORT) writeFileSync(REPORT, `${JSON.stringify(expected, null, 2)}\n`);
    expect(JSON.parse(readFileSync(REPORT, 'utf8'))).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  it('makes a definition asl-validator accepts for every waiter that compiles', () => {
    const specs = new Map(waiters.map(({ name, spec }) => [name, spec as WaiterSpec]));
    const definitions = compiling.map(({ name }) => toStateMachine(bind(specs.get(name)!), { TableName: 't' }));
    expectValid(asBranches(definitions));
    // The check has teeth: one broken branch fails the lot.
    const broken = { ...definitions[0]!, States: { ...definitions[0]!.States, Wait: { Type: 'Wait', Next: 'Attempt' } } };
    expect(() => expectValid(asBranches([broken, ...definitions.slice(1)]))).toThrow();
  });

  it('refuses every listed waiter with a SpecError naming the first acceptor it cannot express', () => {
    const specs = new Map(waiters.map(({ name, spec }) => [name, spec as WaiterSpec]));
    for (const { name, gaps } of report.filter(({ gaps }) => gaps.length > 0)) {
      expect(() => toStateMachine(bindSchemaless(specs.get(name)!), {}, { service: 'dynamodb' })).toThrow(
        new SpecError(`acceptors[${gaps[0]!.acceptor}]`, `cannot be expressed in Step Functions JSONPath: ${gaps[0]!.reason}`),
      );
    }
  });
});

describe('toStateMachine', () => {
  it('polls describeTable every delay seconds, maxAttempts times, ending in Succeed or Fail with the WaiterError kind', () => {
    const definition = toStateMachine(TableExists, { TableName: 'music' });
    expectValid(definition);
    expect(definition.QueryLanguage).toBe('JSONPath');
    const { States } = definition;
    expect(States['Call']).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:dynamodb:describeTable',
      Parameters: { 'TableName.$': '$.input.TableName' },
    });
    expect(States['Start']).toMatchObject({ Parameters: { input: { TableName: 'music' }, attempt: { n: 0 } } });
    expect(States['Wait']).toEqual({ Type: 'Wait', Seconds: 20, Next: 'Attempt' });
    expect(States['Check attempts']).toMatchObject({ Choices: [{ NumericGreaterThanEquals: 25, Next: 'Timeout' }] });
    expect(States['Timeout']).toEqual({ Type: 'Fail', Error: 'timeout', Cause: 'Max attempts exceeded' });
    expect(States['Judge response']).toEqual({
      Type: 'Choice',
      Choices: [
        {
          And: [
            { Variable: '$.response.Table.TableStatus', IsPresent: true },
            { Variable: '$.response.Table.TableStatus', IsString: true },
            { Variable: '$.response.Table.TableStatus', StringEquals: 'ACTIVE' },
          ],
          Next: 'Report success',
        },
      ],
      Default: 'Check attempts',
    });
    expect(States['Judge error']).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.error.Error', StringMatches: '*.ResourceNotFoundException', Next: 'Check attempts' }],
      Default: 'Error',
    });
    expect(States['Succeeded']).toEqual({ Type: 'Succeed' });
    expect(States['Error']).toMatchObject({ Type: 'Fail', Error: 'error' });
  });

  it('reads request members ending in .$ from the execution input', () => {
    const { States } = toStateMachine(TableExists, { 'TableName.$': '$.table' }, { delay: 5, maxAttempts: 3 });
    expect(States['Start']).toMatchObject({ Parameters: { input: { 'TableName.$': '$.table' } } });
    expect(States['Call']).toMatchObject({ Parameters: { 'TableName.$': '$.input.TableName' } });
    expect(States['Wait']).toMatchObject({ Seconds: 5 });
  });

  it('collects pathAll / pathAny lists and tests them with intrinsic functions, a lone value wrapped as a list', () => {
    const { States } = toStateMachine(InstanceRunning, { InstanceIds: ['i-1'] });
    expect(States['Collect']).toMatchObject({ Parameters: { 'a0.$': '$.response.Reservations[*].Instances[*].State.Name' } });
    expect(States['Test 0']).toMatchObject({
      Parameters: {
        'unique.$': 'States.ArrayLength(States.ArrayUnique($.lists.a0))',
        'contains.$': "States.ArrayContains($.lists.a0, 'running')",
      },
    });
    expect(States['Test 0 (one value)']).toMatchObject({
      Parameters: { 'contains.$': "States.ArrayContains(States.Array($.lists.a0), 'running')" },
    });
    expect(States['Failure (acceptor 2)']).toEqual({
      Type: 'Fail',
      Error: 'failure',
      Cause:
        'Waiter encountered a terminal failure state: For expression "Reservations[].Instances[].State.Name" we matched expected path: "terminated" at least once',
    });
    expect(States['Judge error']).toMatchObject({
      Choices: [
        {
          Or: [
            { Variable: '$.error.Error', StringMatches: '*.InvalidInstanceID.NotFound' },
            { Variable: '$.error.Error', StringMatches: '*.InvalidInstanceID.NotFoundException' },
            // The Java SDK v2's class name for the code (docs/differential.md).
            { Variable: '$.error.Error', StringMatches: '*.InvalidInstanceIdNotFoundException' },
          ],
        },
      ],
    });
  });

  it('matches HTTP statuses of failed calls on the Cause Step Functions writes', () => {
    const { States } = toStateMachine(
      bind({
        operation: 'HeadBucket',
        delay: 5,
        maxAttempts: 2,
        acceptors: [
          { matcher: 'status', expected: 200, state: 'success' },
          { matcher: 'status', expected: 404, state: 'retry' },
        ],
      }),
    );
    expect(States['Judge error']).toMatchObject({
      Choices: [{ Variable: '$.error.Cause', StringMatches: '*(Service: *, Status Code: 404,*', Next: 'Check attempts' }],
    });
    expect(States['Judge response']).toMatchObject({
      Choices: [{ Variable: '$.attempt.n', IsPresent: true, Next: 'Report success' }],
    });
  });

  it("reads Python's == for booleans and numbers in path matchers", () => {
    const { States } = toStateMachine(
      bind({ delay: 1, maxAttempts: 1, acceptors: [{ matcher: 'path', argument: 'Enabled', expected: true, state: 'success' }] }),
    );
    const [rule] = (States['Judge response'] as { Choices: { Or: unknown[] }[] }).Choices;
    expect(rule!.Or).toEqual([
      {
        And: [
          { Variable: '$.response.Enabled', IsPresent: true },
          { Variable: '$.response.Enabled', IsBoolean: true },
          { Variable: '$.response.Enabled', BooleanEquals: true },
        ],
      },
      {
        And: [
          { Variable: '$.response.Enabled', IsPresent: true },
          { Variable: '$.response.Enabled', IsNumeric: true },
          { Variable: '$.response.Enabled', NumericEquals: 1 },
        ],
      },
    ]);
  });

  it("backs off like Smithy: a random whole delay up to a bound that doubles to maxDelay; maxWaitTime is the execution's timeout", () => {
    const smithy: SmithyWaiterSpec = {
      minDelay: 2,
      maxDelay: 20,
      acceptors: [
        { state: 'success', matcher: { output: { path: 'Table.TableStatus', expected: 'ACTIVE', comparator: 'stringEquals' } } },
        { state: 'retry', matcher: { errorType: 'com.amazonaws.dynamodb#ResourceNotFoundException' } },
        {
          state: 'failure',
          matcher: { inputOutput: { path: 'input.TableName', expected: 'forbidden', comparator: 'stringEquals' } },
        },
      ],
    };
    expect(() => toStateMachine(bind(smithy), { TableName: 't' })).toThrow(
      new SpecError('options.maxWaitTime', 'is required: this waiter has no maxAttempts, so nothing else would end the wait'),
    );
    const definition = toStateMachine(bind(smithy), { TableName: 't' }, { maxWaitTime: 600 });
    expectValid(definition);
    expect(definition.TimeoutSeconds).toBe(600);
    const { States } = definition;
    expect(States['Start']).toMatchObject({ Parameters: { backoff: { wait: 2, upper: 2 } } });
    expect(States['Judge response']).toMatchObject({ Default: 'Back off' });
    expect(States['Back off']).toMatchObject({
      Parameters: {
        'wait.$': 'States.MathRandom(2, $.backoff.upper)',
        'upper.$': 'States.MathAdd($.backoff.upper, $.backoff.upper)',
      },
    });
    expect(States['Cap backoff']).toMatchObject({ Choices: [{ NumericGreaterThan: 20, Next: 'Hold backoff' }] });
    expect(States['Hold backoff']).toMatchObject({ Parameters: { upper: 20 } });
    expect(States['Wait']).toEqual({ Type: 'Wait', SecondsPath: '$.backoff.wait', Next: 'Attempt' });
    expect(States['Judge error']).toMatchObject({
      Choices: [{ Variable: '$.error.Error', StringMatches: '*.ResourceNotFoundException', Next: 'Back off' }],
    });
    // inputOutput's input is the request the machine keeps.
    expect(JSON.stringify(States['Judge response'])).toContain('"$.input.TableName"');
  });

  it('lists, never guesses, what JSONPath cannot state', () => {
    const spec: WaiterSpec = {
      delay: 1,
      maxAttempts: 1,
      acceptors: [
        { matcher: 'path', argument: 'Table.TableStatus', expected: 'ACTIVE', state: 'success' },
        { matcher: 'path', argument: 'length(Items) > `0`', expected: true, state: 'success' },
        { matcher: 'pathAll', argument: 'Items[?x == `1`].y', expected: 'a', state: 'success' },
        { matcher: 'pathAny', argument: 'a[*].b[*].c', expected: 'a', state: 'success' },
        { matcher: 'pathAny', argument: 'Flags', expected: true, state: 'success' },
        { matcher: 'path', argument: 'Items[*].y', expected: 'a', state: 'success' },
        { matcher: 'status', expected: 204, state: 'success' },
        { matcher: 'pathAny', argument: 'Items[].y', expected: 'a', state: 'success' },
      ],
    };
    expect(stateMachineGaps(spec)).toEqual([
      {
        acceptor: 1,
        matcher: 'path',
        reason: '"length(Items) > `0`" measures a member that may be a string or a list: only a projection is known to be a list',
      },
      {
        acceptor: 2,
        matcher: 'pathAll',
        reason: '"Items[?x == `1`].y" uses a filter projection [?...], which has no JSONPath form',
      },
      {
        acceptor: 3,
        matcher: 'pathAny',
        reason:
          '"a[*].b[*].c" projects inside a projection without flattening: JMESPath keeps nested lists, JSONPath flattens them',
      },
      {
        acceptor: 4,
        matcher: 'pathAny',
        reason: "expects true in a list: States.ArrayContains compares JSON values, not with Python's == on non-strings",
      },
      { acceptor: 5, matcher: 'path', reason: '"Items[*].y" is a list compared as a whole, which Choice rules cannot do' },
      { acceptor: 6, matcher: 'status', reason: 'expects HTTP 204, and a successful SDK task does not report its status' },
      {
        acceptor: 7,
        matcher: 'pathAny',
        reason:
          '"Items[].y" flattens Items, which JSONPath\'s [*] says the same way only if it is a list holding no lists, and no ' +
          "schema shows that (bind the spec to its SDK v3 command: clients since 2025 carry their operation's schema)",
      },
    ]);
  });

  it('counts projected lists with States.ArrayLength, where the member is there', () => {
    const { States } = toStateMachine(
      bind({
        delay: 1,
        maxAttempts: 1,
        acceptors: [
          { matcher: 'path', argument: 'length(Images[]) > `0`', expected: true, state: 'success' },
          { matcher: 'path', argument: 'length(Groups[].Id) == `0`', expected: false, state: 'failure' },
        ],
      }),
    );
    expect(States['Collect']).toMatchObject({
      Parameters: { 'a0.$': '$.response.Images[*]', 'a1.$': '$.response.Groups[*].Id' },
    });
    expect(States['Test 0']).toMatchObject({
      Parameters: { 'length.$': 'States.ArrayLength($.lists.a0)' },
      ResultPath: '$.tests.a0',
    });
    expect(States['Judge response']).toMatchObject({
      Choices: [
        {
          And: [
            { Variable: '$.response.Images', IsPresent: true },
            { Variable: '$.tests.a0.length', NumericGreaterThan: 0 },
          ],
          Next: 'Report success',
        },
        {
          And: [{ Variable: '$.response.Groups', IsPresent: true }, { Not: { Variable: '$.tests.a1.length', NumericEquals: 0 } }],
          Next: 'Failure (acceptor 1)',
        },
      ],
    });
  });

  it('compiles == and != with literals, and && || ! of them, as JMESPath reads them (a missing member is just not equal)', () => {
    const { States } = toStateMachine(
      bind({
        delay: 1,
        maxAttempts: 1,
        acceptors: [
          { matcher: 'path', argument: "status != 'CANCELLING' && status != 'CANCELLED'", expected: true, state: 'success' },
        ],
      }),
    );
    const equals = (value: string) => ({
      And: [
        { Variable: '$.response.status', IsPresent: true },
        { Variable: '$.response.status', IsString: true },
        { Variable: '$.response.status', StringEquals: value },
      ],
    });
    expect(States['Judge response']).toMatchObject({
      Choices: [{ And: [{ Not: equals('CANCELLING') }, { Not: equals('CANCELLED') }], Next: 'Report success' }],
    });
    expect(
      stateMachineGaps({
        delay: 1,
        maxAttempts: 1,
        acceptors: [{ matcher: 'path', argument: 'size > `3`', expected: true, state: 'success' }],
      }),
    ).toEqual([
      {
        acceptor: 0,
        matcher: 'path',
        reason:
          '"size > `3`" uses an ordering comparison, which gives null rather than false on a missing member: no Choice rule says that',
      },
    ]);
  });

  it('names the service from the command, or asks for it', () => {
    class LegacyCommand {
      constructor(readonly input: object) {}
    }
    const legacy = {
      spec: {
        operation: 'DescribeThing',
        delay: 1,
        maxAttempts: 1,
        acceptors: [{ matcher: 'error', expected: false, state: 'success' }],
      },
      command: LegacyCommand,
    } as BoundWaiter<object, object>;
    expect(() => toStateMachine(legacy)).toThrow(SpecError);
    expect(toStateMachine(legacy, {}, { service: 'things' }).States['Call']).toMatchObject({
      Resource: 'arn:aws:states:::aws-sdk:things:describeThing',
    });
  });

  it('refuses options a Wait state cannot hold', () => {
    expect(() => toStateMachine(TableExists, { TableName: 't' }, { delay: 1.5 })).toThrow(
      new SpecError('options.delay', 'expected a whole number from 0 to 99999999, got number 1.5'),
    );
    expect(() => toStateMachine(TableExists, { TableName: 't' }, { maxAttempts: 0 })).toThrow(
      new SpecError('options.maxAttempts', 'expected a whole number of at least 1, got number 0'),
    );
    expect(() => toStateMachine(TableExists, { TableName: 't' }, { maxWaitTime: NaN })).toThrow(
      new SpecError('options.maxWaitTime', 'expected a whole number from 1 to 99999999, got number NaN'),
    );
    expect(() => toStateMachine(TableExists, { TableName: 't' }, { service: 5 as never })).toThrow(
      new SpecError('options.service', "expected a service name such as 'dynamodb', got number 5"),
    );
  });

  it('refuses an unknown option, with the one it most likely meant', () => {
    expect(() => toStateMachine(TableExists, { TableName: 't' }, { maxAttemps: 3 } as never)).toThrow(
      new SpecError('options.maxAttemps', 'unknown option; did you mean maxAttempts?'),
    );
    expect(() => toStateMachine(TableExists, { TableName: 't' }, 'fast' as never)).toThrow(
      new SpecError('options', 'expected an object of options, got "fast"'),
    );
  });

  describe('refuses a request Step Functions would not read as given, where it made invalid ASL before', () => {
    it.each([
      [{ TableName: undefined }, 'input.TableName', 'is undefined: leave the member out, or give it a value'],
      [{ TableName: 't', Key: { pk: undefined } }, 'input.Key.pk', 'is undefined: leave the member out, or give it a value'],
      [{ TableName: NaN }, 'input.TableName', 'is NaN, which JSON cannot hold'],
      [{ TableName: new Date(0) }, 'input.TableName', 'is an instance of Date, which JSON cannot hold'],
      [
        { 'TableName.$': 'music' },
        'input.TableName.$',
        'a member ending in .$ takes a path into the execution input ($.table) or an intrinsic function (States.Format(...)), got "music"',
      ],
      [
        { 'TableName.$': 42 },
        'input.TableName.$',
        'a member ending in .$ takes a path into the execution input ($.table) or an intrinsic function (States.Format(...)), got number 42',
      ],
      [
        { TableName: 't', 'TableName.$': '$.t' },
        'input.TableName.$',
        'is given beside "TableName": a member is either a value or a path',
      ],
      [{ '*': 'x' }, 'input.*', 'names the member "*", which JSONPath reads as a wildcard'],
    ])('%p', (input, field, problem) => {
      expect(() => toStateMachine(TableExists, input as never)).toThrow(new SpecError(field, problem));
    });

    it('takes paths, intrinsic functions and nested paths', () => {
      const definition = toStateMachine(TableExists, {
        'TableName.$': "States.Format('{}-music', $.stage)",
        Key: { 'pk.$': '$$.Execution.Id' },
      } as never);
      expectValid(definition);
    });
  });

  it('refuses a quoted member "*", which JSONPath would read as a wildcard', () => {
    const spec: WaiterSpec = {
      delay: 1,
      maxAttempts: 2,
      operation: 'DescribeTable',
      acceptors: [{ matcher: 'path', argument: 'Table."*"', expected: 'ACTIVE', state: 'success' }],
    };
    expect(stateMachineGaps(spec)).toEqual([
      { acceptor: 0, matcher: 'path', reason: '"Table.\\"*\\"" names the member "*", which JSONPath reads as a wildcard' },
    ]);
    expect(() => toStateMachine(bind(spec))).toThrow(SpecError);
    // Other quoted names are quoted in JSONPath as they are.
    const dashed = { ...spec, acceptors: [{ ...spec.acceptors[0]!, argument: 'Table."a-b*"' }] };
    expect(toStateMachine(bind(dashed)).States['Judge response']).toMatchObject({
      Choices: [{ And: [{ Variable: "$.response.Table['a-b*']", IsPresent: true }, {}, {}] }],
    });
  });
});

describe("toStateMachine of the generated waiters whose codes are exceptions of another name (services.json's exceptions)", () => {
  const services = readServiceList().services.filter((s) => s.exceptions !== undefined);
  type Mapped = BoundWaiter<object, object> & { readonly exceptions?: Readonly<Record<string, string>> };
  const waiters = services.flatMap((s) => {
    const module = require(join(__dirname, '../../src/services/generated', s.subpath, 'specs.ts')) as Record<string, Mapped>;
    return Object.entries(module)
      .filter(([, bound]) => bound.exceptions !== undefined)
      .map(([name, bound]) => [`${s.subpath} ${name}`, bound] as const);
  });
  const matched = (definition: StateMachineDefinition): string[] =>
    JSON.stringify(definition.States)
      .match(/"StringMatches":"[^"]*"/g)!
      .map((m) => m.slice('"StringMatches":"'.length, -1));

  it('covers the 17 waiters over 8 services docs/differential.md lists', () => {
    expect([services.length, waiters.length]).toEqual([8, 17]);
    // RDS DBInstanceDeleted and DBSnapshotDeleted test length(...), which JSONPath cannot state.
    expect(waiters.filter(([, waiter]) => stateMachineGaps(waiter).length === 0)).toHaveLength(15);
  });

  it.each(waiters)("%s: the Choice rule of each mapped code also takes the exception's names", (_name, waiter) => {
    const planned = plannedAcceptors(waiter);
    for (const [i, acceptor] of (waiter.spec as WaiterSpec).acceptors.entries()) {
      const exception = acceptor.matcher === 'error' ? waiter.exceptions![acceptor.expected as string] : undefined;
      if (exception === undefined) continue;
      const rule = JSON.stringify((planned[i]!.planned as { rule: object }).rule);
      for (const name of [exception, `${exception.replace(/Exception$/, '')}Exception`]) expect(rule).toContain(`"*.${name}"`);
      expect(rule).toContain(`"*.${acceptor.expected as string}"`);
    }
    if (stateMachineGaps(waiter).length > 0) return;
    const definition = toStateMachine(waiter, {}, { maxAttempts: 2 });
    expectValid(definition);
    for (const exception of Object.values(waiter.exceptions!)) expect(matched(definition)).toContain(`*.${exception}`);
  });
});

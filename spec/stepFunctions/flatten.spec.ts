/**
 * JMESPath's flatten (`[]`) in Step Functions JSONPath: JSONPath's `[*]` spreads a list's elements but not the
 * lists inside it, and an object's values where JMESPath keeps the object. `a[]` was written `[*]` whatever `a`
 * held, so a list of lists was never spread (the machine would time out where waitFor succeeds). A flatten is now
 * translated from the operation's schema, which an SDK v3 command carries, and refused where nothing shows it exact.
 *
 * The proof: for random responses that follow the schema, JSONPath (jsonpath-plus, which reads `[*]` as Step
 * Functions does) reaches exactly the values JMESPath gives, in the same order; where a translation is refused,
 * a response shows `[*]` would have differed.
 */
import fc from 'fast-check';
import { JSONPath } from 'jsonpath-plus';
import { search, type JSONValue } from '@jmespath-community/jmespath';
import { useFullJmespath, type BoundWaiter } from '../../src';
import { jsonPathOf, planningWith } from '../../src/stepFunctions/jsonPathOf';
import { operationShapes } from '../../src/stepFunctions/operationShapes';
import { stateMachineGaps, toStateMachine } from '../../src/stepFunctions';
import * as cloudformation from '../../src/services/generated/cloudformation';
import * as dynamodb from '../../src/services/generated/dynamodb';
import * as ec2 from '../../src/services/generated/ec2';
import * as ecs from '../../src/services/generated/ecs';
import * as iam from '../../src/services/generated/iam';
import * as kinesis from '../../src/services/generated/kinesis';
import * as lambda from '../../src/services/generated/lambda';
import * as rds from '../../src/services/generated/rds';
import * as route53 from '../../src/services/generated/route-53';
import * as s3 from '../../src/services/generated/s3';
import * as sfn from '../../src/services/generated/sfn';
import * as ssm from '../../src/services/generated/ssm';

// Smithy static schemas, as SDK v3 commands carry them: [3 structure | 1 list | 9 operation, namespace, name, traits, ...];
// 0 is a string, 64 a list of strings, 15 a document.
const ITEM = [3, 'test', 'Item', 0, ['State'], [0]];
const INFO = [3, 'test', 'Info', 0, ['State'], [0]];
const GROUP = [
  3,
  'test',
  'Group',
  0,
  ['Items', 'Info', 'Tags', 'Name'],
  [[1, 'test', 'ItemList', 0, () => ITEM], () => INFO, 64, 0],
];
const OUTPUT = [
  3,
  'test',
  'Output',
  0,
  ['Groups', 'Matrix', 'Info', 'Names', 'Doc'],
  [[1, 'test', 'GroupList', 0, () => GROUP], [[1, 'test', 'Matrix', 0, 64], 0], () => INFO, 64, 15],
];
class DescribeThingsCommand {
  readonly schema = [9, 'com.amazonaws.test', 'DescribeThings', 0, [3, 'test', 'Input', 0, [], []], () => OUTPUT];
  constructor(readonly input: unknown) {}
}

const shapes = operationShapes(DescribeThingsCommand)!;
const translate = (expression: string) =>
  planningWith(new Map([['$.response', shapes.output]]), () => jsonPathOf(expression, '$.response'));

const TRANSLATED: readonly [string, string][] = [
  ['Groups[].Items[].State', '$.response.Groups[*].Items[*].State'],
  ['Groups[].Info.State', '$.response.Groups[*].Info.State'],
  ['Groups[].Tags[]', '$.response.Groups[*].Tags[*]'],
  // Projected values that are no lists: JMESPath keeps each, so the flatten adds nothing.
  ['Groups[].Name[]', '$.response.Groups[*].Name'],
  ['Groups[].Info[]', '$.response.Groups[*].Info'],
  // A list of lists: spread, as [*][*] does (it was [*], which kept the inner lists).
  ['Matrix[]', '$.response.Matrix[*][*]'],
  ['Names[]', '$.response.Names[*]'],
  ['Groups[0].Items[].State', '$.response.Groups[0].Items[*].State'],
  ['Groups[*].Items[].State', '$.response.Groups[*].Items[*].State'],
  ['Missing[].x', '$.response.Missing[*].x'],
];

const state = fc.constantFrom('a', 'b', 'c');
const short = <T>(arbitrary: fc.Arbitrary<T>) => fc.array(arbitrary, { maxLength: 3 });
const info = fc.record({ State: state }, { requiredKeys: [] });
const group = fc.record(
  { Items: short(fc.record({ State: state }, { requiredKeys: [] })), Info: info, Tags: short(state), Name: state },
  { requiredKeys: [] },
);
const output = fc.record(
  { Groups: short(group), Matrix: short(short(state)), Info: info, Names: short(state) },
  { requiredKeys: [] },
);

describe('flatten in Step Functions JSONPath', () => {
  it.each(TRANSLATED)('translates %s as %s, from the schema', (expression, path) => {
    expect(translate(expression)).toMatchObject({ ok: true, path });
  });

  it('reaches exactly what JMESPath gives, for any response that follows the schema', () => {
    fc.assert(
      fc.property(output, (response) => {
        for (const [expression, path] of TRANSLATED) {
          const jmespath = search(response, expression) as unknown[] | null;
          const jsonPath = JSONPath({ path, json: { response }, wrap: true }) as unknown[];
          expect(jsonPath).toEqual(jmespath ?? []);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses what it cannot show exact, where [*] would have differed', () => {
    const refused: readonly [string, RegExp, JSONValue][] = [
      [
        'Info[]',
        /^flattens Info, which is no list: JMESPath gives nothing there, JSONPath its values$/,
        { Info: { State: 'a' } },
      ],
      ['Info[*]', /^projects Info\[\*\] over an object/, { Info: { State: 'a' } }],
      ['Doc[]', /^flattens Doc, a document in its operation's schema/, { Doc: [['a']] }],
    ];
    for (const [expression, reason, response] of refused) {
      expect(translate(expression)).toEqual({ ok: false, reason: expect.stringMatching(reason) as unknown });
      const naive = `$.response.${expression.replace(/\[\]/g, '[*]')}`;
      expect(JSONPath({ path: naive, json: { response }, wrap: true })).not.toEqual(search(response, expression) ?? []);
    }
    // Without a schema no flatten is shown exact: a list of lists kept its lists under [*].
    expect(jsonPathOf('Matrix[]', '$.response')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no schema shows that/),
    });
    expect(JSONPath({ path: '$.Matrix[*]', json: { Matrix: [['a']] }, wrap: true })).not.toEqual(
      search({ Matrix: [['a']] }, 'Matrix[]'),
    );
  });

  it('compiles a waiter that flattens a list of lists, where waitFor and the machine now agree', () => {
    useFullJmespath(); // a bound spec of the app's own, beyond plain member paths
    const waiter: BoundWaiter<object, object> = {
      spec: {
        delay: 1,
        maxAttempts: 3,
        operation: 'DescribeThings',
        acceptors: [{ matcher: 'pathAny', argument: 'Matrix[]', expected: 'ready', state: 'success' }],
      },
      command: DescribeThingsCommand,
    };
    expect(stateMachineGaps(waiter)).toEqual([]);
    expect(toStateMachine(waiter).States['Collect']).toMatchObject({ Parameters: { 'a0.$': '$.response.Matrix[*][*]' } });
    expect(stateMachineGaps(waiter.spec)).toEqual([
      expect.objectContaining({
        acceptor: 0,
        reason: expect.stringMatching(/"Matrix\[\]" flattens Matrix, .*no schema shows that/),
      }),
    ]);
  });
});

describe('every shipped waiter of the installed clients that flattens', () => {
  beforeAll(() => useFullJmespath());
  const modules = { cloudformation, dynamodb, ec2, ecs, iam, kinesis, lambda, rds, route53, s3, sfn, ssm };
  const waiters = Object.entries(modules).flatMap(([service, module]) =>
    Object.entries(module as Record<string, unknown>).flatMap(([name, value]) => {
      const bound = value as Partial<BoundWaiter<object, object>>;
      const spec = bound?.spec as { acceptors?: { argument?: string }[] } | undefined;
      return typeof bound?.command === 'function' && Array.isArray(spec?.acceptors)
        ? [{ name: `${service}.${name}`, bound }]
        : [];
    }),
  );
  const flattening = waiters.filter(({ bound }) =>
    (bound.spec as unknown as { acceptors: { argument?: string }[] }).acceptors.some((a) => a.argument?.includes('[]')),
  );

  it("has its flatten shown exact by the command's schema: no gap for want of one", () => {
    expect(flattening.length).toBeGreaterThan(40);
    for (const { name, bound } of flattening) {
      const gaps = stateMachineGaps(bound as BoundWaiter<object, object>);
      expect({ name, reasons: gaps.map((gap) => gap.reason).filter((reason) => /flattens/.test(reason)) }).toEqual({
        name,
        reasons: [],
      });
    }
  });
});

/**
 * Plain member paths compile to direct accessors that answer exactly as JMESPath does; every
 * other expression needs the full evaluator, which an app installs with useFullJmespath().
 * This suite runs as an app that has not installed it.
 */
import fc from 'fast-check';
import { compile, TreeInterpreter, type JSONValue } from '@jmespath-community/jmespath';
import { compileExpression } from '../../src/specs/compileExpression';
import { installedJmespath, installJmespath } from '../../src/specs/jmespathEngine';
import { TableAndIndexesActive, TableStreamEnabled } from '../../src/services/generated/dynamodb';
import { InstanceRunning } from '../../src/services/generated/ec2';
import { compilePaginator, compileWaiter, useFullJmespath, type SmithyWaiterSpec, type WaiterSpec } from '../../src';
import { expectRejected } from '../support/specErrors';

beforeEach(() => installJmespath(undefined));

const jmespath = (path: string, data: unknown) => TreeInterpreter.search(compile(path), data as JSONValue);
const accessor = (path: string) => compileExpression(path, 'path');

// Member names as JMESPath reads them unquoted, keywords of other languages and JMESPath literals included.
const NAMES = ['a', 'b', 'Items', '_x', 'A1', 'null', 'true', 'false', 'let', 'in', 'length'];

const value = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, undefined, true, false, 0, 1, -1.5, '', 'x', 'null'),
    fc.constantFrom(new Date(0), new Map([['a', 1]]), new Set(['a']), new Uint8Array([1, 2])),
    fc.array(tie('value'), { maxLength: 3 }),
    tie('object'),
  ),
  object: fc.array(fc.tuple(fc.constantFrom(...NAMES), tie('value')), { maxLength: 4 }).chain((entries) =>
    fc.boolean().map((nullPrototype) => {
      const object: Record<string, unknown> = nullPrototype ? Object.create(null) : {};
      for (const [key, member] of entries) object[key] = member;
      return object;
    }),
  ),
}));
const path = fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 4 }).map((members) => members.join('.'));

describe('compileExpression: plain member paths', () => {
  it('answer as JMESPath does on any data: the same value, null for a missing member, a null or a non-object parent', () => {
    fc.assert(
      fc.property(path, value.value, (source, data) => {
        expect(Object.is(accessor(source).search(data), jmespath(source, data))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('answer as JMESPath does along a path that exists', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 5 }), value.value, (members, leaf) => {
        const data = members.reduceRight<unknown>((inner, member) => ({ [member]: inner }), leaf);
        const source = members.join('.');
        expect(Object.is(accessor(source).search(data), jmespath(source, data))).toBe(true);
      }),
    );
  });

  it.each([
    ['Table.TableStatus', { Table: { TableStatus: 'ACTIVE' } }, 'ACTIVE'],
    ['Table.TableStatus', { Table: null }, null],
    ['Table.TableStatus', { Table: [{ TableStatus: 'ACTIVE' }] }, null],
    ['Table.TableStatus', { Table: 'ACTIVE' }, null],
    ['Table', { Table: undefined }, null],
    ['Count', { Count: 0 }, 0],
    ['IsTruncated', { IsTruncated: false }, false],
    ['Items', [{ Items: 1 }], null],
    ['Items', undefined, null],
  ])('%s of %j is %j', (source, data, expected) => {
    expect(accessor(source).search(data)).toEqual(expected);
    expect(jmespath(source, data)).toEqual(expected);
  });

  it('return the very object found, not a copy', () => {
    const items = [{ id: 1 }];
    expect(accessor('Page.Items').search({ Page: { Items: items } })).toBe(items);
  });

  it("never find Object.prototype's members, where JMESPath's library does: a name it has must be the data's own", () => {
    expect(accessor('toString').search({})).toBeNull();
    expect(typeof jmespath('toString', {})).toBe('function');
    expect(accessor('__proto__').search({})).toBeNull();
    expect(accessor('constructor').search({ a: 1 })).toBeNull();
    // Members that are the data's own read as JMESPath reads them.
    expect(accessor('toString').search({ toString: 'x' })).toBe('x');
    expect(accessor('__proto__.a').search(JSON.parse('{"__proto__": {"a": 1}}'))).toBe(1);
    expect(jmespath('__proto__.a', JSON.parse('{"__proto__": {"a": 1}}'))).toBe(1);
  });

  it('answer null for a value whose members cannot be read (a revoked Proxy)', () => {
    const { proxy, revoke } = Proxy.revocable({ a: 1 }, {});
    revoke();
    expect(accessor('a').search(proxy)).toBeNull();
    expect(accessor('x.a').search({ x: proxy })).toBeNull();
  });

  it('compile without the full evaluator, in every place a spec has an expression', () => {
    expect(
      compilePaginator({ input_token: 'Marker', output_token: 'List.NextMarker', more_results: 'List.IsTruncated' }),
    ).toBeDefined();
    expect(
      compileWaiter({
        delay: 1,
        maxAttempts: 1,
        acceptors: [{ matcher: 'path', argument: 'Table.TableStatus', expected: 'ACTIVE', state: 'success' }],
      }),
    ).toBeDefined();
    expect(
      compileWaiter({
        acceptors: [
          { state: 'success', matcher: { output: { path: 'Status', comparator: 'stringEquals', expected: 'OK' } } },
          {
            state: 'failure',
            matcher: { inputOutput: { path: 'output.Status', comparator: 'stringEquals', expected: 'BAD' } },
            message: 'Reason',
          },
        ],
      }),
    ).toBeDefined();
  });
});

describe('compileExpression: other expressions, without the full evaluator', () => {
  const NEEDS = /is not a plain member path .*needs the full JMESPath evaluator: call useFullJmespath\(\) from 'rxjs-aws'/;

  it.each([
    'Items[]',
    'Contents[-1].Key',
    'NextMarker || Contents[-1].Key',
    'length(Items) > `0`',
    '"quoted"',
    'a .b',
    'a.',
    '.a',
    '@',
  ])('refuses %p with a SpecError saying what to call', (source) => {
    expectRejected((s: string) => compileExpression(s, 'output_token'), source, 'output_token', NEEDS);
  });

  it('names the spec field at fault in paginators and both waiter forms', () => {
    expectRejected(
      compilePaginator,
      { input_token: 'Marker', output_token: 'NextMarker || Contents[-1].Key' },
      'output_token',
      NEEDS,
    );
    const botocore: WaiterSpec = {
      delay: 1,
      maxAttempts: 1,
      acceptors: [
        { matcher: 'pathAll', argument: 'Reservations[].Instances[].State.Name', expected: 'running', state: 'success' },
      ],
    };
    expectRejected(compileWaiter, botocore, 'acceptors[0].argument', NEEDS);
    const smithy: SmithyWaiterSpec = {
      acceptors: [
        { state: 'success', matcher: { success: true } },
        { state: 'failure', matcher: { success: false }, message: 'Errors[].Message' },
      ],
    };
    expectRejected(compileWaiter, smithy, 'acceptors[1].message', NEEDS);
  });

  it('compiles a bound spec that carries the full evaluator, without installing it for anyone else', () => {
    // TableAndIndexesActive's filter expression needs the full evaluator: the binding brings it.
    const waiter = compileWaiter(TableAndIndexesActive);
    const active = { Table: { TableStatus: 'ACTIVE', GlobalSecondaryIndexes: [{ IndexStatus: 'ACTIVE' }] } };
    expect(waiter.acceptors[0]!.matches({ ok: true, input: {}, output: active })).toBe(true);
    expect(installedJmespath()).toBeUndefined();
    expectRejected((source: unknown) => compileExpression(source, 'x'), 'Items[].id', 'x', NEEDS);
  });

  it("compiles a shipped spec's .spec, given with a send of the app's own, and nothing else it did not mark", () => {
    // resolveSend's advice for client.send: "give the bound spec's .spec with your own send".
    const running = compileWaiter(InstanceRunning.spec);
    const page = { Reservations: [{ Instances: [{ State: { Name: 'running' } }] }] };
    expect(running.acceptors[0]!.matches({ ok: true, input: {}, output: page })).toBe(true);
    const streaming = compileWaiter(TableStreamEnabled.spec);
    const enabled = { Table: { StreamSpecification: { StreamEnabled: true }, LatestStreamArn: 'arn' } };
    expect(streaming.acceptors[0]!.matches({ ok: true, input: {}, output: enabled })).toBe(true);
    expect(installedJmespath()).toBeUndefined();
    // A copy is the app's own spec: it asks for the opt-in like any other.
    expectRejected(compileWaiter, { ...InstanceRunning.spec }, 'acceptors[0].argument', NEEDS);
  });

  it('compiles them once useFullJmespath() was called', () => {
    useFullJmespath();
    expect(compileExpression('Items[].id', 'x').search({ Items: [{ id: 1 }, { id: 2 }] })).toEqual([1, 2]);
    expect(compilePaginator({ input_token: 'Marker', output_token: 'NextMarker || Contents[-1].Key' })).toBeDefined();
  });

  it('still refuses what is no expression at all, with or without it', () => {
    for (const source of ['', 5, null, undefined, ['a']]) {
      expectRejected((s: unknown) => compileExpression(s, 'argument'), source, 'argument', /expected a JMESPath expression/);
    }
  });
});

import vm from 'node:vm';
import type { CompiledAcceptor } from '../../src/specs/compileAcceptor';
import { compileWaiter } from '../../src/specs/compileWaiter';
import type { AcceptorSpec, SmithyAcceptorSpec, SmithyWaiterSpec, WaiterSpec } from '../../src/specs/types';
import type { WaiterResponse } from '../../src/specs/WaiterResponse';
import { expectRejected as expectSpecRejected } from '../support/specErrors';
import { useFullJmespath } from '../../src/specs/fullJmespath';

// The waiters here are the app's own, some with full JMESPath expressions: such an app opts in once.
useFullJmespath();

const expectRejected = (spec: unknown, field: string, problem: RegExp) => expectSpecRejected(compileWaiter, spec, field, problem);

const success: AcceptorSpec = { matcher: 'path', argument: 'Table.TableStatus', expected: 'ACTIVE', state: 'success' };
const botocore = (...acceptors: unknown[]) => ({ delay: 5, maxAttempts: 3, acceptors: acceptors.length ? acceptors : [success] });
const smithySuccess: SmithyAcceptorSpec = { state: 'success', matcher: { success: true } };
const smithy = (...acceptors: unknown[]) => ({ acceptors: acceptors.length ? acceptors : [smithySuccess] });

/** The single acceptor of a botocore waiter built from `acceptor`. */
function acceptor(spec: Record<string, unknown>): CompiledAcceptor {
  return compileWaiter(botocore({ state: 'success', ...spec }) as WaiterSpec).acceptors[0]!;
}

/** The first acceptor of a Smithy waiter whose first acceptor has `matcher`. */
function smithyAcceptor(matcher: Record<string, unknown>, state = 'retry'): CompiledAcceptor {
  return compileWaiter(smithy({ state, matcher }, smithySuccess) as SmithyWaiterSpec).acceptors[0]!;
}

const ok = (output: unknown, input: unknown = {}): WaiterResponse => ({ ok: true, input, output });
const failed = (error: unknown, input: unknown = {}): WaiterResponse => ({ ok: false, input, error });

/** An SDK v3 service exception. */
function serviceError(name: string, httpStatusCode = 400): Error {
  const error = new Error(`${name} happened`);
  error.name = name;
  return Object.assign(error, { $metadata: { httpStatusCode } });
}

describe('compileWaiter (botocore form)', () => {
  it('compiles a waiter with fixed backoff', () => {
    const compiled = compileWaiter({
      operation: 'DescribeTable',
      description: 'Wait until a table is active',
      delay: 20,
      maxAttempts: 25,
      acceptors: [success, { matcher: 'error', expected: 'ResourceNotFoundException', state: 'retry' }],
    });
    expect(compiled).toMatchObject({
      kind: 'waiter',
      operation: 'DescribeTable',
      backoff: 'fixed',
      minDelay: 20,
      maxDelay: 20,
      maxAttempts: 25,
    });
    expect(compiled.acceptors.map((a) => [a.state, a.matcher])).toEqual([
      ['success', 'path'],
      ['retry', 'error'],
    ]);
  });

  it('allows a zero delay and leaves operation out when absent', () => {
    const compiled = compileWaiter({ delay: 0, maxAttempts: 1, acceptors: [success] });
    expect(compiled.minDelay).toBe(0);
    expect('operation' in compiled).toBe(false);
  });

  it('passes a compiled waiter through unchanged', () => {
    const compiled = compileWaiter(botocore() as WaiterSpec);
    expect(compileWaiter(compiled)).toBe(compiled);
  });

  it('compiles a spec built in another realm (node:vm)', () => {
    const foreign = vm.runInNewContext(
      '({ delay: 1, maxAttempts: 2, acceptors: [{ matcher: "status", expected: 200, state: "success" }] })',
    );
    expect(compileWaiter(foreign).maxAttempts).toBe(2);
  });

  describe('rejects', () => {
    it.each([null, undefined, 'TableExists', 3, [success], new Date()])('a spec that is %p', (spec) => {
      expectRejected(spec, 'waiter', /^expected an object, got /);
    });

    it('unknown fields, naming them', () => {
      expectRejected({ ...botocore(), Delay: 5 }, 'Delay', /is not a botocore waiter field/);
      expectRejected({ ...botocore(), version: 2 }, 'version', /is not a botocore waiter field/);
    });

    it('a JSON look-alike of a compiled waiter instead of passing it through', () => {
      expectRejected({ kind: 'waiter', ...botocore() }, 'kind', /is not a botocore waiter field/);
      expectRejected({ kind: 'waiter', acceptors: [] }, 'kind', /is not a Smithy waiter field/);
      expectRejected(
        JSON.parse(JSON.stringify(compileWaiter(botocore() as WaiterSpec))),
        'kind',
        /is not a botocore waiter field/,
      );
    });

    it.each([undefined, [], 'x', {}])('acceptors that are %p', (acceptors) => {
      expectRejected({ delay: 5, maxAttempts: 3, acceptors }, 'acceptors', /expected a non-empty list/);
    });

    it.each([-1, '5', null, Number.NaN, Number.POSITIVE_INFINITY])('a delay of %p', (delay) => {
      expectRejected({ ...botocore(), delay }, 'delay', /expected a number of seconds of at least 0/);
    });

    it('a missing delay', () => {
      expectRejected({ maxAttempts: 3, acceptors: [success] }, 'delay', /got nothing/);
    });

    it.each([0, -2, 1.5, '3', null, undefined])('maxAttempts of %p', (maxAttempts) => {
      expectRejected({ ...botocore(), maxAttempts }, 'maxAttempts', /expected a whole number of at least 1/);
    });

    it('an operation that is not a string', () => {
      expectRejected({ ...botocore(), operation: 5 }, 'operation', /expected an operation name, got number 5/);
    });

    it('an acceptor that is not an object', () => {
      expectRejected(botocore(success, 'retry'), 'acceptors[1]', /expected an acceptor object, got "retry"/);
    });

    it.each([undefined, 'done', 'SUCCESS', 1])('an acceptor state of %p', (state) => {
      expectRejected(botocore({ ...success, state }), 'acceptors[0].state', /expected success, failure or retry/);
    });

    it('an acceptor without expected', () => {
      expectRejected(botocore({ matcher: 'status', state: 'success' }), 'acceptors[0].expected', /is required/);
    });

    it.each<unknown>(['Path', 'errorType', 'output', undefined, 5, { toString: 1 }, { valueOf: 'x', toString: 'y' }])(
      'an acceptor matcher of %p',
      (matcher) => {
        expectRejected(
          botocore(success, { matcher, expected: 'x', state: 'retry' }),
          'acceptors[1].matcher',
          /expected path, pathAll, pathAny, status or error/,
        );
      },
    );

    it.each(['path', 'pathAll', 'pathAny'])('a %s acceptor without an argument', (matcher) => {
      expectRejected(botocore(success, { matcher, expected: 'x', state: 'retry' }), 'acceptors[1].argument', /got nothing/);
    });

    it.each(['Table.[', 'a ||', '`unterminated', 'foo[?', '&'])('an argument %p that is not JMESPath', (argument) => {
      expectRejected(
        botocore(success, { matcher: 'path', argument, expected: 'x', state: 'retry' }),
        'acceptors[1].argument',
        /invalid JMESPath expression/,
      );
    });

    it('an argument that is not a string', () => {
      expectRejected(botocore({ ...success, argument: ['Table'] }), 'acceptors[0].argument', /got an array/);
    });

    it.each(['200', 200.5, null, true])('a status acceptor expecting %p', (expected) => {
      expectRejected(
        botocore({ matcher: 'status', expected, state: 'success' }),
        'acceptors[0].expected',
        /expected an HTTP status code/,
      );
    });

    it.each([5, null, ['A'], {}])('an error acceptor expecting %p', (expected) => {
      expectRejected(
        botocore({ matcher: 'error', expected, state: 'retry' }),
        'acceptors[0].expected',
        /expected an error code or a boolean/,
      );
    });
  });
});

describe('botocore acceptors', () => {
  describe('path', () => {
    const active = acceptor({ matcher: 'path', argument: 'Table.TableStatus', expected: 'ACTIVE' });

    it('matches when the expression yields the expected value', () => {
      expect(active.matches(ok({ Table: { TableStatus: 'ACTIVE' } }))).toBe(true);
      expect(active.matches(ok({ Table: { TableStatus: 'CREATING' } }))).toBe(false);
      expect(active.matches(ok({}))).toBe(false);
      expect(active.matches(ok(null))).toBe(false);
    });

    it('never matches an error response', () => {
      expect(active.matches(failed({ Table: { TableStatus: 'ACTIVE' } }))).toBe(false);
    });

    it('compares lists by value, not a list with its item', () => {
      expect(active.matches(ok({ Table: { TableStatus: ['ACTIVE'] } }))).toBe(false);
      const list = acceptor({ matcher: 'path', argument: 'Ids', expected: ['a', 'b'] });
      expect(list.matches(ok({ Ids: ['a', 'b'] }))).toBe(true);
      expect(list.matches(ok({ Ids: ['b', 'a'] }))).toBe(false);
    });

    it('uses Python equality: true == 1 and 1 == true', () => {
      const expectsTrue = acceptor({ matcher: 'path', argument: 'Flag', expected: true });
      expect(expectsTrue.matches(ok({ Flag: true }))).toBe(true);
      expect(expectsTrue.matches(ok({ Flag: 1 }))).toBe(true);
      expect(expectsTrue.matches(ok({ Flag: 'true' }))).toBe(false);
      expect(expectsTrue.matches(ok({ Flag: 2 }))).toBe(false);
      const expectsOne = acceptor({ matcher: 'path', argument: 'Count', expected: 1 });
      expect(expectsOne.matches(ok({ Count: true }))).toBe(true);
      const expectsFalse = acceptor({ matcher: 'path', argument: 'Flag', expected: false });
      expect(expectsFalse.matches(ok({ Flag: 0 }))).toBe(true);
      expect(expectsFalse.matches(ok({}))).toBe(false);
    });

    it('treats a JMESPath type error as no match', () => {
      // length(null) is a type error in JMESPath; botocore's waiter sees no match.
      const nonEmpty = acceptor({ matcher: 'path', argument: 'length(Reservations[]) > `0`', expected: true });
      expect(nonEmpty.matches(ok({ Reservations: [{ Id: 1 }] }))).toBe(true);
      expect(nonEmpty.matches(ok({ Reservations: [] }))).toBe(false);
      expect(nonEmpty.matches(ok({}))).toBe(false);
      const empty = acceptor({ matcher: 'path', argument: 'length(Items) == `0`', expected: false });
      expect(empty.matches(ok({}))).toBe(false);
    });

    it('explains itself in botocore words', () => {
      expect(active.explanation).toBe('For expression "Table.TableStatus" we matched expected path: "ACTIVE"');
      expect(acceptor({ matcher: 'path', argument: 'Flag', expected: true }).explanation).toBe(
        'For expression "Flag" we matched expected path: "True"',
      );
    });
  });

  describe('pathAll', () => {
    const allRunning = acceptor({ matcher: 'pathAll', argument: 'Reservations[].Instances[].State.Name', expected: 'running' });
    const reservations = (...names: string[]) => ({ Reservations: [{ Instances: names.map((Name) => ({ State: { Name } })) }] });

    it('matches when every item of a non-empty list equals expected', () => {
      expect(allRunning.matches(ok(reservations('running', 'running')))).toBe(true);
      expect(allRunning.matches(ok(reservations('running', 'pending')))).toBe(false);
    });

    it('needs a non-empty list', () => {
      expect(allRunning.matches(ok(reservations()))).toBe(false);
      expect(allRunning.matches(ok({}))).toBe(false);
    });

    it('never iterates a string', () => {
      const allA = acceptor({ matcher: 'pathAll', argument: 'Status', expected: 'a' });
      expect(allA.matches(ok({ Status: 'aaa' }))).toBe(false);
      expect(allA.matches(ok({ Status: 'a' }))).toBe(false);
      expect(allA.matches(ok({ Status: ['a', 'a'] }))).toBe(true);
    });

    it('uses Python equality on the items', () => {
      const allTrue = acceptor({ matcher: 'pathAll', argument: 'Flags', expected: true });
      expect(allTrue.matches(ok({ Flags: [true, 1] }))).toBe(true);
      expect(allTrue.matches(ok({ Flags: [true, 0] }))).toBe(false);
    });

    it('never matches an error response', () => {
      expect(allRunning.matches(failed(reservations('running')))).toBe(false);
    });

    it('explains itself', () => {
      expect(allRunning.explanation).toBe(
        'For expression "Reservations[].Instances[].State.Name" all members matched expected path: "running"',
      );
    });
  });

  describe('pathAny', () => {
    const anyFailed = acceptor({ matcher: 'pathAny', argument: 'Items[].Status', expected: 'FAILED' });

    it('matches when some item of the list equals expected', () => {
      expect(anyFailed.matches(ok({ Items: [{ Status: 'OK' }, { Status: 'FAILED' }] }))).toBe(true);
      expect(anyFailed.matches(ok({ Items: [{ Status: 'OK' }] }))).toBe(false);
    });

    it('does not match an empty list or a missing one', () => {
      expect(anyFailed.matches(ok({ Items: [] }))).toBe(false);
      expect(anyFailed.matches(ok({}))).toBe(false);
    });

    it('never iterates a string', () => {
      const anyA = acceptor({ matcher: 'pathAny', argument: 'Status', expected: 'a' });
      expect(anyA.matches(ok({ Status: 'available' }))).toBe(false);
      expect(anyA.matches(ok({ Status: 'a' }))).toBe(false);
    });

    it('uses Python equality on the items', () => {
      const anyOne = acceptor({ matcher: 'pathAny', argument: 'Codes', expected: 1 });
      expect(anyOne.matches(ok({ Codes: [false, true] }))).toBe(true);
    });

    it('never matches an error response', () => {
      expect(anyFailed.matches(failed({ Items: [{ Status: 'FAILED' }] }))).toBe(false);
    });

    it('explains itself', () => {
      expect(anyFailed.explanation).toBe('For expression "Items[].Status" we matched expected path: "FAILED" at least once');
    });
  });

  describe('status', () => {
    const notFound = acceptor({ matcher: 'status', expected: 404 });
    const okStatus = acceptor({ matcher: 'status', expected: 200 });

    it('reads $metadata.httpStatusCode of an output', () => {
      expect(okStatus.matches(ok({ $metadata: { httpStatusCode: 200 } }))).toBe(true);
      expect(okStatus.matches(ok({ $metadata: { httpStatusCode: 201 } }))).toBe(false);
    });

    it('reads $metadata.httpStatusCode of an error', () => {
      expect(notFound.matches(failed(serviceError('NotFound', 404)))).toBe(true);
      expect(notFound.matches(failed(serviceError('NotFound', 400)))).toBe(false);
      expect(notFound.matches(failed({ $metadata: { httpStatusCode: 404 } }))).toBe(true);
    });

    it('does not match without a status', () => {
      expect(okStatus.matches(ok({}))).toBe(false);
      expect(okStatus.matches(ok(undefined))).toBe(false);
      expect(okStatus.matches(ok({ $metadata: { httpStatusCode: '200' } }))).toBe(false);
      expect(notFound.matches(failed(new Error('socket hang up')))).toBe(false);
      expect(notFound.matches(failed(null))).toBe(false);
    });

    it('explains itself', () => {
      expect(notFound.explanation).toBe('Matched expected HTTP status code: 404');
    });
  });

  describe('error', () => {
    const missing = acceptor({ matcher: 'error', expected: 'ResourceNotFoundException' });

    it('matches the error code from the exception name', () => {
      expect(missing.matches(failed(serviceError('ResourceNotFoundException')))).toBe(true);
      expect(missing.matches(failed(serviceError('ValidationException')))).toBe(false);
    });

    it('matches the error code from Code or code when the name is generic', () => {
      expect(missing.matches(failed(Object.assign(new Error('x'), { Code: 'ResourceNotFoundException' })))).toBe(true);
      expect(missing.matches(failed(Object.assign(new Error('x'), { code: 'ResourceNotFoundException' })))).toBe(true);
      expect(missing.matches(failed({ Code: 'ResourceNotFoundException' }))).toBe(true);
    });

    it('never matches a successful response', () => {
      expect(missing.matches(ok({ name: 'ResourceNotFoundException' }))).toBe(false);
    });

    it('with expected true matches any error and no success', () => {
      const anyError = acceptor({ matcher: 'error', expected: true });
      expect(anyError.matches(failed(serviceError('Throttling')))).toBe(true);
      expect(anyError.matches(failed(new Error('boom')))).toBe(true);
      expect(anyError.matches(ok({}))).toBe(false);
      expect(anyError.explanation).toBe('Matched expected service error code: True');
    });

    it('with expected false matches any success and no error', () => {
      const noError = acceptor({ matcher: 'error', expected: false });
      expect(noError.matches(ok({}))).toBe(true);
      expect(noError.matches(failed(serviceError('Throttling')))).toBe(false);
      expect(noError.explanation).toBe('Matched expected service error code: False');
    });

    it('explains itself', () => {
      expect(missing.explanation).toBe('Matched expected service error code: ResourceNotFoundException');
    });
  });
});

describe('compileWaiter (Smithy form)', () => {
  it('compiles with exponential backoff and the default delays 2 and 120', () => {
    const compiled = compileWaiter(smithy() as SmithyWaiterSpec);
    expect(compiled).toMatchObject({ kind: 'waiter', backoff: 'exponential', minDelay: 2, maxDelay: 120 });
    expect(compiled.maxAttempts).toBeUndefined();
    expect(compiled.operation).toBeUndefined();
  });

  it('takes minDelay, maxDelay and the documentation fields', () => {
    const compiled = compileWaiter({
      ...(smithy() as SmithyWaiterSpec),
      documentation: 'Waits for the bucket',
      minDelay: 5,
      maxDelay: 5,
      deprecated: false,
      tags: ['s3'],
    });
    expect([compiled.minDelay, compiled.maxDelay]).toEqual([5, 5]);
  });

  it('passes a compiled waiter through unchanged', () => {
    const compiled = compileWaiter(smithy() as SmithyWaiterSpec);
    expect(compileWaiter(compiled)).toBe(compiled);
  });

  describe('rejects', () => {
    it('fields of the botocore form, naming them', () => {
      expectRejected({ ...smithy(), operation: 'HeadBucket' }, 'operation', /is not a Smithy waiter field/);
      expectRejected({ ...smithy(), description: 'x' }, 'description', /is not a Smithy waiter field/);
    });

    it.each([0, 0.5, -1, '2', Number.NaN])('a minDelay of %p', (minDelay) => {
      expectRejected({ ...smithy(), minDelay }, 'minDelay', /expected a number of seconds of at least 1/);
    });

    it.each([0, 'x', Number.POSITIVE_INFINITY])('a maxDelay of %p', (maxDelay) => {
      expectRejected({ ...smithy(), maxDelay }, 'maxDelay', /expected a number of seconds of at least 1/);
    });

    it('a minDelay above maxDelay, including the default maxDelay', () => {
      expectRejected({ ...smithy(), minDelay: 10, maxDelay: 5 }, 'minDelay', /10 is greater than maxDelay 5/);
      expectRejected({ ...smithy(), minDelay: 121 }, 'minDelay', /121 is greater than maxDelay 120/);
      expectRejected({ ...smithy(), maxDelay: 1 }, 'minDelay', /2 is greater than maxDelay 1/);
    });

    it('a waiter without a success acceptor', () => {
      expectRejected(
        smithy({ state: 'retry', matcher: { errorType: 'NotFound' } }),
        'acceptors',
        /at least one success acceptor/,
      );
    });

    it('an acceptor with a bad state', () => {
      expectRejected(
        smithy({ state: 'ok', matcher: { success: true } }),
        'acceptors[0].state',
        /expected success, failure or retry/,
      );
    });

    it.each([undefined, 'success', ['success'], null])('a matcher that is %p', (matcher) => {
      expectRejected(smithy(smithySuccess, { state: 'retry', matcher }), 'acceptors[1].matcher', /expected a matcher object/);
    });

    it('a matcher that sets no member or two', () => {
      expectRejected(
        smithy(smithySuccess, { state: 'retry', matcher: {} }),
        'acceptors[1].matcher',
        /must set exactly one of .*; sets 0/,
      );
      expectRejected(
        smithy({ state: 'success', matcher: { success: true, errorType: 'NotFound' } }),
        'acceptors[0].matcher',
        /must set exactly one of output, inputOutput, success, errorType; sets 2/,
      );
    });

    it('an unknown matcher member, naming it', () => {
      expectRejected(
        smithy(smithySuccess, { state: 'retry', matcher: { path: 'a' } }),
        'acceptors[1].matcher.path',
        /is not a Smithy matcher/,
      );
      expectRejected(
        smithy(smithySuccess, { state: 'retry', matcher: JSON.parse('{"__proto__": "x"}') }),
        'acceptors[1].matcher.__proto__',
        /is not a Smithy matcher/,
      );
    });

    it('a success member that is not a boolean', () => {
      expectRejected(
        smithy({ state: 'success', matcher: { success: 'true' } }),
        'acceptors[0].matcher.success',
        /expected a boolean, got "true"/,
      );
    });

    it.each(['True', 'TRUE', '1', '', 'yes', 'foo'])('a booleanEquals expecting %p, which would read as false', (expected) => {
      expectRejected(
        smithy({ state: 'success', matcher: { output: { path: 'Enabled', comparator: 'booleanEquals', expected } } }),
        'acceptors[0].matcher.output.expected',
        /booleanEquals comparator expects "true" or "false", got /,
      );
    });

    it.each(['success', 'retry'])('a message on a %s acceptor (Smithy allows it on failure only)', (state) => {
      expectRejected(
        smithy(smithySuccess, { state, matcher: { errorType: 'NotFound' }, message: 'Reason' }),
        'acceptors[1].message',
        new RegExp(`is only valid on an acceptor with a failure state, not ${state}`),
      );
    });

    it.each([
      ['foo.@@invalid', /invalid JMESPath expression "foo.@@invalid"/],
      ['', /expected a JMESPath expression/],
      [5, /expected a JMESPath expression/],
      [['Reason'], /expected a JMESPath expression/],
    ])('a failure message of %p', (message, problem) => {
      expectRejected(
        smithy(smithySuccess, { state: 'failure', matcher: { success: false }, message }),
        'acceptors[1].message',
        problem,
      );
    });

    it.each(['', 5, null, ['NotFound']])('an errorType of %p', (errorType) => {
      expectRejected(
        smithy(smithySuccess, { state: 'retry', matcher: { errorType } }),
        'acceptors[1].matcher.errorType',
        /expected an error shape name/,
      );
    });

    describe.each(['output', 'inputOutput'])('a %s PathMatcher', (kind) => {
      const withMatcher = (value: unknown) => smithy({ state: 'success', matcher: { [kind]: value } });
      const good = { path: 'Status', expected: 'READY', comparator: 'stringEquals' };

      it('that is not an object', () => {
        expectRejected(withMatcher('Status'), `acceptors[0].matcher.${kind}`, /expected a PathMatcher object, got "Status"/);
      });

      it('without a valid path', () => {
        expectRejected(withMatcher({ ...good, path: undefined }), `acceptors[0].matcher.${kind}.path`, /got nothing/);
        expectRejected(
          withMatcher({ ...good, path: 'Status[' }),
          `acceptors[0].matcher.${kind}.path`,
          /invalid JMESPath expression/,
        );
      });

      it('whose expected is not a string', () => {
        expectRejected(
          withMatcher({ ...good, expected: true }),
          `acceptors[0].matcher.${kind}.expected`,
          /expected a string, got boolean true/,
        );
      });

      it.each(['equals', 'StringEquals', undefined, 1, 'toString', '__proto__', 'constructor', 'hasOwnProperty'])(
        'whose comparator is %p',
        (comparator) => {
          expectRejected(
            withMatcher({ ...good, comparator }),
            `acceptors[0].matcher.${kind}.comparator`,
            /expected stringEquals, booleanEquals, allStringEquals or anyStringEquals/,
          );
        },
      );
    });
  });
});

describe('Smithy acceptors', () => {
  const output = (path: string, comparator: string, expected: string) =>
    smithyAcceptor({ output: { path, comparator, expected } });

  describe("message (a failure acceptor's reason)", () => {
    const failure = (message: string) =>
      compileWaiter(
        smithy(smithySuccess, {
          state: 'failure',
          matcher: { output: { path: 'Status', comparator: 'stringEquals', expected: 'FAILED' } },
          message,
        }) as SmithyWaiterSpec,
      ).acceptors[1]!;

    it('reads a string from the output', () => {
      expect(failure('StatusReason').message?.(ok({ Status: 'FAILED', StatusReason: 'disk full' }))).toBe('disk full');
      expect(failure('Detail.Why').message?.(ok({ Detail: { Why: 'quota' } }))).toBe('quota');
    });

    it('joins a list of strings', () => {
      expect(failure('Reasons').message?.(ok({ Reasons: ['disk full', 'quota'] }))).toBe('disk full; quota');
      expect(failure('Items[].Reason').message?.(ok({ Items: [{ Reason: 'a' }, { Reason: 'b' }] }))).toBe('a; b');
    });

    it('says nothing for anything but a string or a non-empty list of strings', () => {
      const reasons = failure('Reasons');
      for (const Reasons of [undefined, null, true, 5, {}, [], [true], ['a', 1]]) {
        expect(reasons.message?.(ok({ Reasons }))).toBeUndefined();
      }
    });

    it('says nothing for an error response: the expression is over the output', () => {
      expect(failure('message').message?.(failed(serviceError('Boom')))).toBeUndefined();
    });

    it('is absent on acceptors without one', () => {
      expect(compileWaiter(smithy() as SmithyWaiterSpec).acceptors[0]!.message).toBeUndefined();
      expect(acceptor({ matcher: 'path', argument: 'a', expected: 1 }).message).toBeUndefined();
    });
  });

  it('booleanEquals takes "false" as well as "true"', () => {
    expect(output('Enabled', 'booleanEquals', 'false').matches(ok({ Enabled: false }))).toBe(true);
  });

  it('stringEquals compares strings strictly', () => {
    const ready = output('Status', 'stringEquals', 'READY');
    expect(ready.matches(ok({ Status: 'READY' }))).toBe(true);
    expect(ready.matches(ok({ Status: 'ready' }))).toBe(false);
    expect(ready.matches(ok({ Status: ['READY'] }))).toBe(false);
    expect(ready.matches(ok({}))).toBe(false);
    expect(output('Count', 'stringEquals', '1').matches(ok({ Count: 1 }))).toBe(false);
  });

  it('booleanEquals compares booleans, never truthy values', () => {
    const enabled = output('Enabled', 'booleanEquals', 'true');
    expect(enabled.matches(ok({ Enabled: true }))).toBe(true);
    expect(enabled.matches(ok({ Enabled: false }))).toBe(false);
    expect(enabled.matches(ok({ Enabled: 1 }))).toBe(false);
    expect(enabled.matches(ok({ Enabled: 'true' }))).toBe(false);
    const disabled = output('Enabled', 'booleanEquals', 'false');
    expect(disabled.matches(ok({ Enabled: false }))).toBe(true);
    expect(disabled.matches(ok({}))).toBe(false);
    expect(disabled.matches(ok({ Enabled: 0 }))).toBe(false);
  });

  it('booleanEquals sees a JMESPath type error as no match', () => {
    const empty = output('length(Items) == `0`', 'booleanEquals', 'false');
    expect(empty.matches(ok({ Items: [1] }))).toBe(true);
    expect(empty.matches(ok({}))).toBe(false);
  });

  it('allStringEquals needs a non-empty list of equal strings', () => {
    const allReady = output('Items[].Status', 'allStringEquals', 'READY');
    expect(allReady.matches(ok({ Items: [{ Status: 'READY' }, { Status: 'READY' }] }))).toBe(true);
    expect(allReady.matches(ok({ Items: [{ Status: 'READY' }, { Status: 'BUSY' }] }))).toBe(false);
    expect(allReady.matches(ok({ Items: [] }))).toBe(false);
    expect(output('Status', 'allStringEquals', 'R').matches(ok({ Status: 'RRR' }))).toBe(false);
  });

  it('anyStringEquals needs a list with an equal string', () => {
    const anyFailed = output('Items[].Status', 'anyStringEquals', 'FAILED');
    expect(anyFailed.matches(ok({ Items: [{ Status: 'READY' }, { Status: 'FAILED' }] }))).toBe(true);
    expect(anyFailed.matches(ok({ Items: [{ Status: 'READY' }] }))).toBe(false);
    expect(anyFailed.matches(ok({ Items: [] }))).toBe(false);
    expect(output('Status', 'anyStringEquals', 'F').matches(ok({ Status: 'FAILED' }))).toBe(false);
  });

  it('output matchers never match an error response', () => {
    expect(output('Status', 'stringEquals', 'READY').matches(failed({ Status: 'READY' }))).toBe(false);
  });

  it('inputOutput sees the input and the output', () => {
    const same = smithyAcceptor({
      inputOutput: { path: 'input.Name == output.Name', comparator: 'booleanEquals', expected: 'true' },
    });
    expect(same.matches(ok({ Name: 'a' }, { Name: 'a' }))).toBe(true);
    expect(same.matches(ok({ Name: 'b' }, { Name: 'a' }))).toBe(false);
    expect(same.matches(failed({ Name: 'a' }, { Name: 'a' }))).toBe(false);
    expect(same.matcher).toBe('inputOutput');
  });

  it('success true matches successes, success false matches errors', () => {
    const succeeded = smithyAcceptor({ success: true }, 'success');
    expect(succeeded.matches(ok({}))).toBe(true);
    expect(succeeded.matches(failed(serviceError('NotFound')))).toBe(false);
    const errored = smithyAcceptor({ success: false }, 'failure');
    expect(errored.matches(failed(serviceError('NotFound')))).toBe(true);
    expect(errored.matches(ok({}))).toBe(false);
  });

  it('errorType matches the error name', () => {
    const notFound = smithyAcceptor({ errorType: 'NotFound' });
    expect(notFound.matches(failed(serviceError('NotFound')))).toBe(true);
    expect(notFound.matches(failed(serviceError('NoSuchBucket')))).toBe(false);
    expect(notFound.matches(failed({ Code: 'NotFound' }))).toBe(true);
    expect(notFound.matches(ok({ name: 'NotFound' }))).toBe(false);
    expect(notFound.explanation).toBe('Matched expected error type: NotFound');
  });

  it('errorType with an absolute shape id matches on the shape name', () => {
    const notFound = smithyAcceptor({ errorType: 'com.x#NotFound' });
    expect(notFound.matches(failed(serviceError('NotFound')))).toBe(true);
    expect(notFound.matches(failed(serviceError('com.x#NotFound')))).toBe(false);
    expect(notFound.matches(failed(serviceError('Other')))).toBe(false);
    expect(notFound.explanation).toBe('Matched expected error type: NotFound');
  });

  it('keeps the acceptor states in order', () => {
    const compiled = compileWaiter({
      acceptors: [
        { state: 'failure', matcher: { output: { path: 'Status', expected: 'FAILED', comparator: 'stringEquals' } } },
        { state: 'success', matcher: { success: true } },
        { state: 'retry', matcher: { errorType: 'NotFound' } },
      ],
    });
    expect(compiled.acceptors.map((a) => [a.state, a.matcher])).toEqual([
      ['failure', 'output'],
      ['success', 'success'],
      ['retry', 'errorType'],
    ]);
  });
});

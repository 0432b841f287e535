/**
 * Whatever a service answers, the streams end, and end in a way the caller
 * can handle: pages (or a final value), one of the library's typed errors,
 * or the very error `send` failed with. Never a TypeError, a RangeError or a
 * stream that runs forever.
 *
 * Responses are random: tokens of every JSON type or missing, pages that are
 * not objects, result keys that change type, huge pages, errors of any shape.
 * The response list repeats its last entry forever: the token cycle detector
 * (or more_results, or a missing token) has to stop it, and a cap on the
 * number of sends catches a pagination that does not stop. Every response is
 * deep-frozen, so a library that wrote into a page would fail with a TypeError.
 *
 * Hostile values too: pages and errors that are revoked Proxies or whose every
 * member read throws, primitive errors, and sends that answer with a
 * synchronous Observable that would emit forever: the library takes its first
 * value and stops it (a run where one was drained fails).
 */
import fc from 'fast-check';
import { EMPTY, lastValueFrom, Observable, of, throwError, type ObservableInput } from 'rxjs';
import {
  fullResult,
  paginate,
  PaginationError,
  resumeTokenOf,
  SpecError,
  waitFor,
  WaiterError,
  type AcceptorSpec,
  type PaginateOptions,
  type PaginatorSpec,
  type Send,
  type SmithyAcceptorSpec,
  type SmithyWaiterSpec,
  type WaitForOptions,
  type WaiterSpec,
} from '../../src';
import { decodeStartingToken, encodeResumeToken } from '../../src/tokens/resumeToken';

const SEED = 20250612;
const RUNS = Number(process.env.FUZZ_RUNS ?? 250);
const params = { seed: SEED, numRuns: RUNS, endOnFailure: true };

// ---- responses ------------------------------------------------------------

const MISSING = Symbol('missing');
/** Stands for one shared 200,000-item list (generated once, not per run). */
const HUGE = Symbol('huge');
const HUGE_LIST = Object.freeze(Array.from({ length: 200_000 }, (_, i) => i));

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

/** Sets `value` at a dotted path, making objects on the way (a non-object in the way is replaced). */
function put(target: Record<string, unknown>, path: string, value: unknown): void {
  if (value === MISSING) return;
  const members = path.split('.');
  let node = target;
  for (const member of members.slice(0, -1)) {
    const next = node[member];
    node =
      typeof next === 'object' && next !== null && !Array.isArray(next) ? (next as Record<string, unknown>) : (node[member] = {});
  }
  node[members[members.length - 1]!] = value === HUGE ? HUGE_LIST : value;
}

/** Stand-ins for values that cannot be frozen or printed; `materialize` makes them, fresh, when sent. */
const REVOKED = Symbol('a revoked Proxy');
const THROWING = Symbol('an object whose every member read throws');

/** The value a stand-in stands for; the errors its reads throw are injected errors too. */
function materialize(value: unknown, injected: Set<unknown>): unknown {
  if (value === REVOKED) {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  }
  if (value !== THROWING) return value;
  const thrown = new Error('a member read threw');
  injected.add(thrown);
  const trap = () => {
    throw thrown;
  };
  return new Proxy({}, { get: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap });
}

/** Reading a revoked Proxy throws this TypeError: the value's own error, not the library's. */
const isRevocation = (error: unknown): boolean => error instanceof TypeError && /revoked/.test(error.message);

/** Sends whose synchronous Observable was drained past its first value: must stay 0. */
let drained = 0;

/** What JSON.parse makes of `{"__proto__": ...}`: an own member of that name. */
const hostile = fc
  .constantFrom('{"__proto__": {"polluted": true}, "a": 1}', '{"constructor": {"prototype": {"polluted": true}}}')
  .map((text) => JSON.parse(text) as unknown);
const json = fc.oneof({ weight: 20, arbitrary: fc.jsonValue({ maxDepth: 2 }) }, { weight: 1, arbitrary: hostile });
/** Tokens: every JSON type, missing, and a few repeating values, so that cycles happen. */
const token = fc.oneof(
  { weight: 1, arbitrary: fc.constant(MISSING) },
  { weight: 1, arbitrary: fc.constantFrom('None', '', 0, false, null, [], {}) }, // falsy: the end, as in botocore
  { weight: 4, arbitrary: fc.constantFrom('a', 'b', 'c', 1, true, ['a'], { k: 'a' }, { k: ['a', 1] }) },
  { weight: 2, arbitrary: json },
);
/** Result key values: lists most of the time, else anything. */
const resultValue = fc.oneof(
  { weight: 6, arbitrary: fc.array(json, { maxLength: 6 }) },
  { weight: 1, arbitrary: fc.constant(HUGE) },
  { weight: 1, arbitrary: fc.constant(MISSING) },
  { weight: 2, arbitrary: json },
);
/** Not an object at all. */
const notAnObject = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.boolean(),
  fc.array(json, { maxLength: 3 }),
);

/** A page for `spec`: mostly the shape the spec expects, with anything in its places, or no object at all. */
function page(spec: Shape): fc.Arbitrary<unknown> {
  const structured = fc
    .record({
      tokens: fc.tuple(...spec.outputPaths.map(() => token)),
      more: fc.oneof(
        { weight: 4, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constantFrom(MISSING, false) },
        { weight: 1, arbitrary: json },
      ),
      results: fc.tuple(...spec.resultPaths.map(() => resultValue)),
      nonAggregate: fc.tuple(...spec.nonAggregatePaths.map(() => fc.oneof(fc.constant(MISSING), json))),
      extra: fc.dictionary(fc.string({ maxLength: 5 }), json, { maxKeys: 2 }),
    })
    .map(({ tokens, more, results, nonAggregate, extra }) => {
      const out: Record<string, unknown> = { ...extra };
      spec.nonAggregatePaths.forEach((path, i) => put(out, path, nonAggregate[i]));
      spec.resultPaths.forEach((path, i) => put(out, path, results[i]));
      spec.outputPaths.forEach((path, i) => put(out, path, tokens[i]));
      if (spec.morePath) put(out, spec.morePath, more);
      return out;
    });
  return fc.oneof(
    { weight: 12, arbitrary: structured },
    { weight: 2, arbitrary: notAnObject },
    { weight: 1, arbitrary: fc.constantFrom(REVOKED, THROWING) },
  );
}

/** How `send` delivers: every kind of ObservableInput, and every way to fail. */
type Entry =
  | { kind: 'page'; value: unknown; via: 'of' | 'promise' | 'array' | 'later' | 'endless' }
  | { kind: 'error'; error: unknown; via: 'throwError' | 'reject' | 'throw' }
  | { kind: 'empty' };

const anyError = fc.oneof(
  fc
    .record({
      name: fc.constantFrom('ThrottlingException', 'ValidationException', 'ResourceNotFoundException', 'Error', '', 'TypeError'),
      status: fc.option(fc.constantFrom(200, 400, 404, 429, 500, 503), { nil: undefined }),
      code: fc.option(fc.constantFrom('ECONNRESET', 'NotFound', 'x'), { nil: undefined }),
    })
    .map(({ name, status, code }) =>
      Object.assign(new Error(`injected ${name}`), {
        name,
        ...(status !== undefined && { $metadata: { httpStatusCode: status } }),
        ...(code && { code }),
      }),
    ),
  fc.constantFrom<unknown>('a string', 42, null, undefined, { Code: 'NotFound' }, { name: 'ResourceNotFoundException' }, []),
  fc.constantFrom<unknown>('ETIMEDOUT', 10n, false, REVOKED, THROWING),
);

function entry(response: fc.Arbitrary<unknown>): fc.Arbitrary<Entry> {
  return fc.oneof(
    {
      weight: 16,
      arbitrary: fc.record({
        kind: fc.constant('page' as const),
        value: response,
        via: fc.constantFrom('of' as const, 'promise' as const, 'array' as const, 'later' as const, 'endless' as const),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('error' as const),
        error: anyError,
        via: fc.constantFrom('throwError' as const, 'reject' as const, 'throw' as const),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'empty' as const }) },
  );
}

/** What a send returns for an entry; `injected` collects the errors it fails with. */
function deliver(e: Entry, injected: Set<unknown>): ObservableInput<unknown> {
  switch (e.kind) {
    case 'page': {
      const value = materialize(e.value, injected);
      if (e.via === 'of') return of(value);
      // A Promise resolved with a revoked Proxy reads its `then`: that rejects with a TypeError.
      if (e.via === 'promise') return Promise.resolve(value);
      if (e.via === 'array') return [value];
      if (e.via === 'endless') return endless(value);
      return new Promise((resolve) => setTimeout(() => resolve(value), 0));
    }
    case 'error': {
      const error = materialize(e.error, injected);
      injected.add(error);
      if (e.via === 'throwError') return throwError(() => error);
      if (e.via === 'reject') return Promise.reject(error);
      throw error;
    }
    case 'empty':
      return EMPTY;
  }
}

/** A synchronous Observable that emits `value` for as long as it is listened to (bounded, so a drain ends and is counted). */
function endless(value: unknown): Observable<unknown> {
  return new Observable((subscriber) => {
    let emitted = 0;
    while (!subscriber.closed && emitted < 10_000) {
      emitted++;
      subscriber.next(value);
    }
    if (emitted > 1) drained++;
  });
}

// ---- paginator specs ------------------------------------------------------

/** A valid spec and the response paths it reads. */
interface Shape {
  readonly spec: PaginatorSpec;
  readonly inputTokens: readonly string[];
  readonly outputPaths: readonly string[];
  readonly morePath?: string;
  readonly resultPaths: readonly string[];
  readonly nonAggregatePaths: readonly string[];
}

const shape: fc.Arbitrary<Shape> = fc
  .record({
    tokens: fc.integer({ min: 1, max: 3 }),
    nested: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    more: fc.constantFrom(undefined, 'More', 'Meta.More'),
    results: fc.uniqueArray(fc.constantFrom('Items', 'Data.Items', 'Count', 'Data.Count', 'Names'), { maxLength: 3 }),
    // 'Data' with 'Data.Info' included: a key beneath another must not be written into the page.
    nonAggregate: fc.uniqueArray(fc.constantFrom('Info', 'Data.Info', 'Data', 'Meta', 'Consumed'), { maxLength: 3 }),
    limit: fc.boolean(),
    list: fc.boolean(),
  })
  .map(({ tokens, nested, more, results, nonAggregate, limit, list }) => {
    const inputTokens = Array.from({ length: tokens }, (_, i) => `Token${i}`);
    const outputPaths = inputTokens.map((_, i) => (nested[i] ? `Meta.Next${i}` : `Next${i}`));
    const spec: PaginatorSpec = {
      input_token: tokens === 1 && !list ? inputTokens[0]! : inputTokens,
      output_token: tokens === 1 && !list ? outputPaths[0]! : outputPaths,
      ...(limit && { limit_key: 'Limit' }),
      ...(more && { more_results: more }),
      ...(results.length > 0 && { result_key: results.length === 1 && !list ? results[0]! : results }),
      ...(nonAggregate.length > 0 && { non_aggregate_keys: nonAggregate }),
    };
    return {
      spec,
      inputTokens,
      outputPaths,
      ...(more && { morePath: more }),
      resultPaths: results,
      nonAggregatePaths: nonAggregate,
    };
  });

/** Starting tokens: ours, botocore's deprecated form, base64 of any JSON, and garbage. */
function startingToken(s: Shape): fc.Arbitrary<string> {
  const ours = fc
    .record({
      tokens: fc.tuple(...s.inputTokens.map(() => fc.oneof(fc.constant(MISSING), json))),
      truncate: fc.oneof(fc.constant(MISSING), fc.nat(20), fc.constantFrom(-1, 1.5, 2 ** 53, 1e300, '3', null)),
    })
    .map(({ tokens, truncate }) => {
      const dict: Record<string, unknown> = {};
      s.inputTokens.forEach((name, i) => tokens[i] !== MISSING && (dict[name] = tokens[i]));
      if (truncate !== MISSING) dict.boto_truncate_amount = truncate;
      return encodeResumeToken(dict);
    });
  const base64Json = json.map((value) => Buffer.from(JSON.stringify(value) ?? 'null').toString('base64'));
  const deprecated = fc
    .array(fc.constantFrom('a', 'None', '', '3', '-1', 'x_y'), { minLength: 1, maxLength: 5 })
    .map((parts) => parts.join('___'));
  return fc.oneof(ours, base64Json, deprecated, fc.string(), fc.base64String());
}

const pageSize = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 50 }) },
  { weight: 1, arbitrary: fc.constantFrom<number | string>(0, -1, 1.5, NaN, Infinity, '10', 'x') },
);
const maxItems = fc.oneof(
  { weight: 4, arbitrary: fc.nat(30) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 2.5, NaN, Infinity, 1e300) },
);

/** Absent two times out of three: each option that is set tends to end a run early. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 2, arbitrary: fc.constant(MISSING) }, { weight: 1, arbitrary });

interface Case {
  shape: Shape;
  entries: Entry[];
  options: PaginateOptions;
}

const paginationCase: fc.Arbitrary<Case> = shape.chain((s) =>
  fc.record({
    shape: fc.constant(s),
    entries: fc.array(entry(page(s)), { minLength: 1, maxLength: 8 }),
    options: fc
      .record({
        // Without a limit_key, a pageSize is an error: now and then.
        pageSize: s.spec.limit_key
          ? sometimes(pageSize)
          : fc.oneof({ weight: 9, arbitrary: fc.constant(MISSING) }, { weight: 1, arbitrary: fc.constant(10) }),
        maxItems: sometimes(maxItems),
        startingToken: sometimes(startingToken(s)),
        retry: sometimes(fc.record({ retries: fc.nat(3) }).map((r) => ({ ...r, delay: () => 0 }))),
      })
      .map((options) => Object.fromEntries(Object.entries(options).filter(([, v]) => v !== MISSING)) as PaginateOptions),
  }),
);

// ---- running a stream to its end ------------------------------------------

interface Ending<T> {
  values: T[];
  outcome: 'complete' | 'error' | 'looped' | 'hung';
  error?: unknown;
  sends: number;
  injected: Set<unknown>;
}

/**
 * Subscribes with a send that answers `entries` in order, repeating the last
 * one forever; more than `cap` sends and the run is stopped as a loop.
 */
function drive<T>(
  make: (send: Send<unknown, unknown>) => Observable<T>,
  entries: readonly Entry[],
  cap: number,
): Promise<Ending<T>> {
  return new Promise((resolve) => {
    const ending: Ending<T> = { values: [], outcome: 'hung', sends: 0, injected: new Set() };
    drained = 0;
    let done = false;
    const finish = (outcome: Ending<T>['outcome'], error?: unknown) => {
      if (done) return;
      done = true;
      clearTimeout(watchdog);
      subscription?.unsubscribe();
      resolve({ ...ending, outcome, ...(outcome === 'error' && { error }) });
    };
    const watchdog = setTimeout(() => finish('hung'), 3000);
    const send: Send<unknown, unknown> = () => {
      if (++ending.sends > cap) {
        queueMicrotask(() => finish('looped'));
        return new Promise(() => undefined);
      }
      return deliver(entries[Math.min(ending.sends, entries.length) - 1]!, ending.injected);
    };
    // Not const: finish() may run inside subscribe(), before the assignment.
    // eslint-disable-next-line prefer-const
    let subscription: { unsubscribe(): void } | undefined;
    subscription = make(send).subscribe({
      next: (value) => ending.values.push(value),
      error: (error) => finish('error', error),
      complete: () => finish('complete'),
    });
    if (done) subscription.unsubscribe();
  });
}

/** How runs ended, printed with FUZZ_FIGURES=1. */
const tally = new Map<string, number>();
function count(what: string): void {
  tally.set(what, (tally.get(what) ?? 0) + 1);
}
afterAll(() => {
  if (process.env.FUZZ_FIGURES) console.log(JSON.stringify(Object.fromEntries([...tally].sort()), null, 1));
});

/** The class of an ending, for the tally. */
function classify(ending: Ending<unknown>, what: string): void {
  if (ending.outcome !== 'error')
    return count(`${what} ${ending.outcome} (${ending.values.length > 1 ? 'several values' : `${ending.values.length} value`})`);
  const { error } = ending;
  if (ending.injected.has(error)) return count(`${what} error: the injected one`);
  if (isRevocation(error)) return count(`${what} error: a revoked Proxy's own`);
  const message = String((error as Error).message)
    .replace(/[:(].*$/s, '')
    .slice(0, 60);
  count(`${what} ${(error as Error).name}: ${message}`);
}

/** An ending a caller can handle: completion, a typed error that says something, or the injected error itself. */
function expectHandled(ending: Ending<unknown>, cap: number): void {
  // No response may reach Object.prototype.
  expect(Object.keys(Object.prototype)).toEqual([]);
  if (ending.outcome === 'looped') throw new Error(`more than ${cap} sends: pagination did not stop`);
  if (ending.outcome === 'hung') throw new Error('the stream neither completed nor errored within 3 s');
  expect(drained).toBe(0);
  expect(ending.sends).toBeLessThanOrEqual(cap);
  if (ending.outcome === 'error') {
    const { error } = ending;
    if (ending.injected.has(error) || isRevocation(error)) return;
    if (!(error instanceof PaginationError) && !(error instanceof SpecError)) {
      throw new Error(`the stream failed with an untyped error: ${String((error as Error)?.stack ?? error)}`);
    }
    expect(error.message).toMatch(/\w/);
  }
}

/** Options are checked when paginate is called: a bad one (pageSize without a limit_key, maxItems NaN) is a SpecError naming it. */
function refusedOptions(call: () => unknown): boolean {
  try {
    call();
    return false;
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).field).toMatch(/^options\./);
    return true;
  }
}

/** A resume token the library handed out must be one it accepts as a starting token. */
function expectUsable(token: unknown, inputTokens: readonly string[]): void {
  if (token === undefined) return;
  expect(typeof token).toBe('string');
  expect(() => decodeStartingToken(token as string, inputTokens)).not.toThrow();
}

describe('random responses, specs and options (fast-check)', () => {
  test(`paginate ends in pages or a typed error, never loops (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(paginationCase, async ({ shape: s, entries, options }) => {
        deepFreeze(entries);
        const input = deepFreeze({ Keep: 'me' });
        if (refusedOptions(() => paginate(s.spec, () => EMPTY, input, options))) return;
        const cap = entries.length + (options.retry?.retries ?? 0) + 2;
        const ending = await drive((send) => paginate(s.spec, send, input, options), entries, cap);
        classify(ending, 'paginate');
        expectHandled(ending, cap);
        for (const value of ending.values) expectUsable(resumeTokenOf(value), s.inputTokens);
        if (ending.outcome === 'error') expectUsable(resumeTokenOf(ending.error), s.inputTokens);
      }),
      params,
    );
  });

  test(`fullResult ends in one result or a typed error, never loops (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(paginationCase, async ({ shape: s, entries, options }) => {
        // Own "__proto__" members (hostile JSON) included: they must never reach Object.prototype.
        deepFreeze(entries);
        if (refusedOptions(() => fullResult(s.spec, () => EMPTY, {}, options))) return;
        const cap = entries.length + (options.retry?.retries ?? 0) + 2;
        const ending = await drive((send) => fullResult(s.spec, send, {}, options), entries, cap);
        classify(ending, 'fullResult');
        expectHandled(ending, cap);
        if (ending.outcome === 'complete') {
          expect(ending.values).toHaveLength(1);
          expectUsable(ending.values[0]!.NextToken, s.inputTokens);
        }
      }),
      params,
    );
  });

  test('a service that repeats its last page forever is stopped by the cycle detector', async () => {
    const spec = { input_token: 'NextToken', output_token: 'NextToken', result_key: 'Items' };
    // Pages 1..3, then page 3 again and again: its token comes back.
    const entries: Entry[] = [1, 2, 3].map((n) => ({ kind: 'page', value: { Items: [n], NextToken: `t${n}` }, via: 'of' }));
    const ending = await drive((send) => paginate(spec, send, {}), entries, 10);
    expect(ending.outcome).toBe('error');
    expect(ending.error).toBeInstanceOf(PaginationError);
    expect((ending.error as Error).message).toBe('The same next token was received twice: {"NextToken":"t3"}');
    expect(ending.sends).toBe(4);
    expect(ending.values.map((p) => (p as { Items: number[] }).Items[0])).toEqual([1, 2, 3, 3]);
  });
});

describe('what the fuzzing once found', () => {
  // non_aggregate_keys ['Data', 'Data.Info']: the value of 'Data' once was the page's own object,
  // and 'Data.Info' was then written into it, i.e. into the page.
  const spec: PaginatorSpec = {
    input_token: 'NextToken',
    output_token: 'NextToken',
    result_key: 'Items',
    non_aggregate_keys: ['Data', 'Data.Info'],
  };

  test('fullResult never writes into the page when one non-aggregate key lies beneath another', async () => {
    const page = { Items: [1], Data: { Other: 1 } };
    const result = await lastValueFrom(fullResult(spec, () => of(page), {}));
    expect(result).toEqual({ Items: [1], Data: { Other: 1, Info: null } });
    expect(page).toEqual({ Items: [1], Data: { Other: 1 } });
  });

  // A non-aggregate value with an own "__proto__" member (what JSON.parse makes of one) was once
  // merged by plain assignment, writing the member's contents into Object.prototype.
  test('fullResult never lets a response pollute Object.prototype through a non-aggregate key', async () => {
    const polluting: PaginatorSpec = {
      input_token: 'NextToken',
      output_token: 'NextToken',
      result_key: 'Items',
      non_aggregate_keys: ['Info'],
    };
    const page: unknown = JSON.parse('{"Items": [1], "Info": {"__proto__": {"pollutedByResponse": true}, "a": 1}}');
    try {
      const result = await lastValueFrom(fullResult(polluting, () => of(page), {}));
      expect(({} as Record<string, unknown>).pollutedByResponse).toBeUndefined();
      expect(result).toEqual(page);
    } finally {
      delete (Object.prototype as Record<string, unknown>).pollutedByResponse;
    }
  });

  // Copying a result key's object must keep an own "__proto__" member a member, not a prototype.
  test('fullResult keeps an own "__proto__" member of an object result key', async () => {
    const objects: PaginatorSpec = { input_token: 'NextToken', output_token: 'NextToken', result_key: 'Stats' };
    const page: unknown = JSON.parse('{"Stats": {"__proto__": {"x": 1}, "a": 1}}');
    const result = await lastValueFrom(fullResult(objects, () => of(page), {}));
    expect(Object.getOwnPropertyNames((result as { Stats: object }).Stats)).toEqual(['__proto__', 'a']);
  });

  test('fullResult works on a frozen page with one non-aggregate key beneath another', async () => {
    const page = deepFreeze({ Items: [1], Data: { Info: 'i' } });
    await expect(lastValueFrom(fullResult(spec, () => of(page), {}))).resolves.toEqual({ Items: [1], Data: { Info: 'i' } });
  });
});

// ---- waiters ---------------------------------------------------------------

const ARGUMENTS = [
  'Status',
  'Table.TableStatus',
  'Items[].State',
  'length(Items)',
  'Items[0].State',
  'contains(Names, `"a"`)',
  '@',
  'Items[?State==`"ok"`] | length(@) > `0`',
];
const EXPECTED = fc.oneof(fc.constantFrom<unknown>('ACTIVE', 'ok', 'failed', true, false, 0, 1, 2, null, 'a'), json);

const botocoreAcceptor: fc.Arbitrary<AcceptorSpec> = fc.oneof(
  fc.record({
    state: fc.constantFrom('success' as const, 'failure' as const, 'retry' as const),
    matcher: fc.constantFrom('path' as const, 'pathAll' as const, 'pathAny' as const),
    argument: fc.constantFrom(...ARGUMENTS),
    expected: EXPECTED,
  }),
  fc.record({
    state: fc.constantFrom('success' as const, 'failure' as const, 'retry' as const),
    matcher: fc.constant('status' as const),
    expected: fc.constantFrom(200, 400, 404, 500),
  }),
  fc.record({
    state: fc.constantFrom('success' as const, 'failure' as const, 'retry' as const),
    matcher: fc.constant('error' as const),
    expected: fc.constantFrom<string | boolean>('ResourceNotFoundException', 'ThrottlingException', 'NotFound', true, false),
  }),
);

const smithyAcceptor: fc.Arbitrary<SmithyAcceptorSpec> = fc.record({
  state: fc.constantFrom('success' as const, 'failure' as const, 'retry' as const),
  matcher: fc.oneof(
    fc.record({
      output: fc.record({
        path: fc.constantFrom(...ARGUMENTS),
        expected: fc.constantFrom('ACTIVE', 'ok', 'true', 'false', 'a'),
        comparator: fc.constantFrom(
          'stringEquals' as const,
          'booleanEquals' as const,
          'allStringEquals' as const,
          'anyStringEquals' as const,
        ),
      }),
    }),
    fc.record({ success: fc.boolean() }),
    fc.record({ errorType: fc.constantFrom('ResourceNotFoundException', 'com.amazonaws#NotFound', 'ThrottlingException') }),
  ),
});

const waiterSpec: fc.Arbitrary<WaiterSpec | SmithyWaiterSpec> = fc.oneof(
  fc.record({
    delay: fc.constant(0),
    maxAttempts: fc.integer({ min: 1, max: 6 }),
    acceptors: fc.array(botocoreAcceptor, { minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    minDelay: fc.constant(0.001),
    maxDelay: fc.constant(0.004),
    acceptors: fc.array(smithyAcceptor, { minLength: 1, maxLength: 4 }),
  }),
);

const waiterResponse = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      {
        Status: EXPECTED,
        Table: fc.oneof(fc.record({ TableStatus: fc.constantFrom('ACTIVE', 'CREATING', 'DELETING') }), json),
        Items: fc.oneof(fc.array(fc.record({ State: fc.constantFrom('ok', 'failed', 'pending') }), { maxLength: 3 }), json),
        Names: fc.oneof(fc.array(fc.constantFrom('a', 'b'), { maxLength: 3 }), json),
        $metadata: fc.oneof(fc.record({ httpStatusCode: fc.constantFrom(200, 404, 500) }), json),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: notAnObject },
);

const waitOptions: fc.Arbitrary<WaitForOptions> = fc.record(
  {
    maxAttempts: fc.integer({ min: 1, max: 6 }),
    maxWaitTime: fc.constantFrom(0, 0.005, 0.02),
    backoff: fc.constantFrom('fixed' as const, 'exponential' as const),
    delay: fc.constantFrom(0, 0.001),
  },
  { requiredKeys: [] },
);

describe('random waiter responses and errors (fast-check)', () => {
  test(`waitFor ends in a value or a WaiterError, within maxAttempts (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        waiterSpec,
        fc.array(entry(waiterResponse), { minLength: 1, maxLength: 8 }),
        waitOptions,
        async (spec, entries, options) => {
          deepFreeze(entries);
          try {
            // Options are checked up front: a wait that could never end (no maxAttempts, no
            // maxWaitTime), or exponential backoff without a delay, is a SpecError here.
            waitFor(spec, () => EMPTY, { TableName: 't' }, options);
          } catch (error) {
            expect(error).toBeInstanceOf(SpecError);
            return;
          }
          const maxAttempts = options.maxAttempts ?? ('maxAttempts' in spec ? spec.maxAttempts : Infinity);
          const cap = Number.isFinite(maxAttempts) ? maxAttempts : 50;
          const ending = await drive((send) => waitFor(spec, send, { TableName: 't' }, options), entries, cap);
          classify(ending, 'waitFor');
          if (ending.outcome === 'looped') throw new Error(`more than ${cap} attempts`);
          if (ending.outcome === 'hung') throw new Error('the wait neither succeeded nor failed within 3 s');
          expect(drained).toBe(0);
          if (ending.outcome === 'complete') {
            expect(ending.values).toHaveLength(1);
            return;
          }
          const { error } = ending;
          // What a hostile response throws when an acceptor reads it ends the wait as it is.
          if (ending.injected.has(error) || isRevocation(error)) return;
          if (!(error instanceof WaiterError))
            throw new Error(
              `the wait failed with something else than a WaiterError: ${String((error as Error)?.stack ?? error)}`,
            );
          expect(['failure', 'timeout', 'error']).toContain(error.kind);
          expect(error.attempts).toBe(ending.sends);
          expect(error.message).toMatch(/\w/);
        },
      ),
      params,
    );
  });
});

// ---- starting tokens -------------------------------------------------------

describe('starting tokens that do not fit', () => {
  const listTables: PaginatorSpec = {
    input_token: 'ExclusiveStartTableName',
    output_token: 'LastEvaluatedTableName',
    result_key: 'TableNames',
  };
  const twoTokens: PaginatorSpec = {
    input_token: ['Marker', 'Prefix'],
    output_token: ['NextMarker', 'NextPrefix'],
    result_key: 'Items',
  };
  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

  /** The first request paginate sends with `startingToken`, or the error it ends with before sending. */
  async function start(
    spec: PaginatorSpec,
    startingToken: string,
  ): Promise<{ request?: Record<string, unknown>; error?: unknown }> {
    let request: Record<string, unknown> | undefined;
    const send: Send<Record<string, unknown>, unknown> = (input) => {
      request = input;
      return of({});
    };
    try {
      await new Promise<void>((resolve, reject) =>
        paginate(spec, send, { TableName: 't' }, { startingToken }).subscribe({ error: reject, complete: resolve }),
      );
      return { request: request! };
    } catch (error) {
      return { error, ...(request && { request }) };
    }
  }

  async function rejected(spec: PaginatorSpec, startingToken: string): Promise<PaginationError> {
    const { error, request } = await start(spec, startingToken);
    expect(request).toBeUndefined(); // nothing was sent
    expect(error).toBeInstanceOf(PaginationError);
    return error as PaginationError;
  }

  test.each([
    [
      'valid JSON with a key this paginator does not have',
      b64('{"Marker": "x"}'),
      /^Bad starting token: unexpected key\(s\) "Marker"; this paginator's input tokens are "ExclusiveStartTableName"$/,
    ],
    [
      'a token from another paginator (Scan to ListTables)',
      encodeResumeToken({ ExclusiveStartKey: { pk: { S: 'a' } } }),
      /unexpected key\(s\) "ExclusiveStartKey"; this paginator's input tokens are "ExclusiveStartTableName"/,
    ],
    [
      'a negative boto_truncate_amount',
      encodeResumeToken({ ExclusiveStartTableName: 't', boto_truncate_amount: -1 }),
      /^Bad starting token: the truncate amount must be a non-negative integer, not -1$/,
    ],
    [
      'a huge boto_truncate_amount',
      b64('{"ExclusiveStartTableName": "t", "boto_truncate_amount": 1e300}'),
      /truncate amount must be a non-negative integer, not 1e\+300/,
    ],
    [
      'a boto_truncate_amount past 2^53',
      b64('{"ExclusiveStartTableName": "t", "boto_truncate_amount": 9007199254740993}'),
      /truncate amount must be a non-negative integer, not 9007199254740992/,
    ],
    [
      'a fractional boto_truncate_amount',
      b64('{"ExclusiveStartTableName": "t", "boto_truncate_amount": 1.5}'),
      /truncate amount must be a non-negative integer, not 1.5/,
    ],
    [
      'a boto_truncate_amount that is a string',
      b64('{"ExclusiveStartTableName": "t", "boto_truncate_amount": "3"}'),
      /truncate amount must be a non-negative integer, not "3"/,
    ],
    [
      'boto_encoded_keys that are not paths',
      b64('{"ExclusiveStartTableName": "t", "boto_encoded_keys": "t"}'),
      /boto_encoded_keys must be a list of paths, not "t"/,
    ],
    [
      'boto_encoded_keys naming a missing member',
      b64('{"boto_encoded_keys": [["Nope"]]}'),
      /boto_encoded_keys path \["Nope"\] does not exist in the token/,
    ],
    [
      'too many ___ parts for the input tokens',
      'a___b___c',
      /"a___b___c" has 3 "___"-separated parts but the input tokens are only "ExclusiveStartTableName"/,
    ],
  ])('%s: a PaginationError that says so, and nothing is sent', async (_, startingToken, message) => {
    const error = await rejected(listTables, startingToken);
    expect(error.message).toMatch(message);
  });

  test('a Scan token given to a two-token paginator names both sides', async () => {
    const error = await rejected(twoTokens, encodeResumeToken({ ExclusiveStartKey: { pk: { S: 'a' } } }));
    expect(error.message).toBe(
      'Bad starting token: unexpected key(s) "ExclusiveStartKey"; this paginator\'s input tokens are "Marker", "Prefix"',
    );
  });

  test.each([
    ['garbage', '%%% not a token'],
    ['base64 cut short (not clean base64)', encodeResumeToken({ ExclusiveStartTableName: 'abc' }).slice(0, -3)],
    ['clean base64 of broken JSON', b64('{"ExclusiveStartTableName": "ab')],
    ['clean base64 of a JSON list', b64('["ExclusiveStartTableName"]')],
    ['clean base64 of a JSON string', b64('"x"')],
    ['invalid UTF-8 inside clean base64', Buffer.from([0x7b, 0xff, 0x7d]).toString('base64')],
  ])(
    "%s: not botocore's format, so it is the service's own token and sent as is (README: deliberate difference 8)",
    async (_, startingToken) => {
      const { request, error } = await start(listTables, startingToken);
      expect(error).toBeUndefined();
      expect(request).toEqual({ TableName: 't', ExclusiveStartTableName: startingToken });
    },
  );

  test('a token of the same input token name from another paginator cannot be told apart (Scan to Query)', async () => {
    const query: PaginatorSpec = { input_token: 'ExclusiveStartKey', output_token: 'LastEvaluatedKey', result_key: 'Items' };
    const token = encodeResumeToken({ ExclusiveStartKey: { pk: { S: 'a' } } });
    const { request } = await start(query, token);
    expect(request).toEqual({ TableName: 't', ExclusiveStartKey: { pk: { S: 'a' } } });
  });

  test(`any string as a starting token: sent as the service's token or a PaginationError naming the problem (fast-check, ${RUNS} runs)`, async () => {
    const shapes = [listTables, twoTokens];
    const anyToken = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.base64String(),
      json.map((value) => b64(JSON.stringify(value) ?? 'null')),
      fc
        .dictionary(
          fc.constantFrom('Marker', 'Prefix', 'ExclusiveStartTableName', 'boto_truncate_amount', 'boto_encoded_keys', 'Other'),
          json,
          { maxKeys: 3 },
        )
        .map((d) => b64(JSON.stringify(d))),
      fc
        .array(fc.constantFrom('a', 'None', '', '7', '-1', '١٢'), { minLength: 1, maxLength: 4 })
        .map((parts) => parts.join('___')),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...shapes), anyToken, async (spec, startingToken) => {
        const { request, error } = await start(spec, startingToken);
        if (error === undefined) {
          expect(request).toBeDefined();
          return;
        }
        expect(error).toBeInstanceOf(PaginationError);
        expect((error as Error).message).toMatch(/^Bad starting token: \S/);
        expect(request).toBeUndefined();
      }),
      params,
    );
  });
});

describe('hostile service tokens (fast-check)', () => {
  // Token values JSON cannot hold, or that break naive code: each ends the stream in pages or a PaginationError
  // naming the fault, never a RangeError or a TypeError; every resume token handed out resumes where it says.
  const cyclic = (): unknown => {
    const loop: Record<string, unknown> = { pk: 'a' };
    loop['self'] = loop;
    return loop;
  };
  const deep = (levels: number): unknown => {
    let value: unknown = 'bottom';
    for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { d: value };
    return value;
  };
  const HUGE_TOKEN = 'h'.repeat(6_000_000);
  const hostile = fc.oneof(
    fc.bigInt(),
    fc.constantFrom(NaN, Infinity, -Infinity),
    fc.constant(null).map(cyclic),
    fc.constantFrom(200_000, 600, 512, 100).map(deep),
    fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }).map((items) => new Set(items)),
    fc.array(fc.tuple(fc.string({ maxLength: 2 }), fc.integer()), { maxLength: 3 }).map((entries) => new Map(entries)),
    fc.constant(HUGE_TOKEN),
    fc.constantFrom(new Date(0), () => 1, Symbol('s')),
    fc.dictionary(fc.constantFrom('pk', '$bytes', 'sk'), fc.constantFrom(NaN, 1n, 'x', null), { maxKeys: 3 }),
  );

  test(`paginate and fullResult end in pages or a PaginationError; resume tokens resume (${Math.min(RUNS, 60)} runs)`, async () => {
    const spec = { input_token: 'NextToken', output_token: 'NextToken', result_key: 'Items' };
    await fc.assert(
      fc.asyncProperty(hostile, fc.boolean(), async (token, repeat) => {
        // Page 1 hands out the hostile token; then either the same token again (a cycle) or the end.
        const entries: Entry[] = [
          { kind: 'page', value: { Items: [1], NextToken: token }, via: 'of' },
          { kind: 'page', value: repeat ? { Items: [2], NextToken: token } : { Items: [2] }, via: 'of' },
          { kind: 'page', value: { Items: [3] }, via: 'of' },
        ];
        for (const folded of [false, true]) {
          const ending = await drive<unknown>(
            (send) => (folded ? fullResult(spec, send, {}, { maxItems: 1 }) : paginate(spec, send, {})),
            entries,
            5,
          );
          classify(ending, 'hostile token');
          expectHandled(ending, 5);
          for (const value of [...ending.values, ending.error]) {
            let resume: string | undefined;
            try {
              resume = folded && value !== ending.error ? (value as { NextToken?: string }).NextToken : resumeTokenOf(value);
            } catch (error) {
              // A token json.dumps cannot write (a Set, a cycle, ...) cannot be a resume token: said so.
              expect(error).toBeInstanceOf(PaginationError);
              expect((error as Error).message).toMatch(/^The resume token cannot be written: its member NextToken/);
              continue;
            }
            if (resume === undefined) continue;
            const { tokens } = decodeStartingToken(resume, ['NextToken']);
            // A BigInt comes back as a number, as from Python's json.
            const asRead = (v: unknown): unknown =>
              typeof v === 'bigint'
                ? Number(v)
                : Array.isArray(v)
                  ? v.map(asRead)
                  : typeof v === 'object' && v !== null
                    ? Object.fromEntries(Object.entries(v).map(([k, m]) => [k, asRead(m)]))
                    : v;
            expect(tokens['NextToken']).toEqual(asRead(token));
          }
        }
      }),
      { ...params, numRuns: Math.min(RUNS, 60) },
    );
  });

  test('a hostile token is named in the PaginationError, where it cannot be compared', async () => {
    const spec = { input_token: 'NextToken', output_token: 'NextToken', result_key: 'Items' };
    const cases: [unknown, RegExp][] = [
      [cyclic(), /^The next token cannot be used: its member NextToken.self refers to itself \(a cycle\)$/],
      [deep(200_000), /^The next token cannot be used: its member NextToken\[0\]\.d\S*…\S* nests deeper than 512 levels$/],
      [() => 1, /^The next token cannot be used: its member NextToken is a function/],
    ];
    for (const [token, message] of cases) {
      const entries: Entry[] = [{ kind: 'page', value: { Items: [1], NextToken: token }, via: 'of' }];
      const ending = await drive((send) => paginate(spec, send, {}), entries, 3);
      expect(ending.error).toBeInstanceOf(PaginationError);
      expect((ending.error as Error).message).toMatch(message);
    }
  });
});

/**
 * The full evaluator (`useFullJmespath()`, and always `search()`): bounded in the work one
 * evaluation may do, with the dependency's quadratic trims replaced by linear ones.
 */
import fc from 'fast-check';
import { lastValueFrom, of, toArray } from 'rxjs';
import { search as jmespathSearch } from '@jmespath-community/jmespath';
import { fullJmespath, JMESPATH_STEP_LIMIT } from '../../src/specs/fullJmespath';
import { paginate, search, SpecError, waitFor, WaiterError } from '../../src';

// Every `[].[@,@]` doubles the list: 2^21 results from a one-item page.
const EXPONENTIAL = `Items${'[].[@,@]'.repeat(21)}[]`;
const page = { Items: [1] };

/** The error `run` throws, or fails the test. */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('fullJmespath', () => {
  it('evaluates what a plain path cannot: projections, filters, functions, let', () => {
    const data = { Reservations: [{ Instances: [{ State: { Name: 'running' } }, { State: { Name: 'stopped' } }] }] };
    expect(fullJmespath.compile('Reservations[].Instances[].State.Name', 'x').search(data)).toEqual(['running', 'stopped']);
    expect(fullJmespath.compile("length(Reservations[].Instances[?State.Name == 'running'][])", 'x').search(data)).toBe(1);
    expect(fullJmespath.compile('let $r = Reservations in $r[0].Instances[0].State.Name', 'x').search(data)).toBe('running');
  });

  it('answers null for a JMESPath type error, like a missing member', () => {
    expect(fullJmespath.compile('length(Missing)', 'x').search({})).toBeNull();
  });

  it('refuses an expression that does not parse, naming the field', () => {
    const error = thrown(() => fullJmespath.compile('Items[', 'output_token'));
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).field).toBe('output_token');
    expect((error as SpecError).problem).toMatch(/^invalid JMESPath expression "Items\[": /);
  });

  describe('bounds the work of one evaluation', () => {
    it('stops an expression whose result doubles at every step, with a SpecError naming the field and the expression', () => {
      const error = thrown(() => fullJmespath.compile(EXPONENTIAL, 'acceptors[0].argument').search(page));
      expect(error).toBeInstanceOf(SpecError);
      expect((error as SpecError).field).toBe('acceptors[0].argument');
      expect((error as SpecError).problem).toBe(
        `evaluating ${JSON.stringify(EXPONENTIAL)} took more than ${JMESPATH_STEP_LIMIT} steps of work on one value; ` +
          'the expression grows its result without bound',
      );
    });

    it('counts the work done inside a let expression too', () => {
      const expression = `let $a = Items in $a${'[].[@,@]'.repeat(21)}[]`;
      expect(thrown(() => fullJmespath.compile(expression, 'x').search(page))).toBeInstanceOf(SpecError);
    });

    it('lets a large but linear evaluation through, and starts every evaluation afresh', () => {
      const items = Array.from({ length: 100_000 }, (_, i) => ({ id: i, tags: [{ k: 'a' }] }));
      const ids = fullJmespath.compile('Items[].id', 'x');
      for (let round = 0; round < 3; round++) expect((ids.search({ Items: items }) as unknown[]).length).toBe(100_000);
      const doubling = fullJmespath.compile(`Items${'[].[@,@]'.repeat(12)}[]`, 'x');
      for (let round = 0; round < 3; round++) expect((doubling.search(page) as unknown[]).length).toBe(4096);
    });

    it('ends search() with the SpecError, naming the expression', async () => {
      const error = await lastValueFrom(of(page).pipe(search(EXPONENTIAL), toArray())).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SpecError);
      expect((error as SpecError).field).toBe('expression');
      expect((error as SpecError).problem).toContain(JSON.stringify(EXPONENTIAL));
    });

    it('ends a pagination and a wait with it, never the process', async () => {
      const pages = paginate({ input_token: 'NextToken', output_token: EXPONENTIAL }, () => of(page), {});
      const pagination = await lastValueFrom(pages).catch((e: unknown) => e);
      expect(pagination).toBeInstanceOf(SpecError);
      expect((pagination as SpecError).field).toBe('output_token');
      const waiter = {
        delay: 1,
        maxAttempts: 1,
        acceptors: [{ matcher: 'pathAny' as const, argument: EXPONENTIAL, expected: 1, state: 'success' as const }],
      };
      const wait = await lastValueFrom(waitFor(waiter, () => of(page), {})).catch((e: unknown) => e);
      expect(wait).toBeInstanceOf(SpecError);
      expect((wait as SpecError).field).toBe('acceptors[0].argument');
    });

    it('keeps a failure message that exceeds it from hiding the failure', async () => {
      const spec = {
        acceptors: [
          {
            state: 'failure' as const,
            matcher: { output: { path: 'Status', comparator: 'stringEquals' as const, expected: 'BAD' } },
            message: EXPONENTIAL,
          },
          { state: 'success' as const, matcher: { success: true } },
        ],
      };
      const error = await lastValueFrom(waitFor(spec, () => of({ ...page, Status: 'BAD' }), {}, { maxWaitTime: 60 })).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WaiterError);
      expect((error as WaiterError).kind).toBe('failure');
      expect((error as WaiterError).message).toBe(
        'Waiter encountered a terminal failure state: For expression "Status" the stringEquals comparator matched expected "BAD"',
      );
    });
  });

  describe('trim, trim_left, trim_right', () => {
    const chars = fc.constantFrom(' ', '\t', '\n', '\u0085', '\u00a0', 'a', 'b', '-', ']', '\\', '^');
    const text = fc.array(chars, { maxLength: 20 }).map((list) => list.join(''));

    it.each(['trim', 'trim_left', 'trim_right'])('%s answers as the dependency does, with and without its characters', (name) => {
      fc.assert(
        fc.property(text, fc.option(text, { nil: undefined }), (subject, set) => {
          const expression = set === undefined ? `${name}(@)` : `${name}(@, \`${JSON.stringify(set)}\`)`;
          expect(fullJmespath.compile(expression, 'x').search(subject)).toBe(jmespathSearch(subject, expression));
        }),
        { numRuns: 500 },
      );
    });

    it('trims a long run of trimmed characters in one pass', () => {
      // The dependency's regular expression takes seconds on this (quadratic in the run's length).
      const subject = `x${' \t'.repeat(100_000)}y${' '.repeat(100_000)}`;
      expect(fullJmespath.compile('trim_right(@)', 'x').search(subject)).toBe(`x${' \t'.repeat(100_000)}y`);
      expect(fullJmespath.compile('trim(@)', 'x').search(` ${subject}`)).toBe(`x${' \t'.repeat(100_000)}y`);
    });
  });
});

/**
 * The full evaluator (`useFullJmespath()`, and always `search()`): bounded in the work one
 * evaluation may do, with the dependency's quadratic trims replaced by linear ones.
 */
import fc from 'fast-check';
import { lastValueFrom, of, toArray } from 'rxjs';
import { search as jmespathSearch } from '@jmespath-community/jmespath';
import { fullJmespath, JMESPATH_SIZE_LIMIT, JMESPATH_STEP_LIMIT, useFullJmespath } from '../../src/specs/fullJmespath';
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
      useFullJmespath(); // these specs are the app's own, beyond plain member paths
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
      useFullJmespath();
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

  describe('bounds the size of what one evaluation builds, reads and compares', () => {
    const sizeProblem = (expression: string) =>
      `evaluating ${JSON.stringify(expression)} built, read or compared more than ${JMESPATH_SIZE_LIMIT} characters ` +
      'and values on one value; the expression grows its result without bound';
    /** `times` doublings of `start`, each a step of `pipe` (`[@, @]`, `join('', [@, @])`). */
    const doubled = (start: string, pipe: string, times: number) => `${start} | ${`${pipe} | `.repeat(times)}@`;

    it('refuses a pad_left or pad_right wider than the limit before building it', () => {
      for (const name of ['pad_left', 'pad_right']) {
        // 200,000,000 aborted Node with heap exhaustion; the check comes before the string is built.
        const expression = `length(${name}(s, \`200000000\`, 'x'))`;
        const error = thrown(() => fullJmespath.compile(expression, 'acceptors[0].argument').search({ s: 'ab' }));
        expect(error).toBeInstanceOf(SpecError);
        expect((error as SpecError).field).toBe('acceptors[0].argument');
        expect((error as SpecError).problem).toBe(sizeProblem(expression));
      }
      expect(fullJmespath.compile("length(pad_left(s, `100000`, 'x'))", 'x').search({ s: 'ab' })).toBe(100_000);
    });

    it('stops a string doubled through replace or join, which took 27 doublings to exhaust the heap', () => {
      let nested = 's';
      for (let i = 0; i < 27; i++) nested = `replace(${nested}, 'a', 'aa')`;
      for (const expression of [
        `length(${nested})`,
        `length(${doubled('s', "replace(@, 'a', 'aa')", 27)})`,
        `length(${doubled('s', "join('', [@, @])", 27)})`,
      ]) {
        expect((thrown(() => fullJmespath.compile(expression, 'x').search({ s: 'a' })) as SpecError).problem).toBe(
          sizeProblem(expression),
        );
      }
      expect(fullJmespath.compile(`length(${doubled('s', "join('', [@, @])", 16)})`, 'x').search({ s: 'a' })).toBe(65_536);
    });

    it('counts a value reached twice twice: to_string of a list that shares its halves is refused, not written out', () => {
      // 2^24 leaves from 24 small lists: to_string would write 100 MB.
      const expression = `length(to_string(${doubled('s', '[@, @]', 24)}))`;
      expect((thrown(() => fullJmespath.compile(expression, 'x').search({ s: 'ab' })) as SpecError).problem).toBe(
        sizeProblem(expression),
      );
      // Returned as it is, 30 nested lists are 2^30 values to whoever writes the result out.
      const result = doubled('s', '[@, @]', 30);
      expect((thrown(() => fullJmespath.compile(result, 'x').search({ s: 'ab' })) as SpecError).problem).toBe(
        sizeProblem(result),
      );
      expect(fullJmespath.compile(`length(${doubled('s', '[@, @]', 30)})`, 'x').search({ s: 'ab' })).toBe(2);
    });

    it('charges what == compares: two equal values of a million leaves, compared for every item, are stopped', () => {
      const expression = `let $a = ${doubled('s', '[@, @]', 20)}, $b = ${doubled('s', '[@, @]', 20)} in Items[?$a == $b]`;
      const data = { s: 'ab', Items: Array.from({ length: 100 }, (_, i) => i) };
      expect((thrown(() => fullJmespath.compile(expression, 'x').search(data)) as SpecError).problem).toBe(
        sizeProblem(expression),
      );
      expect(fullJmespath.compile(`Items[?@ == \`3\`]`, 'x').search(data)).toEqual([3]);
    });

    it('charges a function for the strings it reads: length() of a long string for every item is stopped', () => {
      const data = { s: 'x'.repeat(1_000_000), Items: Array.from({ length: 100 }, (_, i) => i) };
      const expression = 'Items[].length($.s)';
      expect((thrown(() => fullJmespath.compile(expression, 'x').search(data)) as SpecError).problem).toBe(
        sizeProblem(expression),
      );
      expect(fullJmespath.compile('length(s)', 'x').search(data)).toBe(1_000_000);
    });

    it('lets a whole large page through: projections, to_string and filters of 1 MB', () => {
      const items = Array.from({ length: 10_000 }, (_, i) => ({ id: `item-${i}`, body: 'x'.repeat(80) }));
      const page = { Items: items };
      expect((fullJmespath.compile('Items[].id', 'x').search(page) as unknown[]).length).toBe(10_000);
      expect(fullJmespath.compile('length(to_string(Items))', 'x').search(page)).toBe(JSON.stringify(items).length);
      expect(fullJmespath.compile("length(Items[?starts_with(id, 'item-1')])", 'x').search(page)).toBe(1111);
      expect(fullJmespath.compile('length(Items[*].[id, body][])', 'x').search(page)).toBe(20_000);
    });
  });

  describe('replace', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '$', '&'), maxLength: 12 });

    it('answers as the dependency does without a count', () => {
      fc.assert(
        fc.property(text, text, text, (subject, old, replacement) => {
          const expression = `replace(@, \`${JSON.stringify(old)}\`, \`${JSON.stringify(replacement)}\`)`;
          expect(fullJmespath.compile(expression, 'x').search(subject)).toBe(jmespathSearch(subject, expression));
        }),
        { numRuns: 500 },
      );
    });

    it('with a count, replaces the first occurrences as written: $& is text, and what it inserted is not searched again', () => {
      const replace = (args: string) => fullJmespath.compile(`replace(${args})`, 'x').search(null);
      expect(replace("'aaa', 'a', 'ba', `2`")).toBe('babaa');
      expect(replace("'ab', 'a', '$&$&', `1`")).toBe('$&$&b');
      expect(replace("'abc', '', '-', `1`")).toBe('a-bc');
      expect(replace("'ab', 'a', 'b', `0`")).toBe('ab');
      // The dependency spreads an array of `count` entries first: a count of 10^9 exhausted the heap.
      expect(replace("'ab', 'a', 'aa', `1000000000`")).toBe('aab');
      expect(replace("'ab', 'a', 'b', `-1`")).toBeNull();
      fc.assert(
        fc.property(text, text, text, (subject, old, replacement) => {
          const all = `replace(@, \`${JSON.stringify(old)}\`, \`${JSON.stringify(replacement)}\``;
          expect(fullJmespath.compile(`${all}, \`100\`)`, 'x').search(subject)).toBe(
            fullJmespath.compile(`${all})`, 'x').search(subject),
          );
        }),
      );
    });
  });

  it("reads only the data's own members, as a plain path does: constructor or __proto__ of a page is null", () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(fullJmespath.compile(`${name} || 'none'`, 'x').search({})).toBe('none');
      expect(fullJmespath.compile(`a.${name}`, 'x').search({ a: {} })).toBeNull();
    }
    expect(fullJmespath.compile('"__proto__"', 'x').search(JSON.parse('{"__proto__": 1}'))).toBe(1);
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

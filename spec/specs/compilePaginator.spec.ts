import vm from 'node:vm';
import { compilePaginator } from '../../src/specs/compilePaginator';
import type { PaginatorSpec } from '../../src/specs/types';
import { expectRejected as expectSpecRejected } from '../support/specErrors';
import { useFullJmespath } from '../../src/specs/fullJmespath';

// The paginators here are the app's own, some with full JMESPath expressions: such an app opts in once.
useFullJmespath();

const expectRejected = (spec: unknown, field: string, problem: RegExp) =>
  expectSpecRejected(compilePaginator, spec, field, problem);

const base = { input_token: 'NextToken', output_token: 'NextToken' };

describe('compilePaginator', () => {
  describe('compiles', () => {
    it('string tokens into one-element lists', () => {
      const compiled = compilePaginator({ ...base, limit_key: 'MaxResults', result_key: 'Items' });
      expect(compiled.kind).toBe('paginator');
      expect(compiled.inputTokens).toEqual(['NextToken']);
      expect(compiled.outputTokens.map((e) => e.source)).toEqual(['NextToken']);
      expect(compiled.limitKey).toBe('MaxResults');
      expect(compiled.moreResults).toBeUndefined();
      expect(compiled.resultKeys.map((e) => e.source)).toEqual(['Items']);
      expect(compiled.nonAggregateKeys).toEqual([]);
    });

    it('list tokens, paired by position', () => {
      // Composite tokens, as in S3 ListObjectVersions.
      const compiled = compilePaginator({
        input_token: ['KeyMarker', 'VersionIdMarker'],
        output_token: ['NextKeyMarker', 'NextVersionIdMarker'],
        more_results: 'IsTruncated',
        result_key: ['Versions', 'DeleteMarkers'],
        non_aggregate_keys: ['Name', 'Prefix'],
      });
      expect(compiled.inputTokens).toEqual(['KeyMarker', 'VersionIdMarker']);
      expect(compiled.outputTokens.map((e) => e.source)).toEqual(['NextKeyMarker', 'NextVersionIdMarker']);
      expect(compiled.moreResults?.source).toBe('IsTruncated');
      expect(compiled.resultKeys.map((e) => e.source)).toEqual(['Versions', 'DeleteMarkers']);
      expect(compiled.nonAggregateKeys.map((e) => e.source)).toEqual(['Name', 'Prefix']);
    });

    it('a single-element token list like a string', () => {
      const compiled = compilePaginator({ input_token: ['Marker'], output_token: ['NextMarker'] });
      expect(compiled.inputTokens).toEqual(['Marker']);
      expect(compiled.outputTokens[0]?.source).toBe('NextMarker');
    });

    it('output tokens that are full JMESPath expressions', () => {
      const compiled = compilePaginator({ input_token: 'Marker', output_token: 'NextMarker || Contents[-1].Key' });
      const [token] = compiled.outputTokens;
      expect(token?.search({ NextMarker: 'n' })).toBe('n');
      expect(token?.search({ Contents: [{ Key: 'a' }, { Key: 'b' }] })).toBe('b');
      expect(token?.search({})).toBeNull();
    });

    it('expressions whose evaluation hits a JMESPath type error to null', () => {
      const compiled = compilePaginator({ ...base, more_results: 'length(Items) > `0`' });
      expect(compiled.moreResults?.search({ Items: [1] })).toBe(true);
      expect(compiled.moreResults?.search({})).toBeNull();
    });

    it('an already compiled paginator to the same object', () => {
      const compiled = compilePaginator({ ...base, result_key: 'Items' });
      expect(compilePaginator(compiled)).toBe(compiled);
      expect(compilePaginator(compilePaginator(compiled))).toBe(compiled);
    });

    it('a spec built in another realm (node:vm)', () => {
      const foreign = vm.runInNewContext('({ input_token: "Marker", output_token: "NextMarker", result_key: ["Items"] })');
      expect(compilePaginator(foreign).inputTokens).toEqual(['Marker']);
    });

    it('a spec with a null prototype', () => {
      const spec = Object.assign(Object.create(null) as object, base) as PaginatorSpec;
      expect(compilePaginator(spec).inputTokens).toEqual(['NextToken']);
    });
  });

  describe('rejects', () => {
    it.each([null, undefined, 'NextToken', 42, true, [base], new Date(), new Map()])('a spec that is %p', (spec) => {
      expectRejected(spec, 'paginator', /^expected an object, got /);
    });

    it('a class instance, saying which class rather than "got an object"', () => {
      expectRejected(new Map(Object.entries(base)), 'paginator', /^expected an object, got an instance of Map$/);
      expectRejected({ ...base, result_key: new Set(['Items']) }, 'result_key', /got an instance of Set$/);
    });

    it('unknown fields, naming them', () => {
      expectRejected({ ...base, result_keys: 'Items' }, 'result_keys', /is not a paginator field/);
      expectRejected({ ...base, InputToken: 'x' }, 'InputToken', /is not a paginator field/);
    });

    it('a JSON look-alike of a compiled paginator instead of passing it through', () => {
      expectRejected(JSON.parse(JSON.stringify(compilePaginator(base))), 'kind', /is not a paginator field/);
      expectRejected({ kind: 'paginator', outputTokens: [] }, 'kind', /is not a paginator field/);
    });

    describe('input_token', () => {
      it('when missing', () => {
        expectRejected({ output_token: 'NextToken' }, 'input_token', /expected a string or a list of strings, got nothing/);
      });
      it.each([
        [5, /got number 5/],
        [null, /got null/],
        [{ a: 1 }, /got an object/],
        [true, /got boolean true/],
      ])('when it is %p', (value, problem) => {
        expectRejected({ ...base, input_token: value }, 'input_token', problem);
      });
      it('when it is an empty list', () => {
        expectRejected({ ...base, input_token: [] }, 'input_token', /must not be an empty list/);
      });
      it('when a list item is not a string, naming the item', () => {
        expectRejected({ input_token: ['A', 5], output_token: ['A', 'B'] }, 'input_token[1]', /expected a string, got number 5/);
      });
      it('when it is empty', () => {
        expectRejected({ ...base, input_token: '' }, 'input_token', /must not be empty/);
        expectRejected({ input_token: ['A', ''], output_token: ['A', 'B'] }, 'input_token[1]', /must not be empty/);
      });
      it('when it names a member twice', () => {
        expectRejected({ input_token: ['A', 'A'], output_token: ['A', 'B'] }, 'input_token', /names a member twice/);
      });
    });

    describe('output_token', () => {
      it('when missing', () => {
        expectRejected({ input_token: 'NextToken' }, 'output_token', /expected a string or a list of strings, got nothing/);
      });
      it('when it is not a string or list', () => {
        expectRejected({ ...base, output_token: 7 }, 'output_token', /got number 7/);
      });
      it('when its count differs from input_token', () => {
        expectRejected(
          { input_token: ['A', 'B'], output_token: 'A' },
          'output_token',
          /has 1 expression\(s\) but input_token has 2; they are paired by position/,
        );
        expectRejected(
          { input_token: 'A', output_token: ['A', 'B', 'C'] },
          'output_token',
          /has 3 expression\(s\) but input_token has 1/,
        );
      });
      it('when it is not valid JMESPath', () => {
        expectRejected({ ...base, output_token: 'Next[' }, 'output_token', /invalid JMESPath expression "Next\["/);
        expectRejected(
          { input_token: ['A', 'B'], output_token: ['A', 'B.'] },
          'output_token[1]',
          /invalid JMESPath expression "B\."/,
        );
      });
      it('when it is an empty expression', () => {
        expectRejected(
          { ...base, output_token: '' },
          'output_token',
          /expected a JMESPath expression \(a non-empty string\), got ""/,
        );
      });
      it('keeps the parser error as the cause', () => {
        const error = expectRejected({ ...base, output_token: 'a ||' }, 'output_token', /invalid JMESPath expression/);
        expect(error.cause).toBeInstanceOf(Error);
      });
    });

    describe('limit_key', () => {
      it.each([5, '', null, ['Limit']])('when it is %p', (value) => {
        expectRejected({ ...base, limit_key: value }, 'limit_key', /expected a member name, got /);
      });
    });

    describe('more_results', () => {
      it('when it is not valid JMESPath', () => {
        expectRejected({ ...base, more_results: 'IsTruncated ==' }, 'more_results', /invalid JMESPath expression/);
      });
      it('when it is not a string', () => {
        expectRejected({ ...base, more_results: true }, 'more_results', /expected a JMESPath expression .*got boolean true/);
      });
    });

    describe('result_key', () => {
      it('when it is not valid JMESPath', () => {
        expectRejected({ ...base, result_key: 'Items[' }, 'result_key', /invalid JMESPath expression/);
        expectRejected({ ...base, result_key: ['Items', '&&'] }, 'result_key[1]', /invalid JMESPath expression/);
      });
      it('when it is an empty list', () => {
        expectRejected({ ...base, result_key: [] }, 'result_key', /must not be an empty list/);
      });
      it('when it is not a string or list', () => {
        expectRejected(
          { ...base, result_key: { Items: true } },
          'result_key',
          /expected a string or a list of strings, got an object/,
        );
        expectRejected({ ...base, result_key: ['Items', null] }, 'result_key[1]', /expected a string, got null/);
      });
    });

    describe('request members every object inherits, which a request would not hold as its own', () => {
      const inherited = /must not name (__proto__|constructor|toString): every object inherits it/;

      it.each(['__proto__', 'constructor', 'toString'])('input_token %p, in either form', (name) => {
        // With '__proto__', the token object the service returned became the next request's prototype.
        expectRejected({ input_token: name, output_token: 'Next' }, 'input_token', inherited);
        expectRejected({ input_token: ['A', name], output_token: ['A', 'Next'] }, 'input_token[1]', inherited);
        expectRejected(JSON.parse(`{"input_token": "${name}", "output_token": "Next"}`), 'input_token', inherited);
      });

      it.each(['__proto__', 'constructor'])('limit_key %p', (name) => {
        expectRejected({ ...base, limit_key: name }, 'limit_key', inherited);
      });

      it('accepts names that merely contain one, and prototype, which no plain object has', () => {
        const compiled = compilePaginator({
          input_token: ['constructorId', 'prototype'],
          output_token: ['x', 'y'],
          limit_key: 'Proto',
        });
        expect(compiled.inputTokens).toEqual(['constructorId', 'prototype']);
      });
    });

    it('result and non-aggregate keys through __proto__, which would pollute Object.prototype when written', () => {
      expectRejected({ ...base, result_key: '__proto__.polluted' }, 'result_key', /must not name __proto__/);
      expectRejected(
        { ...base, non_aggregate_keys: ['Name', 'a.__proto__'] },
        'non_aggregate_keys[1]',
        /must not name __proto__/,
      );
    });

    describe('non_aggregate_keys', () => {
      it('when it is a string rather than a list', () => {
        expectRejected({ ...base, non_aggregate_keys: 'Name' }, 'non_aggregate_keys', /expected a list of strings, got "Name"/);
      });
      it('when an item is not a string', () => {
        expectRejected({ ...base, non_aggregate_keys: ['Name', 3] }, 'non_aggregate_keys[1]', /expected a string, got number 3/);
      });
      it('when an item is not valid JMESPath', () => {
        expectRejected({ ...base, non_aggregate_keys: ['Name', 'a b'] }, 'non_aggregate_keys[1]', /invalid JMESPath expression/);
      });
    });
  });
});

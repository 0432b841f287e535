import { compilePaginator } from '../../src/specs/compilePaginator';
import { compileWaiter } from '../../src/specs/compileWaiter';
import type { PaginatorSpec, WaiterSpec } from '../../src/specs/types';
import { corpusPaginators, corpusWaiters, loadCorpus } from '../support/corpus';
import { useFullJmespath } from '../../src/specs/fullJmespath';

// Raw corpus specs are an app's own specs here (not the bound ones, which carry their evaluator): opt in as an app does.
useFullJmespath();

describe('the botocore 1.43.11 corpus', () => {
  it('has 450 service versions', () => {
    expect(Object.keys(loadCorpus())).toHaveLength(450);
  });

  it('compiles every one of its 3,294 paginators', () => {
    const paginators = corpusPaginators();
    expect(paginators).toHaveLength(3294);
    const failures: string[] = [];
    for (const { name, spec } of paginators) {
      try {
        const compiled = compilePaginator(spec as PaginatorSpec);
        const raw = spec as PaginatorSpec;
        const inputs = typeof raw.input_token === 'string' ? [raw.input_token] : raw.input_token;
        if (compiled.inputTokens.length !== inputs.length || compiled.outputTokens.length !== inputs.length) {
          failures.push(`${name}: token counts differ`);
        }
      } catch (error) {
        failures.push(`${name}: ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('compiles every one of its 602 waiters', () => {
    const waiters = corpusWaiters();
    expect(waiters).toHaveLength(602);
    const failures: string[] = [];
    for (const { name, spec } of waiters) {
      try {
        const compiled = compileWaiter(spec as WaiterSpec);
        const raw = spec as WaiterSpec;
        if (
          compiled.backoff !== 'fixed' ||
          compiled.minDelay !== raw.delay ||
          compiled.maxDelay !== raw.delay ||
          compiled.maxAttempts !== raw.maxAttempts ||
          compiled.acceptors.length !== raw.acceptors.length
        ) {
          failures.push(`${name}: compiled waiter does not reflect its spec`);
        }
      } catch (error) {
        failures.push(`${name}: ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('keeps the DynamoDB and EC2 counts the README states', () => {
    const corpus = loadCorpus();
    const count = (key: string, kind: 'paginators' | 'waiters') => Object.keys(corpus[key]?.[kind] ?? {}).length;
    expect([count('dynamodb/2012-08-10', 'paginators'), count('dynamodb/2012-08-10', 'waiters')]).toEqual([5, 6]);
    expect([count('ec2/2016-11-15', 'paginators'), count('ec2/2016-11-15', 'waiters')]).toEqual([171, 43]);
  });
});

/**
 * One rule for options, the same for every function: they are checked when the function is called,
 * and a bad one throws a SpecError whose field is its path from `options`. Nothing is sent.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { of } from 'rxjs';
import {
  fullResult,
  paginate,
  paginateIterable,
  SpecError,
  waitFor,
  waitForAttempts,
  type PaginatorSpec,
  type Send,
  type WaiterSpec,
} from '../../src';
import { parallelScan } from '../../src/services/generated/dynamodb';

const paginator: PaginatorSpec = { input_token: 'NextToken', output_token: 'NextToken', limit_key: 'Limit', result_key: 'Items' };
const waiter: WaiterSpec = {
  delay: 5,
  maxAttempts: 3,
  acceptors: [{ matcher: 'path', argument: 'Status', expected: 'ACTIVE', state: 'success' }],
};

let sends = 0;
const send: Send<object, { Items: number[]; Status: string }> = () => (sends++, of({ Items: [1], Status: 'ACTIVE' }));
// A real client, so that parallelScan's client check passes; nothing is ever sent through it.
const client = Object.assign(new DynamoDBClient({ region: 'us-east-1' }), {
  send: () => (sends++, Promise.resolve({})),
}) as unknown as DynamoDBClient;

const functions: Record<string, (options: unknown) => unknown> = {
  paginate: (options) => paginate(paginator, send, {}, options as never),
  fullResult: (options) => fullResult(paginator, send, {}, options as never),
  paginateIterable: (options) => paginateIterable(paginator, send, {}, options as never),
  parallelScan: (options) =>
    parallelScan(client, { TableName: 't' }, (typeof options === 'object' ? { totalSegments: 2, ...options } : options) as never),
  waitFor: (options) => waitFor(waiter, send, {}, options as never),
  waitForAttempts: (options) => waitForAttempts(waiter, send, {}, options as never),
};

function thrownBy(call: () => unknown): SpecError {
  sends = 0;
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(sends).toBe(0);
  expect(thrown).toBeInstanceOf(SpecError);
  return thrown as SpecError;
}

describe('options: checked by the call, one SpecError naming options.<path>', () => {
  test.each<[string, object, string, string]>([
    ['paginate', { pagesize: 10 }, 'options.pagesize', 'unknown option; did you mean pageSize?'],
    ['paginate', { maxitems: 10 }, 'options.maxitems', 'unknown option; did you mean maxItems?'],
    ['paginate', { startToken: 'x' }, 'options.startToken', 'unknown option; did you mean startingToken?'],
    [
      'paginate',
      { colour: 'red' },
      'options.colour',
      'unknown option; the options are pageSize, maxItems, startingToken, demand, prefetch, retry, scheduler, signer, governor, progress, abortSignal',
    ],
    ['paginate', { pageSize: '' as never, maxItems: '5' }, 'options.maxItems', 'expected a whole number of at least 0, got "5"'],
    ['paginate', { retry: { retires: 2 } }, 'options.retry.retires', 'unknown option; did you mean retries?'],
    ['paginate', { retry: { retries: '2' } }, 'options.retry.retries', 'expected a whole number of at least 0, got "2"'],
    ['paginate', { retry: { delay: 0.5 } }, 'options.retry.delay', 'expected a function, got number 0.5'],
    ['paginate', { retry: { retryable: true } }, 'options.retry.retryable', 'expected a function, got boolean true'],
    ['paginate', { startingToken: 42 }, 'options.startingToken', 'expected a token string, got number 42'],
    ['paginate', { scheduler: {} }, 'options.scheduler', 'expected a scheduler, got an object (it has no schedule method)'],
    [
      'paginate',
      { signer: { sign: () => '' } },
      'options.signer',
      'expected a TokenSigner, got an object (it has no verify method)',
    ],
    ['paginate', { demand: [1, 2] }, 'options.demand', 'expected an Observable, got an array (it has no subscribe method)'],
    ['fullResult', { maxItem: 1 }, 'options.maxItem', 'unknown option; did you mean maxItems?'],
    ['fullResult', { pageSize: 0 }, 'options.pageSize', 'expected a whole number of at least 1 or a string, got number 0'],
    [
      'paginateIterable',
      { pageSize: -1 },
      'options.pageSize',
      'expected a whole number of at least 1 or a string, got number -1',
    ],
    ['parallelScan', { totalSegment: 2 }, 'options.totalSegment', 'unknown option; did you mean totalSegments?'],
    ['waitFor', { maxWait: 60 }, 'options.maxWait', 'unknown option; did you mean maxWaitTime?'],
    ['waitFor', { delay: '5' }, 'options.delay', 'expected a number of seconds of at least 0, got "5"'],
    ['waitFor', { maxWaitTime: '60' }, 'options.maxWaitTime', 'expected a number of seconds of at least 0, got "60"'],
    ['waitFor', { maxAttempts: '3' }, 'options.maxAttempts', 'expected a whole number of at least 1, got "3"'],
    ['waitFor', { delay: 10, maxDelay: 5 }, 'options.maxDelay', '5 is less than the delay, 10'],
    ['waitFor', { maxDelay: 2 }, 'options.maxDelay', '2 is less than the delay, 5'],
    ['waitFor', { backoff: 'linear' }, 'options.backoff', `expected 'fixed', 'exponential' or a function, got "linear"`],
    ['waitFor', { random: 0.5 }, 'options.random', 'expected a function, got number 0.5'],
    ['waitForAttempts', { maxattempts: 3 }, 'options.maxattempts', 'unknown option; did you mean maxAttempts?'],
    ['waitForAttempts', { delay: -1 }, 'options.delay', 'expected a number of seconds of at least 0, got number -1'],
    [
      'paginate',
      { abortSignal: new AbortController() },
      'options.abortSignal',
      'expected an AbortSignal, got an instance of AbortController: pass its signal (controller.signal)',
    ],
    ['fullResult', { abortSignal: 'stop' }, 'options.abortSignal', 'expected an AbortSignal, got "stop"'],
    [
      'paginateIterable',
      { abortSignal: { addEventListener() {}, removeEventListener() {} } },
      'options.abortSignal',
      'expected an AbortSignal, got an object (its aborted is not a boolean)',
    ],
    ['waitFor', { abortSignal: true }, 'options.abortSignal', 'expected an AbortSignal, got boolean true'],
    ['waitForAttempts', { abortSignal: null }, 'options.abortSignal', 'expected an AbortSignal, got null'],
    ['parallelScan', { abortSignal: 'stop' }, 'options.abortSignal', 'expected an AbortSignal, got "stop"'],
    ['waitFor', { initialDelay: '5' }, 'options.initialDelay', 'expected a number of seconds of at least 0, got "5"'],
    ['waitFor', { initialDelay: -1 }, 'options.initialDelay', 'expected a number of seconds of at least 0, got number -1'],
    [
      'waitFor',
      { initialDelay: 90, maxWaitTime: 60 },
      'options.initialDelay',
      '90 is longer than the maxWaitTime, 60: the first attempt would come after the deadline',
    ],
  ])('%s(%j) throws %s', (name, options, field, problem) => {
    const error = thrownBy(() => functions[name]!(options));
    expect(error.field).toBe(field);
    expect(error.problem).toBe(problem);
    expect(error.message).toBe(`${field}: ${problem}`);
  });

  test.each(Object.keys(functions))('%s refuses options that are not an object', (name) => {
    const error = thrownBy(() => functions[name]!('fast'));
    expect(error.field).toBe('options');
    expect(error.problem).toBe('expected an object of options, got "fast"');
  });

  test.each(Object.keys(functions))('%s accepts an empty options object', (name) => {
    expect(() => functions[name]!({})).not.toThrow();
  });

  test('an option given as undefined is no option', () => {
    expect(() => paginate(paginator, send, {}, { pageSize: undefined, retry: undefined })).not.toThrow();
    expect(() => waitFor(waiter, send, {}, { delay: undefined, maxWaitTime: undefined })).not.toThrow();
  });
});

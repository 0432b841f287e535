import { Subject } from 'rxjs';
import { compilePaginator, type Send } from '../../src';

/** A request and its page in the tests of metered reads: pages carry their own number as their one item. */
export type Input = { NextToken?: string };
export type Output = { Items: number[]; NextToken?: string };

export const spec = compilePaginator<Input, Output>({ input_token: 'NextToken', output_token: 'NextToken', result_key: 'Items' });

/** Pages 0..last, one item each (its number), answered when the test says so: `respond()` answers the oldest request. */
export function manual(last: number) {
  const calls: number[] = [];
  const waiting: Array<{ n: number; answer: Subject<Output> }> = [];
  const send: Send<Input, Output> = (input) => {
    const n = input.NextToken === undefined ? 0 : Number(input.NextToken);
    calls.push(n);
    const answer = new Subject<Output>();
    waiting.push({ n, answer });
    return answer;
  };
  const respond = () => {
    const { n, answer } = waiting.shift()!;
    answer.next({ Items: [n], ...(n < last && { NextToken: String(n + 1) }) });
    answer.complete();
  };
  const fail = (error: unknown) => waiting.shift()!.answer.error(error);
  return { send, calls, respond, fail, inFlight: () => waiting.length };
}

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { SdkClient } from 'rxjs-aws';

type Item = Record<string, AttributeValue>;

/** What DescribeTable answers: a status, `missing` (ResourceNotFoundException) or `hang` (no answer until aborted). */
export type DescribeAnswer = 'CREATING' | 'UPDATING' | 'ACTIVE' | 'DELETING' | 'missing' | 'hang';

/** One request the app sent. */
export interface Sent {
  readonly operation: string;
  readonly input: { readonly TableName?: string; readonly Limit?: number; readonly ExclusiveStartKey?: Item };
  readonly abortSignal: AbortSignal | undefined;
  /** How it ended, once it has: answered, failed with a service error, or aborted. */
  outcome?: 'answered' | 'failed' | 'aborted';
}

/**
 * A DynamoDB client for tests: no network, answers DescribeTable and Scan from
 * what the test set up, records every request with its abort signal. Like the
 * SDK, it answers asynchronously and rejects with an AbortError when aborted.
 */
export class FakeDynamoDB implements SdkClient {
  readonly sent: Sent[] = [];
  /** While true, a Scan gets no answer until it is aborted. */
  holdScans = false;
  private readonly tables = new Map<string, { answer: DescribeAnswer; items: Item[] }>();

  /** DescribeTable of `name` answers `answer` until told otherwise; Scan pages through `items`. */
  table(name: string, answer: DescribeAnswer, items: Item[] = []): this {
    this.tables.set(name, { answer, items });
    return this;
  }

  /** From now on, DescribeTable of `name` answers `answer` (a table's status changes with time, not per caller). */
  set(name: string, answer: DescribeAnswer): void {
    this.tables.get(name)!.answer = answer;
  }

  requests(operation: string, tableName?: string): Sent[] {
    return this.sent.filter((s) => s.operation === operation && (tableName === undefined || s.input.TableName === tableName));
  }

  /** Requests sent and not yet ended. */
  inFlight(operation?: string): Sent[] {
    return this.sent.filter((s) => s.outcome === undefined && (operation === undefined || s.operation === operation));
  }

  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown> {
    // SDK v3 commands: class DescribeTableCommand, with the request as `input`.
    const operation = command.constructor.name.replace(/Command$/, '');
    const sent: Sent = { operation, input: (command as { input: Sent['input'] }).input, abortSignal: options?.abortSignal };
    this.sent.push(sent);
    return this.answer(sent).then(
      (output) => ((sent.outcome = 'answered'), output),
      (error: Error) => {
        sent.outcome = error.name === 'AbortError' ? 'aborted' : 'failed';
        throw error;
      },
    );
  }

  private async answer({ operation, input, abortSignal }: Sent): Promise<unknown> {
    await Promise.resolve();
    if (abortSignal?.aborted) throw abortError();
    const table = this.tables.get(input.TableName ?? '');
    if (operation === 'DescribeTable') {
      const answer = table?.answer ?? 'missing';
      if (answer === 'hang')
        return new Promise((_, reject) => abortSignal?.addEventListener('abort', () => reject(abortError())));
      if (answer === 'missing')
        throw serviceError('ResourceNotFoundException', `Requested resource not found: Table: ${input.TableName} not found`);
      return { Table: { TableName: input.TableName, TableStatus: answer }, $metadata: { httpStatusCode: 200 } };
    }
    if (operation === 'Scan') {
      if (this.holdScans) return new Promise((_, reject) => abortSignal?.addEventListener('abort', () => reject(abortError())));
      if (!table) throw serviceError('ResourceNotFoundException', 'Requested resource not found');
      const after = input.ExclusiveStartKey?.['pk']?.S;
      const start = after === undefined ? 0 : table.items.findIndex((item) => item['pk']?.S === after) + 1;
      const Items = table.items.slice(start, start + (input.Limit ?? table.items.length));
      const more = start + Items.length < table.items.length;
      return {
        Items,
        Count: Items.length,
        ScannedCount: Items.length,
        ...(more && { LastEvaluatedKey: { pk: Items[Items.length - 1]!['pk']! } }),
        $metadata: { httpStatusCode: 200 },
      };
    }
    throw serviceError('UnknownOperationException', operation);
  }
}

/** `count` songs: `song-1`, `song-2`, … */
export function songs(count: number): Item[] {
  return Array.from({ length: count }, (_, i) => ({ pk: { S: `song-${i + 1}` }, title: { S: `Title ${i + 1}` } }));
}

/** Resolves once `condition()` holds; fails after `ms`. */
export async function until(condition: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${condition.toString()}`);
    await sleep(5);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function serviceError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

function abortError(): Error {
  return Object.assign(new Error('Request aborted'), { name: 'AbortError' });
}

import { lastValueFrom, toArray } from 'rxjs';
import {
  DescribeTableCommand,
  DynamoDBClient,
  ListContributorInsightsCommand,
  ListTagsOfResourceCommand,
  type DescribeTableCommandOutput,
  type Tag,
} from '@aws-sdk/client-dynamodb';
import {
  bindPaginator,
  bindWaiter,
  fullResult,
  items,
  paginate,
  PaginationError,
  SpecError,
  waitFor,
  WaiterError,
  type Send,
} from '../../src';
import { hmacTokenSigner } from '../../src/signing';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** A client whose `send` answers from a script, so no server is needed; still a DynamoDBClient by type. */
function scripted(answers: ((input: Record<string, unknown>) => unknown)[]): DynamoDBClient {
  const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const send: Send<Record<string, unknown>, unknown> = async (input) => {
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    return next(input);
  };
  return Object.assign(client, { send: (command: { input: Record<string, unknown> }) => send(command.input, null!) }) as never;
}

describe('bindPaginator', () => {
  // ListTagsOfResource has no botocore paginator.
  const ListTags = bindPaginator(
    { input_token: 'NextToken', output_token: 'NextToken', result_key: 'Tags' },
    ListTagsOfResourceCommand,
    DynamoDBClient,
  );

  it('pages an operation with no model paginator, typed from the command', async () => {
    const client = scripted([
      (input) => ({ Tags: [{ Key: 'a', Value: '1' }], NextToken: 't1', seen: input['NextToken'] }),
      (input) => ({ Tags: [{ Key: 'b', Value: '2' }], seen: input['NextToken'] }),
    ]);
    const tags = paginate(ListTags, client, { ResourceArn: 'arn' }).pipe(items(ListTags));
    const typed: Equal<typeof tags, import('rxjs').Observable<Tag>> = true;
    expect(typed).toBe(true);
    expect((await lastValueFrom(tags.pipe(toArray()))).map((t) => t.Key)).toEqual(['a', 'b']);
  });

  it('validates the spec once, when bound', () => {
    expect(() => bindPaginator({ input_token: 'A', output_token: ['B', 'C'] }, ListTagsOfResourceCommand)).toThrow(SpecError);
  });

  it('binds signed tokens to the command: one sealed for a command is refused by another of the same shape', async () => {
    const spec = { input_token: 'NextToken', output_token: 'NextToken', result_key: 'Tags' } as const;
    const ListInsights = bindPaginator(spec, ListContributorInsightsCommand, DynamoDBClient);
    const signer = hmacTokenSigner(['k'.repeat(32)]);
    const page = () => ({ Tags: [{ Key: 'a' }, { Key: 'b' }], NextToken: 't1' });
    const issued = await lastValueFrom(fullResult(ListTags, scripted([page]), { ResourceArn: 'arn' }, { maxItems: 1, signer }));
    const token = issued.NextToken as string;
    const replayed = paginate(ListInsights, scripted([page]), { ResourceArn: 'arn' } as never, { startingToken: token, signer });
    const error = await lastValueFrom(replayed).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as PaginationError).message).toMatch(/issued for another query/);
    const last = () => ({ Tags: [{ Key: 'c' }] });
    const resumed = paginate(ListTags, scripted([page, last]), { ResourceArn: 'arn' }, { startingToken: token, signer });
    expect((await lastValueFrom(resumed.pipe(items(ListTags), toArray()))).map((tag) => tag.Key)).toEqual(['b', 'c']);
  });
});

describe('bindWaiter', () => {
  const TableReady = bindWaiter(
    {
      delay: 0,
      maxAttempts: 5,
      operation: 'DescribeTable',
      acceptors: [
        { matcher: 'path', argument: 'Table.TableStatus', expected: 'ACTIVE', state: 'success' },
        { matcher: 'path', argument: 'Table.TableStatus', expected: 'DELETING', state: 'failure' },
      ],
    },
    DescribeTableCommand,
    DynamoDBClient,
  );

  it('succeeds like a shipped waiter, typed from the command', async () => {
    const client = scripted([() => ({ Table: { TableStatus: 'CREATING' } }), () => ({ Table: { TableStatus: 'ACTIVE' } })]);
    const out = waitFor(TableReady, client, { TableName: 't' });
    const typed: Equal<typeof out, import('rxjs').Observable<DescribeTableCommandOutput>> = true;
    expect(typed).toBe(true);
    expect((await lastValueFrom(out)).Table?.TableStatus).toBe('ACTIVE');
  });

  it('fails at once on its extra failure state', async () => {
    const client = scripted([() => ({ Table: { TableStatus: 'DELETING' } })]);
    await expect(lastValueFrom(waitFor(TableReady, client, { TableName: 't' }))).rejects.toBeInstanceOf(WaiterError);
  });

  it('validates the spec once, when bound', () => {
    expect(() =>
      bindWaiter({ delay: 1, maxAttempts: 1, operation: 'DescribeTable', acceptors: 'x' } as never, DescribeTableCommand),
    ).toThrow(SpecError);
  });
});

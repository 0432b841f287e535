/**
 * The hand-written DynamoDB Streams paginators (aws/aws-sdk#273). On moto, whose DynamoDB Streams is served beside its
 * DynamoDB (dynalite has no Streams API): moto answers every stream in one `ListStreams` page and every stream has one
 * shard, ignoring `Limit`, so those tests assert their one page. How the tokens chain over several pages is tested on a
 * scripted send, a labelled fake, since no local server pages these operations.
 */
import { lastValueFrom, of, toArray } from 'rxjs';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBStreamsClient,
  type DescribeStreamCommandInput,
  type DescribeStreamCommandOutput,
  type ListStreamsCommandInput,
  type ListStreamsCommandOutput,
} from '@aws-sdk/client-dynamodb-streams';
import { fullResult, items, paginate, type Send } from '../../../src';
import { DescribeStream, ListStreams } from '../../../src/services/generated/dynamodb-streams';
import { describeIfMoto, startMoto, type MotoServer } from '../../support/startMoto';

describeIfMoto('DynamoDB Streams paginators (moto)', () => {
  let moto: MotoServer;
  let dynamodb: DynamoDBClient;
  let streams: DynamoDBStreamsClient;
  const tables = ['songs', 'albums', 'artists'];

  beforeAll(async () => {
    moto = (await startMoto())!;
    dynamodb = new DynamoDBClient(moto.clientConfig());
    streams = new DynamoDBStreamsClient(moto.clientConfig());
    for (const TableName of tables) {
      await dynamodb.send(
        new CreateTableCommand({
          TableName,
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
        }),
      );
    }
  }, 150_000);
  afterAll(async () => {
    dynamodb?.destroy();
    streams?.destroy();
    await moto?.stop();
  });

  it('ListStreams lists every table stream (moto ignores Limit: one page)', async () => {
    const pages = await lastValueFrom(paginate(ListStreams, streams, {}, { pageSize: 1 }).pipe(toArray()));
    expect(pages.length).toBe(1);
    const listed = pages.flatMap((page) => page.Streams ?? []);
    expect(listed.map((s) => s.TableName).sort()).toEqual([...tables].sort());
  });

  it('DescribeStream yields the stream its shards, and fullResult keeps the stream beside them (one shard: one page)', async () => {
    const [first] = await lastValueFrom(
      paginate(ListStreams, streams, { TableName: 'songs' }).pipe(items(ListStreams), toArray()),
    );
    const pages = await lastValueFrom(paginate(DescribeStream, streams, { StreamArn: first!.StreamArn! }).pipe(toArray()));
    expect(pages.length).toBe(1);
    const shards = await lastValueFrom(
      paginate(DescribeStream, streams, { StreamArn: first!.StreamArn! }).pipe(items(DescribeStream), toArray()),
    );
    expect(shards.length).toBe(1);
    expect(shards[0]!.ShardId).toEqual(expect.any(String));
    const whole = await lastValueFrom(fullResult(DescribeStream, streams, { StreamArn: first!.StreamArn! }));
    expect(whole.StreamDescription?.TableName).toBe('songs');
    expect(whole.StreamDescription?.Shards?.map((s) => s.ShardId)).toEqual([shards[0]!.ShardId]);
  });
});

describe('DynamoDB Streams paginators over several pages (scripted send: no local server pages them)', () => {
  it('ListStreams sends LastEvaluatedStreamArn back as ExclusiveStartStreamArn, with Limit as the page size', async () => {
    const sent: ListStreamsCommandInput[] = [];
    const send: Send<ListStreamsCommandInput, ListStreamsCommandOutput> = (input) => {
      sent.push(input);
      const page = input.ExclusiveStartStreamArn === undefined ? 0 : 1;
      return of({
        $metadata: {},
        Streams: [{ StreamArn: `arn/${page}` }],
        ...(page === 0 && { LastEvaluatedStreamArn: 'arn/0' }),
      });
    };
    const arns = await lastValueFrom(paginate(ListStreams.spec, send, {}, { pageSize: 1 }).pipe(items(ListStreams), toArray()));
    expect(arns.map((s) => s.StreamArn)).toEqual(['arn/0', 'arn/1']);
    expect(sent).toEqual([{ Limit: 1 }, { Limit: 1, ExclusiveStartStreamArn: 'arn/0' }]);
  });

  it('DescribeStream sends StreamDescription.LastEvaluatedShardId back as ExclusiveStartShardId', async () => {
    const sent: DescribeStreamCommandInput[] = [];
    const send: Send<DescribeStreamCommandInput, DescribeStreamCommandOutput> = (input) => {
      sent.push(input);
      const last = input.ExclusiveStartShardId === undefined;
      return of({
        $metadata: {},
        StreamDescription: {
          StreamArn: input.StreamArn,
          Shards: [{ ShardId: last ? 'shard-1' : 'shard-2' }],
          ...(last && { LastEvaluatedShardId: 'shard-1' }),
        },
      });
    };
    const pages = await lastValueFrom(paginate(DescribeStream.spec, send, { StreamArn: 'arn' }).pipe(toArray()));
    expect(pages.length).toBe(2);
    const shards = await lastValueFrom(
      paginate(DescribeStream.spec, send, { StreamArn: 'arn' }).pipe(items(DescribeStream), toArray()),
    );
    expect(shards.map((s) => s.ShardId)).toEqual(['shard-1', 'shard-2']);
    expect(sent.slice(0, 2)).toEqual([{ StreamArn: 'arn' }, { StreamArn: 'arn', ExclusiveStartShardId: 'shard-1' }]);
  });
});

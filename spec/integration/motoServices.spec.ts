/**
 * Generated service modules against moto (real protocols: REST-XML, JSON, Query): every resource created is seen
 * exactly once through small pages, and each waiter reaches its state. Where moto ignores the page size, the test
 * says so in its name and requires the one page moto sends, so that no case passes on one page while claiming pages.
 * Skipped with the reason where moto_server is missing (CI requires it). spec/differential compares all of this
 * with botocore's own paginators and waiters.
 */
import { lastValueFrom, toArray } from 'rxjs';
import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CreateStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { items, paginate, resumeTokenOf, waitFor, PaginationError, WaiterError } from '../../src';
import * as s3 from '../../src/services/generated/s3';
import * as logs from '../../src/services/generated/cloudwatch-logs';
import * as route53 from '../../src/services/generated/route-53';
import * as sqs from '../../src/services/generated/sqs';
import * as sfn from '../../src/services/generated/sfn';
import * as kinesis from '../../src/services/generated/kinesis';
import * as ssm from '../../src/services/generated/ssm';
import * as sns from '../../src/services/generated/sns';
import * as iam from '../../src/services/generated/iam';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { CreateTableCommand, DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { TableStreamEnabled } from '../../src/services/generated/dynamodb';
import { StreamEnabled, tableStreamReady } from '../../src/services/generated/dynamodb-streams';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateClusterCommand, ECSClient } from '@aws-sdk/client-ecs';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import * as cloudformation from '../../src/services/generated/cloudformation';
import * as ecs from '../../src/services/generated/ecs';
import * as lambda from '../../src/services/generated/lambda';
import * as rds from '../../src/services/generated/rds';
import { describeIfMoto, type MotoServer, startMoto } from '../support/startMoto';

const all = <T>(o: import('rxjs').Observable<T>) => lastValueFrom(o.pipe(toArray()));
const names = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);

describeIfMoto('generated service modules (moto)', () => {
  let moto: MotoServer;
  const clients: { destroy(): void }[] = [];
  const make = <C extends { destroy(): void }>(Client: new (config: object) => C, extra: object = {}): C => {
    const client = new Client({ ...moto.clientConfig(), ...extra });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    moto = (await startMoto())!;
  }, 150_000);
  afterAll(async () => {
    clients.forEach((c) => c.destroy());
    await moto?.stop();
  });

  describe('S3', () => {
    let client: S3Client;
    beforeAll(async () => {
      client = make(S3Client);
      await client.send(new CreateBucketCommand({ Bucket: 'logs' }));
      await client.send(new PutBucketVersioningCommand({ Bucket: 'logs', VersioningConfiguration: { Status: 'Enabled' } }));
    });

    test('BucketExists, ListObjectsV2 and ObjectExists', async () => {
      const keys = names(7, 'k');
      for (const Key of keys) await client.send(new PutObjectCommand({ Bucket: 'logs', Key, Body: Key }));
      await lastValueFrom(waitFor(s3.BucketExists, client, { Bucket: 'logs' }, { delay: 1 }));
      await lastValueFrom(waitFor(s3.ObjectExists, client, { Bucket: 'logs', Key: 'k03' }, { delay: 1 }));
      const pages = await all(paginate(s3.ListObjectsV2, client, { Bucket: 'logs' }, { pageSize: 3 }));
      expect(pages.length).toBe(3);
      expect(pages.flatMap((p) => p.Contents ?? []).map((o) => o.Key)).toEqual(keys);
    });

    test('ListObjectVersions pages on two tokens (KeyMarker, VersionIdMarker), every version once', async () => {
      for (const Key of ['v0', 'v1']) {
        for (let i = 0; i < 3; i++) await client.send(new PutObjectCommand({ Bucket: 'logs', Key, Body: `${Key}-${i}` }));
      }
      const pages = await all(paginate(s3.ListObjectVersions, client, { Bucket: 'logs', Prefix: 'v' }, { pageSize: 2 }));
      expect(pages).toHaveLength(3);
      const versions = pages.flatMap((page) => page.Versions ?? []);
      expect(versions.map((v) => v.Key).sort()).toEqual(['v0', 'v0', 'v0', 'v1', 'v1', 'v1']);
      expect(new Set(versions.map((v) => v.VersionId)).size).toBe(6);
    });

    test('ListMultipartUploads: every upload once (moto ignores MaxUploads: one page)', async () => {
      const created: string[] = [];
      for (const Key of ['u0', 'u0', 'u1', 'u2', 'u2']) {
        const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: 'logs', Key }));
        created.push(UploadId!);
      }
      const pages = await all(paginate(s3.ListMultipartUploads, client, { Bucket: 'logs' }, { pageSize: 2 }));
      expect(pages).toHaveLength(1);
      const uploads = pages.flatMap((page) => page.Uploads ?? []);
      expect(uploads.map((u) => u.UploadId).sort()).toEqual([...created].sort());
    });
  });

  describe('CloudWatch Logs', () => {
    let client: CloudWatchLogsClient;
    beforeAll(() => {
      client = make(CloudWatchLogsClient);
    });

    test('DescribeLogGroups: every group once', async () => {
      const groups = names(7, '/app/');
      for (const logGroupName of groups) await client.send(new CreateLogGroupCommand({ logGroupName }));
      const pages = await all(paginate(logs.DescribeLogGroups, client, { logGroupNamePrefix: '/app/' }, { pageSize: 3 }));
      expect(pages).toHaveLength(3);
      const seen = pages.flatMap((page) => page.logGroups ?? []);
      expect(seen.map((g) => g.logGroupName)).toEqual(groups);
    });

    test('GetLogEvents reads a stream to its end and completes when the service returns the token it was sent', async () => {
      await client.send(new CreateLogGroupCommand({ logGroupName: 'stream-group' }));
      await client.send(new CreateLogStreamCommand({ logGroupName: 'stream-group', logStreamName: 'web' }));
      const now = Date.now();
      const messages = names(5, 'line ');
      await client.send(
        new PutLogEventsCommand({
          logGroupName: 'stream-group',
          logStreamName: 'web',
          logEvents: messages.map((message, i) => ({ message, timestamp: now + i })),
        }),
      );
      const input = { logGroupName: 'stream-group', logStreamName: 'web', startFromHead: true };
      const pages = await all(paginate(logs.GetLogEvents, client, input, { pageSize: 2 }));
      expect(pages.flatMap((p) => p.events ?? []).map((e) => e.message)).toEqual(messages);
      // The last page repeats the token it was sent (the end), and resumes there: nothing new yet.
      const last = pages[pages.length - 1]!;
      expect(last.events).toEqual([]);
      const resumed = await all(
        paginate(logs.GetLogEvents, client, input, { startingToken: resumeTokenOf(last)! }).pipe(items(logs.GetLogEvents)),
      );
      expect(resumed).toEqual([]);
    });

    test('the same repeated token without the flag is still a PaginationError', async () => {
      const strict = { ...logs.GetLogEvents, spec: { ...logs.GetLogEvents.spec, stop_on_same_token: false } };
      const input = { logGroupName: 'stream-group', logStreamName: 'web', startFromHead: true };
      await expect(all(paginate(strict, client, input, { pageSize: 2 }))).rejects.toBeInstanceOf(PaginationError);
    });
  });

  test('Route 53 ListResourceRecordSets pages on three tokens, every record once', async () => {
    const client = make(Route53Client);
    const zone = await client.send(new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: 'r1' }));
    const HostedZoneId = zone.HostedZone!.Id!.replace('/hostedzone/', '');
    const hosts = names(6, 'h');
    await client.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId,
        ChangeBatch: {
          Changes: hosts.map((h) => ({
            Action: 'CREATE',
            ResourceRecordSet: { Name: `${h}.example.com`, Type: 'A', TTL: 60, ResourceRecords: [{ Value: '10.0.0.1' }] },
          })),
        },
      }),
    );
    const pages = await all(paginate(route53.ListResourceRecordSets, client, { HostedZoneId }, { pageSize: '2' }));
    // Six records and the zone's SOA and NS records, two to a page.
    expect(pages).toHaveLength(4);
    const records = pages.flatMap((page) => page.ResourceRecordSets ?? []);
    const names_ = records.map((r) => `${r.Name} ${r.Type}`);
    expect(new Set(names_).size).toBe(names_.length);
    for (const h of hosts) expect(names_).toContain(`${h}.example.com. A`);
  });

  test('DynamoDB Streams: TableStreamEnabled, then StreamEnabled, for a stream enabled after creation', async () => {
    const dynamodb = make(DynamoDBClient);
    const streams = make(DynamoDBStreamsClient);
    const TableName = 'music';
    await dynamodb.send(
      new CreateTableCommand({
        TableName,
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    // No stream yet: the table waiter would not succeed; one attempt says so.
    await expect(
      lastValueFrom(waitFor(TableStreamEnabled, dynamodb, { TableName }, { delay: 1, maxAttempts: 1 })),
    ).rejects.toBeInstanceOf(WaiterError);
    await dynamodb.send(
      new UpdateTableCommand({ TableName, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }),
    );
    const table = await lastValueFrom(waitFor(TableStreamEnabled, dynamodb, { TableName }, { delay: 1 }));
    const arn = table.Table!.LatestStreamArn!;
    const stream = await lastValueFrom(waitFor(StreamEnabled, streams, { StreamArn: arn }, { delay: 1 }));
    expect(stream.StreamDescription?.StreamStatus).toBe('ENABLED');
    const both = await lastValueFrom(tableStreamReady(dynamodb, streams, TableName, { delay: 1 }));
    expect(both.StreamDescription?.StreamArn).toBe(arn);
  });

  test('CloudFormation StackCreateComplete and ListStacks', async () => {
    const client = make(CloudFormationClient);
    const template = JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'cfn-q' } } } });
    const stacks = names(3, 'stack-');
    for (const StackName of stacks)
      await client.send(new CreateStackCommand({ StackName, TemplateBody: template.replace('cfn-q', StackName) }));
    const done = await lastValueFrom(
      waitFor(cloudformation.StackCreateComplete, client, { StackName: 'stack-01' }, { delay: 1 }),
    );
    expect(done.Stacks?.[0]?.StackStatus).toBe('CREATE_COMPLETE');
    const seen = await all(paginate(cloudformation.ListStacks, client, {}).pipe(items(cloudformation.ListStacks)));
    expect(seen.map((st) => st.StackName).sort()).toEqual(stacks);
  });

  test('ECS ListClusters (moto ignores maxResults: one page)', async () => {
    const client = make(ECSClient);
    const clusters = names(5, 'c');
    for (const clusterName of clusters) await client.send(new CreateClusterCommand({ clusterName }));
    const pages = await all(paginate(ecs.ListClusters, client, {}, { pageSize: 2 }));
    expect(pages).toHaveLength(1);
    const arns = pages.flatMap((page) => page.clusterArns ?? []);
    expect(arns.map((a) => a.split('/').pop()).sort()).toEqual(clusters);
  });

  test('Lambda ListFunctions (paginator only: no Docker here to run them; moto ignores MaxItems: one page)', async () => {
    const role = await make(IAMClient).send(new CreateRoleCommand({ RoleName: 'lambda-role', AssumeRolePolicyDocument: '{}' }));
    const client = make(LambdaClient);
    const functions = names(5, 'f');
    for (const FunctionName of functions) {
      await client.send(
        new CreateFunctionCommand({
          FunctionName,
          Runtime: 'nodejs20.x',
          Role: role.Role!.Arn!,
          Handler: 'index.handler',
          Code: { ZipFile: new Uint8Array([80, 75, 5, 6, ...new Array<number>(18).fill(0)]) },
        }),
      );
    }
    const pages = await all(paginate(lambda.ListFunctions, client, {}, { pageSize: 2 }));
    expect(pages).toHaveLength(1);
    const seen = pages.flatMap((page) => page.Functions ?? []);
    expect(seen.map((f) => f.FunctionName).sort()).toEqual(functions);
  });

  test('RDS DBInstanceAvailable and DescribeDBInstances', async () => {
    const client = make(RDSClient);
    const instances = names(3, 'db');
    for (const DBInstanceIdentifier of instances) {
      await client.send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier,
          DBInstanceClass: 'db.t3.micro',
          Engine: 'postgres',
          MasterUsername: 'admin',
          MasterUserPassword: 'password123',
          AllocatedStorage: 20,
        }),
      );
    }
    const ready = await lastValueFrom(waitFor(rds.DBInstanceAvailable, client, { DBInstanceIdentifier: 'db01' }, { delay: 1 }));
    expect(ready.DBInstances?.[0]?.DBInstanceStatus).toBe('available');
    const seen = await all(paginate(rds.DescribeDBInstances, client, {}).pipe(items(rds.DescribeDBInstances)));
    expect(seen.map((d) => d.DBInstanceIdentifier).sort()).toEqual(instances);
  });

  test('SQS ListQueues (moto ignores MaxResults: one page)', async () => {
    const client = make(SQSClient);
    const queues = names(5, 'q');
    for (const QueueName of queues) await client.send(new CreateQueueCommand({ QueueName }));
    const pages = await all(paginate(sqs.ListQueues, client, { QueueNamePrefix: 'q' }, { pageSize: 2 }));
    expect(pages).toHaveLength(1);
    const urls = pages.flatMap((page) => page.QueueUrls ?? []);
    expect(urls.map((u) => u.split('/').pop()).sort()).toEqual(queues);
  });

  test('Step Functions ListStateMachines', async () => {
    const client = make(SFNClient);
    const machines = names(5, 'm');
    const definition = JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } });
    for (const name of machines) {
      await client.send(new CreateStateMachineCommand({ name, definition, roleArn: 'arn:aws:iam::123456789012:role/sfn' }));
    }
    const pages = await all(paginate(sfn.ListStateMachines, client, {}, { pageSize: 2 }));
    expect(pages).toHaveLength(3);
    const seen = pages.flatMap((page) => page.stateMachines ?? []);
    expect(seen.map((m) => m.name).sort()).toEqual(machines);
  });

  test('Kinesis StreamExists and ListStreams', async () => {
    // moto speaks HTTP/1.1; the Kinesis client defaults to HTTP/2.
    const client = make(KinesisClient, { requestHandler: new NodeHttpHandler() });
    await client.send(new CreateStreamCommand({ StreamName: 'clicks', ShardCount: 1 }));
    const described = await lastValueFrom(waitFor(kinesis.StreamExists, client, { StreamName: 'clicks' }, { delay: 1 }));
    expect(described.StreamDescription?.StreamStatus).toBe('ACTIVE');
    const streams = await all(paginate(kinesis.ListStreams, client, {}).pipe(items(kinesis.ListStreams)));
    expect(streams).toEqual(['clicks']);
  });

  test('SSM GetParametersByPath in pages of 2; DescribeParameters (moto ignores MaxResults: one page)', async () => {
    const client = make(SSMClient);
    const params = names(5, '/p/');
    for (const Name of params) await client.send(new PutParameterCommand({ Name, Value: 'v', Type: 'String' }));
    const byPath = await all(paginate(ssm.GetParametersByPath, client, { Path: '/p' }, { pageSize: 2 }));
    expect(byPath).toHaveLength(3);
    expect(byPath.flatMap((page) => page.Parameters ?? []).map((p) => p.Name)).toEqual(params);
    const described = await all(paginate(ssm.DescribeParameters, client, {}, { pageSize: 2 }));
    expect(described).toHaveLength(1);
    expect(
      described
        .flatMap((page) => page.Parameters ?? [])
        .map((p) => p.Name)
        .sort(),
    ).toEqual(params);
  });

  test('SNS ListTopics', async () => {
    const client = make(SNSClient);
    const topics = names(5, 't');
    for (const Name of topics) await client.send(new CreateTopicCommand({ Name }));
    const seen = await all(paginate(sns.ListTopics, client, {}).pipe(items(sns.ListTopics)));
    expect(seen.map((t) => t.TopicArn!.split(':').pop()).sort()).toEqual(topics);
  });

  test('IAM ListRoles in pages of 2; ListUsers (moto ignores MaxItems: one page)', async () => {
    const client = make(IAMClient);
    const users = names(5, 'u');
    for (const UserName of users) await client.send(new CreateUserCommand({ UserName }));
    const roles = names(5, 'role-');
    for (const RoleName of roles) await client.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: '{}' }));
    const rolePages = await all(paginate(iam.ListRoles, client, { PathPrefix: '/' }, { pageSize: 2 }));
    // The Lambda test's role is listed too.
    expect(rolePages.length).toBeGreaterThan(1);
    const seenRoles = rolePages.flatMap((page) => page.Roles ?? []).map((r) => r.RoleName);
    expect(new Set(seenRoles).size).toBe(seenRoles.length);
    expect(seenRoles).toEqual(expect.arrayContaining(roles));
    const userPages = await all(paginate(iam.ListUsers, client, {}, { pageSize: 2 }));
    expect(userPages).toHaveLength(1);
    expect(
      userPages
        .flatMap((page) => page.Users ?? [])
        .map((u) => u.UserName)
        .sort(),
    ).toEqual(users);
  });
});

/**
 * What SDK v3 puts on the exceptions it throws, protocol by protocol, from real
 * clients against moto: the members `errorCodesOf` reads (docs/differential.md
 * has this table), and that an error acceptor naming either the wire code or
 * the exception matches. Then the one shipped acceptor that names an exception
 * rather than a wire code, RDS `TenantDatabaseDeleted`, against botocore.
 */
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { lastValueFrom } from 'rxjs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { DescribeClustersCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetBucketPolicyCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import * as cloudwatchSdk from '@aws-sdk/client-cloudwatch';
import { RDSClient } from '@aws-sdk/client-rds';
import { compileWaiter, waitFor, WaiterError, type SdkClient } from '../../src';
import { errorCodesOf } from '../../src/specs/WaiterResponse';
import { TenantDatabaseDeleted } from '../../src/services/generated/rds';
import { describeIfMoto, startMoto, type MotoServer } from '../support/startMoto';
import { fakeCredentials } from '../support/httpTracking';
import { startBotocoreSide, type BotocoreWait } from './botocoreSide';

// Read by name: the generator's stand-in for this package (src/services/sdkStubs.d.ts) declares only the commands it binds.
const { CloudWatchClient, GetDashboardCommand } = cloudwatchSdk as unknown as Record<string, new (input: any) => any>;

interface Carried {
  name: unknown;
  Code: unknown;
  ErrorCode: unknown;
  codes: readonly string[];
}

const carried = (error: unknown): Carried => {
  const e = error as { name?: unknown; Code?: unknown; Error?: { Code?: unknown } };
  return { name: e.name, Code: e.Code, ErrorCode: e.Error?.Code, codes: errorCodesOf(error) };
};

describeIfMoto('what SDK v3 exceptions carry, per protocol (moto)', () => {
  let moto: MotoServer;
  const clients: { destroy(): void }[] = [];
  // Typed loosely, as sdkClient: some of these packages are typed by the generator's stand-ins until it is rerun.
  const make = (Client: unknown, extra: object = {}): SdkClient => {
    const client = new (Client as new (config: object) => SdkClient & { destroy(): void })({ ...moto.clientConfig(), ...extra });
    clients.push(client);
    return client;
  };
  const thrown = async (send: Promise<unknown>): Promise<unknown> => {
    try {
      await send;
    } catch (error) {
      return error;
    }
    throw new Error('the call succeeded');
  };

  beforeAll(async () => {
    moto = (await startMoto())!;
  }, 150_000);
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await moto?.stop();
  });

  const cases: [string, () => Promise<unknown>, Omit<Carried, 'codes'>, readonly string[]][] = [
    [
      'query, modelled (Redshift): name is the shape, Code and Error.Code the wire code',
      () => make(RedshiftClient).send(new DescribeClustersCommand({ ClusterIdentifier: 'none' })),
      { name: 'ClusterNotFoundFault', Code: 'ClusterNotFound', ErrorCode: 'ClusterNotFound' },
      ['ClusterNotFound', 'ClusterNotFoundFault'],
    ],
    [
      'query, not modelled (CloudFormation): all three the wire code',
      () => make(CloudFormationClient).send(new DescribeStacksCommand({ StackName: 'none' })),
      { name: 'ValidationError', Code: 'ValidationError', ErrorCode: 'ValidationError' },
      ['ValidationError'],
    ],
    [
      'ec2 query (no modelled errors): all three the wire code',
      () => make(EC2Client).send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })),
      { name: 'InvalidInstanceID.NotFound', Code: 'InvalidInstanceID.NotFound', ErrorCode: 'InvalidInstanceID.NotFound' },
      ['InvalidInstanceID.NotFound'],
    ],
    [
      'json 1.0 (DynamoDB): the name is the wire code',
      () => make(DynamoDBClient).send(new DescribeTableCommand({ TableName: 'none' })),
      { name: 'ResourceNotFoundException', Code: undefined, ErrorCode: undefined },
      ['ResourceNotFoundException'],
    ],
    [
      'json 1.1 (Kinesis): the name is the wire code',
      // moto speaks HTTP/1.1; the Kinesis client defaults to HTTP/2.
      () =>
        make(KinesisClient, { requestHandler: new NodeHttpHandler() }).send(new DescribeStreamCommand({ StreamName: 'none' })),
      { name: 'ResourceNotFoundException', Code: undefined, ErrorCode: undefined },
      ['ResourceNotFoundException'],
    ],
    [
      'json 1.0, query-compatible (SQS): name is the shape, Code and Error.Code the query code',
      () => make(SQSClient).send(new GetQueueUrlCommand({ QueueName: 'none' })),
      {
        name: 'QueueDoesNotExist',
        Code: 'AWS.SimpleQueueService.NonExistentQueue',
        ErrorCode: 'AWS.SimpleQueueService.NonExistentQueue',
      },
      ['AWS.SimpleQueueService.NonExistentQueue', 'QueueDoesNotExist'],
    ],
    [
      'rest-json (Lambda): the name is the wire code',
      () => make(LambdaClient).send(new GetFunctionCommand({ FunctionName: 'none' })),
      { name: 'ResourceNotFoundException', Code: undefined, ErrorCode: undefined },
      ['ResourceNotFoundException'],
    ],
    [
      'rest-xml, S3 (no <ErrorResponse> envelope): name and Code the wire code',
      () => make(S3Client).send(new GetBucketPolicyCommand({ Bucket: 'none' })),
      { name: 'NoSuchBucket', Code: 'NoSuchBucket', ErrorCode: undefined },
      ['NoSuchBucket'],
    ],
    [
      'rest-xml, S3 HEAD without a body: the name says NotFound (botocore says 404)',
      () => make(S3Client).send(new HeadBucketCommand({ Bucket: 'none' })),
      { name: 'NotFound', Code: undefined, ErrorCode: undefined },
      ['NotFound'],
    ],
    [
      'rest-xml (Route 53): name, Code and Error.Code the wire code',
      () => make(Route53Client).send(new GetHostedZoneCommand({ Id: 'Z0000000NONE' })),
      { name: 'NoSuchHostedZone', Code: 'NoSuchHostedZone', ErrorCode: 'NoSuchHostedZone' },
      ['NoSuchHostedZone'],
    ],
    [
      'smithy-rpc-v2-cbor, query-compatible (CloudWatch): name, Code and Error.Code the query code',
      () => make(CloudWatchClient!).send(new GetDashboardCommand!({ DashboardName: 'none' })),
      { name: 'ResourceNotFound', Code: 'ResourceNotFound', ErrorCode: 'ResourceNotFound' },
      ['ResourceNotFound'],
    ],
  ];

  // The first request to a service makes moto load its backend: seconds on a busy machine.
  it.each(cases)(
    '%s',
    async (_title, call, members, codes) => {
      const error = await thrown(call());
      expect(carried(error)).toEqual({ ...members, codes });
      // An error acceptor naming any of them matches; botocore's names the first.
      for (const code of codes) {
        const acceptor = compileWaiter({
          delay: 1,
          maxAttempts: 1,
          operation: 'Any',
          acceptors: [{ matcher: 'error', expected: code, state: 'success' }],
        }).acceptors[0]!;
        expect(acceptor.matches({ ok: false, input: {}, error })).toBe(true);
      }
    },
    120_000,
  );
});

/**
 * moto lacks DescribeTenantDatabases, so a loopback server answers it with
 * what RDS sends for a missing instance (a query-protocol DBInstanceNotFound);
 * both sides run their waiter against it.
 */
describeIfMoto('RDS TenantDatabaseDeleted, whose acceptor names the exception (DBInstanceNotFoundFault)', () => {
  let server: Server;
  let endpoint: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(req.url?.startsWith('/moto-api') ? 200 : 404, { 'content-type': 'text/xml' });
        res.end(
          '<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type>' +
            '<Code>DBInstanceNotFound</Code><Message>DBInstance db0 not found.</Message></Error>' +
            '<RequestId>r</RequestId></ErrorResponse>',
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('succeeds on the exception where botocore, comparing only the wire code, ends in error (a deliberate difference)', async () => {
    const botocore = startBotocoreSide();
    try {
      await botocore.connect(endpoint);
      const theirs = (
        await botocore.run([
          {
            id: 'tenant',
            kind: 'wait',
            service: 'rds',
            waiter: 'TenantDatabaseDeleted',
            input: { DBInstanceIdentifier: 'db0' },
            delay: 0,
            maxAttempts: 2,
          },
        ])
      ).get('tenant') as BotocoreWait;
      expect(theirs).toMatchObject({ outcome: 'error', attempts: 1, lastCode: 'DBInstanceNotFound' });
    } finally {
      await botocore.stop();
    }
    const client = new RDSClient({ endpoint, region: 'us-east-1', credentials: fakeCredentials(), maxAttempts: 1 });
    try {
      const result = await lastValueFrom(
        waitFor(TenantDatabaseDeleted, client, { DBInstanceIdentifier: 'db0' }, { delay: 0, maxAttempts: 2 }),
      );
      expect(result).toBeInstanceOf(Error);
      expect(result).toMatchObject({ name: 'DBInstanceNotFoundFault', Error: { Code: 'DBInstanceNotFound' } });
    } catch (error) {
      throw error instanceof WaiterError ? new Error(`expected success, got ${error.kind}: ${error.message}`) : error;
    } finally {
      client.destroy();
    }
  });
});

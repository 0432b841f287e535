/**
 * The compiled state machine, run by moto's Step Functions, reaches the same
 * outcome as `waitFor` in this process on the same moto state: success,
 * failure, timeout and error, across services.
 */
import { lastValueFrom } from 'rxjs';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { CreateStreamCommand, DescribeStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { EC2Client, RunInstancesCommand, StopInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { waitFor, WaiterError, type BoundWaiter, type SdkClient, type SmithyWaiterSpec, type WaiterSpec } from '../../src';
import { TableExists, TableNotExists } from '../../src/services/generated/dynamodb';
import { InstanceExists, InstanceRunning } from '../../src/services/generated/ec2';
import { toStateMachine } from '../../src/stepFunctions';
import { loadCorpus } from '../support/corpus';
import { describeIfMoto } from '../support/startMoto';
import { startStepFunctionsMoto, type StepFunctionsMoto } from './motoStepFunctions';
import { useFullJmespath } from '../../src/specs/fullJmespath';

// Some waiters here come from botocore's corpus, as an app's own specs: such an app opts in once.
useFullJmespath();

// s3, cloudformation and kinesis have no generated module on this branch: bind their corpus specs here.
const corpusWaiter = (service: string, name: string) => loadCorpus()[service]!.waiters![name] as WaiterSpec;
const BucketExists: AnyWaiter = { spec: corpusWaiter('s3/2006-03-01', 'BucketExists'), command: HeadBucketCommand };
const ObjectExists: AnyWaiter = { spec: corpusWaiter('s3/2006-03-01', 'ObjectExists'), command: HeadObjectCommand };
const StackCreateComplete: AnyWaiter = {
  spec: corpusWaiter('cloudformation/2010-05-15', 'StackCreateComplete'),
  command: DescribeStacksCommand,
};
const StreamExists: AnyWaiter = { spec: corpusWaiter('kinesis/2013-12-02', 'StreamExists'), command: DescribeStreamCommand };

// The cases mix services: their waiters and requests are typed at the call sites that build them.
type AnyWaiter = BoundWaiter<any, any>;
// DynamoDB's TableExists as Smithy writes it: the machine backs off between 1 and 2 seconds.
const SmithyTableExists: AnyWaiter = {
  spec: {
    minDelay: 1,
    maxDelay: 2,
    acceptors: [
      { state: 'success', matcher: { output: { path: 'Table.TableStatus', expected: 'ACTIVE', comparator: 'stringEquals' } } },
      { state: 'retry', matcher: { errorType: 'ResourceNotFoundException' } },
    ],
  } satisfies SmithyWaiterSpec,
  command: DescribeTableCommand,
};
type Outcome = 'success' | 'failure' | 'timeout' | 'error';
const MAX_ATTEMPTS = 2;

const TEMPLATE = JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'q' } } } });

describeIfMoto('toStateMachine in moto agrees with waitFor', () => {
  let sfn: StepFunctionsMoto;
  const clients: { destroy(): void }[] = [];
  const client = <C extends { destroy(): void }>(make: new (config: never) => C, region: string, extra: object = {}): C => {
    const made = new make({ ...sfn.config(region), ...extra } as never);
    clients.push(made);
    return made;
  };

  beforeAll(async () => {
    sfn = (await startStepFunctionsMoto())!;
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await sfn?.stop();
  });

  async function inProcess(waiter: AnyWaiter, sdk: SdkClient, input: object): Promise<Outcome> {
    try {
      // Fixed and instant here: the outcome does not depend on the delays, only on the attempts.
      await lastValueFrom(waitFor(waiter, sdk, input, { delay: 0, backoff: 'fixed', maxAttempts: MAX_ATTEMPTS }));
      return 'success';
    } catch (error) {
      if (error instanceof WaiterError) return error.kind;
      throw error;
    }
  }

  async function inMachine(region: string, waiter: AnyWaiter, input: object): Promise<Outcome> {
    const execution = await sfn.execute(region, toStateMachine(waiter, input as never, { delay: 1, maxAttempts: MAX_ATTEMPTS }));
    if (execution.status === 'SUCCEEDED') {
      expect(execution.output).toEqual({ attempts: expect.any(Number) });
      return 'success';
    }
    expect(execution.status).toBe('FAILED');
    return execution.error as Outcome;
  }

  /** Sets up moto state in a fresh region, then runs both and returns both outcomes. */
  async function both<C extends SdkClient>(
    waiter: AnyWaiter,
    make: (region: string) => C,
    setUp: (sdk: C) => Promise<object>,
  ): Promise<[Outcome, Outcome]> {
    const region = sfn.region();
    const sdk = make(region);
    const input = await setUp(sdk);
    return [await inProcess(waiter, sdk, input), await inMachine(region, waiter, input)];
  }

  const dynamo = (region: string) => client(DynamoDBClient, region);
  const s3 = (region: string) => client(S3Client, region, { forcePathStyle: true });
  const cloudFormation = (region: string) => client(CloudFormationClient, region);
  // Kinesis defaults to HTTP/2, which moto does not speak.
  const kinesis = (region: string) => client(KinesisClient, region, { requestHandler: new NodeHttpHandler() });
  const ec2 = (region: string) => client(EC2Client, region);
  const createTable = (sdk: DynamoDBClient) =>
    sdk.send(
      new CreateTableCommand({
        TableName: 'music',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  // Bucket names are global in moto as in AWS: one per region keeps the cases apart.
  const bucketIn = async (c: S3Client) => {
    const region = await c.config.region();
    const Bucket = `logs-${region}`;
    await c.send(
      new CreateBucketCommand({
        Bucket,
        ...(region !== 'us-east-1' && { CreateBucketConfiguration: { LocationConstraint: region as never } }),
      }),
    );
    return Bucket;
  };
  const runInstance = async (sdk: EC2Client) => {
    const { Instances } = await sdk.send(new RunInstancesCommand({ ImageId: 'ami-12c6146b', MinCount: 1, MaxCount: 1 }));
    return Instances![0]!.InstanceId!;
  };

  const cases: [string, () => Promise<[Outcome, Outcome]>, Outcome][] = [
    [
      'DynamoDB TableExists, table there',
      () => both(TableExists, dynamo, async (d) => (await createTable(d), { TableName: 'music' })),
      'success',
    ],
    ['DynamoDB TableExists, no table', () => both(TableExists, dynamo, async () => ({ TableName: 'music' })), 'timeout'],
    [
      'DynamoDB TableExists in Smithy form (backoff), table there',
      () => both(SmithyTableExists, dynamo, async (d) => (await createTable(d), { TableName: 'music' })),
      'success',
    ],
    [
      'DynamoDB TableExists in Smithy form (backoff), no table',
      () => both(SmithyTableExists, dynamo, async () => ({ TableName: 'music' })),
      'timeout',
    ],
    ['DynamoDB TableNotExists, no table', () => both(TableNotExists, dynamo, async () => ({ TableName: 'music' })), 'success'],
    [
      'DynamoDB TableNotExists, table there',
      () => both(TableNotExists, dynamo, async (d) => (await createTable(d), { TableName: 'music' })),
      'timeout',
    ],
    ['S3 BucketExists, bucket there', () => both(BucketExists, s3, async (c) => ({ Bucket: await bucketIn(c) })), 'success'],
    [
      'S3 BucketExists, no bucket (404 retried)',
      () => both(BucketExists, s3, async (c) => ({ Bucket: `logs-absent-${await c.config.region()}` })),
      'timeout',
    ],
    [
      'S3 ObjectExists, object there',
      () =>
        both(ObjectExists, s3, async (c) => {
          const Bucket = await bucketIn(c);
          await c.send(new PutObjectCommand({ Bucket, Key: 'day-1', Body: 'x' }));
          return { Bucket, Key: 'day-1' };
        }),
      'success',
    ],
    [
      'S3 ObjectExists, no object (404 retried)',
      () => both(ObjectExists, s3, async (c) => ({ Bucket: await bucketIn(c), Key: 'day-1' })),
      'timeout',
    ],
    [
      'CloudFormation StackCreateComplete, stack created',
      () =>
        both(StackCreateComplete, cloudFormation, async (c) => {
          await c.send(new CreateStackCommand({ StackName: 'app', TemplateBody: TEMPLATE }));
          return { StackName: 'app' };
        }),
      'success',
    ],
    [
      'CloudFormation StackCreateComplete, stack deleted (DELETE_COMPLETE is a failure state)',
      () =>
        both(StackCreateComplete, cloudFormation, async (c) => {
          const { StackId } = await c.send(new CreateStackCommand({ StackName: 'app', TemplateBody: TEMPLATE }));
          await c.send(new DeleteStackCommand({ StackName: 'app' }));
          return { StackName: StackId };
        }),
      'failure',
    ],
    [
      'EC2 InstanceRunning, instance running',
      () => both(InstanceRunning, ec2, async (c) => ({ InstanceIds: [await runInstance(c)] })),
      'success',
    ],
    [
      'EC2 InstanceRunning, instance terminated',
      () =>
        both(InstanceRunning, ec2, async (c) => {
          const id = await runInstance(c);
          await c.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
          return { InstanceIds: [id] };
        }),
      'failure',
    ],
    [
      'EC2 InstanceRunning, instance stopped (no acceptor matches)',
      () =>
        both(InstanceRunning, ec2, async (c) => {
          const id = await runInstance(c);
          await c.send(new StopInstancesCommand({ InstanceIds: [id] }));
          return { InstanceIds: [id] };
        }),
      'timeout',
    ],
    [
      'EC2 InstanceExists (length of a projection), instance there',
      () => both(InstanceExists, ec2, async (c) => ({ InstanceIds: [await runInstance(c)] })),
      'success',
    ],
    [
      'EC2 InstanceExists (length of a projection), no reservation matches',
      () =>
        both(InstanceExists, ec2, async (c) => {
          await runInstance(c);
          return { Filters: [{ Name: 'instance-state-name', Values: ['pending'] }] };
        }),
      'timeout',
    ],
    [
      'Kinesis StreamExists, stream there',
      () =>
        both(StreamExists, kinesis, async (c) => {
          await c.send(new CreateStreamCommand({ StreamName: 'clicks', ShardCount: 1 }));
          return { StreamName: 'clicks' };
        }),
      'success',
    ],
    [
      'Kinesis StreamExists, no stream (an error no acceptor expects)',
      () => both(StreamExists, kinesis, async () => ({ StreamName: 'clicks' })),
      'error',
    ],
  ];

  it.each(cases)('%s', async (_name, run, expected) => {
    const [local, machine] = await run();
    expect({ local, machine }).toEqual({ local: expected, machine: expected });
  });

  it('differs where Step Functions does not name the error after its code: EC2 InvalidInstanceID.NotFound', async () => {
    // waitFor retries this code until the attempts run out; the SDK task reports it as the generic ec2 exception.
    const [local, machine] = await both(InstanceRunning, ec2, async () => ({ InstanceIds: ['i-0123456789abcdef0'] }));
    expect({ local, machine }).toEqual({ local: 'timeout', machine: 'error' });
  });

  it('differs where Step Functions does not name the error after its code: CloudFormation ValidationError', async () => {
    const [local, machine] = await both(StackCreateComplete, cloudFormation, async () => ({ StackName: 'missing' }));
    expect({ local, machine }).toEqual({ local: 'failure', machine: 'error' });
  });
});

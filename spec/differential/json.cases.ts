/**
 * The cases of the differential, AWS JSON 1.0 / 1.1 protocols (SQS in query-compatible mode):
 * botocore and rxjs-aws on the same moto state.
 */
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SFNClient } from '@aws-sdk/client-sfn';
import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GlueClient } from '@aws-sdk/client-glue';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { EMRClient } from '@aws-sdk/client-emr';
import { ACMClient } from '@aws-sdk/client-acm';
import { TransferClient } from '@aws-sdk/client-transfer';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import * as dynamodb from '../../src/services/generated/dynamodb';
import * as kinesis from '../../src/services/generated/kinesis';
import * as logs from '../../src/services/generated/cloudwatch-logs';
import * as ssm from '../../src/services/generated/ssm';
import * as sqs from '../../src/services/generated/sqs';
import * as sfn from '../../src/services/generated/sfn';
import * as kms from '../../src/services/generated/kms';
import * as secrets from '../../src/services/generated/secrets-manager';
import * as ecr from '../../src/services/generated/ecr';
import * as ecs from '../../src/services/generated/ecs';
import * as events from '../../src/services/generated/eventbridge';
import * as glue from '../../src/services/generated/glue';
import * as cloudtrail from '../../src/services/generated/cloudtrail';
import * as cognito from '../../src/services/generated/cognito-identity-provider';
import * as servicediscovery from '../../src/services/generated/servicediscovery';
import * as organizations from '../../src/services/generated/organizations';
import * as emr from '../../src/services/generated/emr';
import * as acm from '../../src/services/generated/acm';
import * as transfer from '../../src/services/generated/transfer';
import * as sagemaker from '../../src/services/generated/sagemaker';
import { read, sdkClient, times, type Saved, type ServiceCases } from './differential';

const ROLE = 'arn:aws:iam::123456789012:role/differential';

/** A waiter of our own on SQS GetQueueUrl that succeeds once the queue is gone, named by `code`. */
const queueGone = (code: string) => ({
  spec: {
    operation: 'GetQueueUrl',
    delay: 5,
    maxAttempts: 2,
    acceptors: [{ matcher: 'error' as const, expected: code, state: 'success' as const }],
  },
  command: GetQueueUrlCommand,
});

export const services: readonly ServiceCases[] = [
  {
    service: 'dynamodb',
    protocol: 'json 1.0',
    client: sdkClient(DynamoDBClient),
    setUp: [
      ...times(4, (i) => ({
        call: 'CreateTable',
        params: {
          TableName: `table${i}`,
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        },
      })),
      ...times(5, (i) => ({ call: 'PutItem', params: { TableName: 'table0', Item: { pk: { S: `k${i}` } } } })),
    ],
    paginators: [
      { paginator: dynamodb.ListTables, pageSize: 3, items: 4, paging: 'pages' },
      { paginator: dynamodb.Scan, input: { TableName: 'table0' }, itemKey: 'pk.S', pageSize: 2, items: 5, paging: 'pages' },
    ],
    waiters: [
      { name: 'TableExists', waiter: dynamodb.TableExists, input: { TableName: 'table0' }, state: 'active', expect: 'success' },
      {
        name: 'TableExists',
        waiter: dynamodb.TableExists,
        input: { TableName: 'none' },
        state: 'ResourceNotFoundException retried',
        expect: 'timeout',
      },
      {
        name: 'TableNotExists',
        waiter: dynamodb.TableNotExists,
        input: { TableName: 'none' },
        state: 'ResourceNotFoundException',
        expect: 'success on error',
      },
      {
        name: 'TableNotExists',
        waiter: dynamodb.TableNotExists,
        input: { TableName: 'table0' },
        state: 'active',
        expect: 'timeout',
      },
    ],
  },
  {
    service: 'kinesis',
    protocol: 'json 1.1',
    // moto speaks HTTP/1.1; the Kinesis client defaults to HTTP/2.
    client: (config) => new KinesisClient({ ...config, requestHandler: new NodeHttpHandler() }),
    setUp: times(3, (i) => ({ call: 'CreateStream', params: { StreamName: `stream${i}`, ShardCount: 1 } })),
    paginators: [{ paginator: kinesis.ListStreams, items: 3, paging: 'pages' }],
    waiters: [
      {
        name: 'StreamExists',
        waiter: kinesis.StreamExists,
        input: { StreamName: 'stream0' },
        state: 'active',
        expect: 'success',
      },
      {
        name: 'StreamExists',
        waiter: kinesis.StreamExists,
        input: { StreamName: 'none' },
        state: 'ResourceNotFoundException, which no acceptor expects',
        expect: 'error',
      },
      {
        name: 'StreamNotExists',
        waiter: kinesis.StreamNotExists,
        input: { StreamName: 'none' },
        state: 'ResourceNotFoundException',
        expect: 'success on error',
      },
    ],
    gaps: [
      {
        name: 'ListStreams in small pages',
        reason: 'moto honours Limit but returns no NextToken, so only the first page is reachable',
      },
    ],
  },
  {
    service: 'logs',
    protocol: 'json 1.1',
    client: sdkClient(CloudWatchLogsClient),
    setUp: times(5, (i) => ({ call: 'CreateLogGroup', params: { logGroupName: `/app/${i}` } })),
    paginators: [{ paginator: logs.DescribeLogGroups, itemKey: 'logGroupName', pageSize: 2, items: 5, paging: 'pages' }],
  },
  {
    service: 'ssm',
    protocol: 'json 1.1',
    client: sdkClient(SSMClient),
    setUp: times(5, (i) => ({ call: 'PutParameter', params: { Name: `/p/${i}`, Value: 'v', Type: 'String' } })),
    paginators: [
      { paginator: ssm.GetParametersByPath, input: { Path: '/p' }, itemKey: 'Name', pageSize: 2, items: 5, paging: 'pages' },
      {
        paginator: ssm.DescribeParameters,
        itemKey: 'Name',
        pageSize: 2,
        items: 5,
        paging: { onePage: 'DescribeParameters ignores MaxResults' },
      },
    ],
  },
  {
    service: 'sqs',
    protocol: 'json 1.0, query-compatible',
    client: sdkClient(SQSClient),
    setUp: times(3, (i) => ({ call: 'CreateQueue', params: { QueueName: `queue${i}` } })),
    paginators: [{ paginator: sqs.ListQueues, pageSize: 2, items: 3, paging: { onePage: 'ListQueues ignores MaxResults' } }],
    waiters: [
      {
        name: 'QueueGone',
        own: true,
        waiter: queueGone('AWS.SimpleQueueService.NonExistentQueue'),
        input: { QueueName: 'none' },
        state: 'named by the query code',
        expect: 'success on error',
      },
      {
        name: 'QueueGone',
        own: true,
        waiter: queueGone('QueueDoesNotExist'),
        input: { QueueName: 'none' },
        state: 'named by the exception',
        expect: 'success on error',
        deliberate: {
          botocore: 'error',
          why: 'an error acceptor also matches the modelled exception name; botocore compares only the query code',
        },
      },
    ],
  },
  {
    service: 'stepfunctions',
    protocol: 'json 1.0',
    client: sdkClient(SFNClient),
    setUp: times(5, (i) => ({
      call: 'CreateStateMachine',
      params: {
        name: `machine${i}`,
        definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
        roleArn: ROLE,
      },
    })),
    paginators: [{ paginator: sfn.ListStateMachines, itemKey: 'name', pageSize: 2, items: 5, paging: 'pages' }],
  },
  {
    service: 'kms',
    protocol: 'json 1.1',
    client: sdkClient(KMSClient),
    setUp: times(3, (i) => ({ call: 'CreateKey', params: { Description: `key${i}` } })),
    paginators: [
      { paginator: kms.ListKeys, itemKey: 'KeyId', pageSize: 2, items: 3, paging: { onePage: 'ListKeys ignores Limit' } },
    ],
  },
  {
    service: 'secretsmanager',
    protocol: 'json 1.1',
    client: sdkClient(SecretsManagerClient),
    setUp: times(5, (i) => ({ call: 'CreateSecret', params: { Name: `secret${i}`, SecretString: 'x' } })),
    paginators: [{ paginator: secrets.ListSecrets, itemKey: 'Name', pageSize: 2, items: 5, paging: 'pages' }],
  },
  {
    service: 'ecr',
    protocol: 'json 1.1',
    client: sdkClient(ECRClient),
    setUp: times(3, (i) => ({ call: 'CreateRepository', params: { repositoryName: `repo${i}` } })),
    paginators: [
      {
        paginator: ecr.DescribeRepositories,
        itemKey: 'repositoryName',
        pageSize: 2,
        items: 3,
        paging: { onePage: 'DescribeRepositories ignores maxResults' },
      },
    ],
  },
  {
    service: 'ecs',
    protocol: 'json 1.1',
    client: sdkClient(ECSClient),
    setUp: times(3, (i) => ({ call: 'CreateCluster', params: { clusterName: `cluster${i}` } })),
    paginators: [{ paginator: ecs.ListClusters, pageSize: 2, items: 3, paging: { onePage: 'ListClusters ignores maxResults' } }],
    waiters: [
      {
        name: 'ServicesInactive',
        waiter: ecs.ServicesInactive,
        input: { cluster: 'cluster0', services: ['none'] },
        state: 'service MISSING',
        expect: 'failure',
      },
    ],
  },
  {
    service: 'events',
    protocol: 'json 1.1',
    client: sdkClient(EventBridgeClient),
    setUp: times(5, (i) => ({ call: 'PutRule', params: { Name: `rule${i}`, ScheduleExpression: 'rate(5 minutes)' } })),
    paginators: [{ paginator: events.ListRules, itemKey: 'Name', pageSize: 2, items: 5, paging: 'pages' }],
  },
  {
    service: 'glue',
    protocol: 'json 1.1',
    client: sdkClient(GlueClient),
    setUp: times(3, (i) => ({ call: 'CreateDatabase', params: { DatabaseInput: { Name: `db${i}` } } })),
    paginators: [
      {
        paginator: glue.GetDatabases,
        itemKey: 'Name',
        pageSize: 2,
        items: 3,
        paging: { onePage: 'GetDatabases ignores MaxResults' },
      },
    ],
  },
  {
    service: 'cloudtrail',
    protocol: 'json 1.1',
    client: sdkClient(CloudTrailClient),
    setUp: [
      { service: 's3', call: 'CreateBucket', params: { Bucket: 'trail-bucket' } },
      ...times(3, (i) => ({ call: 'CreateTrail', params: { Name: `trail${i}`, S3BucketName: 'trail-bucket' } })),
    ],
    paginators: [{ paginator: cloudtrail.ListTrails, itemKey: 'Name', items: 3, paging: 'pages' }],
  },
  {
    service: 'cognito-idp',
    protocol: 'json 1.1',
    client: sdkClient(CognitoIdentityProviderClient),
    setUp: times(5, (i) => ({ call: 'CreateUserPool', params: { PoolName: `pool${i}` } })),
    paginators: [{ paginator: cognito.ListUserPools, itemKey: 'Name', pageSize: 2, items: 5, paging: 'pages' }],
  },
  {
    service: 'servicediscovery',
    protocol: 'json 1.1',
    client: sdkClient(ServiceDiscoveryClient),
    setUp: times(3, (i) => ({ call: 'CreateHttpNamespace', params: { Name: `ns${i}` } })),
    paginators: [
      {
        paginator: servicediscovery.ListNamespaces,
        itemKey: 'Name',
        pageSize: 2,
        items: 3,
        paging: { onePage: 'ListNamespaces ignores MaxResults' },
      },
    ],
  },
  {
    service: 'organizations',
    protocol: 'json 1.1',
    client: sdkClient(OrganizationsClient),
    setUp: [
      { call: 'CreateOrganization', params: { FeatureSet: 'ALL' } },
      ...times(4, (i) => ({ call: 'CreateAccount', params: { Email: `a${i}@example.com`, AccountName: `account${i}` } })),
    ],
    // The organization's management account is listed too.
    paginators: [{ paginator: organizations.ListAccounts, itemKey: 'Name', pageSize: 2, items: 5, paging: 'pages' }],
  },
  {
    service: 'emr',
    protocol: 'json 1.1',
    client: sdkClient(EMRClient),
    setUp: times(2, (i) => ({
      call: 'RunJobFlow',
      params: {
        Name: `flow${i}`,
        Instances: {
          MasterInstanceType: 'm5.xlarge',
          SlaveInstanceType: 'm5.xlarge',
          InstanceCount: 1,
          KeepJobFlowAliveWhenNoSteps: true,
        },
        JobFlowRole: 'role',
        ServiceRole: 'role',
        ReleaseLabel: 'emr-6.0.0',
      },
      save: `flow${i}`,
    })),
    paginators: [{ paginator: emr.ListClusters, itemKey: 'Name', items: 2, paging: 'pages' }],
    waiters: [
      {
        name: 'ClusterRunning',
        waiter: emr.ClusterRunning,
        input: (saved: Saved) => ({ ClusterId: read('flow0.JobFlowId')(saved) }),
        state: 'waiting',
        expect: 'success',
      },
      {
        name: 'ClusterTerminated',
        waiter: emr.ClusterTerminated,
        input: (saved: Saved) => ({ ClusterId: read('flow0.JobFlowId')(saved) }),
        state: 'waiting',
        expect: 'timeout',
      },
    ],
  },
  {
    service: 'acm',
    protocol: 'json 1.1',
    client: sdkClient(ACMClient),
    setUp: times(3, (i) => ({ call: 'RequestCertificate', params: { DomainName: `d${i}.example.com` }, save: `cert${i}` })),
    paginators: [
      {
        paginator: acm.ListCertificates,
        itemKey: 'DomainName',
        pageSize: 2,
        items: 3,
        paging: { onePage: 'ListCertificates ignores MaxItems' },
      },
    ],
    waiters: [
      {
        name: 'CertificateValidated',
        waiter: acm.CertificateValidated,
        input: (saved: Saved) => ({ CertificateArn: read('cert0.CertificateArn')(saved) }),
        state: 'pending validation',
        expect: 'timeout',
      },
    ],
  },
  {
    service: 'transfer',
    protocol: 'json 1.1',
    client: sdkClient(TransferClient),
    setUp: times(2, (i) => ({ call: 'CreateServer', params: {}, save: `server${i}` })),
    paginators: [
      {
        paginator: transfer.ListServers,
        itemKey: 'ServerId',
        pageSize: 1,
        items: 2,
        paging: { onePage: 'ListServers ignores MaxResults' },
      },
    ],
    waiters: [
      {
        name: 'ServerOnline',
        waiter: transfer.ServerOnline,
        input: (saved: Saved) => ({ ServerId: read('server0.ServerId')(saved) }),
        state: 'online',
        expect: 'success',
      },
      {
        name: 'ServerOffline',
        waiter: transfer.ServerOffline,
        input: (saved: Saved) => ({ ServerId: read('server0.ServerId')(saved) }),
        state: 'online',
        expect: 'timeout',
      },
    ],
  },
  {
    service: 'sagemaker',
    protocol: 'json 1.1',
    client: sdkClient(SageMakerClient),
    setUp: times(3, (i) => ({
      call: 'CreateNotebookInstance',
      params: { NotebookInstanceName: `nb${i}`, InstanceType: 'ml.t2.medium', RoleArn: ROLE },
    })),
    paginators: [
      { paginator: sagemaker.ListNotebookInstances, itemKey: 'NotebookInstanceName', pageSize: 2, items: 3, paging: 'pages' },
    ],
    waiters: [
      {
        name: 'NotebookInstanceInService',
        waiter: sagemaker.NotebookInstanceInService,
        input: { NotebookInstanceName: 'nb0' },
        state: 'in service',
        expect: 'success',
      },
      {
        name: 'NotebookInstanceDeleted',
        waiter: sagemaker.NotebookInstanceDeleted,
        input: { NotebookInstanceName: 'none' },
        state: 'ValidationException',
        expect: 'success on error',
      },
      {
        name: 'NotebookInstanceStopped',
        waiter: sagemaker.NotebookInstanceStopped,
        input: { NotebookInstanceName: 'nb0' },
        state: 'in service',
        expect: 'timeout',
      },
    ],
  },
];

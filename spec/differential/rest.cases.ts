/**
 * The cases of the differential, REST-JSON, REST-XML, Smithy RPC v2 CBOR and EC2
 * query protocols: botocore and rxjs-aws on the same moto state.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { GlacierClient } from '@aws-sdk/client-glacier';
import { EFSClient } from '@aws-sdk/client-efs';
import { BackupClient } from '@aws-sdk/client-backup';
import { AppSyncClient } from '@aws-sdk/client-appsync';
import { IoTClient } from '@aws-sdk/client-iot';
import { EKSClient } from '@aws-sdk/client-eks';
import { BatchClient } from '@aws-sdk/client-batch';
import { GetBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { GetHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import * as cloudwatchSdk from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import * as lambda from '../../src/services/generated/lambda';
import * as apigateway from '../../src/services/generated/api-gateway';
import * as glacier from '../../src/services/generated/glacier';
import * as efs from '../../src/services/generated/efs';
import * as backup from '../../src/services/generated/backup';
import * as appsync from '../../src/services/generated/appsync';
import * as iot from '../../src/services/generated/iot';
import * as eks from '../../src/services/generated/eks';
import * as batch from '../../src/services/generated/batch';
import * as s3 from '../../src/services/generated/s3';
import * as route53 from '../../src/services/generated/route-53';
import * as cloudfront from '../../src/services/generated/cloudfront';
import * as cloudwatch from '../../src/services/generated/cloudwatch';
import * as ec2 from '../../src/services/generated/ec2';
import { read, sdkClient, times, type Saved, type ServiceCases } from './differential';

// The smallest zip file: moto stores a function's code without running it.
const EMPTY_ZIP = `PK\u0005\u0006${'\u0000'.repeat(18)}`;

// Read by name: the generator's stand-in for this package (src/services/sdkStubs.d.ts) declares only the commands it binds.
const GetDashboardCommand = (cloudwatchSdk as unknown as Record<string, new (input: any) => object>)['GetDashboardCommand']!;

/** A waiter of our own that succeeds once `command` fails with `code`. */
const goneOn = (command: new (input: any) => object, operation: string, code: string) => ({
  spec: {
    operation,
    delay: 5,
    maxAttempts: 2,
    acceptors: [{ matcher: 'error' as const, expected: code, state: 'success' as const }],
  },
  command,
});

export const services: readonly ServiceCases[] = [
  {
    service: 'lambda',
    protocol: 'rest-json',
    client: sdkClient(LambdaClient),
    setUp: [
      { service: 'iam', call: 'CreateRole', params: { RoleName: 'lambda', AssumeRolePolicyDocument: '{}' }, save: 'role' },
      ...times(3, (i) => ({
        call: 'CreateFunction',
        params: {
          FunctionName: `fn${i}`,
          Runtime: 'python3.12',
          Role: '${role.Role.Arn}',
          Handler: 'x.h',
          Code: { ZipFile: EMPTY_ZIP },
        },
      })),
    ],
    paginators: [
      {
        paginator: lambda.ListFunctions,
        itemKey: 'FunctionName',
        pageSize: 2,
        items: 3,
        paging: { onePage: 'ListFunctions ignores MaxItems' },
      },
    ],
    waiters: [
      {
        name: 'FunctionExists',
        waiter: lambda.FunctionExists,
        input: { FunctionName: 'fn0' },
        state: 'created',
        expect: 'success',
      },
      {
        name: 'FunctionExists',
        waiter: lambda.FunctionExists,
        input: { FunctionName: 'none' },
        state: 'ResourceNotFoundException retried',
        expect: 'timeout',
      },
      {
        name: 'FunctionActiveV2',
        waiter: lambda.FunctionActiveV2,
        input: { FunctionName: 'fn0' },
        state: 'active',
        expect: 'success',
      },
      {
        name: 'FunctionUpdatedV2',
        waiter: lambda.FunctionUpdatedV2,
        input: { FunctionName: 'fn0' },
        state: 'updated',
        expect: 'success',
      },
    ],
  },
  {
    service: 'apigateway',
    protocol: 'rest-json',
    client: sdkClient(APIGatewayClient),
    setUp: times(3, (i) => ({ call: 'CreateRestApi', params: { name: `api${i}` } })),
    paginators: [
      {
        paginator: apigateway.GetRestApis,
        itemKey: 'name',
        pageSize: 2,
        items: 3,
        paging: { onePage: 'GetRestApis ignores limit' },
      },
    ],
  },
  {
    service: 'glacier',
    protocol: 'rest-json',
    client: sdkClient(GlacierClient),
    setUp: times(3, (i) => ({ call: 'CreateVault', params: { vaultName: `vault${i}`, accountId: '-' } })),
    paginators: [
      {
        paginator: glacier.ListVaults,
        input: { accountId: '-' },
        itemKey: 'VaultName',
        pageSize: 2,
        items: 3,
        paging: { onePage: 'ListVaults ignores limit' },
      },
    ],
    waiters: [
      {
        name: 'VaultExists',
        waiter: glacier.VaultExists,
        input: { vaultName: 'vault0', accountId: '-' },
        state: 'created',
        expect: 'success',
      },
      {
        name: 'VaultNotExists',
        waiter: glacier.VaultNotExists,
        input: { vaultName: 'none', accountId: '-' },
        state: 'moto answers VaultNotFound, not ResourceNotFoundException',
        expect: 'error',
      },
    ],
  },
  {
    service: 'efs',
    protocol: 'rest-json',
    client: sdkClient(EFSClient),
    setUp: times(5, (i) => ({ call: 'CreateFileSystem', params: { CreationToken: `fs${i}` } })),
    paginators: [
      {
        paginator: efs.DescribeFileSystems,
        itemKey: 'CreationToken',
        pageSize: 2,
        items: 5,
        paging: 'pages',
        tokensVary: 'moto makes a new random Marker for every response',
      },
    ],
  },
  {
    service: 'backup',
    protocol: 'rest-json',
    client: sdkClient(BackupClient),
    setUp: times(3, (i) => ({ call: 'CreateBackupVault', params: { BackupVaultName: `vault${i}` } })),
    paginators: [
      {
        paginator: backup.ListBackupVaults,
        itemKey: 'BackupVaultName',
        pageSize: 2,
        items: 3,
        paging: { onePage: 'ListBackupVaults ignores MaxResults' },
      },
    ],
  },
  {
    service: 'appsync',
    protocol: 'rest-json',
    client: sdkClient(AppSyncClient),
    setUp: times(3, (i) => ({ call: 'CreateGraphqlApi', params: { name: `gql${i}`, authenticationType: 'API_KEY' } })),
    paginators: [
      {
        paginator: appsync.ListGraphqlApis,
        itemKey: 'name',
        pageSize: 2,
        items: 3,
        paging: { onePage: 'ListGraphqlApis ignores maxResults' },
      },
    ],
  },
  {
    service: 'iot',
    protocol: 'rest-json',
    client: sdkClient(IoTClient),
    setUp: times(5, (i) => ({ call: 'CreateThing', params: { thingName: `thing${i}` } })),
    paginators: [{ paginator: iot.ListThings, itemKey: 'thingName', pageSize: 2, items: 5, paging: 'pages' }],
  },
  {
    service: 'eks',
    protocol: 'rest-json',
    client: sdkClient(EKSClient),
    setUp: [
      ...times(4, (i) => ({
        call: 'CreateCluster',
        params: { name: `k8s${i}`, roleArn: 'arn:aws:iam::123456789012:role/eks', resourcesVpcConfig: {} },
      })),
      { call: 'DeleteCluster', params: { name: 'k8s3' } },
    ],
    paginators: [{ paginator: eks.ListClusters, pageSize: 2, items: 3, paging: 'pages' }],
    waiters: [
      { name: 'ClusterActive', waiter: eks.ClusterActive, input: { name: 'k8s0' }, state: 'active', expect: 'success' },
      {
        name: 'ClusterActive',
        waiter: eks.ClusterActive,
        input: { name: 'k8s3' },
        state: 'deleted: ResourceNotFoundException, which no acceptor expects',
        expect: 'error',
      },
      {
        name: 'ClusterDeleted',
        waiter: eks.ClusterDeleted,
        input: { name: 'k8s3' },
        state: 'deleted: ResourceNotFoundException',
        expect: 'success on error',
      },
      { name: 'ClusterDeleted', waiter: eks.ClusterDeleted, input: { name: 'k8s0' }, state: 'active', expect: 'failure' },
    ],
  },
  {
    service: 'batch',
    protocol: 'rest-json',
    client: sdkClient(BatchClient),
    setUp: [
      { service: 'iam', call: 'CreateRole', params: { RoleName: 'batch', AssumeRolePolicyDocument: '{}' } },
      ...times(3, (i) => ({
        call: 'CreateComputeEnvironment',
        params: { computeEnvironmentName: `env${i}`, type: 'UNMANAGED', serviceRole: 'arn:aws:iam::123456789012:role/batch' },
      })),
    ],
    paginators: [
      {
        paginator: batch.DescribeComputeEnvironments,
        itemKey: 'computeEnvironmentName',
        pageSize: 2,
        items: 3,
        paging: { onePage: 'DescribeComputeEnvironments ignores maxResults' },
      },
    ],
  },
  {
    service: 's3',
    protocol: 'rest-xml',
    client: sdkClient(S3Client),
    setUp: [
      ...times(3, (i) => ({ call: 'CreateBucket', params: { Bucket: `bucket-${i}` } })),
      ...times(5, (i) => ({ call: 'PutObject', params: { Bucket: 'bucket-0', Key: `k${i}`, Body: 'x' } })),
    ],
    paginators: [
      { paginator: s3.ListObjectsV2, input: { Bucket: 'bucket-0' }, itemKey: 'Key', pageSize: 2, items: 5, paging: 'pages' },
      { paginator: s3.ListObjects, input: { Bucket: 'bucket-0' }, itemKey: 'Key', pageSize: 2, items: 5, paging: 'pages' },
      // CloudFront's origin bucket too.
      { paginator: s3.ListBuckets, itemKey: 'Name', items: 4, paging: 'pages' },
    ],
    waiters: [
      { name: 'BucketExists', waiter: s3.BucketExists, input: { Bucket: 'bucket-0' }, state: 'created', expect: 'success' },
      {
        name: 'BucketExists',
        waiter: s3.BucketExists,
        input: { Bucket: 'bucket-none' },
        state: '404 retried',
        expect: 'timeout',
      },
      {
        name: 'BucketNotExists',
        waiter: s3.BucketNotExists,
        input: { Bucket: 'bucket-none' },
        state: '404',
        expect: 'success on error',
      },
      {
        name: 'ObjectExists',
        waiter: s3.ObjectExists,
        input: { Bucket: 'bucket-0', Key: 'k0' },
        state: 'put',
        expect: 'success',
      },
      {
        name: 'ObjectNotExists',
        waiter: s3.ObjectNotExists,
        input: { Bucket: 'bucket-0', Key: 'none' },
        state: '404',
        expect: 'success on error',
      },
      {
        name: 'PolicyGone',
        own: true,
        waiter: goneOn(GetBucketPolicyCommand, 'GetBucketPolicy', 'NoSuchBucket'),
        input: { Bucket: 'bucket-none' },
        state: 'NoSuchBucket',
        expect: 'success on error',
      },
    ],
    gaps: [{ name: 'ListBuckets in small pages', reason: 'moto honours MaxBuckets but returns no ContinuationToken' }],
  },
  {
    service: 'route53',
    protocol: 'rest-xml',
    client: sdkClient(Route53Client),
    setUp: times(4, (i) => ({ call: 'CreateHostedZone', params: { Name: `zone${i}.example.com`, CallerReference: `ref${i}` } })),
    paginators: [{ paginator: route53.ListHostedZones, itemKey: 'Name', pageSize: '2', items: 4, paging: 'pages' }],
    waiters: [
      {
        name: 'ZoneGone',
        own: true,
        waiter: goneOn(GetHostedZoneCommand, 'GetHostedZone', 'NoSuchHostedZone'),
        input: { Id: 'Z0000000NONE' },
        state: 'NoSuchHostedZone',
        expect: 'success on error',
      },
    ],
  },
  {
    service: 'cloudfront',
    protocol: 'rest-xml',
    client: sdkClient(CloudFrontClient),
    setUp: [
      { service: 's3', call: 'CreateBucket', params: { Bucket: 'origin' } },
      ...times(3, (i) => ({
        call: 'CreateDistribution',
        params: {
          DistributionConfig: {
            CallerReference: `cf${i}`,
            Origins: {
              Quantity: 1,
              Items: [{ Id: 'o', DomainName: 'origin.s3.amazonaws.com', S3OriginConfig: { OriginAccessIdentity: '' } }],
            },
            DefaultCacheBehavior: {
              TargetOriginId: 'o',
              ViewerProtocolPolicy: 'allow-all',
              ForwardedValues: { QueryString: false, Cookies: { Forward: 'none' } },
              MinTTL: 0,
              TrustedSigners: { Enabled: false, Quantity: 0 },
            },
            Comment: `distribution ${i}`,
            Enabled: true,
          },
        },
        save: `cf${i}`,
      })),
    ],
    paginators: [
      {
        paginator: cloudfront.ListDistributions,
        itemKey: 'Id',
        pageSize: '2',
        items: 3,
        paging: { onePage: 'ListDistributions ignores MaxItems' },
      },
    ],
    waiters: [
      {
        name: 'DistributionDeployed',
        waiter: cloudfront.DistributionDeployed,
        input: (saved: Saved) => ({ Id: read('cf0.Distribution.Id')(saved) }),
        state: 'deployed',
        expect: 'success',
      },
    ],
  },
  {
    service: 'cloudwatch',
    protocol: 'smithy-rpc-v2-cbor, query-compatible',
    client: sdkClient(cloudwatchSdk.CloudWatchClient),
    setUp: times(3, (i) => ({
      call: 'PutMetricAlarm',
      params: {
        AlarmName: `alarm${i}`,
        MetricName: 'm',
        Namespace: 'n',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanThreshold',
      },
    })),
    paginators: [
      {
        paginator: cloudwatch.DescribeAlarms,
        itemKey: 'AlarmName',
        pageSize: 2,
        items: 3,
        paging: { onePage: 'DescribeAlarms ignores MaxRecords' },
      },
    ],
    waiters: [
      {
        name: 'AlarmExists',
        waiter: cloudwatch.AlarmExists,
        input: { AlarmNames: ['alarm0'] },
        state: 'created',
        expect: 'success',
      },
      { name: 'AlarmExists', waiter: cloudwatch.AlarmExists, input: { AlarmNames: ['none'] }, state: 'none', expect: 'timeout' },
      {
        name: 'DashboardGone',
        own: true,
        waiter: goneOn(GetDashboardCommand, 'GetDashboard', 'ResourceNotFound'),
        input: { DashboardName: 'none' },
        state: 'ResourceNotFound',
        expect: 'success on error',
      },
    ],
  },
  {
    service: 'ec2',
    protocol: 'ec2 query',
    client: sdkClient(EC2Client),
    setUp: [
      ...times(6, (i) => ({
        call: 'RunInstances',
        params: { ImageId: 'ami-12c6146b', MinCount: 1, MaxCount: 1 },
        save: `run${i}`,
      })),
      { call: 'StopInstances', params: { InstanceIds: ['${run1.Instances[0].InstanceId}'] } },
      { call: 'CreateVpc', params: { CidrBlock: '10.2.0.0/16' }, save: 'vpc' },
      { call: 'CreateVolume', params: { AvailabilityZone: 'us-east-1a', Size: 1 }, save: 'volume' },
      { call: 'CreateKeyPair', params: { KeyName: 'key0' } },
    ],
    paginators: [{ paginator: ec2.DescribeInstances, itemKey: 'ReservationId', pageSize: 5, items: 6, paging: 'pages' }],
    waiters: [
      {
        name: 'InstanceRunning',
        waiter: ec2.InstanceRunning,
        input: (saved: Saved) => ({ InstanceIds: [read('run0.Instances.0.InstanceId')(saved)] }),
        state: 'running',
        expect: 'success',
      },
      {
        name: 'InstanceRunning',
        waiter: ec2.InstanceRunning,
        input: (saved: Saved) => ({ InstanceIds: [read('run1.Instances.0.InstanceId')(saved)] }),
        state: 'stopped: no acceptor matches',
        expect: 'timeout',
      },
      {
        name: 'InstanceRunning',
        waiter: ec2.InstanceRunning,
        input: { InstanceIds: ['i-0123456789abcdef0'] },
        state: 'InvalidInstanceID.NotFound retried',
        expect: 'timeout',
      },
      {
        name: 'InstanceStopped',
        waiter: ec2.InstanceStopped,
        input: (saved: Saved) => ({ InstanceIds: [read('run1.Instances.0.InstanceId')(saved)] }),
        state: 'stopped',
        expect: 'success',
      },
      {
        name: 'InstanceExists',
        waiter: ec2.InstanceExists,
        input: { InstanceIds: ['i-0123456789abcdef0'] },
        state: 'InvalidInstanceID.NotFound retried',
        expect: 'timeout',
      },
      {
        name: 'VpcAvailable',
        waiter: ec2.VpcAvailable,
        input: (saved: Saved) => ({ VpcIds: [read('vpc.Vpc.VpcId')(saved)] }),
        state: 'available',
        expect: 'success',
      },
      {
        name: 'VpcExists',
        waiter: ec2.VpcExists,
        input: { VpcIds: ['vpc-12345678'] },
        state: 'InvalidVpcID.NotFound retried',
        expect: 'timeout',
      },
      {
        name: 'VolumeAvailable',
        waiter: ec2.VolumeAvailable,
        input: (saved: Saved) => ({ VolumeIds: [read('volume.VolumeId')(saved)] }),
        state: 'available',
        expect: 'success',
      },
      { name: 'KeyPairExists', waiter: ec2.KeyPairExists, input: { KeyNames: ['key0'] }, state: 'created', expect: 'success' },
      {
        name: 'KeyPairExists',
        waiter: ec2.KeyPairExists,
        input: { KeyNames: ['none'] },
        state: 'InvalidKeyPair.NotFound retried',
        expect: 'timeout',
      },
    ],
    gaps: [
      {
        name: 'Describe* other than DescribeInstances in small pages',
        reason: 'moto ignores MaxResults there (spec/support/fakeEc2.ts pages them in spec/integration/ec2.spec.ts)',
      },
    ],
  },
];

/**
 * The cases of the differential, AWS query protocol: botocore and rxjs-aws on the same moto state.
 * Here live the error acceptors that name a wire code while SDK v3 throws the
 * modelled exception (`ClusterNotFound` / `ClusterNotFoundFault`): Redshift,
 * ELBv2, ElastiCache, IAM, RDS, DocumentDB and Neptune.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { RedshiftClient } from '@aws-sdk/client-redshift';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { RDSClient } from '@aws-sdk/client-rds';
import { DocDBClient } from '@aws-sdk/client-docdb';
import { NeptuneClient } from '@aws-sdk/client-neptune';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SNSClient } from '@aws-sdk/client-sns';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { SESClient } from '@aws-sdk/client-ses';
import { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk';
import * as iam from '../../src/services/generated/iam';
import * as redshift from '../../src/services/generated/redshift';
import * as elbv2 from '../../src/services/generated/elastic-load-balancing-v2';
import * as elb from '../../src/services/generated/elastic-load-balancing';
import * as elasticache from '../../src/services/generated/elasticache';
import * as rds from '../../src/services/generated/rds';
import * as docdb from '../../src/services/generated/docdb';
import * as neptune from '../../src/services/generated/neptune';
import * as cloudformation from '../../src/services/generated/cloudformation';
import * as sns from '../../src/services/generated/sns';
import * as autoscaling from '../../src/services/generated/auto-scaling';
import * as ses from '../../src/services/generated/ses';
import * as beanstalk from '../../src/services/generated/elastic-beanstalk';
import { read, sdkClient, times, type Saved, type ServiceCases } from './differential';

const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
const TEMPLATE = (queue: string) =>
  JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: queue } } } });

export const services: readonly ServiceCases[] = [
  {
    service: 'iam',
    protocol: 'query',
    client: sdkClient(IAMClient),
    setUp: [
      ...times(5, (i) => ({ call: 'CreateUser', params: { UserName: `u${i}` } })),
      ...times(5, (i) => ({ call: 'CreateRole', params: { RoleName: `r${i}`, AssumeRolePolicyDocument: '{}' } })),
      ...times(5, (i) => ({ call: 'CreatePolicy', params: { PolicyName: `p${i}`, PolicyDocument: POLICY } })),
      { call: 'CreateInstanceProfile', params: { InstanceProfileName: 'ip0' } },
    ],
    paginators: [
      { paginator: iam.ListUsers, itemKey: 'UserName', pageSize: 2, items: 5, paging: { onePage: 'ListUsers ignores MaxItems' } },
      { paginator: iam.ListRoles, itemKey: 'RoleName', pageSize: 2, items: 5, paging: 'pages' },
      { paginator: iam.ListPolicies, input: { Scope: 'Local' }, itemKey: 'PolicyName', pageSize: 2, items: 5, paging: 'pages' },
    ],
    waiters: [
      { name: 'UserExists', waiter: iam.UserExists, input: { UserName: 'u1' }, state: 'user there', expect: 'success' },
      {
        name: 'UserExists',
        waiter: iam.UserExists,
        input: { UserName: 'nobody' },
        state: 'NoSuchEntity retried',
        expect: 'timeout',
      },
      { name: 'RoleExists', waiter: iam.RoleExists, input: { RoleName: 'r1' }, state: 'role there', expect: 'success' },
      {
        name: 'RoleExists',
        waiter: iam.RoleExists,
        input: { RoleName: 'nobody' },
        state: 'NoSuchEntity retried',
        expect: 'timeout',
      },
      {
        name: 'PolicyExists',
        waiter: iam.PolicyExists,
        input: { PolicyArn: 'arn:aws:iam::123456789012:policy/p1' },
        state: 'policy there',
        expect: 'success',
      },
      {
        name: 'PolicyExists',
        waiter: iam.PolicyExists,
        input: { PolicyArn: 'arn:aws:iam::123456789012:policy/none' },
        state: 'NoSuchEntity retried',
        expect: 'timeout',
      },
      {
        name: 'InstanceProfileExists',
        waiter: iam.InstanceProfileExists,
        input: { InstanceProfileName: 'ip0' },
        state: 'profile there',
        expect: 'success',
      },
      {
        name: 'InstanceProfileExists',
        waiter: iam.InstanceProfileExists,
        input: { InstanceProfileName: 'none' },
        state: '404 retried',
        expect: 'timeout',
      },
    ],
  },
  {
    service: 'redshift',
    protocol: 'query',
    client: sdkClient(RedshiftClient),
    setUp: [
      ...times(3, (i) => ({
        call: 'CreateCluster',
        params: {
          ClusterIdentifier: `c${i}`,
          NodeType: 'dc2.large',
          MasterUsername: 'admin',
          MasterUserPassword: 'Password1',
          ClusterType: 'single-node',
        },
      })),
      { call: 'DeleteCluster', params: { ClusterIdentifier: 'c2', SkipFinalClusterSnapshot: true } },
      { call: 'CreateClusterSnapshot', params: { SnapshotIdentifier: 's0', ClusterIdentifier: 'c0' } },
    ],
    paginators: [{ paginator: redshift.DescribeClusters, itemKey: 'ClusterIdentifier', items: 2, paging: 'pages' }],
    waiters: [
      {
        name: 'ClusterAvailable',
        waiter: redshift.ClusterAvailable,
        input: { ClusterIdentifier: 'c0' },
        state: 'available',
        expect: 'success',
      },
      {
        name: 'ClusterAvailable',
        waiter: redshift.ClusterAvailable,
        input: { ClusterIdentifier: 'c2' },
        state: 'deleted: ClusterNotFound retried',
        expect: 'timeout',
      },
      {
        name: 'ClusterDeleted',
        waiter: redshift.ClusterDeleted,
        input: { ClusterIdentifier: 'c2' },
        state: 'deleted: ClusterNotFound',
        expect: 'success on error',
      },
      {
        name: 'ClusterDeleted',
        waiter: redshift.ClusterDeleted,
        input: { ClusterIdentifier: 'c0' },
        state: 'available',
        expect: 'timeout',
      },
      {
        name: 'ClusterRestored',
        waiter: redshift.ClusterRestored,
        input: { ClusterIdentifier: 'c0' },
        state: 'never restored',
        expect: 'timeout',
      },
      {
        name: 'SnapshotAvailable',
        waiter: redshift.SnapshotAvailable,
        input: { SnapshotIdentifier: 's0' },
        state: 'snapshot there',
        expect: 'success',
      },
    ],
  },
  {
    service: 'elbv2',
    protocol: 'query',
    client: sdkClient(ElasticLoadBalancingV2Client),
    setUp: [
      { service: 'ec2', call: 'CreateVpc', params: { CidrBlock: '10.0.0.0/16' }, save: 'vpc' },
      ...['a', 'b'].map((az, i) => ({
        service: 'ec2',
        call: 'CreateSubnet',
        params: { VpcId: '${vpc.Vpc.VpcId}', CidrBlock: `10.0.${i}.0/24`, AvailabilityZone: `us-east-1${az}` },
        save: `subnet${i}`,
      })),
      ...times(5, (i) => ({
        call: 'CreateLoadBalancer',
        params: { Name: `lb${i}`, Subnets: ['${subnet0.Subnet.SubnetId}', '${subnet1.Subnet.SubnetId}'] },
        save: `lb${i}`,
      })),
      { call: 'DeleteLoadBalancer', params: { LoadBalancerArn: '${lb4.LoadBalancers[0].LoadBalancerArn}' } },
      ...times(3, (i) => ({
        call: 'CreateTargetGroup',
        params: { Name: `tg${i}`, Protocol: 'HTTP', Port: 80, VpcId: '${vpc.Vpc.VpcId}' },
        save: `tg${i}`,
      })),
    ],
    paginators: [
      { paginator: elbv2.DescribeLoadBalancers, itemKey: 'LoadBalancerName', pageSize: 2, items: 4, paging: 'pages' },
      {
        paginator: elbv2.DescribeTargetGroups,
        itemKey: 'TargetGroupName',
        pageSize: 2,
        items: 3,
        paging: { onePage: 'DescribeTargetGroups ignores PageSize' },
      },
    ],
    waiters: [
      {
        name: 'LoadBalancerExists',
        waiter: elbv2.LoadBalancerExists,
        input: { Names: ['lb1'] },
        state: 'active',
        expect: 'success',
      },
      {
        name: 'LoadBalancerExists',
        waiter: elbv2.LoadBalancerExists,
        input: { Names: ['lb4'] },
        state: 'deleted: LoadBalancerNotFound retried',
        expect: 'timeout',
      },
      {
        name: 'LoadBalancerAvailable',
        waiter: elbv2.LoadBalancerAvailable,
        input: { Names: ['lb1'] },
        state: 'active',
        expect: 'success',
      },
      {
        name: 'LoadBalancerAvailable',
        waiter: elbv2.LoadBalancerAvailable,
        input: { Names: ['lb4'] },
        state: 'deleted: LoadBalancerNotFound retried',
        expect: 'timeout',
      },
      {
        name: 'LoadBalancersDeleted',
        waiter: elbv2.LoadBalancersDeleted,
        input: { Names: ['lb4'] },
        state: 'deleted: LoadBalancerNotFound',
        expect: 'success on error',
      },
      {
        name: 'LoadBalancersDeleted',
        waiter: elbv2.LoadBalancersDeleted,
        input: { Names: ['lb1'] },
        state: 'active',
        expect: 'timeout',
      },
      {
        name: 'TargetDeregistered',
        waiter: elbv2.TargetDeregistered,
        input: (saved: Saved) => ({
          TargetGroupArn: read('tg0.TargetGroups.0.TargetGroupArn')(saved),
          Targets: [{ Id: 'i-0123456789abcdef0' }],
        }),
        state: 'never registered: moto answers "unused", not InvalidTarget',
        expect: 'success',
      },
      {
        name: 'TargetInService',
        waiter: elbv2.TargetInService,
        input: (saved: Saved) => ({
          TargetGroupArn: read('tg0.TargetGroups.0.TargetGroupArn')(saved),
          Targets: [{ Id: 'i-0123456789abcdef0' }],
        }),
        state: 'never registered: moto answers "unused", not InvalidInstance',
        expect: 'timeout',
      },
    ],
    gaps: [
      {
        name: 'TargetDeregistered on InvalidTarget, TargetInService on InvalidInstance',
        reason: 'moto reports an unregistered target as "unused", never as these errors',
      },
    ],
  },
  {
    service: 'elb',
    protocol: 'query',
    client: sdkClient(ElasticLoadBalancingClient),
    setUp: [
      { service: 'ec2', call: 'RunInstances', params: { ImageId: 'ami-12c6146b', MinCount: 2, MaxCount: 2 }, save: 'run' },
      ...times(3, (i) => ({
        call: 'CreateLoadBalancer',
        params: {
          LoadBalancerName: `clb${i}`,
          Listeners: [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 80 }],
          AvailabilityZones: ['us-east-1a'],
        },
      })),
      {
        call: 'RegisterInstancesWithLoadBalancer',
        params: { LoadBalancerName: 'clb0', Instances: [{ InstanceId: '${run.Instances[0].InstanceId}' }] },
      },
    ],
    paginators: [{ paginator: elb.DescribeLoadBalancers, itemKey: 'LoadBalancerName', pageSize: 2, items: 3, paging: 'pages' }],
    waiters: [
      {
        name: 'InstanceInService',
        waiter: elb.InstanceInService,
        input: (saved: Saved) => ({
          LoadBalancerName: 'clb0',
          Instances: [{ InstanceId: read('run.Instances.0.InstanceId')(saved) }],
        }),
        state: 'registered',
        expect: 'success',
      },
      {
        name: 'AnyInstanceInService',
        waiter: elb.AnyInstanceInService,
        input: { LoadBalancerName: 'clb0' },
        state: 'one registered',
        expect: 'success',
      },
      {
        name: 'InstanceDeregistered',
        waiter: elb.InstanceDeregistered,
        input: (saved: Saved) => ({
          LoadBalancerName: 'clb0',
          Instances: [{ InstanceId: read('run.Instances.0.InstanceId')(saved) }],
        }),
        state: 'registered',
        expect: 'timeout',
      },
    ],
    gaps: [
      {
        name: 'InstanceInService / InstanceDeregistered on InvalidInstance',
        reason: 'moto reports an unknown instance as a state, never as the InvalidInstance error',
      },
    ],
  },
  {
    service: 'elasticache',
    protocol: 'query',
    client: sdkClient(ElastiCacheClient),
    setUp: [
      ...times(3, (i) => ({
        call: 'CreateCacheCluster',
        params: { CacheClusterId: `cc${i}`, Engine: 'redis', CacheNodeType: 'cache.t3.micro', NumCacheNodes: 1 },
      })),
      { call: 'DeleteCacheCluster', params: { CacheClusterId: 'cc2' } },
      {
        call: 'CreateReplicationGroup',
        params: {
          ReplicationGroupId: 'rg0',
          ReplicationGroupDescription: 'x',
          Engine: 'redis',
          CacheNodeType: 'cache.t3.micro',
          NumCacheClusters: 1,
        },
      },
    ],
    paginators: [
      // The deleted cluster is still listed, as deleting.
      { paginator: elasticache.DescribeCacheClusters, itemKey: 'CacheClusterId', items: 3, paging: 'pages' },
    ],
    waiters: [
      {
        name: 'CacheClusterAvailable',
        waiter: elasticache.CacheClusterAvailable,
        input: { CacheClusterId: 'cc0' },
        state: 'available',
        expect: 'success',
      },
      {
        name: 'CacheClusterAvailable',
        waiter: elasticache.CacheClusterAvailable,
        input: { CacheClusterId: 'cc2' },
        state: 'deleting',
        expect: 'failure',
      },
      {
        name: 'CacheClusterDeleted',
        waiter: elasticache.CacheClusterDeleted,
        input: { CacheClusterId: 'never' },
        state: 'CacheClusterNotFound',
        expect: 'success on error',
      },
      {
        name: 'CacheClusterDeleted',
        waiter: elasticache.CacheClusterDeleted,
        input: { CacheClusterId: 'cc0' },
        state: 'available',
        expect: 'failure',
      },
      {
        name: 'ReplicationGroupAvailable',
        waiter: elasticache.ReplicationGroupAvailable,
        input: { ReplicationGroupId: 'rg0' },
        state: 'available',
        expect: 'success',
      },
      {
        name: 'ReplicationGroupDeleted',
        waiter: elasticache.ReplicationGroupDeleted,
        input: { ReplicationGroupId: 'never' },
        state: 'ReplicationGroupNotFoundFault',
        expect: 'success on error',
      },
      {
        name: 'ReplicationGroupDeleted',
        waiter: elasticache.ReplicationGroupDeleted,
        input: { ReplicationGroupId: 'rg0' },
        state: 'available',
        expect: 'failure',
      },
    ],
  },
  {
    service: 'rds',
    protocol: 'query',
    client: sdkClient(RDSClient),
    setUp: [
      ...times(3, (i) => ({
        call: 'CreateDBInstance',
        params: {
          DBInstanceIdentifier: `db${i}`,
          DBInstanceClass: 'db.t3.micro',
          Engine: 'postgres',
          MasterUsername: 'admin',
          MasterUserPassword: 'password123',
          AllocatedStorage: 20,
        },
      })),
      { call: 'CreateDBSnapshot', params: { DBInstanceIdentifier: 'db0', DBSnapshotIdentifier: 'snap0' } },
      {
        call: 'CreateDBCluster',
        params: {
          DBClusterIdentifier: 'cl0',
          Engine: 'aurora-postgresql',
          MasterUsername: 'admin',
          MasterUserPassword: 'password123',
        },
      },
      { call: 'CreateDBClusterSnapshot', params: { DBClusterIdentifier: 'cl0', DBClusterSnapshotIdentifier: 'csnap0' } },
      ...times(21, (i) => ({
        call: 'CreateDBParameterGroup',
        params: {
          DBParameterGroupName: `pg${String(i).padStart(2, '0')}`,
          DBParameterGroupFamily: 'postgres16',
          Description: 'x',
        },
      })),
    ],
    paginators: [
      // 21 made here, and the default group of each engine the instances and clusters use.
      { paginator: rds.DescribeDBParameterGroups, itemKey: 'DBParameterGroupName', pageSize: 20, items: 24, paging: 'pages' },
      // One backend answers RDS, DocumentDB and Neptune in moto: their clusters are listed too.
      { paginator: rds.DescribeDBClusters, itemKey: 'DBClusterIdentifier', items: 3, paging: 'pages' },
    ],
    waiters: [
      {
        name: 'DBInstanceAvailable',
        waiter: rds.DBInstanceAvailable,
        input: { DBInstanceIdentifier: 'db0' },
        state: 'available',
        expect: 'success',
      },
      {
        name: 'DBInstanceAvailable',
        waiter: rds.DBInstanceAvailable,
        input: { DBInstanceIdentifier: 'never' },
        state: 'DBInstanceNotFound, which no acceptor expects',
        expect: 'error',
      },
      {
        name: 'DBInstanceDeleted',
        waiter: rds.DBInstanceDeleted,
        input: { DBInstanceIdentifier: 'never' },
        state: 'DBInstanceNotFound',
        expect: 'success on error',
      },
      {
        name: 'DBInstanceDeleted',
        waiter: rds.DBInstanceDeleted,
        input: { DBInstanceIdentifier: 'db0' },
        state: 'available',
        expect: 'timeout',
      },
      {
        name: 'DBSnapshotAvailable',
        waiter: rds.DBSnapshotAvailable,
        input: { DBSnapshotIdentifier: 'snap0' },
        state: 'available',
        expect: 'success',
      },
      {
        name: 'DBSnapshotCompleted',
        waiter: rds.DBSnapshotCompleted,
        input: { DBSnapshotIdentifier: 'snap0' },
        state: 'available',
        expect: 'success',
      },
      {
        name: 'DBSnapshotCompleted',
        waiter: rds.DBSnapshotCompleted,
        input: { DBSnapshotIdentifier: 'never' },
        state: 'DBSnapshotNotFound',
        expect: 'success on error',
      },
      {
        name: 'DBSnapshotDeleted',
        waiter: rds.DBSnapshotDeleted,
        input: { DBSnapshotIdentifier: 'never' },
        state: 'DBSnapshotNotFound',
        expect: 'success on error',
      },
      {
        name: 'DBSnapshotDeleted',
        waiter: rds.DBSnapshotDeleted,
        input: { DBSnapshotIdentifier: 'snap0' },
        state: 'available',
        expect: 'timeout',
      },
      {
        name: 'DBClusterAvailable',
        waiter: rds.DBClusterAvailable,
        input: { DBClusterIdentifier: 'cl0' },
        state: 'available',
        expect: 'success',
      },
      {
        name: 'DBClusterDeleted',
        waiter: rds.DBClusterDeleted,
        input: { DBClusterIdentifier: 'never' },
        state: 'DBClusterNotFoundFault',
        expect: 'success on error',
      },
      {
        name: 'DBClusterSnapshotAvailable',
        waiter: rds.DBClusterSnapshotAvailable,
        input: { DBClusterSnapshotIdentifier: 'csnap0' },
        state: 'available',
        expect: 'success',
      },
      {
        name: 'DBClusterSnapshotDeleted',
        waiter: rds.DBClusterSnapshotDeleted,
        input: { DBClusterSnapshotIdentifier: 'never' },
        state: 'DBClusterSnapshotNotFoundFault',
        expect: 'success on error',
      },
    ],
    gaps: [{ name: 'TenantDatabaseAvailable, TenantDatabaseDeleted', reason: 'moto does not implement DescribeTenantDatabases' }],
  },
  {
    service: 'docdb',
    protocol: 'query',
    client: sdkClient(DocDBClient),
    // moto has no DocumentDB engine; its RDS backend answers the DocumentDB API, so the instances are made there.
    setUp: [
      {
        service: 'rds',
        call: 'CreateDBCluster',
        params: {
          DBClusterIdentifier: 'doc',
          Engine: 'aurora-postgresql',
          MasterUsername: 'admin',
          MasterUserPassword: 'password123',
        },
      },
      ...times(2, (i) => ({
        service: 'rds',
        call: 'CreateDBInstance',
        params: {
          DBInstanceIdentifier: `doc${i}`,
          DBInstanceClass: 'db.t3.medium',
          Engine: 'aurora-postgresql',
          DBClusterIdentifier: 'doc',
        },
      })),
    ],
    waiters: [
      {
        name: 'DBInstanceAvailable',
        waiter: docdb.DBInstanceAvailable,
        input: { DBInstanceIdentifier: 'doc0' },
        state: 'available',
        expect: 'success',
      },
      {
        name: 'DBInstanceDeleted',
        waiter: docdb.DBInstanceDeleted,
        input: { DBInstanceIdentifier: 'never' },
        state: 'DBInstanceNotFound',
        expect: 'success on error',
      },
      {
        name: 'DBInstanceDeleted',
        waiter: docdb.DBInstanceDeleted,
        input: { DBInstanceIdentifier: 'doc0' },
        state: 'available',
        expect: 'timeout',
      },
    ],
  },
  {
    service: 'neptune',
    protocol: 'query',
    client: sdkClient(NeptuneClient),
    setUp: [
      { call: 'CreateDBCluster', params: { DBClusterIdentifier: 'graph', Engine: 'neptune' } },
      ...times(2, (i) => ({
        call: 'CreateDBInstance',
        params: {
          DBInstanceIdentifier: `graph${i}`,
          DBInstanceClass: 'db.t3.medium',
          Engine: 'neptune',
          DBClusterIdentifier: 'graph',
        },
      })),
    ],
    waiters: [
      {
        name: 'DBInstanceAvailable',
        waiter: neptune.DBInstanceAvailable,
        input: { DBInstanceIdentifier: 'graph0' },
        state: 'available',
        expect: 'success',
      },
      {
        name: 'DBInstanceDeleted',
        waiter: neptune.DBInstanceDeleted,
        input: { DBInstanceIdentifier: 'never' },
        state: 'DBInstanceNotFound',
        expect: 'success on error',
      },
      {
        name: 'DBInstanceDeleted',
        waiter: neptune.DBInstanceDeleted,
        input: { DBInstanceIdentifier: 'graph0' },
        state: 'available',
        expect: 'timeout',
      },
    ],
  },
  {
    service: 'cloudformation',
    protocol: 'query',
    client: sdkClient(CloudFormationClient),
    setUp: [
      ...times(4, (i) => ({
        call: 'CreateStack',
        params: { StackName: `st${i}`, TemplateBody: TEMPLATE(`cfn${i}`) },
        save: `st${i}`,
      })),
      { call: 'DeleteStack', params: { StackName: 'st3' } },
    ],
    paginators: [
      { paginator: cloudformation.DescribeStacks, itemKey: 'StackName', items: 3, paging: 'pages' },
      { paginator: cloudformation.ListStacks, itemKey: 'StackName', items: 4, paging: 'pages' },
    ],
    waiters: [
      {
        name: 'StackExists',
        waiter: cloudformation.StackExists,
        input: { StackName: 'st0' },
        state: 'created',
        expect: 'success',
      },
      {
        name: 'StackExists',
        waiter: cloudformation.StackExists,
        input: { StackName: 'none' },
        state: 'ValidationError retried',
        expect: 'timeout',
      },
      {
        name: 'StackCreateComplete',
        waiter: cloudformation.StackCreateComplete,
        input: { StackName: 'st0' },
        state: 'created',
        expect: 'success',
      },
      {
        name: 'StackCreateComplete',
        waiter: cloudformation.StackCreateComplete,
        input: (saved: Saved) => ({ StackName: read('st3.StackId')(saved) }),
        state: 'deleted',
        expect: 'failure',
      },
      {
        name: 'StackDeleteComplete',
        waiter: cloudformation.StackDeleteComplete,
        input: (saved: Saved) => ({ StackName: read('st3.StackId')(saved) }),
        state: 'deleted',
        expect: 'success',
      },
      {
        name: 'StackDeleteComplete',
        waiter: cloudformation.StackDeleteComplete,
        input: { StackName: 'none' },
        state: 'ValidationError',
        expect: 'success on error',
      },
      {
        name: 'StackUpdateComplete',
        waiter: cloudformation.StackUpdateComplete,
        input: { StackName: 'st0' },
        state: 'never updated',
        expect: 'timeout',
      },
    ],
  },
  {
    service: 'sns',
    protocol: 'query',
    client: sdkClient(SNSClient),
    setUp: times(3, (i) => ({ call: 'CreateTopic', params: { Name: `topic${i}` } })),
    paginators: [{ paginator: sns.ListTopics, itemKey: 'TopicArn', items: 3, paging: 'pages' }],
  },
  {
    service: 'autoscaling',
    protocol: 'query',
    client: sdkClient(AutoScalingClient),
    setUp: times(5, (i) => ({
      call: 'CreateLaunchConfiguration',
      params: { LaunchConfigurationName: `lc${i}`, ImageId: 'ami-12c6146b', InstanceType: 't2.micro' },
    })),
    paginators: [
      {
        paginator: autoscaling.DescribeLaunchConfigurations,
        itemKey: 'LaunchConfigurationName',
        pageSize: 2,
        items: 5,
        paging: 'pages',
      },
    ],
  },
  {
    service: 'ses',
    protocol: 'query',
    client: sdkClient(SESClient),
    setUp: times(3, (i) => ({ call: 'VerifyEmailIdentity', params: { EmailAddress: `e${i}@example.com` } })),
    paginators: [
      { paginator: ses.ListIdentities, pageSize: 2, items: 3, paging: { onePage: 'ListIdentities ignores MaxItems' } },
    ],
    waiters: [
      {
        name: 'IdentityExists',
        waiter: ses.IdentityExists,
        input: { Identities: ['e0@example.com'] },
        state: 'verified',
        expect: 'success',
      },
    ],
  },
  {
    service: 'elasticbeanstalk',
    protocol: 'query',
    client: sdkClient(ElasticBeanstalkClient),
    setUp: [
      { call: 'CreateApplication', params: { ApplicationName: 'app' } },
      ...times(2, (i) => ({
        call: 'CreateEnvironment',
        params: { ApplicationName: 'app', EnvironmentName: `env${i}`, SolutionStackName: '64bit Amazon Linux 2' },
      })),
    ],
    paginators: [{ paginator: beanstalk.DescribeEnvironments, itemKey: 'EnvironmentName', items: 2, paging: 'pages' }],
    waiters: [
      {
        name: 'EnvironmentExists',
        waiter: beanstalk.EnvironmentExists,
        input: { ApplicationName: 'app', EnvironmentNames: ['env0'] },
        state: 'ready',
        expect: 'success',
      },
      {
        name: 'EnvironmentUpdated',
        waiter: beanstalk.EnvironmentUpdated,
        input: { ApplicationName: 'app', EnvironmentNames: ['env0'] },
        state: 'ready',
        expect: 'success',
      },
      {
        name: 'EnvironmentTerminated',
        waiter: beanstalk.EnvironmentTerminated,
        input: { ApplicationName: 'app', EnvironmentNames: ['env0'] },
        state: 'ready',
        expect: 'timeout',
      },
    ],
  },
];

/**
 * Error acceptors in Step Functions: the compiled state machine, run by moto's
 * Step Functions, reaches the outcome `waitFor` reaches in this process, on the
 * waiters whose acceptors name a wire code the SDK models as an exception of
 * another name. moto names an SDK task's error after the botocore exception
 * with `Exception` appended (`rds.DBInstanceNotFoundFaultException`); AWS after
 * the Java SDK v2 class (`Rds.DbInstanceNotFoundException`); the Choice rules
 * take both (docs/differential.md). RDS DBInstanceDeleted and DBSnapshotDeleted
 * are not here: their `length(...)` acceptors have no Step Functions form
 * (spec/stepFunctions/corpusReport.json).
 */
import { lastValueFrom } from 'rxjs';
import { RDSClient } from '@aws-sdk/client-rds';
import { IAMClient } from '@aws-sdk/client-iam';
import * as redshiftSdk from '@aws-sdk/client-redshift';
import * as elasticacheSdk from '@aws-sdk/client-elasticache';
import * as neptuneSdk from '@aws-sdk/client-neptune';
import * as docdbSdk from '@aws-sdk/client-docdb';
import * as elbv2Sdk from '@aws-sdk/client-elastic-load-balancing-v2';
import { waitFor, WaiterError, type BoundWaiter, type SdkClient } from '../../src';
import * as redshift from '../../src/services/generated/redshift';
import * as elasticache from '../../src/services/generated/elasticache';
import * as rds from '../../src/services/generated/rds';
import * as neptune from '../../src/services/generated/neptune';
import * as docdb from '../../src/services/generated/docdb';
import * as elbv2 from '../../src/services/generated/elastic-load-balancing-v2';
import * as iam from '../../src/services/generated/iam';
import { toStateMachine } from '../../src/stepFunctions';
import { describeIfMoto } from '../support/startMoto';
import { startStepFunctionsMoto, type StepFunctionsMoto } from '../stepFunctions/motoStepFunctions';

type Outcome = 'success' | 'failure' | 'timeout' | 'error';
type AnyWaiter = BoundWaiter<any, any, any, any>;
const MAX_ATTEMPTS = 2;

// Read by name: the generator's stand-ins for these packages (src/services/sdkStubs.d.ts) type them loosely until it is rerun.
const clientClass = (module: object, name: string) => (module as Record<string, unknown>)[name];

/** A generated waiter without the exceptions map the generator emits: only the wire code names the error. */
const withoutExceptions = ({ exceptions: _, ...waiter }: AnyWaiter): AnyWaiter => waiter;

describe('the Choice rule of an error acceptor', () => {
  it('takes the wire code, with Exception, as the Java SDK v2 names it, and the same of the exception the map names', () => {
    expect(rds.DBSnapshotCompleted.exceptions).toEqual({ DBSnapshotNotFound: 'DBSnapshotNotFoundFault' });
    const { States } = toStateMachine(rds.DBSnapshotCompleted, { DBSnapshotIdentifier: 'snap' });
    const names = (States['Judge error'] as { Choices: { Or: { StringMatches: string }[] }[] }).Choices[0]!.Or.map(
      (r) => r.StringMatches,
    );
    expect(names).toEqual([
      '*.DBSnapshotNotFound',
      '*.DBSnapshotNotFoundException',
      '*.DbSnapshotNotFoundException',
      '*.DBSnapshotNotFoundFault',
      '*.DBSnapshotNotFoundFaultException',
    ]);
  });

  it('of a Smithy errorType, takes the exception it names', () => {
    const { States } = toStateMachine(
      {
        spec: {
          minDelay: 1,
          maxDelay: 2,
          acceptors: [{ state: 'success', matcher: { errorType: 'com.amazonaws.redshift#ClusterNotFoundFault' } }],
        },
        command: redshift.ClusterDeleted.command,
      },
      { ClusterIdentifier: 'c' },
      { maxAttempts: 2 },
    );
    const names = (States['Judge error'] as { Choices: { Or: { StringMatches: string }[] }[] }).Choices[0]!.Or.map(
      (r) => r.StringMatches,
    );
    expect(names).toEqual(['*.ClusterNotFoundFault', '*.ClusterNotFoundFaultException', '*.ClusterNotFoundException']);
  });
});

describeIfMoto('error acceptors in Step Functions agree with waitFor (moto)', () => {
  let sfn: StepFunctionsMoto;
  const clients: { destroy(): void }[] = [];

  beforeAll(async () => {
    sfn = (await startStepFunctionsMoto())!;
  }, 150_000);
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await sfn?.stop();
  });

  async function inProcess(waiter: AnyWaiter, client: SdkClient, input: object): Promise<Outcome> {
    try {
      await lastValueFrom(waitFor(waiter, client, input, { delay: 0, maxAttempts: MAX_ATTEMPTS }));
      return 'success';
    } catch (error) {
      if (error instanceof WaiterError) return error.kind;
      throw error;
    }
  }

  async function inMachine(region: string, waiter: AnyWaiter, input: object, service?: string): Promise<Outcome> {
    const definition = toStateMachine(waiter, input as never, {
      delay: 1,
      maxAttempts: MAX_ATTEMPTS,
      ...(service && { service }),
    });
    const execution = await sfn.execute(region, definition);
    if (execution.status === 'SUCCEEDED') return 'success';
    expect(execution.status).toBe('FAILED');
    return execution.error as Outcome;
  }

  /** Both paths on the same input, in a region of their own (moto runs one execution per region). */
  async function both(waiter: AnyWaiter, Client: unknown, input: object, service?: string): Promise<[Outcome, Outcome]> {
    const region = sfn.region();
    const client = new (Client as new (config: object) => SdkClient & { destroy(): void })(sfn.config(region));
    clients.push(client);
    return [await inProcess(waiter, client, input), await inMachine(region, waiter, input, service)];
  }

  const RedshiftClient = clientClass(redshiftSdk, 'RedshiftClient');
  const ElastiCacheClient = clientClass(elasticacheSdk, 'ElastiCacheClient');
  const NeptuneClient = clientClass(neptuneSdk, 'NeptuneClient');
  const DocDBClient = clientClass(docdbSdk, 'DocDBClient');
  const ElasticLoadBalancingV2Client = clientClass(elbv2Sdk, 'ElasticLoadBalancingV2Client');
  const cases: [string, () => Promise<[Outcome, Outcome]>, Outcome][] = [
    [
      'Redshift ClusterDeleted, no cluster (ClusterNotFound, the exception ClusterNotFoundFault)',
      () => both(redshift.ClusterDeleted, RedshiftClient, { ClusterIdentifier: 'none' }),
      'success',
    ],
    [
      'Redshift ClusterAvailable, no cluster (ClusterNotFound retried)',
      () => both(redshift.ClusterAvailable, RedshiftClient, { ClusterIdentifier: 'none' }),
      'timeout',
    ],
    [
      'ElastiCache CacheClusterDeleted, no cluster (CacheClusterNotFound, the exception CacheClusterNotFoundFault)',
      () => both(elasticache.CacheClusterDeleted, ElastiCacheClient, { CacheClusterId: 'none' }),
      'success',
    ],
    [
      'RDS DBSnapshotCompleted, no snapshot (DBSnapshotNotFound, the exception DBSnapshotNotFoundFault)',
      () => both(rds.DBSnapshotCompleted, RDSClient, { DBSnapshotIdentifier: 'none' }),
      'success',
    ],
    [
      'DocumentDB DBInstanceDeleted, no instance (DBInstanceNotFound, the exception DBInstanceNotFoundFault)',
      () => both(docdb.DBInstanceDeleted, DocDBClient, { DBInstanceIdentifier: 'none' }),
      'success',
    ],
    [
      'Neptune DBInstanceDeleted, no instance (DBInstanceNotFound, the exception DBInstanceNotFoundFault)',
      () => both(neptune.DBInstanceDeleted, NeptuneClient, { DBInstanceIdentifier: 'none' }),
      'success',
    ],
    [
      // moto's Step Functions knows the service as elbv2 (boto3's name); AWS's resource names it elasticloadbalancingv2.
      'ELBv2 LoadBalancersDeleted, no load balancer (LoadBalancerNotFound, the exception LoadBalancerNotFoundException)',
      () => both(elbv2.LoadBalancersDeleted, ElasticLoadBalancingV2Client, { Names: ['none'] }, 'elbv2'),
      'success',
    ],
    [
      // The exception is the code with Exception appended, which the rule takes with or without the map.
      'IAM UserExists, no user (NoSuchEntity, the exception NoSuchEntityException, retried)',
      () => both(iam.UserExists, IAMClient, { UserName: 'none' }),
      'timeout',
    ],
  ];

  it.each(cases)(
    '%s',
    async (_name, run, expected) => {
      const [local, machine] = await run();
      expect({ local, machine }).toEqual({ local: expected, machine: expected });
    },
    60_000,
  );

  it('without the exceptions map, moto names the error after the exception, which the code alone does not match', async () => {
    const [local, machine] = await both(withoutExceptions(redshift.ClusterDeleted), RedshiftClient, {
      ClusterIdentifier: 'none',
    });
    expect({ local, machine }).toEqual({ local: 'success', machine: 'error' });
  }, 120_000);
});

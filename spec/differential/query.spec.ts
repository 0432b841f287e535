/**
 * Differential, AWS query protocol: botocore and rxjs-aws on the same moto state.
 * Here live the error acceptors that name a wire code while SDK v3 throws the
 * modelled exception (`ClusterNotFound` / `ClusterNotFoundFault`): Redshift,
 * ELBv2, ElastiCache, IAM, RDS, DocumentDB and Neptune.
 */
import { describeDifferential } from './differential';

// The cases load their SDK clients, which takes seconds: moto warms these services meanwhile.
describeDifferential(
  'differential against botocore: query protocol',
  [
    'iam',
    'redshift',
    'elbv2',
    'elb',
    'elasticache',
    'rds',
    'docdb',
    'neptune',
    'cloudformation',
    'sns',
    'autoscaling',
    'ses',
    'elasticbeanstalk',
    'ec2',
  ],
  () => (require('./query.cases') as typeof import('./query.cases')).services,
);

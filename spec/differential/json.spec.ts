/**
 * Differential, AWS JSON 1.0 / 1.1 protocols (SQS in query-compatible mode):
 * botocore and rxjs-aws on the same moto state.
 */
import { describeDifferential } from './differential';

// The cases load their SDK clients, which takes seconds: moto warms these services meanwhile.
describeDifferential(
  'differential against botocore: JSON protocols',
  [
    'dynamodb',
    'kinesis',
    'logs',
    'ssm',
    'sqs',
    'stepfunctions',
    'kms',
    'secretsmanager',
    'ecr',
    'ecs',
    'events',
    'glue',
    'cloudtrail',
    'cognito-idp',
    'servicediscovery',
    'organizations',
    'emr',
    'acm',
    'transfer',
    'sagemaker',
    's3',
  ],
  () => (require('./json.cases') as typeof import('./json.cases')).services,
);

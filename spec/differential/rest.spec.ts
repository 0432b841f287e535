/**
 * Differential, REST-JSON, REST-XML, Smithy RPC v2 CBOR and EC2 query
 * protocols: botocore and rxjs-aws on the same moto state.
 */
import { describeDifferential } from './differential';

// The cases load their SDK clients, which takes seconds: moto warms these services meanwhile.
describeDifferential(
  'differential against botocore: REST, CBOR and EC2 protocols',
  [
    'ec2',
    's3',
    'lambda',
    'iam',
    'apigateway',
    'glacier',
    'efs',
    'backup',
    'appsync',
    'iot',
    'eks',
    'batch',
    'route53',
    'cloudfront',
    'cloudwatch',
  ],
  () => (require('./rest.cases') as typeof import('./rest.cases')).services,
);

/**
 * `rxjs-aws/ec2`: every botocore paginator and waiter of EC2 bound to its
 * `@aws-sdk/client-ec2` command.
 *
 * @example
 * ```ts
 * import { EC2Client } from '@aws-sdk/client-ec2';
 * import { paginate, search, waitFor } from 'rxjs-aws';
 * import { DescribeInstances, InstanceRunning } from 'rxjs-aws/ec2';
 *
 * const client = new EC2Client({});
 * waitFor(InstanceRunning, client, { InstanceIds: ['i-0123456789abcdef0'] }, { maxWaitTime: 600 }).subscribe();
 * paginate(DescribeInstances, client, {}).pipe(search('Reservations[].Instances[].InstanceId')).subscribe(console.log);
 * ```
 * @packageDocumentation
 */
export * from './generated';

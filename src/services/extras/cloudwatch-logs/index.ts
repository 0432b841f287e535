/**
 * `rxjs-aws/cloudwatch-logs`: the botocore paginators and waiters of CloudWatch Logs (logs/2014-03-28) bound to
 * their `@aws-sdk/client-cloudwatch-logs` commands, plus `GetLogEvents`, which ends at the end of the stream.
 *
 * @example
 * ```ts
 * import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
 * import { items, paginate } from 'rxjs-aws';
 * import { DescribeLogGroups, GetLogEvents } from 'rxjs-aws/cloudwatch-logs';
 *
 * const client = new CloudWatchLogsClient({});
 * paginate(DescribeLogGroups, client, {}).pipe(items(DescribeLogGroups)).subscribe((group) => console.log(group.logGroupName));
 * paginate(GetLogEvents, client, { logGroupName: '/app', logStreamName: 'web-1', startFromHead: true })
 *   .pipe(items(GetLogEvents))
 *   .subscribe((event) => console.log(event.message));
 * ```
 * @packageDocumentation
 */
export { GetLogEvents } from './GetLogEvents';

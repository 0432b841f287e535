import {
  GetLogEventsCommand,
  type CloudWatchLogsClient,
  type GetLogEventsCommandInput,
  type GetLogEventsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import type { BoundPaginator, ItemOf, ServiceBinding } from '../../../specs/bound';

const service: ServiceBinding = {
  serviceId: 'CloudWatch Logs',
  client: 'CloudWatchLogsClient',
  package: '@aws-sdk/client-cloudwatch-logs',
};

/**
 * The events of one log stream, page by page (botocore has no paginator for it). CloudWatch Logs marks the end of a
 * stream by returning the token it was sent; that ends the Observable cleanly (`stop_on_same_token`), where botocore
 * raises a PaginationError and SDK v3 loops unless told `stopOnSameToken`. The last page's resume token picks up
 * events written later. Read forward with `startFromHead: true`.
 * @example
 * ```ts
 * paginate(GetLogEvents, client, { logGroupName: '/app', logStreamName: 'web-1', startFromHead: true })
 *   .pipe(items(GetLogEvents))
 *   .subscribe((event) => console.log(event.message));
 * ```
 */
export const GetLogEvents: BoundPaginator<
  GetLogEventsCommandInput,
  GetLogEventsCommandOutput,
  ItemOf<GetLogEventsCommandOutput, 'events'>,
  CloudWatchLogsClient
> = {
  spec: {
    input_token: 'nextToken',
    output_token: 'nextForwardToken',
    limit_key: 'limit',
    result_key: 'events',
    stop_on_same_token: true,
  },
  command: GetLogEventsCommand,
  service,
};

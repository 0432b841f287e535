import { wholeNumber } from '../util/wholeNumber';
import { SpecError } from '../errors/SpecError';
import type { StateMachineDefinition } from './toStateMachine';

/**
 * Options of {@link shardMapDefinition}.
 * @example
 * ```ts
 * const options: ShardMapOptions = { bucket: 'jobs', key: 'music/shards.json', worker: 'arn:aws:lambda:eu-west-1:123456789012:function:scan-worker' };
 * ```
 */
export interface ShardMapOptions {
  /** Bucket of the manifest: the JSON list {@link planShards} made. */
  readonly bucket: string;
  /** Key of the manifest. */
  readonly key: string;
  /** ARN of the Lambda function whose handler is a {@link shardWorker}. */
  readonly worker: string;
  /**
   * Shards read at once.
   * @default 16
   */
  readonly maxConcurrency?: number;
  /**
   * Retries of one worker invocation that failed (a crash, a timeout), each from the same item.
   * @default 3
   */
  readonly maxRetries?: number;
}

/**
 * The Distributed Map that runs a sharded scan: it reads the work items from
 * S3, and for each item invokes the worker until it answers `done`, feeding
 * `next` back through a Choice loop. A failed invocation is retried from the
 * same item, which is why delivery is at least once per page.
 *
 * @example
 * ```ts
 * const definition = shardMapDefinition({ bucket: 'jobs', key: 'music/shards.json', worker: workerArn });
 * await sfn.send(new CreateStateMachineCommand({ name: 'scan-music', definition: JSON.stringify(definition), roleArn }));
 * ```
 */
export function shardMapDefinition(options: ShardMapOptions): StateMachineDefinition {
  const { bucket, key, worker, maxConcurrency = 16, maxRetries = 3 } = options;
  for (const [field, value] of Object.entries({ bucket, key, worker })) {
    if (typeof value !== 'string' || value === '') throw new SpecError(field, 'expected a non-empty string');
  }
  for (const [field, value] of Object.entries({ maxConcurrency, maxRetries })) wholeNumber(value, field, { min: 0 });
  return {
    Comment: 'A sharded scan: one Map item per segment, each read by the worker until it is done (rxjs-aws)',
    QueryLanguage: 'JSONPath',
    StartAt: 'Shards',
    States: {
      Shards: {
        Type: 'Map',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSON' },
          Parameters: { Bucket: bucket, Key: key },
        },
        MaxConcurrency: maxConcurrency,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Read shard',
          States: {
            'Read shard': {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { FunctionName: worker, 'Payload.$': '$' },
              ResultSelector: { 'result.$': '$.Payload' },
              OutputPath: '$.result',
              Retry: [
                {
                  ErrorEquals: ['States.ALL'],
                  IntervalSeconds: 2,
                  BackoffRate: 2,
                  MaxAttempts: maxRetries,
                },
              ],
              Next: 'Shard done?',
            },
            'Shard done?': {
              Type: 'Choice',
              Choices: [{ Variable: '$.done', BooleanEquals: false, Next: 'Next part' }],
              Default: 'Shard read',
            },
            'Next part': { Type: 'Pass', InputPath: '$.next', Next: 'Read shard' },
            'Shard read': { Type: 'Succeed' },
          },
        },
        End: true,
      },
    },
  };
}

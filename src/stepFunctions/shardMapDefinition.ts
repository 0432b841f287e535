import { describeValue } from '../util/describeValue';
import { optionsRecord } from '../util/optionsRecord';
import { wholeNumber } from '../util/wholeNumber';
import { SpecError } from '../errors/SpecError';
import type { StateMachineDefinition } from './toStateMachine';

/**
 * Options of {@link shardMapDefinition}, checked when it is called.
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

const OPTIONS = ['bucket', 'key', 'worker', 'maxConcurrency', 'maxRetries'] as const;
// The largest MaxConcurrency and Retry MaxAttempts Amazon States Language takes.
const MAX_COUNT = 99_999_999;

/**
 * The Distributed Map that runs a sharded scan: it reads the work items from
 * S3, and for each item invokes the worker until it answers `done`, feeding
 * `next` back through a Choice loop. A failed invocation is retried from the
 * same item, which is why delivery is at least once per page.
 *
 * @throws {SpecError} for a missing, bad or unknown option, naming it (`options.bucket`).
 * @example
 * ```ts
 * const definition = shardMapDefinition({ bucket: 'jobs', key: 'music/shards.json', worker: workerArn });
 * await sfn.send(new CreateStateMachineCommand({ name: 'scan-music', definition: JSON.stringify(definition), roleArn }));
 * ```
 */
export function shardMapDefinition(options: ShardMapOptions): StateMachineDefinition {
  const given = optionsRecord(options, 'options', OPTIONS);
  const [bucket, key, worker] = (['bucket', 'key', 'worker'] as const).map((name) => {
    const value = given[name];
    if (typeof value !== 'string' || value === '') {
      throw new SpecError(`options.${name}`, `expected a non-empty string, got ${describeValue(value)}`);
    }
    return value;
  });
  const count = (name: 'maxConcurrency' | 'maxRetries', fallback: number) =>
    given[name] === undefined ? fallback : wholeNumber(given[name], `options.${name}`, { min: 0, max: MAX_COUNT });
  const maxConcurrency = count('maxConcurrency', 16);
  const maxRetries = count('maxRetries', 3);
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

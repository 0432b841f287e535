/**
 * The Distributed Map template runs in moto: the manifest planShards made is
 * read from moto's S3, and a stand-in for the worker Lambda (moto runs no
 * Lambda without Docker) drives the Choice loop through three parts per shard.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SpecError } from '../../src';
import { hmacTokenSigner } from '../../src/signing';
import { planShards, shardMapDefinition } from '../../src/stepFunctions';
import { describeIfMoto } from '../support/startMoto';
import { startStepFunctionsMoto, type StepFunctionsMoto } from './motoStepFunctions';

const signer = hmacTokenSigner(['a key of at least thirty-two bytes!!']);

/** Replaces the Lambda task by Pass states: parts 0 and 1 return `next`, part 2 returns `done`. */
function withStandIn(definition: ReturnType<typeof shardMapDefinition>): object {
  const map = definition.States['Shards'] as { ItemProcessor: { States: Record<string, unknown> } };
  const states = { ...map.ItemProcessor.States };
  const { Next: after } = states['Read shard'] as { Next: string };
  states['Read shard'] = {
    Type: 'Choice',
    Choices: [{ Variable: '$.sequence', NumericGreaterThanEquals: 2, Next: 'Stand-in: last part' }],
    Default: 'Stand-in: a part',
  };
  states['Stand-in: a part'] = {
    Type: 'Pass',
    Parameters: {
      done: false,
      'segment.$': '$.segment',
      pages: 1,
      next: {
        'segment.$': '$.segment',
        'totalSegments.$': '$.totalSegments',
        'sequence.$': 'States.MathAdd($.sequence, 1)',
        'token.$': '$.token',
      },
    },
    Next: after,
  };
  states['Stand-in: last part'] = {
    Type: 'Pass',
    Parameters: { done: true, 'segment.$': '$.segment', 'parts.$': 'States.MathAdd($.sequence, 1)' },
    Next: after,
  };
  return { ...definition, States: { Shards: { ...map, ItemProcessor: { ...map.ItemProcessor, States: states } } } };
}

describeIfMoto('shardMapDefinition in moto', () => {
  let sfn: StepFunctionsMoto;
  let s3: S3Client;
  beforeAll(async () => {
    sfn = (await startStepFunctionsMoto())!;
  });
  afterAll(async () => {
    s3?.destroy();
    await sfn?.stop();
  });

  it('reads the manifest from S3 and loops each shard through the Choice until the worker says done', async () => {
    const region = sfn.region();
    s3 = new S3Client({ ...sfn.config(region), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'jobs' }));
    const manifest = planShards({ TableName: 'music' }, { totalSegments: 4, signer });
    await s3.send(new PutObjectCommand({ Bucket: 'jobs', Key: 'music/shards.json', Body: JSON.stringify(manifest) }));

    const definition = shardMapDefinition({
      bucket: 'jobs',
      key: 'music/shards.json',
      worker: `arn:aws:lambda:${region}:123456789012:function:scan-worker`,
      maxConcurrency: 2,
    });
    const execution = await sfn.execute(region, withStandIn(definition));

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toEqual([0, 1, 2, 3].map((segment) => ({ done: true, segment, parts: 3 })));
  });
});

describe('shardMapDefinition options', () => {
  const options = { bucket: 'jobs', key: 'music/shards.json', worker: 'arn:aws:lambda:eu-west-1:123456789012:function:w' };

  it('are checked when called: SpecErrors name options.<field>, an unknown one with the one it most likely meant', () => {
    expect(() => shardMapDefinition({ ...options, maxRetires: 2 } as never)).toThrow(
      new SpecError('options.maxRetires', 'unknown option; did you mean maxRetries?'),
    );
    expect(() => shardMapDefinition({ ...options, bucket: '' })).toThrow(
      new SpecError('options.bucket', 'expected a non-empty string, got ""'),
    );
    expect(() => shardMapDefinition({ ...options, worker: undefined } as never)).toThrow(
      new SpecError('options.worker', 'expected a non-empty string, got nothing'),
    );
    expect(() => shardMapDefinition({ ...options, maxConcurrency: 1.5 })).toThrow(
      new SpecError('options.maxConcurrency', 'expected a whole number from 0 to 99999999, got number 1.5'),
    );
    expect(() => shardMapDefinition(undefined as never)).toThrow(
      new SpecError('options.bucket', 'expected a non-empty string, got nothing'),
    );
  });

  it('defaults to 16 shards at once and 3 retries', () => {
    const map = shardMapDefinition(options).States['Shards'] as { MaxConcurrency: number; ItemProcessor: object };
    expect(map.MaxConcurrency).toBe(16);
    expect(JSON.stringify(map.ItemProcessor)).toContain('"MaxAttempts":3');
  });
});

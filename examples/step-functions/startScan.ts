/**
 * Starts a sharded scan: plans the shards, writes the manifest to S3, creates
 * the Distributed Map state machine and starts it. Run with
 * `npx ts-node examples/step-functions/startScan.ts <table> <bucket> <worker-arn> <role-arn>`
 * (TOKEN_KEY in the environment, the same key as the worker's).
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateStateMachineCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { hmacTokenSigner } from '../../src/signing';
import { planShards, shardMapDefinition } from '../../src/stepFunctions';

export async function startScan(options: {
  table: string;
  bucket: string;
  worker: string;
  role: string;
  tokenKey: string;
  totalSegments?: number;
}): Promise<string> {
  const { table, bucket, worker, role, tokenKey, totalSegments = 64 } = options;
  const key = `scans/${table}/${Date.now()}/shards.json`;
  const shards = planShards({ TableName: table }, { totalSegments, signer: hmacTokenSigner([tokenKey]) });
  const s3 = new S3Client({});
  const sfn = new SFNClient({});
  try {
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(shards), ContentType: 'application/json' }),
    );
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: `scan-${table}-${Date.now()}`,
        definition: JSON.stringify(shardMapDefinition({ bucket, key, worker })),
        roleArn: role,
      }),
    );
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn }));
    return executionArn!;
  } finally {
    s3.destroy();
    sfn.destroy();
  }
}

if (require.main === module) {
  const [table, bucket, worker, role] = process.argv.slice(2);
  const tokenKey = process.env['TOKEN_KEY'];
  if (!table || !bucket || !worker || !role || !tokenKey) {
    console.error('usage: TOKEN_KEY=... startScan.ts <table> <bucket> <worker-arn> <role-arn>');
    process.exit(2);
  }
  startScan({ table, bucket, worker, role, tokenKey }).then(console.log, (error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

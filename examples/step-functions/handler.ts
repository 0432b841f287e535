/**
 * The worker Lambda of a sharded scan (see README.md here): each invocation
 * reads one Map item's segment until its time is nearly up, copies every item
 * to the results table, and hands the Map either `done` or the next item.
 *
 * Pages arrive at least once: a worker that dies after writing is re-run from
 * the same item. The commit is idempotent per item (a conditional put), so a
 * page delivered again writes nothing twice.
 */
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  PutItemCommand,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { Scan } from '../../src/services/generated/dynamodb';
import { hmacTokenSigner } from '../../src/signing';
import { shardWorker, type DeadlineContext, type PageKey, type ShardResult, type ShardWorkItem } from '../../src/stepFunctions';
import type { TokenSigner } from '../../src';

export interface ScanJob {
  readonly client: DynamoDBClient;
  readonly sourceTable: string;
  readonly resultsTable: string;
  readonly signer: TokenSigner;
  /** Seconds kept back from the Lambda's remaining time: one page and its writes must fit in it. */
  readonly margin?: number;
  readonly pageSize?: number;
}

/** Writes the page's items; an item already written (a page delivered again) is skipped. */
export async function commitPage(
  job: ScanJob,
  page: ScanCommandOutput,
  key: PageKey,
): Promise<{ written: number; skipped: number }> {
  let written = 0;
  let skipped = 0;
  for (const item of page.Items ?? []) {
    try {
      await job.client.send(
        new PutItemCommand({
          TableName: job.resultsTable,
          // The page key travels with the effect: which delivery wrote it is visible later.
          Item: { ...item, copiedBy: { S: key.idempotencyKey } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      written++;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      skipped++;
    }
  }
  return { written, skipped };
}

export function makeHandler(job: ScanJob): (item: ShardWorkItem, context: DeadlineContext) => Promise<ShardResult> {
  return shardWorker({
    paginator: Scan,
    client: job.client,
    query: { TableName: job.sourceTable },
    signer: job.signer,
    pageSize: job.pageSize ?? 500,
    margin: job.margin ?? 60,
    work: (page, key) => commitPage(job, page, key),
  });
}

let fromEnvironment: ReturnType<typeof makeHandler> | undefined;

/** The Lambda entry point: SOURCE_TABLE, RESULTS_TABLE and TOKEN_KEY (32 bytes or more) from the environment. */
export const handler = (item: ShardWorkItem, context: DeadlineContext): Promise<ShardResult> => {
  fromEnvironment ??= makeHandler({
    client: new DynamoDBClient({}),
    sourceTable: required('SOURCE_TABLE'),
    resultsTable: required('RESULTS_TABLE'),
    signer: hmacTokenSigner([required('TOKEN_KEY')]),
  });
  return fromEnvironment(item, context);
};

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

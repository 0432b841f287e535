import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { hmacTokenSigner } from '../../src/signing';
import { planShards, shardMapDefinition, type ShardResult } from '../../src/stepFunctions';
import { commitPage, makeHandler, type ScanJob } from '../../examples/step-functions/handler';
import { tableExistsMachine } from '../../examples/step-functions/waiterMachine';
import { createTable, putItems, startDynalite, type DynaliteServer } from '../support/startDynalite';

// asl-validator ships no type declarations.
const aslValidator: (definition: object) => { isValid: boolean } = require('asl-validator');

describe('examples/step-functions', () => {
  it('ships the Map template shardMapDefinition makes, with substitution placeholders', () => {
    const template = JSON.parse(
      readFileSync(join(__dirname, '../../examples/step-functions/scan-map.asl.json'), 'utf8'),
    ) as object;
    expect(template).toEqual(shardMapDefinition({ bucket: '${ManifestBucket}', key: '${ManifestKey}', worker: '${WorkerArn}' }));
    expect(aslValidator(JSON.parse(JSON.stringify(template)) as object).isValid).toBe(true);
  });

  it('prints a valid TableExists machine reading the table name from the execution input', () => {
    expect(aslValidator(JSON.parse(JSON.stringify(tableExistsMachine)) as object).isValid).toBe(true);
    expect(tableExistsMachine.States['Start']).toMatchObject({ Parameters: { input: { 'TableName.$': '$.table' } } });
  });

  describe('the worker handler against dynalite', () => {
    let ddb: DynaliteServer;
    let client: DynamoDBClient;
    let job: ScanJob;
    beforeAll(async () => {
      ddb = await startDynalite();
      client = ddb.client();
      await createTable(client, 'source');
      await createTable(client, 'results');
      await putItems(client, 'source', 20);
      job = {
        client,
        sourceTable: 'source',
        resultsTable: 'results',
        signer: hmacTokenSigner(['example key of thirty-two bytes!!']),
        pageSize: 6,
        margin: 0.001,
      };
    });
    afterAll(async () => {
      client?.destroy();
      await ddb?.stop();
    });

    it('copies every item once, and a page delivered again writes nothing', async () => {
      const handler = makeHandler(job);
      const results: ShardResult[] = [];
      for (const item of planShards({ TableName: 'source' }, { totalSegments: 2, signer: job.signer })) {
        results.push(await handler(item, { getRemainingTimeInMillis: () => 60_000 }));
      }
      expect(results.map(({ done }) => done)).toEqual([true, true]);
      const { Count } = await client.send(new ScanCommand({ TableName: 'results', Select: 'COUNT' }));
      expect(Count).toBe(20);

      const { Items } = await client.send(new ScanCommand({ TableName: 'source', Limit: 6 }));
      const again = await commitPage(
        job,
        { Items, $metadata: {} },
        { segment: 0, totalSegments: 1, sequence: 0, idempotencyKey: '0/1/0' },
      );
      expect(again).toEqual({ written: 0, skipped: 6 });
    });
  });
});

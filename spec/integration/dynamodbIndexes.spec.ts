/**
 * TableAndIndexesActive against dynalite through the real DynamoDBClient: the
 * waiter holds on while a global secondary index is not ACTIVE, where
 * botocore's TableExists already succeeds.
 *
 * What dynalite 4.0.0 models (node_modules/dynalite/actions/*Table.js):
 * - CreateTable: the table and its GSIs are CREATING for createTableMs, then ACTIVE together.
 * - UpdateTable with GlobalSecondaryIndexUpdates[].Update (provisioned tables): that index is
 *   UPDATING for updateTableMs while the table stays ACTIVE.
 * - UpdateTable with GlobalSecondaryIndexUpdates[].Create: validated, then ignored (no index
 *   appears), and `Backfilling` is never set. The online index build of AWS is therefore
 *   overlaid on dynalite's real responses by a small client wrapper in the last test.
 *
 * No assertion depends on the machine's speed: dynalite's windows are opened only around
 * the table a test watches, long enough for its first looks on a loaded machine, and their
 * ends are waited for as events; the overlaid build advances with each DescribeTable.
 */
import { lastValueFrom, toArray } from 'rxjs';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTableCommand,
  type DescribeTableCommandInput,
  type DescribeTableCommandOutput,
  type GlobalSecondaryIndexDescription,
  type UpdateTableCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { waitForAttempts, type SdkClient, type WaiterAttempt } from '../../src';
import { TableAndIndexesActive, TableExists } from '../../src/services/generated/dynamodb';
import { createTable, DynaliteServer, startDynalite, waitForTableActive } from '../support/startDynalite';

type Attempt = WaiterAttempt<DescribeTableCommandInput, DescribeTableCommandOutput>;

const POLL = { delay: 0.05, maxAttempts: 200 };
/** How long a watched table or index stays CREATING or UPDATING in dynalite. */
const WATCHED_MS = 2000;
/** DescribeTable calls the overlaid index build spends CREATING, then as many Backfilling. */
const BUILD_STEPS = 2;

const tableOf = (a: Attempt) => (a.response.ok ? a.response.output.Table : undefined);
const indexOf = (a: Attempt, name: string) => tableOf(a)?.GlobalSecondaryIndexes?.find((i) => i.IndexName === name);
/** One line per attempt: `state table-status index-status[+backfilling]`. */
const trace = (attempts: Attempt[], index: string) =>
  attempts.map((a) => {
    const gsi = indexOf(a, index);
    return `${a.state} ${tableOf(a)?.TableStatus} ${gsi?.IndexStatus}${gsi?.Backfilling ? '+backfilling' : ''}`;
  });
/** Consecutive duplicates removed: the phases the waiter went through. */
const phases = (lines: string[]) => lines.filter((line, i) => line !== lines[i - 1]);

/**
 * Overlays an online index build on dynalite, which ignores GSI creation in UpdateTable:
 * a created index is CREATING for the first `steps` DescribeTable calls, CREATING and
 * Backfilling for the next `steps`, then ACTIVE. Everything else is dynalite's real response.
 */
function withOnlineIndexBuilds(inner: DynamoDBClient, steps: number): DynamoDBClient {
  const builds = new Map<string, { index: GlobalSecondaryIndexDescription; described: number }>();
  const phase = (described: number): Partial<GlobalSecondaryIndexDescription> => {
    if (described > 2 * steps) return { IndexStatus: 'ACTIVE', Backfilling: false };
    return { IndexStatus: 'CREATING', Backfilling: described > steps };
  };
  const overlay: SdkClient = {
    async send(command, options) {
      if (command instanceof UpdateTableCommand) {
        const out: UpdateTableCommandOutput = await inner.send(command, options);
        for (const update of command.input.GlobalSecondaryIndexUpdates ?? []) {
          const { IndexName, KeySchema, Projection } = update.Create ?? {};
          if (IndexName) builds.set(command.input.TableName!, { index: { IndexName, KeySchema, Projection }, described: 0 });
        }
        return out;
      }
      if (command instanceof DescribeTableCommand) {
        const out = await inner.send(command, options);
        const build = builds.get(command.input.TableName!);
        if (!build || !out.Table) return out;
        const indexes = [...(out.Table.GlobalSecondaryIndexes ?? []), { ...build.index, ...phase(++build.described) }];
        return { ...out, Table: { ...out.Table, GlobalSecondaryIndexes: indexes } };
      }
      return inner.send(command as DescribeTableCommand, options);
    },
  };
  // Still a DynamoDBClient (its config says so) with only `send` overlaid.
  return Object.assign(Object.create(inner) as DynamoDBClient, { send: overlay.send });
}

describe('TableAndIndexesActive (dynalite)', () => {
  let ddb: DynaliteServer;
  let client: DynamoDBClient;

  beforeAll(async () => {
    ddb = await startDynalite();
    client = ddb.client();
  });
  afterAll(() => ddb?.stop());
  beforeEach(() => ddb.setTableTimings({ createTableMs: 0, updateTableMs: 0 }));

  const describeCalls = (table: string) => ddb.requestsFor('DescribeTable').filter((r) => r.body?.TableName === table);

  test('an index UPDATING on an ACTIVE table: TableExists succeeds at once, TableAndIndexesActive waits for ACTIVE', async () => {
    const table = 'IndexUpdating';
    const throughput = { ReadCapacityUnits: 1, WriteCapacityUnits: 1 };
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: throughput,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'colour', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'ByColour',
            KeySchema: [{ AttributeName: 'colour', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
            ProvisionedThroughput: throughput,
          },
        ],
      }),
    );
    await waitForTableActive(client, table);
    ddb.setTableTimings({ updateTableMs: WATCHED_MS });
    const t0 = performance.now();
    const updated = await client.send(
      new UpdateTableCommand({
        TableName: table,
        GlobalSecondaryIndexUpdates: [
          { Update: { IndexName: 'ByColour', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } } },
        ],
      }),
    );
    expect(updated.TableDescription?.TableStatus).toBe('ACTIVE');

    const before = describeCalls(table).length;
    const exists = await lastValueFrom(waitForAttempts(TableExists, client, { TableName: table }, POLL).pipe(toArray()));
    expect(trace(exists, 'ByColour')).toEqual(['success ACTIVE UPDATING']);

    const attempts = await lastValueFrom(
      waitForAttempts(TableAndIndexesActive, client, { TableName: table }, POLL).pipe(toArray()),
    );
    expect(phases(trace(attempts, 'ByColour'))).toEqual(['retry ACTIVE UPDATING', 'success ACTIVE ACTIVE']);
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    // The index was UPDATING for the whole window, which opened after t0.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(WATCHED_MS - 50);
    expect(attempts.map((a) => a.attempt)).toEqual(attempts.map((_, i) => i + 1));
    expect(describeCalls(table).length - before).toBe(exists.length + attempts.length);
  });

  test('a table created with an index: CREATING table and index, then success once both are ACTIVE', async () => {
    const table = 'CreatedWithIndex';
    ddb.setTableTimings({ createTableMs: WATCHED_MS });
    const t0 = performance.now();
    await createTable(client, table, { gsis: [{ name: 'ByColour', hashKey: 'colour' }] });
    const subscribed = performance.now();
    const attempts = await lastValueFrom(
      waitForAttempts(TableAndIndexesActive, client, { TableName: table }, POLL).pipe(toArray()),
    );
    expect(phases(trace(attempts, 'ByColour'))).toEqual(['retry CREATING CREATING', 'success ACTIVE ACTIVE']);
    // The window opened after t0 and the waiter, subscribed later, saw its end: its elapsed
    // time covers the rest of the window (however long CreateTable took on this machine).
    const windowLeftMs = t0 + WATCHED_MS - subscribed;
    expect(attempts[attempts.length - 1]!.elapsed).toBeGreaterThanOrEqual((windowLeftMs - 50) / 1000);
  });

  test('a table without indexes succeeds as soon as it is ACTIVE', async () => {
    await createTable(client, 'NoIndexes', { waitForActive: true });
    const attempts = await lastValueFrom(
      waitForAttempts(TableAndIndexesActive, client, { TableName: 'NoIndexes' }, POLL).pipe(toArray()),
    );
    expect(attempts.map((a) => a.state)).toEqual(['success']);
    expect(tableOf(attempts[0]!)?.GlobalSecondaryIndexes).toBeUndefined();
  });

  test('UpdateTable adding an index (online build overlaid on dynalite): TableExists passes mid-build, TableAndIndexesActive waits past CREATING and Backfilling', async () => {
    const table = 'IndexAdded';
    await createTable(client, table, { waitForActive: true });
    const building = withOnlineIndexBuilds(client, BUILD_STEPS);
    await building.send(
      new UpdateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: 'colour', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'ByColour',
              KeySchema: [{ AttributeName: 'colour', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
              // dynalite validates as for a provisioned table; AWS ignores this for PAY_PER_REQUEST.
              ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
            },
          },
        ],
      }),
    );
    // The reason for the overlay: dynalite accepted the Create and built nothing.
    const raw = await client.send(new DescribeTableCommand({ TableName: table }));
    expect(raw.Table?.GlobalSecondaryIndexes).toBeUndefined();

    const before = describeCalls(table).length;
    const exists = await lastValueFrom(waitForAttempts(TableExists, building, { TableName: table }, POLL).pipe(toArray()));
    expect(trace(exists, 'ByColour')).toEqual(['success ACTIVE CREATING']);

    const attempts = await lastValueFrom(
      waitForAttempts(TableAndIndexesActive, building, { TableName: table }, POLL).pipe(toArray()),
    );
    expect(phases(trace(attempts, 'ByColour'))).toEqual([
      'retry ACTIVE CREATING',
      'retry ACTIVE CREATING+backfilling',
      'success ACTIVE ACTIVE',
    ]);
    // The waiter held on through the whole build: TableExists took its first CREATING step,
    // the waiter the second, both Backfilling steps, then ACTIVE.
    expect(trace(attempts, 'ByColour')).toEqual([
      'retry ACTIVE CREATING',
      'retry ACTIVE CREATING+backfilling',
      'retry ACTIVE CREATING+backfilling',
      'success ACTIVE ACTIVE',
    ]);
    // Every attempt was a real DescribeTable at the server.
    expect(describeCalls(table).length - before).toBe(exists.length + attempts.length);
  });
});

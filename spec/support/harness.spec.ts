/**
 * Smoke tests for the integration-test harness: dynalite (in-process
 * DynamoDB) and moto (EC2 via moto_server child process).
 */
import { DescribeTableCommand, DynamoDBClient, ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeInstancesCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { MOTO_READY_MS, MOTO_START_MS, untilEc2Answers } from './ec2Clients';
import { DynaliteServer, createTable, putItems, startDynalite, waitForTableActive } from './startDynalite';
import { MotoServer, describeIfMoto, findMotoServer, startMoto } from './startMoto';
import { until } from './until';

async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

/**
 * How long tables stay CREATING here: the DescribeTable right after CreateTable
 * must land inside it on a loaded machine; its end is waited for, not slept for.
 */
const CREATING_MS = 2000;
/** A response held back this long never comes during a test: only an abort ends the request. */
const NEVER_MS = 600_000;

describe('startDynalite', () => {
  let ddb: DynaliteServer;
  let client: DynamoDBClient;

  beforeAll(async () => {
    ddb = await startDynalite({ createTableMs: CREATING_MS });
    client = ddb.client();
  });
  afterAll(() => ddb.stop());
  beforeEach(() => ddb.clearRequests());

  test('CREATING -> ACTIVE transition is observable with createTableMs', async () => {
    expect(ddb.endpoint).toBe(`http://127.0.0.1:${ddb.port}`);
    const started = performance.now();
    const created = await createTable(client, 'Lifecycle');
    expect(created.TableDescription!.TableStatus).toBe('CREATING');
    const during = await client.send(new DescribeTableCommand({ TableName: 'Lifecycle' }));
    expect(during.Table!.TableStatus).toBe('CREATING');
    await waitForTableActive(client, 'Lifecycle');
    // The window lasted at least createTableMs (a slower machine only makes this longer).
    expect(performance.now() - started).toBeGreaterThanOrEqual(CREATING_MS - 50);

    const targets = ddb.requests.map((r) => r.target);
    expect(targets.length).toBeGreaterThanOrEqual(3);
    expect(targets).toEqual(['DynamoDB_20120810.CreateTable', ...targets.slice(1).map(() => 'DynamoDB_20120810.DescribeTable')]);
    expect(ddb.requests[0]!.body).toMatchObject({
      TableName: 'Lifecycle',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    });
  });

  test('createTable with range key + GSI, putItems in BatchWriteItem chunks of 25, Scan paging recorded', async () => {
    await createTable(client, 'Items', {
      rangeKey: { name: 'sk', type: 'N' },
      gsis: [{ name: 'byGroup', hashKey: 'grp' }],
      waitForActive: true,
    });
    const items = await putItems(client, 'Items', 60, (i) => ({
      pk: { S: `p${i % 3}` },
      sk: { N: String(i) },
      grp: { S: i % 2 ? 'odd' : 'even' },
    }));
    expect(items).toHaveLength(60);
    const batches = ddb.requestsFor('BatchWriteItem');
    expect(batches.map((b) => b.body.RequestItems.Items.length)).toEqual([25, 25, 10]);

    let count = 0;
    let ExclusiveStartKey: Record<string, any> | undefined;
    do {
      const out = await client.send(new ScanCommand({ TableName: 'Items', Limit: 25, ExclusiveStartKey }));
      count += out.Count!;
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    expect(count).toBe(60);
    const scans = ddb.requestsFor('Scan');
    expect(scans.length).toBeGreaterThanOrEqual(3);
    expect(scans[0]!.body.ExclusiveStartKey).toBeUndefined();
    expect(scans[1]!.body.ExclusiveStartKey).toBeDefined();
  });

  test('default items and default (instant) table timings', async () => {
    const fast = await startDynalite();
    try {
      const c = fast.client();
      await createTable(c, 'Fast', { waitForActive: true });
      const items = await putItems(c, 'Fast', 3);
      expect(items[2]).toEqual({ pk: { S: 'item-00002' }, n: { N: '2' } });
      expect((await c.send(new ScanCommand({ TableName: 'Fast' }))).Count).toBe(3);
    } finally {
      await fast.stop();
    }
  });

  test('an aborted request closes its socket (closedSockets) and does not crash the server', async () => {
    await createTable(client, 'Slow', { waitForActive: true });
    ddb.setResponseDelay((op) => (op === 'Scan' ? NEVER_MS : 0));
    try {
      const ac = new AbortController();
      const p = client.send(new ScanCommand({ TableName: 'Slow' }), { abortSignal: ac.signal });
      await until(() => ddb.requestsFor('Scan').length > 0, 'the Scan to reach the server');
      expect(ddb.requestsFor('Scan')).toHaveLength(1);
      expect(ddb.closedSockets()).toBe(0);
      ac.abort();
      expect((await rejection(p)).name).toBe('AbortError');
      await until(() => ddb.closedSockets() > 0, 'the aborted request to close its socket');
      expect(ddb.closedSockets()).toBe(1);
    } finally {
      ddb.setResponseDelay(undefined);
    }
    // Server still healthy afterwards.
    expect((await client.send(new ScanCommand({ TableName: 'Slow' }))).Count).toBe(0);
    await waitForTableActive(client, 'Slow');
  });

  test('an idle keep-alive socket stays open: no server-side idle timeout races the next request', async () => {
    const c = ddb.client();
    await c.send(new ListTablesCommand({}));
    const open = ddb.openSockets();
    // Node's own server closes such a socket after about 6 s (keepAliveTimeout 5 s, plus a margin
    // of its own); idle longer. A slower machine only idles longer still.
    await new Promise((resolve) => setTimeout(resolve, 7500));
    expect(ddb.openSockets()).toBe(open);
    expect((await c.send(new ListTablesCommand({}))).TableNames).toEqual(expect.any(Array));
    expect(ddb.openSockets()).toBe(open);
  }, 60_000);

  test('maxAttempts 1: errors surface immediately, one request each', async () => {
    const err = await rejection(client.send(new DescribeTableCommand({ TableName: 'Nope' })));
    expect(err.name).toBe('ResourceNotFoundException');
    expect(err.$metadata.attempts).toBe(1);
    expect(ddb.requests).toHaveLength(1);
  });
});

describe('startMoto without moto_server', () => {
  const saved = { PATH: process.env.PATH, CI: process.env.CI, MOTO_SERVER: process.env.MOTO_SERVER };
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  test('returns undefined outside CI, throws in CI', async () => {
    process.env.PATH = '/nonexistent-dir-for-moto-test';
    delete process.env.MOTO_SERVER;
    delete process.env.CI;
    expect(findMotoServer()).toBeUndefined();
    await expect(startMoto()).resolves.toBeUndefined();
    process.env.CI = 'true';
    await expect(startMoto()).rejects.toThrow(/moto is required in CI/);
  });
});

describeIfMoto('startMoto (moto_server on PATH)', () => {
  let moto: MotoServer;

  beforeAll(async () => {
    // Python start-up and moto's first EC2 request take seconds on a busy machine: be patient with both.
    const m = await startMoto({ startTimeoutMs: MOTO_START_MS });
    // describeIfMoto only runs this block when moto was found (or in CI, where startMoto throws).
    if (!m) throw new Error('moto_server found on PATH but startMoto returned undefined');
    moto = m;
    await untilEc2Answers(moto.endpoint);
  }, MOTO_READY_MS);
  afterAll(async () => {
    if (!moto) return;
    await moto.stop();
    // No orphan: the process is gone after stop().
    expect(() => process.kill(moto.pid, 0)).toThrow();
  });

  test('RunInstances then DescribeInstances works; a bogus id gives InvalidInstanceID.NotFound', async () => {
    const ec2 = moto.ec2Client();
    const run = await ec2.send(
      new RunInstancesCommand({ ImageId: 'ami-12c6146b', MinCount: 1, MaxCount: 1, InstanceType: 't2.micro' }),
    );
    const id = run.Instances![0]!.InstanceId!;
    expect(id).toMatch(/^i-/);

    const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    expect(out.Reservations![0]!.Instances![0]!.InstanceId).toBe(id);
    expect(out.Reservations![0]!.Instances![0]!.State!.Name).toBe('running');

    const err = await rejection(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })));
    expect(err.name).toBe('InvalidInstanceID.NotFound');
    expect(err.$metadata.httpStatusCode).toBe(400);

    await moto.reset();
    const afterReset = await ec2.send(new DescribeInstancesCommand({}));
    expect(afterReset.Reservations ?? []).toHaveLength(0);
  });
});

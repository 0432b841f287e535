/**
 * End-to-end: botocore EC2 waiter/paginator specs driven through the real
 * @aws-sdk/client-ec2, against moto (the real protocol, instant state changes)
 * and the hand-written fake (timeline-driven states, real paging).
 *
 * Nothing here depends on how fast the machine is: moto gets as long as it
 * needs to start, and the fake's clock moves one poll delay with every request
 * the waiter sends, so each attempt sees the state the waiter's schedule says
 * it should, however long the request took.
 */
import { lastValueFrom, tap, toArray } from 'rxjs';
import {
  DescribeInstancesCommand,
  DescribeInstancesCommandInput,
  DescribeInstancesCommandOutput,
  DescribeSnapshotsCommand,
  DescribeSnapshotsCommandInput,
  DescribeSnapshotsCommandOutput,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  items,
  paginate,
  waitFor,
  waitForAttempts,
  WaiterError,
  type PaginatorSpec,
  type Send,
  type WaiterAttempt,
  type WaiterSpec,
} from '../../src';
import { loadCorpus } from '../support/corpus';
import { MOTO_READY_MS, MOTO_START_MS, untilEc2Answers } from '../support/ec2Clients';
import { FakeEc2Server, startFakeEc2 } from '../support/fakeEc2';
import { describeIfMoto, MotoServer, startMoto } from '../support/startMoto';
import { useFullJmespath } from '../../src/specs/fullJmespath';

// The waiters here come from botocore's corpus, as an app's own specs: such an app opts in once.
useFullJmespath();

const corpus = loadCorpus()['ec2/2016-11-15']!;
const paginator = (name: string) => corpus.paginators![name] as PaginatorSpec;
const waiter = (name: string) => corpus.waiters![name] as WaiterSpec;

type Attempt = WaiterAttempt<DescribeInstancesCommandInput, DescribeInstancesCommandOutput>;

/** Sends for the waiters and paginators; `onSend` runs as each request leaves. */
function senders(client: EC2Client, onSend: () => void = () => undefined) {
  const describeInstances: Send<DescribeInstancesCommandInput, DescribeInstancesCommandOutput> = (input, { abortSignal }) => {
    onSend();
    return client.send(new DescribeInstancesCommand(input), { abortSignal });
  };
  const describeSnapshots: Send<DescribeSnapshotsCommandInput, DescribeSnapshotsCommandOutput> = (input, { abortSignal }) => {
    onSend();
    return client.send(new DescribeSnapshotsCommand(input), { abortSignal });
  };
  return { describeInstances, describeSnapshots };
}

async function failureOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the wait to fail');
}

const stateNames = (a: Attempt) =>
  a.response.ok
    ? (a.response.output.Reservations ?? []).flatMap((r) => (r.Instances ?? []).map((i) => i.State?.Name)).join(',')
    : (a.response.error as Error).name;

describeIfMoto('EC2 (moto)', () => {
  let moto: MotoServer;
  let client: EC2Client;
  let describeInstances: ReturnType<typeof senders>['describeInstances'];

  beforeAll(async () => {
    moto = (await startMoto({ startTimeoutMs: MOTO_START_MS }))!;
    await untilEc2Answers(moto.endpoint);
    client = moto.ec2Client();
    ({ describeInstances } = senders(client));
  }, MOTO_READY_MS);
  afterAll(() => moto?.stop());

  test('InstanceRunning succeeds for an instance from RunInstances', async () => {
    const run = await client.send(
      new RunInstancesCommand({ ImageId: 'ami-12c6146b', MinCount: 1, MaxCount: 1, InstanceType: 't2.micro' }),
    );
    const id = run.Instances![0]!.InstanceId!;
    const out = await lastValueFrom(
      waitFor(waiter('InstanceRunning'), describeInstances, { InstanceIds: [id] }, { delay: 0.05, maxAttempts: 10 }),
    );
    const inst = out.Reservations![0]!.Instances![0]!;
    expect(inst.InstanceId).toBe(id);
    expect(inst.State!.Name).toBe('running');
  });

  test.each(['InstanceExists', 'InstanceRunning'])(
    '%s on a bogus id retries on InvalidInstanceID.NotFound, then times out',
    async (name) => {
      const seen: Attempt[] = [];
      const err = await failureOf(
        lastValueFrom(
          waitForAttempts(
            waiter(name),
            describeInstances,
            { InstanceIds: ['i-0123456789abcdef0'] },
            { delay: 0.05, maxAttempts: 3 },
          ).pipe(
            tap((a) => seen.push(a)),
            toArray(),
          ),
        ),
      );
      expect(err).toBeInstanceOf(WaiterError);
      const we = err as WaiterError;
      expect(we.kind).toBe('timeout');
      expect(we.attempts).toBe(3);
      expect(we.message).toMatch(/Max attempts exceeded/);
      expect((we.lastResponse as Error).name).toBe('InvalidInstanceID.NotFound');
      // The delays waited were the option's 0.05 s, not the spec's (5 s and 15 s).
      expect(seen.map((a) => a.nextDelay)).toEqual([0.05, 0.05, undefined]);
    },
  );

  test('waitForAttempts reports each NotFound retry before the timeout', async () => {
    const seen: Attempt[] = [];
    const err = await failureOf(
      new Promise<void>((resolve, reject) =>
        waitForAttempts(
          waiter('InstanceExists'),
          describeInstances,
          { InstanceIds: ['i-0fedcba9876543210'] },
          { delay: 0.05, maxAttempts: 2 },
        ).subscribe({
          next: (a) => seen.push(a),
          error: reject,
          complete: resolve,
        }),
      ),
    );
    expect((err as WaiterError).kind).toBe('timeout');
    expect(seen.map((a) => [a.attempt, a.state, stateNames(a)])).toEqual([
      [1, 'retry', 'InvalidInstanceID.NotFound'],
      [2, 'retry', 'InvalidInstanceID.NotFound'],
    ]);
    expect(seen[0]!.nextDelay).toBe(0.05);
    expect(seen[1]!.nextDelay).toBeUndefined();
  });
});

/** The waiters' delay, and how far the fake's clock moves with each request. */
const POLL_MS = 50;

describe('EC2 (fake, one poll delay per request)', () => {
  let fake: FakeEc2Server;
  let clock = 0;
  let describeInstances: ReturnType<typeof senders>['describeInstances'];
  let describeSnapshots: ReturnType<typeof senders>['describeSnapshots'];

  beforeAll(async () => {
    fake = await startFakeEc2({ now: () => clock });
    ({ describeInstances, describeSnapshots } = senders(fake.client(), () => (clock += POLL_MS)));
  });
  afterAll(() => fake?.stop());
  beforeEach(() => fake.clearRequests());

  test('InstanceRunning waits through pending to running', async () => {
    fake.addInstance('i-pend', [{ state: 'pending', forMs: 300 }, { state: 'running' }]);
    const attempts = await lastValueFrom(
      waitForAttempts(waiter('InstanceRunning'), describeInstances, { InstanceIds: ['i-pend'] }, { delay: POLL_MS / 1000 }).pipe(
        toArray(),
      ),
    );
    // Pending for 300 ms, one request every 50 ms: five looks at pending, then running.
    expect(attempts.map(stateNames)).toEqual(['pending', 'pending', 'pending', 'pending', 'pending', 'running']);
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(stateNames(attempts[0]!)).toBe('pending');
    expect(attempts[0]!.state).toBe('retry');
    expect(attempts[0]!.acceptor).toBeUndefined();
    const last = attempts[attempts.length - 1]!;
    expect(last.state).toBe('success');
    expect(stateNames(last)).toBe('running');
    expect(last.elapsed).toBeGreaterThanOrEqual(0.2);
    expect(fake.requestsFor('DescribeInstances')).toHaveLength(attempts.length);
  });

  test('InstanceRunning fails with kind "failure" when the instance terminates', async () => {
    fake.addInstance('i-doomed', [{ state: 'pending', forMs: 150 }, { state: 'terminated' }]);
    const seen: Attempt[] = [];
    const err = await failureOf(
      new Promise<void>((resolve, reject) =>
        waitForAttempts(
          waiter('InstanceRunning'),
          describeInstances,
          { InstanceIds: ['i-doomed'] },
          { delay: POLL_MS / 1000 },
        ).subscribe({
          next: (a) => seen.push(a),
          error: reject,
          complete: resolve,
        }),
      ),
    );
    expect(err).toBeInstanceOf(WaiterError);
    const we = err as WaiterError;
    expect(we.kind).toBe('failure');
    expect(we.attempts).toBe(seen.length);
    expect(we.attempts).toBeGreaterThanOrEqual(2);
    expect(seen.map(stateNames)).toEqual(['pending', 'pending', 'terminated']);
    expect(seen[seen.length - 1]!.state).toBe('failure');
    expect(stateNames(seen[seen.length - 1]!)).toBe('terminated');
    expect((we.lastResponse as DescribeInstancesCommandOutput).Reservations![0]!.Instances![0]!.State!.Name).toBe('terminated');
    // waitFor surfaces the same failure
    const again = await failureOf(
      lastValueFrom(
        waitFor(waiter('InstanceRunning'), describeInstances, { InstanceIds: ['i-doomed'] }, { delay: POLL_MS / 1000 }),
      ),
    );
    expect((again as WaiterError).kind).toBe('failure');
  });

  test('InstanceRunning retries on InvalidInstanceID.NotFound until the instance appears', async () => {
    fake.addInstance('i-late', [{ state: 'pending', forMs: 100 }, { state: 'running' }], { appearAfterMs: 200 });
    const attempts = await lastValueFrom(
      waitForAttempts(waiter('InstanceRunning'), describeInstances, { InstanceIds: ['i-late'] }, { delay: POLL_MS / 1000 }).pipe(
        toArray(),
      ),
    );
    const notFound = 'InvalidInstanceID.NotFound';
    expect(attempts.map(stateNames)).toEqual([notFound, notFound, notFound, 'pending', 'pending', 'running']);
    const first = attempts[0]!;
    expect(first.state).toBe('retry');
    expect(first.response.ok).toBe(false);
    expect(stateNames(first)).toBe('InvalidInstanceID.NotFound');
    expect(first.acceptor).toBeDefined();
    expect(attempts.map(stateNames)).toContain('pending');
    const last = attempts[attempts.length - 1]!;
    expect(last.state).toBe('success');
    expect(stateNames(last)).toBe('running');
    // InstanceExists succeeds as soon as it is visible at all
    const exists = await lastValueFrom(
      waitFor(waiter('InstanceExists'), describeInstances, { InstanceIds: ['i-late'] }, { delay: POLL_MS / 1000 }),
    );
    expect(exists.Reservations).toHaveLength(1);
  });

  test('SnapshotCompleted waits through pending to completed', async () => {
    fake.addSnapshot('snap-wait', [{ state: 'pending', forMs: 200 }, { state: 'completed' }]);
    const attempts = await lastValueFrom(
      waitForAttempts(
        waiter('SnapshotCompleted'),
        describeSnapshots,
        { SnapshotIds: ['snap-wait'] },
        { delay: POLL_MS / 1000 },
      ).pipe(toArray()),
    );
    const state = (a: (typeof attempts)[number]) => (a.response.ok ? a.response.output.Snapshots![0]!.State : 'error');
    expect(attempts.map(state)).toEqual(['pending', 'pending', 'pending', 'completed']);
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(state(attempts[0]!)).toBe('pending');
    expect(state(attempts[attempts.length - 1]!)).toBe('completed');
    expect(attempts[attempts.length - 1]!.state).toBe('success');
    expect(fake.requestsFor('DescribeSnapshots')).toHaveLength(attempts.length);
  });

  test('DescribeSnapshots paginated with pageSize sees every snapshot exactly once', async () => {
    const ids = Array.from({ length: 17 }, (_, i) => `snap-pg${String(i).padStart(2, '0')}`);
    for (const id of ids) fake.addSnapshot(id, [{ state: 'completed' }], { tags: { grp: 'paged' } });
    fake.clearRequests();
    const spec = paginator('DescribeSnapshots');
    const pages = await lastValueFrom(
      paginate(
        spec,
        describeSnapshots,
        { OwnerIds: ['self'], Filters: [{ Name: 'tag:grp', Values: ['paged'] }] },
        { pageSize: 5 },
      ).pipe(toArray()),
    );
    const found = pages.flatMap((p) => p.Snapshots!.map((s) => s.SnapshotId!));
    expect(found).toEqual(ids);
    expect(pages.map((p) => p.Snapshots!.length)).toEqual([5, 5, 5, 2]);
    const reqs = fake.requestsFor('DescribeSnapshots');
    expect(reqs).toHaveLength(4);
    expect(reqs.every((r) => r.params.MaxResults === '5')).toBe(true);
    expect(reqs[0]!.params.NextToken).toBeUndefined();
    expect(reqs.slice(1).map((r) => r.params.NextToken)).toEqual(pages.slice(0, -1).map((p) => p.NextToken));

    // items() over the same paginator, without a page size
    const viaItems = await lastValueFrom(
      paginate(spec, describeSnapshots, { Filters: [{ Name: 'tag:grp', Values: ['paged'] }] }).pipe(
        items<{ SnapshotId?: string }>(spec),
        toArray(),
      ),
    );
    expect(viaItems.map((s) => s.SnapshotId)).toEqual(ids);
  });
});

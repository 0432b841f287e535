/**
 * Proves the hand-written EC2 fake (./fakeEc2) is understood by the real
 * @aws-sdk/client-ec2: responses parse, paging tokens round-trip, and errors
 * surface with EC2's error codes as `name`.
 */
import { request } from 'http';
import {
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  paginateDescribeVolumes,
} from '@aws-sdk/client-ec2';
import { FakeEc2Server, startFakeEc2 } from './fakeEc2';
import { until } from './until';

async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

describe('fakeEc2 (manual clock)', () => {
  let clock = 1_000_000;
  let fake: FakeEc2Server;
  let ec2: EC2Client;

  beforeAll(async () => {
    fake = await startFakeEc2({ now: () => clock });
    ec2 = fake.client();
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.clearRequests());

  test('DescribeInstances: state follows the timeline, NotFound before the instance appears', async () => {
    fake.addInstance('i-0abc', [{ state: 'pending', forMs: 300 }, { state: 'running' }], {
      appearAfterMs: 100,
      tags: { Name: 'web' },
    });

    const err = await rejection(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0abc'] })));
    expect(err.name).toBe('InvalidInstanceID.NotFound');
    expect(err.message).toBe("The instance ID 'i-0abc' does not exist");
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.$metadata.requestId).toEqual(expect.any(String));

    clock += 100;
    let out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0abc'] }));
    expect(out.Reservations).toHaveLength(1);
    const inst = out.Reservations![0]!.Instances![0]!;
    expect(inst.InstanceId).toBe('i-0abc');
    expect(inst.State).toEqual({ Code: 0, Name: 'pending' });
    expect(inst.Tags).toEqual([{ Key: 'Name', Value: 'web' }]);
    expect(inst.LaunchTime).toBeInstanceOf(Date);

    clock += 299;
    out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0abc'] }));
    expect(out.Reservations![0]!.Instances![0]!.State!.Name).toBe('pending');
    clock += 1;
    out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0abc'] }));
    expect(out.Reservations![0]!.Instances![0]!.State).toEqual({ Code: 16, Name: 'running' });

    expect(fake.requestsFor('DescribeInstances')).toHaveLength(4);
    expect(fake.requests[0]!.params).toMatchObject({
      Action: 'DescribeInstances',
      Version: '2016-11-15',
      'InstanceId.1': 'i-0abc',
    });
  });

  test('DescribeInstances: unknown id among several, filters, disappearing instances', async () => {
    fake.addInstance('i-a', [{ state: 'running' }]);
    fake.addInstance('i-b', [{ state: 'stopped' }], { disappearAfterMs: 50 });

    const err = await rejection(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-a', 'i-x', 'i-y'] })));
    expect(err.name).toBe('InvalidInstanceID.NotFound');
    expect(err.message).toContain("'i-x, i-y'");

    const stopped = await ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['stopped'] }] }),
    );
    expect(stopped.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId))).toEqual(['i-b']);

    clock += 50;
    expect((await rejection(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-b'] })))).name).toBe(
      'InvalidInstanceID.NotFound',
    );
    expect(fake.stateOf('i-b')).toBeUndefined();
    expect(fake.stateOf('i-a')).toBe('running');
  });

  test('DescribeInstances: instances sharing a reservationId come back in one reservation', async () => {
    fake.addInstance('i-r1', [{ state: 'running' }], { reservationId: 'r-shared' });
    fake.addInstance('i-r2', [{ state: 'running' }], { reservationId: 'r-shared' });
    const out = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'reservation-id', Values: ['r-shared'] }] }));
    expect(out.Reservations).toHaveLength(1);
    expect(out.Reservations![0]!.ReservationId).toBe('r-shared');
    expect(out.Reservations![0]!.Instances!.map((i) => i.InstanceId)).toEqual(['i-r1', 'i-r2']);
  });

  test('DescribeInstances: MaxResults pages, and MaxResults with InstanceIds is rejected like EC2', async () => {
    for (let i = 0; i < 5; i++) fake.addInstance(`i-page${i}`, [{ state: 'running' }], { tags: { grp: 'paged' } });
    const ids: string[] = [];
    let NextToken: string | undefined;
    do {
      const out = await ec2.send(
        new DescribeInstancesCommand({ MaxResults: 2, NextToken, Filters: [{ Name: 'tag:grp', Values: ['paged'] }] }),
      );
      ids.push(...out.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!)));
      NextToken = out.NextToken;
    } while (NextToken);
    expect(ids).toEqual(['i-page0', 'i-page1', 'i-page2', 'i-page3', 'i-page4']);
    expect(fake.requestsFor('DescribeInstances')).toHaveLength(3);

    const err = await rejection(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-page0'], MaxResults: 5 })));
    expect(err.name).toBe('InvalidParameterCombination');
  });

  test('DescribeSnapshots: MaxResults/NextToken paging through the real client', async () => {
    for (let i = 0; i < 7; i++) fake.addSnapshot(`snap-${i}`, [{ state: 'completed' }], { volumeId: 'vol-src' });

    const pages: string[][] = [];
    const tokensSent: Array<string | undefined> = [];
    let NextToken: string | undefined;
    do {
      tokensSent.push(NextToken);
      const out = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], MaxResults: 3, NextToken }));
      pages.push(out.Snapshots!.map((s) => s.SnapshotId!));
      NextToken = out.NextToken;
    } while (NextToken);

    expect(pages).toEqual([['snap-0', 'snap-1', 'snap-2'], ['snap-3', 'snap-4', 'snap-5'], ['snap-6']]);
    const reqs = fake.requestsFor('DescribeSnapshots');
    expect(reqs).toHaveLength(3);
    expect(reqs.map((r) => r.params.NextToken)).toEqual(tokensSent);
    expect(reqs.every((r) => r.params.MaxResults === '3' && r.params['Owner.1'] === 'self')).toBe(true);

    const bad = await rejection(ec2.send(new DescribeSnapshotsCommand({ MaxResults: 3, NextToken: 'garbage' })));
    expect(bad.name).toBe('InvalidParameterValue');
  });

  test('DescribeSnapshots: pending -> completed by time, progress, NotFound', async () => {
    fake.addSnapshot('snap-slow', [{ state: 'pending', forMs: 200 }, { state: 'completed' }]);
    const get = async () => (await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: ['snap-slow'] }))).Snapshots![0]!;

    expect(await get()).toMatchObject({ SnapshotId: 'snap-slow', State: 'pending', Progress: '0%' });
    clock += 100;
    expect(await get()).toMatchObject({ State: 'pending', Progress: '50%' });
    clock += 100;
    expect(await get()).toMatchObject({ State: 'completed', Progress: '100%' });

    const err = await rejection(ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: ['snap-missing'] })));
    expect(err.name).toBe('InvalidSnapshot.NotFound');
  });

  test('DescribeVolumes: paging (also via the SDK paginator), states, NotFound', async () => {
    for (let i = 0; i < 5; i++) fake.addVolume(`vol-${i}`, [{ state: 'creating', forMs: 10 }, { state: 'available' }]);
    fake.addVolume('vol-used', [{ state: 'in-use' }], { attachedInstanceId: 'i-a' });

    const first = await ec2.send(new DescribeVolumesCommand({ MaxResults: 4 }));
    expect(first.Volumes!.map((v) => v.VolumeId)).toEqual(['vol-0', 'vol-1', 'vol-2', 'vol-3']);
    expect(first.Volumes![0]!.State).toBe('creating');
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await ec2.send(new DescribeVolumesCommand({ MaxResults: 4, NextToken: first.NextToken }));
    expect(second.Volumes!.map((v) => v.VolumeId)).toEqual(['vol-4', 'vol-used']);
    expect(second.NextToken).toBeUndefined();
    expect(second.Volumes![1]!.Attachments).toEqual([expect.objectContaining({ InstanceId: 'i-a', State: 'attached' })]);

    clock += 10;
    fake.clearRequests();
    const all: string[] = [];
    for await (const page of paginateDescribeVolumes({ client: ec2, pageSize: 2 }, {})) {
      all.push(...page.Volumes!.map((v) => `${v.VolumeId}:${v.State}`));
    }
    expect(all).toEqual([
      'vol-0:available',
      'vol-1:available',
      'vol-2:available',
      'vol-3:available',
      'vol-4:available',
      'vol-used:in-use',
    ]);
    expect(fake.requestsFor('DescribeVolumes')).toHaveLength(3);

    const err = await rejection(ec2.send(new DescribeVolumesCommand({ VolumeIds: ['vol-nope'] })));
    expect(err.name).toBe('InvalidVolume.NotFound');
    const filt = await rejection(ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'bogus', Values: ['x'] }] })));
    expect(filt.name).toBe('InvalidParameterValue');
  });

  test('unknown actions get InvalidAction in the EC2 error envelope', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${fake.endpoint}/`, { method: 'POST', agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.setHeader('content-type', 'application/x-www-form-urlencoded');
      req.end('Action=RebootUniverse&Version=2016-11-15');
    });
    expect(status).toBe(400);
    expect(body).toMatch(
      /<Response><Errors><Error><Code>InvalidAction<\/Code><Message>.*<\/Message><\/Error><\/Errors><RequestID>.+<\/RequestID><\/Response>/,
    );
    expect(fake.requestsFor('RebootUniverse')).toHaveLength(1);
  });
});

describe('fakeEc2 (system clock)', () => {
  let fake: FakeEc2Server;
  beforeAll(async () => {
    fake = await startFakeEc2();
  });
  afterAll(() => fake.stop());
  afterEach(() => jest.restoreAllMocks());

  test('without a clock of its own, timelines follow the system clock (Date.now)', async () => {
    const ec2 = fake.client();
    let clock = Date.now();
    jest.spyOn(Date, 'now').mockImplementation(() => clock);
    fake.addInstance('i-rt', [{ state: 'pending', forMs: 150 }, { state: 'running' }]);
    const state = async () =>
      (await ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-rt'] }))).Reservations![0]!.Instances![0]!.State!.Name;
    expect(await state()).toBe('pending');
    clock += 149;
    expect(await state()).toBe('pending');
    clock += 1;
    expect(await state()).toBe('running');
  });

  test('an aborted in-flight request closes its socket (closedSockets)', async () => {
    const ec2 = fake.client();
    fake.addVolume('vol-slow');
    // Held back for longer than any test runs: only the abort ends this request.
    fake.setResponseDelay((action) => (action === 'DescribeVolumes' ? 600_000 : 0));
    try {
      const ac = new AbortController();
      const p = ec2.send(new DescribeVolumesCommand({}), { abortSignal: ac.signal });
      await until(() => fake.requestsFor('DescribeVolumes').length > 0, 'DescribeVolumes to reach the fake');
      expect(fake.requestsFor('DescribeVolumes')).toHaveLength(1);
      expect(fake.closedSockets()).toBe(0);
      ac.abort();
      const err = await rejection(p);
      expect(err.name).toBe('AbortError');
      await until(() => fake.closedSockets() > 0, 'the aborted request to close its socket');
      expect(fake.closedSockets()).toBe(1);
    } finally {
      fake.setResponseDelay(undefined);
    }
  });
});

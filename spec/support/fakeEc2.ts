/**
 * Hand-written fake of a tiny slice of the EC2 Query API, ONLY for behaviour
 * moto cannot provide:
 *   - time-driven state changes: moto flips instances to "running" and
 *     snapshots to "completed" instantly, so waiters never observe a wait;
 *   - resources that appear (or vanish) after a delay, for
 *     InvalidInstanceID.NotFound-then-exists style waiters;
 *   - real NextToken/MaxResults paging of DescribeSnapshots/DescribeVolumes
 *     (and DescribeInstances), which moto ignores for these calls.
 * For everything else prefer moto (./startMoto), which is the real thing.
 *
 * It speaks the EC2 Query protocol: form-encoded POST `Action=...&Version=2016-11-15`,
 * XML responses in namespace http://ec2.amazonaws.com/doc/2016-11-15/ and the
 * EC2 error envelope `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`
 * (HTTP 400), so the real @aws-sdk/client-ec2 parses it (see fakeEc2.spec.ts).
 *
 *   const ec2 = await startFakeEc2();
 *   ec2.addInstance('i-1', [{ state: 'pending', forMs: 300 }, { state: 'running' }], { appearAfterMs: 100 });
 *   ec2.addSnapshot('snap-1', [{ state: 'pending', forMs: 200 }, { state: 'completed' }]);
 *   ec2.addVolume('vol-1');                           // 'available' forever
 *   const client = ec2.client();                      // real EC2Client, maxAttempts 1
 *   ec2.requestsFor('DescribeInstances').length;      // count calls
 *   await ec2.stop();
 *
 * Timelines: a resource becomes visible `appearAfterMs` after it was added
 * (re-adding an id replaces it and restarts its clock); its state steps start
 * when it appears, each lasting `forMs` (the last step lasts forever). After
 * `disappearAfterMs` (measured from add time) it is NotFound again, as a
 * deleted volume or a long-terminated instance would be.
 *
 * Deliberate leniencies vs. real EC2: MaxResults below EC2's minimum (5) is
 * accepted so tests can use tiny pages. Kept strictness: MaxResults together
 * with explicit ids is InvalidParameterCombination, unknown filters are
 * InvalidParameterValue, unknown actions are InvalidAction.
 */
import { ec2Clients } from './ec2Clients';
import { randomUUID } from 'crypto';
import { IncomingMessage, ServerResponse, createServer } from 'http';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ResponseDelay, listenOnLoopback, silenceSdkNodeVersionWarning, trackConnections } from './httpTracking';

export const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

export type InstanceStateName = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';
export type SnapshotStateName = 'pending' | 'completed' | 'error' | 'recoverable' | 'recovering';
export type VolumeStateName = 'creating' | 'available' | 'in-use' | 'deleting' | 'deleted' | 'error';

export interface StateStep<S extends string> {
  state: S;
  /** How long this step lasts; ignored (infinite) for the last step. */
  forMs?: number;
}

export interface Visibility {
  /** NotFound until this many ms after being added (default 0). */
  appearAfterMs?: number;
  /** NotFound again from this many ms after being added (default never). */
  disappearAfterMs?: number;
}

export interface InstanceOptions extends Visibility {
  reservationId?: string;
  imageId?: string;
  instanceType?: string;
  availabilityZone?: string;
  tags?: Record<string, string>;
}

export interface SnapshotOptions extends Visibility {
  volumeId?: string;
  volumeSize?: number;
  description?: string;
  tags?: Record<string, string>;
}

export interface VolumeOptions extends Visibility {
  size?: number;
  availabilityZone?: string;
  snapshotId?: string;
  volumeType?: string;
  /** Instance shown in attachmentSet while the volume is 'in-use'. */
  attachedInstanceId?: string;
  tags?: Record<string, string>;
}

export interface RecordedEc2Request {
  action: string;
  /** Flat Query parameters, e.g. { 'InstanceId.1': 'i-1', MaxResults: '5' } (Action/Version included). */
  params: Record<string, string>;
  /** Milliseconds since the fake started (per its clock). */
  atMs: number;
}

export interface FakeEc2Options {
  /** Clock in ms (default Date.now); inject a manual clock for deterministic tests. */
  now?: () => number;
  /** Delay responses (all, or per action) so tests can abort in-flight calls. */
  responseDelayMs?: ResponseDelay;
  /** Account id reported as ownerId (default 123456789012). */
  ownerId?: string;
}

export interface FakeEc2Server {
  endpoint: string;
  port: number;
  /** A new real EC2Client pointed at the fake (destroyed by stop()). */
  client(): EC2Client;
  addInstance(id: string, states?: Array<StateStep<InstanceStateName>>, opts?: InstanceOptions): void;
  addSnapshot(id: string, states?: Array<StateStep<SnapshotStateName>>, opts?: SnapshotOptions): void;
  addVolume(id: string, states?: Array<StateStep<VolumeStateName>>, opts?: VolumeOptions): void;
  /** Removes a resource of any kind immediately (later calls get NotFound). */
  remove(id: string): void;
  /** Current state of a resource per its timeline, or undefined if not visible. */
  stateOf(id: string): string | undefined;
  /** Every request received, in arrival order. Live array. */
  requests: RecordedEc2Request[];
  requestsFor(action: string): RecordedEc2Request[];
  clearRequests(): void;
  /** Requests whose client socket closed before the response was sent. */
  closedSockets(): number;
  setResponseDelay(delay: ResponseDelay | undefined): void;
  stop(): Promise<void>;
}

// ---------------------------------------------------------------------------

interface Resource<S extends string, O> {
  id: string;
  addedAt: number;
  states: Array<StateStep<S>>;
  opts: O & Visibility;
  /** Insertion order, for stable paging. */
  seq: number;
}

class Ec2Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const INSTANCE_STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

function esc(v: unknown): string {
  return String(v).replace(/[<>&'"]/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === "'" ? '&apos;' : '&quot;',
  );
}

/** <name>value</name>, or nothing when value is undefined. */
const el = (name: string, value: unknown): string => (value === undefined ? '' : `<${name}>${esc(value)}</${name}>`);
/** <name>...raw xml...</name> */
const node = (name: string, inner: string): string => (inner ? `<${name}>${inner}</${name}>` : `<${name}/>`);
const itemSet = (name: string, items: string[]): string => node(name, items.map((i) => `<item>${i}</item>`).join(''));
const tagSet = (tags: Record<string, string> | undefined): string =>
  itemSet(
    'tagSet',
    Object.entries(tags ?? {}).map(([k, v]) => el('key', k) + el('value', v)),
  );

/** Values of list params like InstanceId.1, InstanceId.2 ... in index order. */
function listParam(params: Record<string, string>, prefix: string): string[] {
  const re = new RegExp(`^${prefix.replaceAll('.', '\\.')}\\.(\\d+)$`);
  return Object.keys(params)
    .map((k) => [k, re.exec(k)] as const)
    .filter((x): x is readonly [string, RegExpExecArray] => x[1] !== null)
    .sort((a, b) => Number(a[1][1]) - Number(b[1][1]))
    .map(([k]) => params[k]!);
}

interface Filter {
  name: string;
  values: string[];
}

function filters(params: Record<string, string>): Filter[] {
  const out: Filter[] = [];
  for (const [k, v] of Object.entries(params)) {
    const m = /^Filter\.(\d+)\.Name$/.exec(k);
    if (m) out[Number(m[1])] = { name: v, values: listParam(params, `Filter.${m[1]}.Value`) };
  }
  return out.filter(Boolean);
}

function wildcardMatch(pattern: string, value: string): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .split('')
        .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
        .join('') +
      '$',
  );
  return re.test(value);
}

export async function startFakeEc2(options: FakeEc2Options = {}): Promise<FakeEc2Server> {
  silenceSdkNodeVersionWarning();
  // Read Date.now on every call (not a copy of it taken now), so a test can stand in for the system clock.
  const now = options.now ?? (() => Date.now());
  const startedAt = now();
  const ownerId = options.ownerId ?? '123456789012';

  let seq = 0;
  const instances = new Map<string, Resource<InstanceStateName, InstanceOptions>>();
  const snapshots = new Map<string, Resource<SnapshotStateName, SnapshotOptions>>();
  const volumes = new Map<string, Resource<VolumeStateName, VolumeOptions>>();
  const requests: RecordedEc2Request[] = [];

  const visible = (r: Resource<string, Visibility>, t: number): boolean =>
    t - r.addedAt >= (r.opts.appearAfterMs ?? 0) &&
    (r.opts.disappearAfterMs === undefined || t - r.addedAt < r.opts.disappearAfterMs);

  /** State per timeline plus fraction of the current step elapsed (for progress). */
  const stateAt = <S extends string>(r: Resource<S, Visibility>, t: number): { state: S; fraction: number } => {
    let elapsed = t - r.addedAt - (r.opts.appearAfterMs ?? 0);
    for (let i = 0; i < r.states.length - 1; i++) {
      const step = r.states[i]!;
      const len = step.forMs ?? 0;
      if (elapsed < len) return { state: step.state, fraction: len > 0 ? elapsed / len : 0 };
      elapsed -= len;
    }
    return { state: r.states[r.states.length - 1]!.state, fraction: 1 };
  };

  const add = <S extends string, O extends Visibility>(
    map: Map<string, Resource<S, O>>,
    id: string,
    states: Array<StateStep<S>>,
    opts: O,
  ) => {
    if (states.length === 0) throw new Error(`fakeEc2: ${id} needs at least one state step`);
    for (const m of [instances, snapshots, volumes] as Array<Map<string, unknown>>) m.delete(id);
    map.set(id, { id, addedAt: now(), states: [...states], opts, seq: seq++ });
  };

  // --- generic lookup / filter / paging --------------------------------------

  function select<S extends string, O extends Visibility>(
    map: Map<string, Resource<S, O>>,
    ids: string[],
    t: number,
    notFound: (missing: string[]) => Ec2Error,
  ): Array<Resource<S, O>> {
    if (ids.length === 0) return [...map.values()].filter((r) => visible(r, t)).sort((a, b) => a.seq - b.seq);
    const missing = ids.filter((id) => {
      const r = map.get(id);
      return !r || !visible(r, t);
    });
    if (missing.length) throw notFound(missing);
    return [...new Set(ids)].map((id) => map.get(id)!);
  }

  function applyFilters<R>(
    items: R[],
    fs: Filter[],
    fields: Record<string, (r: R) => string | undefined>,
    tags: (r: R) => Record<string, string> | undefined,
  ): R[] {
    for (const f of fs) {
      let get: (r: R) => string | undefined;
      if (f.name.startsWith('tag:')) {
        const key = f.name.slice(4);
        get = (r) => tags(r)?.[key];
      } else if (fields[f.name]) {
        get = fields[f.name]!;
      } else {
        throw new Ec2Error('InvalidParameterValue', `The filter '${f.name}' is invalid`);
      }
      items = items.filter((r) => {
        const v = get(r);
        return v !== undefined && f.values.some((p) => wildcardMatch(p, v));
      });
    }
    return items;
  }

  function page<R>(
    action: string,
    items: R[],
    params: Record<string, string>,
    hasIds: boolean,
    idParam: string,
  ): { items: R[]; nextToken?: string } {
    const maxRaw = params.MaxResults;
    if (maxRaw !== undefined && hasIds) {
      throw new Ec2Error('InvalidParameterCombination', `The parameter ${idParam} cannot be used with the parameter maxResults`);
    }
    let offset = 0;
    const token = params.NextToken;
    if (token !== undefined && token !== '') {
      let decoded: { a?: string; o?: number } | undefined;
      try {
        decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
      } catch {
        decoded = undefined;
      }
      if (!decoded || decoded.a !== action || typeof decoded.o !== 'number') {
        throw new Ec2Error('InvalidParameterValue', `Invalid value '${token}' for nextToken`);
      }
      offset = decoded.o;
    }
    let max = items.length;
    if (maxRaw !== undefined) {
      max = Number(maxRaw);
      if (!Number.isInteger(max) || max < 1) {
        throw new Ec2Error('InvalidParameterValue', `Value ( ${maxRaw} ) for parameter maxResults is invalid.`);
      }
      max = Math.min(max, 1000);
    }
    const slice = items.slice(offset, offset + max);
    const next = offset + slice.length;
    return next < items.length
      ? {
          items: slice,
          nextToken: Buffer.from(JSON.stringify({ a: action, o: next, r: randomUUID().slice(0, 8) })).toString('base64url'),
        }
      : { items: slice };
  }

  const iso = (ms: number) => new Date(ms).toISOString();
  const reservationOf = (r: Resource<InstanceStateName, InstanceOptions>) =>
    r.opts.reservationId ?? `r-${r.id.replace(/^i-/, '')}`;

  // --- actions ----------------------------------------------------------------

  const actions: Record<string, (params: Record<string, string>, t: number) => string> = {
    DescribeInstances(params, t) {
      const ids = listParam(params, 'InstanceId');
      let items = select(instances, ids, t, (missing) =>
        missing.length === 1
          ? new Ec2Error('InvalidInstanceID.NotFound', `The instance ID '${missing[0]}' does not exist`)
          : new Ec2Error('InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`),
      );
      items = applyFilters(
        items,
        filters(params),
        {
          'instance-id': (r) => r.id,
          'instance-state-name': (r) => stateAt(r, t).state,
          'instance-state-code': (r) => String(INSTANCE_STATE_CODES[stateAt(r, t).state]),
          'reservation-id': (r) => reservationOf(r),
          'instance-type': (r) => r.opts.instanceType ?? 't3.micro',
          'image-id': (r) => r.opts.imageId ?? 'ami-0fake000000000000',
        },
        (r) => r.opts.tags,
      );
      const p = page('DescribeInstances', items, params, ids.length > 0, 'instancesSet');
      // Group the page's instances into reservations, preserving order.
      const reservations = new Map<string, string[]>();
      for (const r of p.items) {
        const { state } = stateAt(r, t);
        const rid = reservationOf(r);
        const xml =
          el('instanceId', r.id) +
          el('imageId', r.opts.imageId ?? 'ami-0fake000000000000') +
          node('instanceState', el('code', INSTANCE_STATE_CODES[state]) + el('name', state)) +
          el('privateDnsName', state === 'running' ? `ip-10-0-0-1.ec2.internal` : '') +
          el('dnsName', '') +
          el('reason', '') +
          el('amiLaunchIndex', 0) +
          node('productCodes', '') +
          el('instanceType', r.opts.instanceType ?? 't3.micro') +
          el('launchTime', iso(r.addedAt + (r.opts.appearAfterMs ?? 0))) +
          node(
            'placement',
            el('availabilityZone', r.opts.availabilityZone ?? 'us-east-1a') + el('groupName', '') + el('tenancy', 'default'),
          ) +
          node('monitoring', el('state', 'disabled')) +
          el('architecture', 'x86_64') +
          el('rootDeviceType', 'ebs') +
          el('rootDeviceName', '/dev/xvda') +
          node('blockDeviceMapping', '') +
          el('virtualizationType', 'hvm') +
          tagSet(r.opts.tags);
        const list = reservations.get(rid) ?? [];
        list.push(xml);
        reservations.set(rid, list);
      }
      const resXml = [...reservations].map(
        ([rid, inst]) => el('reservationId', rid) + el('ownerId', ownerId) + node('groupSet', '') + itemSet('instancesSet', inst),
      );
      return itemSet('reservationSet', resXml) + el('nextToken', p.nextToken);
    },

    DescribeSnapshots(params, t) {
      const ids = listParam(params, 'SnapshotId');
      const owners = listParam(params, 'Owner');
      let items = select(
        snapshots,
        ids,
        t,
        (missing) => new Ec2Error('InvalidSnapshot.NotFound', `The snapshot '${missing.join(', ')}' does not exist.`),
      );
      if (owners.length && !owners.some((o) => o === 'self' || o === ownerId)) items = [];
      items = applyFilters(
        items,
        filters(params),
        {
          'snapshot-id': (r) => r.id,
          status: (r) => stateAt(r, t).state,
          'volume-id': (r) => r.opts.volumeId ?? 'vol-ffffffff',
          'owner-id': () => ownerId,
          description: (r) => r.opts.description ?? '',
        },
        (r) => r.opts.tags,
      );
      const p = page('DescribeSnapshots', items, params, ids.length > 0, 'snapshotIds');
      const xml = p.items.map((r) => {
        const { state, fraction } = stateAt(r, t);
        const progress = state === 'pending' ? Math.min(99, Math.floor(fraction * 100)) : 100;
        return (
          el('snapshotId', r.id) +
          el('volumeId', r.opts.volumeId ?? 'vol-ffffffff') +
          el('status', state) +
          el('startTime', iso(r.addedAt + (r.opts.appearAfterMs ?? 0))) +
          el('progress', `${progress}%`) +
          el('ownerId', ownerId) +
          el('volumeSize', r.opts.volumeSize ?? 8) +
          el('description', r.opts.description ?? '') +
          el('encrypted', false) +
          el('storageTier', 'standard') +
          tagSet(r.opts.tags)
        );
      });
      return itemSet('snapshotSet', xml) + el('nextToken', p.nextToken);
    },

    DescribeVolumes(params, t) {
      const ids = listParam(params, 'VolumeId');
      let items = select(
        volumes,
        ids,
        t,
        (missing) => new Ec2Error('InvalidVolume.NotFound', `The volume '${missing.join(', ')}' does not exist.`),
      );
      items = applyFilters(
        items,
        filters(params),
        {
          'volume-id': (r) => r.id,
          status: (r) => stateAt(r, t).state,
          'snapshot-id': (r) => r.opts.snapshotId ?? '',
          'availability-zone': (r) => r.opts.availabilityZone ?? 'us-east-1a',
          'volume-type': (r) => r.opts.volumeType ?? 'gp3',
        },
        (r) => r.opts.tags,
      );
      const p = page('DescribeVolumes', items, params, ids.length > 0, 'volumeIds');
      const xml = p.items.map((r) => {
        const { state } = stateAt(r, t);
        const attachments =
          state === 'in-use'
            ? [
                el('volumeId', r.id) +
                  el('instanceId', r.opts.attachedInstanceId ?? 'i-0fake000000000000') +
                  el('device', '/dev/sdf') +
                  el('status', 'attached') +
                  el('attachTime', iso(r.addedAt)) +
                  el('deleteOnTermination', false),
              ]
            : [];
        return (
          el('volumeId', r.id) +
          el('size', r.opts.size ?? 8) +
          el('snapshotId', r.opts.snapshotId ?? '') +
          el('availabilityZone', r.opts.availabilityZone ?? 'us-east-1a') +
          el('status', state) +
          el('createTime', iso(r.addedAt + (r.opts.appearAfterMs ?? 0))) +
          itemSet('attachmentSet', attachments) +
          el('volumeType', r.opts.volumeType ?? 'gp3') +
          el('encrypted', false) +
          el('multiAttachEnabled', false) +
          tagSet(r.opts.tags)
        );
      });
      return itemSet('volumeSet', xml) + el('nextToken', p.nextToken);
    },
  };

  // --- HTTP ------------------------------------------------------------------

  const server = createServer();
  const tracker = trackConnections(server, options.responseDelayMs);

  function send(res: ServerResponse, status: number, xml: string, requestId: string) {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
    res.writeHead(status, {
      'Content-Type': 'text/xml;charset=UTF-8',
      'Content-Length': Buffer.byteLength(body),
      // Lets the SDK fill $metadata.requestId (it does not read EC2's <RequestID>).
      'x-amzn-RequestId': requestId,
    });
    res.end(body);
  }

  function sendError(res: ServerResponse, requestId: string, err: Ec2Error) {
    send(
      res,
      err.status,
      `<Response><Errors><Error>${el('Code', err.code)}${el('Message', err.message)}</Error></Errors>${el('RequestID', requestId)}</Response>`,
      requestId,
    );
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    tracker.watch(req, res);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => undefined);
    req.on('end', () => {
      const params: Record<string, string> = {};
      const url = new URL(req.url ?? '/', 'http://localhost');
      for (const [k, v] of url.searchParams) params[k] = v;
      for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) params[k] = v;
      const action = params.Action ?? '';
      const t = now();
      requests.push({ action, params, atMs: t - startedAt });
      const requestId = randomUUID();

      tracker.delay(action, res, () => {
        const handler = Object.prototype.hasOwnProperty.call(actions, action) ? actions[action] : undefined;
        try {
          if (!handler) {
            throw new Ec2Error('InvalidAction', `The action ${action || '(none)'} is not valid for this web service.`);
          }
          if (params.DryRun === 'true') {
            throw new Ec2Error('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
          }
          // Evaluate state at response time, so a response delay sees the later state.
          const inner = handler(params, now());
          send(
            res,
            200,
            `<${action}Response xmlns="${EC2_XMLNS}">${el('requestId', requestId)}${inner}</${action}Response>`,
            requestId,
          );
        } catch (e) {
          if (e instanceof Ec2Error) sendError(res, requestId, e);
          else sendError(res, requestId, new Ec2Error('InternalError', `fakeEc2 bug: ${(e as Error).stack}`, 500));
        }
      });
    });
  });

  const port = await listenOnLoopback(server);
  const endpoint = `http://127.0.0.1:${port}`;
  const clients = ec2Clients(endpoint);
  let stopped: Promise<void> | undefined;

  return {
    endpoint,
    port,
    client: clients.make,
    addInstance: (id, states = [{ state: 'running' }], opts = {}) => add(instances, id, states, opts),
    addSnapshot: (id, states = [{ state: 'completed' }], opts = {}) => add(snapshots, id, states, opts),
    addVolume: (id, states = [{ state: 'available' }], opts = {}) => add(volumes, id, states, opts),
    remove(id) {
      instances.delete(id);
      snapshots.delete(id);
      volumes.delete(id);
    },
    stateOf(id) {
      const r = instances.get(id) ?? snapshots.get(id) ?? volumes.get(id);
      const t = now();
      return r && visible(r, t) ? stateAt(r as Resource<string, Visibility>, t).state : undefined;
    },
    requests,
    requestsFor: (action) => requests.filter((r) => r.action === action),
    clearRequests: () => {
      requests.length = 0;
    },
    closedSockets: tracker.closedSockets,
    setResponseDelay: tracker.setResponseDelay,
    stop() {
      stopped ??= (async () => {
        clients.destroyAll();
        await tracker.shutdown();
      })();
      return stopped;
    },
  };
}

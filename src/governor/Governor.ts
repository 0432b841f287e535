import type { GovernorScheduler } from './GovernorScheduler';
import type { Permit } from './Lane';

/**
 * Options of {@link createGovernor}. Rates are in requests (or read capacity
 * units) a second. They are checked by `createGovernor`: a bad or unknown one
 * throws a `SpecError` whose `field` is its path (`options.rate`).
 * @example
 * ```ts
 * const options: GovernorOptions = { rate: { SSM: 5, Organizations: 1 }, readCapacity: { music: 1000 }, readShare: 0.25 };
 * ```
 */
export interface GovernorOptions {
  /**
   * The most requests a second each operation is sent at: one number for
   * every operation, or by name: `'Service.Operation'`, `'Service'` (each of
   * its operations) and `'*'` (every other one). A service is named as its
   * SDK client's `serviceId` or as botocore does (`'DynamoDB'` or
   * `'dynamodb'`, `'SSM'`, `'Resource Groups Tagging API'`), compared without
   * case, spaces or dashes. Below it, the governor slows down on throttling.
   * @default Infinity: learnt from the service's throttling, starting at 10 a second and doubling every 16 answers until the first throttle
   */
  readonly rate?: number | Readonly<Record<string, number>>;
  /**
   * DynamoDB: the read capacity units a second of the tables Scan and Query
   * read: one number for every table, or by table name (`'*'` for the rest).
   * Reads then ask for `ReturnConsumedCapacity` (taken out of the pages again
   * when the request did not ask for it) and wait, so that what they consume
   * stays under `readShare` of it.
   * @default undefined (reads are governed by their rate alone)
   */
  readonly readCapacity?: number | Readonly<Record<string, number>>;
  /**
   * The share of `readCapacity` reads may consume, from above 0 to 1, as AWS
   * Glue's `dynamodb.throughput.read.percent`.
   * @default 0.5
   */
  readonly readShare?: number;
  /**
   * Times a throttled request is sent again, each time when the governor,
   * slowed down by the throttle, lets it go, before its error is passed on.
   * @default 10
   */
  readonly retries?: number;
  /**
   * Where time is kept: RxJS's `TestScheduler` for virtual time, or any
   * object with `now()` and `schedule(work, delay)`.
   * @default a monotonic clock (`performance.now()`) and `setTimeout`
   */
  readonly scheduler?: GovernorScheduler;
}

/**
 * Paces the requests of every pagination, wait and scan segment it is given
 * to (the `governor` option), per service operation; see {@link createGovernor}.
 * @example
 * ```ts
 * const governor: Governor = createGovernor({ rate: { SSM: 5 } });
 * paginate(GetParametersByPath, ssm, { Path: '/app' }, { governor });
 * ```
 */
export interface Governor {
  /** What the governor does now, by lane (`DynamoDB.Scan`) and by table: for logs, dashboards and tests. */
  stats(): GovernorStats;
}

/**
 * A snapshot of a {@link Governor}.
 * @example
 * ```ts
 * const { lanes } = governor.stats();
 * console.log(lanes['DynamoDB.Scan']?.rate); // 84.2
 * ```
 */
export interface GovernorStats {
  /** By lane: `Service.Operation`, or `*` for requests of specs bound to no operation. */
  readonly lanes: Readonly<Record<string, LaneStats>>;
  /** By DynamoDB table, for tables with a `readCapacity`. */
  readonly tables: Readonly<Record<string, TableStats>>;
}

/**
 * One lane of {@link GovernorStats}.
 * @example
 * ```ts
 * const { rate, sent, throttled, waiting }: LaneStats = governor.stats().lanes['SSM.GetParametersByPath']!;
 * ```
 */
export interface LaneStats {
  /** Requests a second allowed now (Infinity: not limited). */
  readonly rate: number;
  /** Requests sent, with the retries an SDK client made on its own (from `$metadata.attempts`). */
  readonly sent: number;
  /** Throttled answers, and answers the SDK client had to retry on its own. */
  readonly throttled: number;
  /** Requests waiting for their turn now. */
  readonly waiting: number;
}

/**
 * One table of {@link GovernorStats}.
 * @example
 * ```ts
 * const { unitsPerSecond, consumed }: TableStats = governor.stats().tables['music']!;
 * ```
 */
export interface TableStats {
  /** Read capacity units a second its reads may consume: `readCapacity` times `readShare`. */
  readonly unitsPerSecond: number;
  /** Read capacity units its reads consumed so far. */
  readonly consumed: number;
}

/**
 * The service and operation a request is for, as far as the spec tells.
 * @internal
 */
export interface LaneId {
  /** The SDK's `serviceId` (`DynamoDB`), or botocore's service name (`dynamodb`). */
  readonly service?: string;
  readonly operation?: string;
}

/**
 * What the engines call: a governor's working side.
 * @internal
 */
export interface GovernorCore {
  /** Times a throttled request is sent again before its error is passed on. */
  readonly retries: number;
  /**
   * Waits for the request's turn in its lane, then calls `grant` with the
   * request to send (a DynamoDB read may be given `ReturnConsumedCapacity`).
   * @returns what cancels the wait.
   */
  acquire<I>(lane: LaneId, input: I, grant: (permit: Permit, input: I) => void): () => void;
}

/** The key of a governor's working side: the same in every copy of the library (CommonJS and ES module builds). */
export const GOVERNOR_CORE: unique symbol = Symbol.for('rxjs-aws.governor') as never;

/**
 * A governor's working side, or undefined for anything that is not a governor.
 * @internal
 */
export function governorCore(value: unknown): GovernorCore | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const core = (value as { [GOVERNOR_CORE]?: unknown })[GOVERNOR_CORE];
  return typeof core === 'object' && core !== null && typeof (core as GovernorCore).acquire === 'function'
    ? (core as GovernorCore)
    : undefined;
}

import { SpecError } from '../errors/SpecError';
import { withMethods } from '../util/callable';
import { describeValue } from '../util/describeValue';
import { isPlainRecord } from '../util/isPlainRecord';
import { optionsRecord } from '../util/optionsRecord';
import { wholeNumber } from '../util/wholeNumber';
import { askForConsumedCapacity, consumedUnits, tableOf } from './consumedCapacity';
import {
  GOVERNOR_CORE,
  type Governor,
  type GovernorCore,
  type GovernorOptions,
  type GovernorStats,
  type LaneId,
  type LaneStats,
  type TableStats,
} from './Governor';
import { systemScheduler, type GovernorScheduler } from './GovernorScheduler';
import { Lane, type Reading } from './Lane';
import { ReadBudget } from './ReadBudget';

const OPTIONS = ['rate', 'readCapacity', 'readShare', 'retries', 'scheduler'] as const;
/** The DynamoDB operations paginate reads a table with. */
const READS = new Set(['Scan', 'Query']);
/** `Service`, `Service.Operation` or `*`: letters, digits, spaces, dashes and underscores. */
const LANE_NAME = /^(\*|[A-Za-z0-9][\w -]*(\.[A-Za-z0-9]+)?)$/;

/**
 * Makes a governor: one object that paces the requests of any number of
 * paginations, waits and `parallelScan` segments given it as their
 * `governor` option, across clients. Each service operation is a lane with
 * its own token bucket: at most `rate` requests a second, and on a throttling
 * error (`ThrottlingException`, `ProvisionedThroughputExceededException`,
 * `TooManyRequestsException`, `SlowDown`, `RequestLimitExceeded`, HTTP 429 …)
 * the lane slows down (multiplicative decrease: to 0.9 of the rate that was
 * throttled, half the first time), then climbs back (additive increase,
 * counted in answers); the throttled request is sent again when its lane
 * lets it. With `readCapacity`, DynamoDB Scan and Query also keep the read
 * capacity they consume under `readShare` of the table's.
 *
 * Waiting is cancelled with the request: unsubscribing (or aborting) takes it
 * out of the queue, and no timer is left behind.
 *
 * @throws {SpecError} naming the option at fault (`options.rate.SSM`).
 * @example
 * ```ts
 * // One per application (an Angular or Nest provider), shared by everything that reads AWS.
 * const governor = createGovernor({ rate: { Organizations: 1, SSM: 10 }, readCapacity: { music: 400 }, readShare: 0.25 });
 * parallelScan(dynamodb, { TableName: 'music' }, { totalSegments: 8, governor });
 * waitFor(TableExists, dynamodb, { TableName: 'music' }, { governor });
 * ```
 */
export function createGovernor(options?: GovernorOptions): Governor {
  const checked: GovernorOptions = optionsRecord(options, 'options', OPTIONS);
  const rateOf = perName(checked.rate, 'options.rate', Infinity, true);
  const share = checked.readShare === undefined ? 0.5 : checked.readShare;
  if (typeof share !== 'number' || !(share > 0 && share <= 1)) {
    throw new SpecError('options.readShare', `expected a share above 0 and at most 1, got ${describeValue(share)}`);
  }
  const capacityOf =
    checked.readCapacity === undefined ? undefined : perName(checked.readCapacity, 'options.readCapacity', undefined, false);
  const retries = checked.retries === undefined ? 10 : wholeNumber(checked.retries, 'options.retries', { min: 0 });
  const scheduler: GovernorScheduler =
    checked.scheduler === undefined
      ? systemScheduler
      : withMethods(checked.scheduler, 'options.scheduler', 'a scheduler', ['schedule', 'now']);

  const lanes = new Map<string, Lane>();
  const budgets = new Map<string, ReadBudget>();

  // By service key and operation: `DynamoDB.Scan` and `dynamodb.Scan` are one lane, named as first seen.
  const laneFor = (id: LaneId): Lane => {
    const service = id.service === undefined ? undefined : serviceKey(id.service);
    const key = id.operation === undefined ? '*' : `${service ?? ''}.${id.operation}`;
    let lane = lanes.get(key);
    if (lane === undefined) {
      const rate = rateOf(
        service !== undefined && id.operation !== undefined ? [`${service}.${id.operation.toLowerCase()}`, service] : [],
      );
      lanes.set(key, (lane = new Lane(laneName(id), rate!, scheduler)));
    }
    return lane;
  };

  /** The budget a DynamoDB read draws on, when its table has one. */
  const budgetFor = (id: LaneId, input: unknown): ReadBudget | undefined => {
    if (capacityOf === undefined || id.service === undefined || serviceKey(id.service) !== 'dynamodb') return undefined;
    if (id.operation === undefined || !READS.has(id.operation)) return undefined;
    const table = tableOf(input);
    if (table === undefined) return undefined;
    let budget = budgets.get(table);
    if (budget === undefined) {
      const units = capacityOf([table]);
      if (units === undefined) return undefined;
      budgets.set(table, (budget = new ReadBudget(units * share, scheduler.now())));
    }
    return budget;
  };

  const core: GovernorCore = {
    retries,
    acquire(id, input, grant) {
      const budget = budgetFor(id, input);
      let sent = input;
      let reading: Reading | undefined;
      if (budget !== undefined) {
        const asked = askForConsumedCapacity(input as Record<string, unknown>);
        sent = asked.input as typeof input;
        reading = {
          budget,
          consumed(output) {
            const units = consumedUnits(output);
            // The page is what the caller asked for: the governor's ConsumedCapacity goes.
            if (asked.added && isPlainRecord(output)) delete output['ConsumedCapacity'];
            return units;
          },
        };
      }
      return laneFor(id).acquire(reading, (permit) => grant(permit, sent));
    },
  };

  const governor: Governor = {
    stats(): GovernorStats {
      const laneStats: Record<string, LaneStats> = {};
      for (const lane of lanes.values()) {
        laneStats[lane.name] = { rate: lane.currentRate(), sent: lane.sent, throttled: lane.throttled, waiting: lane.waiting };
      }
      const tables: Record<string, TableStats> = {};
      for (const [name, budget] of budgets) tables[name] = { unitsPerSecond: budget.unitsPerSecond, consumed: budget.consumed };
      return { lanes: laneStats, tables };
    },
  };
  Object.defineProperty(governor, GOVERNOR_CORE, { value: core });
  return governor;
}

/** `DynamoDB.Scan`; `*` when the spec names no operation. @internal */
export function laneName({ service, operation }: LaneId): string {
  if (operation === undefined) return '*';
  return service === undefined ? operation : `${service}.${operation}`;
}

/** A service name as the options compare it: `Resource Groups Tagging API` and `resourcegroupstaggingapi` alike. */
function serviceKey(service: string): string {
  return service.toLowerCase().replace(/[\s_-]/g, '');
}

/**
 * A number option given for everything or by name, checked: a function from
 * the names to look up, most specific first, to the value (`'*'`, then
 * `fallback`, when none is given).
 */
function perName(
  value: unknown,
  field: string,
  fallback: number | undefined,
  laneNames: boolean,
): (names: readonly string[]) => number | undefined {
  const what = laneNames ? 'requests a second' : 'read capacity units a second';
  const positive = (given: unknown, at: string): number => {
    if (typeof given !== 'number' || Number.isNaN(given) || given <= 0) {
      throw new SpecError(at, `expected ${what}, a number above 0, got ${describeValue(given)}`);
    }
    if (given === Infinity && !laneNames) throw new SpecError(at, `expected ${what}, a finite number, got Infinity`);
    return given;
  };
  if (value === undefined) return () => fallback;
  if (!isPlainRecord(value)) {
    const all = positive(value, field);
    return () => all;
  }
  const byName = new Map<string, number>();
  for (const [name, given] of Object.entries(value)) {
    if (laneNames && !LANE_NAME.test(name)) {
      throw new SpecError(`${field}.${name}`, "expected a name of the form 'Service', 'Service.Operation' or '*'");
    }
    const dot = name.indexOf('.');
    // Lanes are looked up without case; table names are DynamoDB's own, case and all.
    const key = !laneNames
      ? name
      : dot < 0
        ? serviceKey(name)
        : `${serviceKey(name.slice(0, dot))}.${name.slice(dot + 1).toLowerCase()}`;
    byName.set(key, positive(given, `${field}.${name}`));
  }
  const rest = byName.get('*') ?? fallback;
  return (names) => {
    for (const name of names) {
      const found = byName.get(name);
      if (found !== undefined) return found;
    }
    return rest;
  };
}

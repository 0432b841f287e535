/**
 * Smithy's waiter backoff: the delay after `attempt` doubles from `minDelay`
 * until `maxDelay`, and is drawn at random between `minDelay` and that bound,
 * past the ceiling too. SDK v3 stops drawing once at the ceiling and always
 * waits `maxDelay`, which puts every late poller of a fleet in lockstep.
 * @internal
 */
export function exponentialBackoff(minDelay: number, maxDelay: number, random: () => number): (attempt: number) => number {
  const attemptCeiling = Math.log(maxDelay / minDelay) / Math.log(2) + 1;
  return (attempt) => {
    const upper = attempt > attemptCeiling ? maxDelay : minDelay * 2 ** (attempt - 1);
    return randomBetween(minDelay, upper, random());
  };
}

/** Smithy's `random(min, max)`: an integer in [min, max] both included, when both are integers. */
function randomBetween(min: number, max: number, unit: number): number {
  if (Number.isInteger(min) && Number.isInteger(max)) return Math.min(max, min + Math.floor(unit * (max - min + 1)));
  return min + unit * (max - min);
}

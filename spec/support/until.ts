/**
 * Waiting on events in tests that talk to real servers, instead of sleeping
 * for a time that is long enough on an idle machine only.
 *
 *   await until(() => ddb.requestsFor('Scan').length === 1, 'the Scan to reach the server');
 *   ac.abort();
 *   await until(() => ddb.closedSockets() === 1, 'the aborted socket to close');
 *
 * The condition is checked after every turn of the event loop's timers, so
 * it holds as soon as the event it describes has happened, however busy the
 * machine is. The patience is no timing assumption: it only turns a broken
 * test into a message naming what never happened, a little before jest's own
 * 30 s timeout would end the test without one.
 */
export const PATIENCE_MS = 25_000;

/**
 * Resolves once `condition()` is true; rejects with `what` if it is still
 * false after `patienceMs` (a broken test, never a slow machine).
 *
 * @example
 * await until(() => fake.closedSockets() === 1, 'the aborted request to close its socket');
 */
export async function until(condition: () => boolean, what: string, patienceMs = PATIENCE_MS): Promise<void> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > patienceMs) throw new Error(`waited ${patienceMs} ms for ${what}; it never happened`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * Resolves after the current macrotask and everything it scheduled at once
 * (promise jobs, zero-delay timers, immediates) have run: the point where
 * anything a finished stream would still do on its own has been done.
 *
 * @example
 * await settled();
 * expect(sends).toBe(2); // no stray request was made after completion
 */
export async function settled(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  await new Promise((resolve) => setImmediate(resolve));
}

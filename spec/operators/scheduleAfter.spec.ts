/**
 * scheduleAfter: delays longer than a timer can hold (2^31 - 1 ms, about 24.8 days) are waited
 * out as a chain of timers. Under jest's fake timers, as under node, a longer setTimeout fires after 1 ms.
 */
import { asyncScheduler } from 'rxjs';
import { LONGEST_TIMER_MS, scheduleAfter } from '../../src/operators/scheduleAfter';

const DAY = 24 * 3600 * 1000;

describe('scheduleAfter', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs work after a delay longer than one timer can hold, not at once', () => {
    let ran = 0;
    scheduleAfter(asyncScheduler, () => void ran++, 60 * DAY);
    jest.advanceTimersByTime(1000);
    expect(ran).toBe(0);
    jest.advanceTimersByTime(LONGEST_TIMER_MS);
    expect(ran).toBe(0);
    jest.advanceTimersByTime(60 * DAY - LONGEST_TIMER_MS - 1000 - 1);
    expect(ran).toBe(0);
    jest.advanceTimersByTime(1);
    expect(ran).toBe(1);
    jest.advanceTimersByTime(100 * DAY);
    expect(ran).toBe(1);
  });

  it('the longest delay one timer holds is one timer', () => {
    let ran = 0;
    scheduleAfter(asyncScheduler, () => void ran++, LONGEST_TIMER_MS);
    jest.advanceTimersByTime(LONGEST_TIMER_MS - 1);
    expect(ran).toBe(0);
    jest.advanceTimersByTime(1);
    expect(ran).toBe(1);
  });

  it('unsubscribing cancels whichever timer of the chain is pending', () => {
    let ran = 0;
    const timer = scheduleAfter(asyncScheduler, () => void ran++, 60 * DAY);
    jest.advanceTimersByTime(30 * DAY);
    timer.unsubscribe();
    jest.advanceTimersByTime(100 * DAY);
    expect(ran).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });
});

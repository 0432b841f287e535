/** The rate a lane may send at, as a pure function of what its requests met. */
import { RateControl } from '../../src/governor/RateControl';

/** `n` answers of requests the rate held back. */
const succeed = (control: RateControl, n: number, held = true) => {
  for (let i = 0; i < n; i++) control.succeeded(held);
};

describe('RateControl', () => {
  it('starts at the rate given, and at 10 a second without one', () => {
    expect(new RateControl(3).rate).toBe(3);
    expect(new RateControl(Infinity).rate).toBe(10);
  });

  it('doubles every 16 answers until the first throttle (slow start), never above the rate given', () => {
    const control = new RateControl(Infinity);
    succeed(control, 16);
    expect(control.rate).toBeCloseTo(20, 9);
    succeed(control, 32);
    expect(control.rate).toBeCloseTo(80, 9);
    const capped = new RateControl(30);
    succeed(capped, 100);
    expect(capped.rate).toBe(30);
  });

  it('learns nothing from answers of requests it did not hold back', () => {
    const control = new RateControl(Infinity);
    succeed(control, 100, false);
    expect(control.rate).toBe(10);
  });

  it('halves at the first throttle, from the rate sent at when that is lower than the one allowed', () => {
    const control = new RateControl(Infinity);
    succeed(control, 64); // 160 allowed
    control.throttled(120);
    expect(control.rate).toBeCloseTo(60, 9);
  });

  it('doubles back up to 0.9 of the rate throttled, then climbs 1/300 of a tenth of it per answer', () => {
    const control = new RateControl(200);
    control.throttled(100);
    expect(control.rate).toBe(50);
    succeed(control, 14); // 50 * 2 ** (14 / 16) would be 91.7: past 0.9 of the throttled rate
    expect(control.rate).toBe(90);
    succeed(control, 300);
    expect(control.rate).toBeCloseTo(99, 9);
  });

  it('takes 0.9 of the rate at a throttle after the climb, and halves again at one soon after a decrease', () => {
    const control = new RateControl(200);
    control.throttled(100);
    succeed(control, 14 + 300); // 99
    control.throttled(Infinity);
    expect(control.rate).toBeCloseTo(89.1, 9);
    succeed(control, 2);
    control.throttled(Infinity);
    const halved = control.rate;
    expect(halved).toBeCloseTo((89.1 * (1 + (0.1 * 2) / 300)) / 2, 6);
    // That throttle may have been the service's bucket, still empty: the doubling back goes up to where it was.
    succeed(control, 16);
    expect(control.rate).toBeCloseTo(89.1, 6);
  });

  it('never slows down below one request every 20 s', () => {
    const control = new RateControl(Infinity);
    for (let i = 0; i < 100; i++) control.throttled(Infinity);
    expect(control.rate).toBe(0.05);
  });
});

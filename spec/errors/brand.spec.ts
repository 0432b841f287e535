/**
 * `instanceof` of the library's errors: true across copies of the library, and never a throw, whatever it is
 * asked about (it runs in catch blocks, where a throw would replace the error being handled).
 */
import { PaginationError, SpecError, WaiterError } from '../../src';

const throwing = new Proxy(
  {},
  {
    get() {
      throw new Error('get trap');
    },
    getPrototypeOf() {
      throw new Error('getPrototypeOf trap');
    },
  },
);
const { proxy: revoked, revoke } = Proxy.revocable({}, {});
revoke();

describe('instanceof an rxjs-aws error', () => {
  it.each([
    ['PaginationError', PaginationError],
    ['SpecError', SpecError],
    ['WaiterError', WaiterError],
  ] as const)('%s answers false for a Proxy whose traps throw, or a revoked one, without throwing', (_, ErrorClass) => {
    expect(throwing instanceof ErrorClass).toBe(false);
    expect(revoked instanceof ErrorClass).toBe(false);
  });

  it('answers false for them in a subclass too, which checks the prototype chain', () => {
    class Subclass extends PaginationError {}
    expect(throwing instanceof Subclass).toBe(false);
    expect(revoked instanceof Subclass).toBe(false);
    expect(new Subclass('x') instanceof Subclass).toBe(true);
    expect(new PaginationError('x') instanceof Subclass).toBe(false);
  });

  it('still knows its own errors and a Proxy of one', () => {
    const error = new SpecError('options.pageSize', 'bad');
    expect(error instanceof SpecError).toBe(true);
    expect(new Proxy(error, {}) instanceof SpecError).toBe(true);
    expect(error instanceof PaginationError).toBe(false);
  });
});

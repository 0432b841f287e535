import { SpecError } from '../../src/errors/SpecError';

/** Expects `compile(spec)` to refuse the spec with a SpecError naming `field` and saying `problem`. */
export function expectRejected(compile: (spec: never) => unknown, spec: unknown, field: string, problem: RegExp): SpecError {
  let thrown: unknown;
  try {
    compile(spec as never);
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) throw new Error(`expected ${JSON.stringify(spec)} to be rejected`);
  expect(thrown).toBeInstanceOf(SpecError);
  const error = thrown as SpecError;
  expect(error.field).toBe(field);
  expect(error.problem).toMatch(problem);
  expect(error.message).toBe(`${field}: ${error.problem}`);
  expect(error.name).toBe('SpecError');
  return error;
}

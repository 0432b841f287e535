/**
 * Smithy's own validation tests for waiters (`spec/fixtures/smithy-waiters`, see the README there),
 * run against `compileWaiter`: every ERROR that can apply to one waiter spec at run time is a
 * SpecError here, every waiter Smithy accepts compiles, and a failure acceptor's `message` reaches
 * the WaiterError.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, of } from 'rxjs';
import { compileWaiter, waitFor, WaiterError, type SmithyWaiterSpec } from '../../src';
import { expectRejected } from '../support/specErrors';
import { useFullJmespath } from '../../src/specs/fullJmespath';

// Smithy's test waiters are an app's own specs here, many beyond plain member paths: opt in as an app does.
useFullJmespath();

interface Event {
  /** The line of the `.errors` file, verbatim. */
  readonly smithy: string;
  readonly applies: boolean;
  readonly why?: string;
  readonly waiter?: string;
  readonly refused?: { readonly field: string; readonly problem: string };
  readonly runtime?: MessageCase;
}

interface MessageCase {
  readonly waiter: string;
  readonly acceptor: number;
  readonly output: Record<string, unknown>;
  readonly message: string | null;
}

interface ErrorFile {
  readonly waiters: Record<string, SmithyWaiterSpec>;
  readonly events: readonly Event[];
  readonly messages?: readonly MessageCase[];
}

const DIR = join(__dirname, '..', 'fixtures', 'smithy-waiters');
const { files } = JSON.parse(readFileSync(join(DIR, 'errorfiles.json'), 'utf8')) as { files: Record<string, ErrorFile> };
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe("Smithy's waiter validation error files", () => {
  it('covers every .errors file and every line of each, and says why a line cannot apply', () => {
    const names = readdirSync(join(DIR, 'errorfiles'))
      .filter((f) => f.endsWith('.errors'))
      .map((f) => f.slice(0, -'.errors'.length));
    expect(Object.keys(files).sort()).toEqual(names.sort());
    for (const name of names) {
      const lines = readFileSync(join(DIR, 'errorfiles', `${name}.errors`), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '');
      expect(files[name]!.events.map((e) => e.smithy)).toEqual(lines);
      for (const event of files[name]!.events) {
        if (event.applies) expect(event.refused).toBeDefined();
        else expect(event.why).toMatch(/\w/);
      }
    }
  });

  describe.each(Object.entries(files))('%s', (_, file) => {
    const refusals = file.events.filter((e) => e.applies);
    const refused = new Set(refusals.map((e) => e.waiter));

    if (refusals.length > 0) {
      it.each(refusals.map((e) => [e.smithy, e] as const))('refuses: %s', (__, event) => {
        const spec = file.waiters[event.waiter!];
        expectRejected(compileWaiter, spec, event.refused!.field, new RegExp(escape(event.refused!.problem)));
      });
    }

    const accepted = Object.keys(file.waiters).filter((w) => !refused.has(w));
    if (accepted.length > 0) {
      it.each(accepted)('compiles %s, which no ERROR that applies at run time names', (waiter) => {
        expect(compileWaiter(file.waiters[waiter]!).acceptors.length).toBeGreaterThan(0);
      });
    }

    const messages = [...(file.messages ?? []), ...file.events.flatMap((e) => (e.runtime ? [e.runtime] : []))];
    if (messages.length > 0) {
      it.each(messages.map((m) => [JSON.stringify(m.output), m] as const))(
        'a failure on %s ends the wait with the message the acceptor gives',
        async (__, { waiter, acceptor, output, message }) => {
          const spec = file.waiters[waiter]!;
          expect(spec.acceptors[acceptor]!.state).toBe('failure');
          expect(compileWaiter(spec).acceptors[acceptor]!.message?.({ ok: true, input: {}, output })).toBe(message ?? undefined);
          const error = await lastValueFrom(waitFor(spec, () => of(output), {}, { maxWaitTime: 60 })).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(WaiterError);
          expect((error as WaiterError).kind).toBe('failure');
          expect((error as WaiterError).message).toMatch(/^Waiter encountered a terminal failure state: /);
          if (message === null) expect((error as WaiterError).message).toMatch(/matched expected "true"$/);
          else expect((error as WaiterError).message.endsWith(`: ${message}`)).toBe(true);
        },
      );
    }
  });
});

/**
 * Runs the test suite with CPU-bound processes beside it, to show that no test
 * depends on the machine being idle:
 *
 *   npx ts-node --transpile-only scripts/testUnderLoad.ts              # `npx jest`, two burners
 *   npx ts-node --transpile-only scripts/testUnderLoad.ts npm test     # any other command
 *   BURNERS=4 npx ts-node --transpile-only scripts/testUnderLoad.ts spec/integration
 *
 * Arguments that start with `spec/` or `-` are passed to jest; anything else is
 * the command itself. Each burner is a Node process spinning in a loop. The
 * load average is sampled every second while the command runs, and the
 * script prints the command's wall time with the load it ran under, then
 * exits with the command's own exit code (burners are stopped either way).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';

const BURN = 'for (;;) {}';

/** The command to run: `npx jest` plus jest arguments, or a command given in full. */
function commandOf(args: readonly string[]): string[] {
  if (args.length > 0 && !args[0]!.startsWith('spec/') && !args[0]!.startsWith('-')) return [...args];
  return ['npx', 'jest', ...args];
}

function burners(count: number): ChildProcess[] {
  return Array.from({ length: count }, () => spawn(process.execPath, ['-e', BURN], { stdio: 'ignore' }));
}

function stop(children: readonly ChildProcess[]): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

async function main(): Promise<number> {
  const count = Number(process.env.BURNERS ?? 2);
  if (!Number.isInteger(count) || count < 0) throw new Error(`BURNERS must be a whole number, got "${process.env.BURNERS}"`);
  const [command, ...args] = commandOf(process.argv.slice(2));
  const burning = burners(count);
  const cleanUp = () => stop(burning);
  process.once('exit', cleanUp);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanUp();
      process.exit(130);
    });
  }

  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(loadavg()[0]!), 1000);
  const started = process.hrtime.bigint();
  console.log(`testUnderLoad: ${count} CPU burners on ${cpus().length} cores, running: ${[command, ...args].join(' ')}`);
  const code = await new Promise<number>((resolve) => {
    const test = spawn(command!, args, {
      stdio: 'inherit',
      env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '1', ...process.env },
    });
    test.once('error', (e) => {
      console.error(`testUnderLoad: could not run ${command}: ${e.message}`);
      resolve(127);
    });
    test.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : 1)));
  });
  clearInterval(sampler);
  cleanUp();

  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const mean = samples.length > 0 ? samples.reduce((a, b) => a + b, 0) / samples.length : loadavg()[0]!;
  const peak = samples.length > 0 ? Math.max(...samples) : loadavg()[0]!;
  console.log(
    `testUnderLoad: exit ${code} after ${seconds.toFixed(1)} s; 1-minute load average mean ${mean.toFixed(2)}, ` +
      `peak ${peak.toFixed(2)}, at the end ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} (1/5/15 min)`,
  );
  return code;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}

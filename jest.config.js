// Every test builds real SDK clients, and on Node 20 each process would print the SDK's notice that its
// 2027 releases need Node 22. Set here, before jest starts its workers, so they inherit it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * Test files outside spec/services that start a real server (dynalite, moto, a botocore process) or spawn
 * workers: the `servers` run. spec/testRuns.spec.ts fails when a file that starts one is missing here, so the
 * `core` run stays free of them.
 */
const SERVER_TESTS = [
  'spec/demo.spec.ts',
  'spec/differential/**/*.spec.ts',
  'spec/governor/opentelemetry.spec.ts',
  'spec/governor/progress.spec.ts',
  'spec/governor/throttling.spec.ts',
  'spec/integration/**/*.spec.ts',
  'spec/reliability/concurrency.spec.ts',
  'spec/reliability/faults.spec.ts',
  'spec/stepFunctions/differential.spec.ts',
  'spec/stepFunctions/examples.spec.ts',
  'spec/stepFunctions/shardMap.spec.ts',
  'spec/stepFunctions/shardWorker.spec.ts',
  'spec/support/harness.spec.ts',
];

const project = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  // Transpile only (`npm test` type-checks with tsc first); ts-jest reads this from the compiler options now.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }] },
};

/**
 * Three runs, each a jest project (`jest --selectProjects core`): `core` is the library without real
 * servers (the inner loop), `services` the services annex (generated bindings and extras, some on dynalite),
 * `servers` everything else that starts a server. `npm test` runs all three. The stress suite has its own
 * config (jest.stress.config.js).
 * @type {import('jest').Config}
 */
module.exports = {
  testTimeout: 30000,
  projects: [
    {
      ...project,
      displayName: 'core',
      testMatch: ['<rootDir>/spec/**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/spec/services/', ...SERVER_TESTS.map(asPattern)],
    },
    { ...project, displayName: 'services', testMatch: ['<rootDir>/spec/services/**/*.spec.ts'] },
    { ...project, displayName: 'servers', testMatch: SERVER_TESTS.map((glob) => `<rootDir>/${glob}`) },
  ],
};

/** A glob of SERVER_TESTS as the regular expression testPathIgnorePatterns wants. */
function asPattern(glob) {
  return `<rootDir>/${glob.replace(/\./g, '\\.').replace('/**/*', '/.*').replace(/\*/g, '[^/]*')}$`;
}

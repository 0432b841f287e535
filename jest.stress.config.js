process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * `npm run test:stress`: the long-running leak checks under spec/stress, kept
 * out of `npm test`. One worker, in band, so that `node --expose-gc` reaches
 * the tests and heap figures are not shared with other suites.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.stress.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }] },
  maxWorkers: 1,
  testTimeout: 180000,
};

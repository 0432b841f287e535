// Every test builds real SDK clients, and on Node 20 each process would print the SDK's notice that its
// 2027 releases need Node 22. Set here, before jest starts its workers, so they inherit it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  // Transpile only (`npm test` type-checks with tsc first); ts-jest reads this from the compiler options now.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }] },
  testTimeout: 30000,
};

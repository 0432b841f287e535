/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.e2e-spec.ts', '**/*.spec.ts'],
  // tsconfig.json sets isolatedModules: ts-jest only transpiles; `npm run typecheck` type-checks.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  // The library from source, as the tsconfig.json paths say.
  moduleNameMapper: {
    '^rxjs-aws$': '<rootDir>/../../src/index.ts',
    '^rxjs-aws/dynamodb$': '<rootDir>/../../src/services/generated/dynamodb/index.ts',
    '^rxjs-aws/signing$': '<rootDir>/../../src/signing.ts',
    // ...resolving its imports (and spec/support's) from this example's own install, as an
    // installed rxjs-aws would, rather than from the repository root's: one rxjs, one SDK.
    '^rxjs$': '<rootDir>/node_modules/rxjs',
    '^rxjs/(.*)$': '<rootDir>/node_modules/rxjs/$1',
    '^@aws-sdk/client-dynamodb$': '<rootDir>/node_modules/@aws-sdk/client-dynamodb',
  },
  testTimeout: 15000,
};

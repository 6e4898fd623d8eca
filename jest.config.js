// Type errors are `npm run typecheck`'s job; ts-jest only transpiles (tsconfig.spec.json).
/** Unit tests sit beside pure logic in src/; e2e and contract tests under test/ use real services. */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.spec.json' }] };
// Removes what each test file made on the shared Postgres and Redis, also when it fails.
const testEnvironment = '<rootDir>/test/support/cleanup-environment.ts';

module.exports = {
  maxWorkers: 2,
  // Generous: CI shares two cores with other work; every wait inside a test has its own deadline.
  testTimeout: 120_000,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  projects: [
    {
      displayName: 'unit',
      testEnvironment,
      rootDir: '.',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
      transform,
    },
    {
      displayName: 'e2e',
      testEnvironment,
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      // The topology run (minutes of load on its own processes) is its own project.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/topology/'],
      transform,
    },
    {
      displayName: 'topology',
      testEnvironment,
      rootDir: '.',
      testMatch: ['<rootDir>/test/topology/**/*.e2e-spec.ts'],
      transform,
    },
  ],
};

// Type errors are `npm run typecheck`'s job; ts-jest only transpiles (tsconfig.spec.json).
/** Unit tests sit beside pure logic in src/; e2e and contract tests under test/ use real services. */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.spec.json' }] };

module.exports = {
  maxWorkers: 2,
  testTimeout: 60_000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
      transform,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      // The topology run (minutes of load on its own processes) is its own project.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/topology/'],
      transform,
    },
    {
      displayName: 'topology',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/test/topology/**/*.e2e-spec.ts'],
      transform,
    },
  ],
};

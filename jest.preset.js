// Shared jest settings for the Node workspaces: SWC transpiles TypeScript (tsc type-checks separately).
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  moduleNameMapper: {
    '^@tokenmeter/conventions$': '<rootDir>/../conventions/src/index.ts',
    '^@tokenmeter/conventions/(.*)$': '<rootDir>/../conventions/src/$1',
    '^@tokenmeter/instrumentation$': '<rootDir>/../instrumentation/src/index.ts',
    '^@tokenmeter/instrumentation/(.*)$': '<rootDir>/../instrumentation/src/$1',
    '^@tokenmeter/provisioning$': '<rootDir>/../provisioning/src/index.ts',
    '^@tokenmeter/provisioning/(.*)$': '<rootDir>/../provisioning/src/$1',
    '^@tokenmeter/collector$': '<rootDir>/../collector/src/index.ts',
    '^@tokenmeter/test-support$': '<rootDir>/../test-support/src/index.ts',
  },
};

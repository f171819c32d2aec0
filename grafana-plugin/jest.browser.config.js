// The browser test: the built plugin in a real Chromium against a real PostgreSQL and Prometheus.
const path = require('path');

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/browser/**/*.browser.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  moduleNameMapper: {
    '^@tokenmeter/provisioning$': path.resolve(__dirname, '../provisioning/src/index.ts'),
    '^@tokenmeter/provisioning/(.*)$': path.resolve(__dirname, '../provisioning/src/$1'),
    '^@tokenmeter/conventions$': path.resolve(__dirname, '../conventions/src/index.ts'),
    '^@tokenmeter/conventions/(.*)$': path.resolve(__dirname, '../conventions/src') + '/$1',
    '^@tokenmeter/instrumentation$': path.resolve(__dirname, '../instrumentation/src/index.ts'),
    '^@tokenmeter/instrumentation/(.*)$': path.resolve(__dirname, '../instrumentation/src/$1'),
    '^@tokenmeter/collector$': path.resolve(__dirname, '../collector/src/index.ts'),
    '^@tokenmeter/test-support$': path.resolve(__dirname, '../test-support/src/index.ts'),
  },
  testTimeout: 120000,
  maxWorkers: 1,
};

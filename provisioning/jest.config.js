const preset = require('../jest.preset.js');

// One test file at a time: the SQL and Prometheus tests each load a data set into a real server.
module.exports = {
  ...preset,
  maxWorkers: 1,
  testTimeout: 120_000,
  moduleNameMapper: {
    ...preset.moduleNameMapper,
    '^@tokenmeter/collector$': '<rootDir>/../collector/src/index.ts',
  },
};

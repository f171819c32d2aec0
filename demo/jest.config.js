const preset = require('../jest.preset.js');

// One test file at a time: the tests start real servers (PostgreSQL databases, the usage sink,
// and in demo/ the Collector, Prometheus and the demo service).
module.exports = {
  ...preset,
  maxWorkers: 1,
  testTimeout: 120_000,
  moduleNameMapper: {
    ...preset.moduleNameMapper,
    '^@tokenmeter/collector$': '<rootDir>/../collector/src/index.ts',
  },
};

// One test file at a time: the reliability test stops and restarts the shared PostgreSQL server,
// and the end-to-end tests run a Collector and Prometheus each.
module.exports = { ...require('../jest.preset.js'), maxWorkers: 1, testTimeout: 120_000 };

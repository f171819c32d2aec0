// One test file at a time: the tests start real servers (PostgreSQL databases, the usage sink, the
// Collector, Prometheus and the demo service).
module.exports = { ...require('../jest.preset.js'), maxWorkers: 1, testTimeout: 120_000 };

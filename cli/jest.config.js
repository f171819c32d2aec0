// One test file at a time: the tests start real servers (PostgreSQL databases, the usage sink).
module.exports = { ...require('../jest.preset.js'), maxWorkers: 1, testTimeout: 120_000 };

// One test file at a time: the SQL and Prometheus tests each load a data set into a real server.
module.exports = { ...require('../jest.preset.js'), maxWorkers: 1, testTimeout: 120_000 };

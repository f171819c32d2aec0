// Real components the tests use, provided by scripts/test.sh. A missing one fails the test loudly.
export { createTestDatabase, requireEnv, type TestDatabase } from '@tokenmeter/test-support';

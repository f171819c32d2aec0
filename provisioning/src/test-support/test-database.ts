export {
  createMigratedTestDatabase as createTestDatabase,
  type TestDatabase,
} from '@tokenmeter/test-support';

import {
  createTestDatabase as createDatabase,
  migrate,
  type TestDatabase,
} from '@tokenmeter/collector';

export type { TestDatabase };

/** A fresh database on the test server with the collector's `tokenmeter` schema migrated in. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const database = await createDatabase(prefix);
  await migrate(database.url);
  return database;
}

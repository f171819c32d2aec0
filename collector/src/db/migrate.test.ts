import { migrate } from './migrate';
import { createTestDatabase, withClient, type TestDatabase } from '../test-support/test-database';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('migrate');
});

afterAll(async () => {
  await database?.drop();
});

const tables = (): Promise<string[]> =>
  withClient(database.url, async (client) =>
    (await client.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'tokenmeter' ORDER BY 1`,
    )).rows.map((row) => row.name),
  );

describe('migrate', () => {
  it('creates the ledger schema, is idempotent, and reverts and re-applies cleanly', async () => {
    expect((await migrate(database.url)).length).toBeGreaterThan(0);
    expect(await tables()).toEqual(['llm_calls', 'llm_usage_daily', 'model_prices', 'schema_migrations']);
    expect(await migrate(database.url)).toEqual([]);
    await migrate(database.url, { direction: 'down' });
    expect(await tables()).toEqual(['schema_migrations']);
    await migrate(database.url);
    expect(await tables()).toEqual(['llm_calls', 'llm_usage_daily', 'model_prices', 'schema_migrations']);
  });

  it('runs concurrently from several processes without failing (a lock serialises them)', async () => {
    const results = await Promise.all([migrate(database.url), migrate(database.url), migrate(database.url)]);
    expect(results.flat()).toEqual([]);
  });
});

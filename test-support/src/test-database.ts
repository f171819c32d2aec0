import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { migrate } from '@tokenmeter/collector';
import { testDatabaseUrl } from './environment';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** The database's locale (collation and character classes), e.g. 'C.UTF-8'; default: the server's. */
  locale?: string;
}

/** A fresh database on the test server, of this test file alone. */
export async function createTestDatabase(
  label: string,
  options: TestDatabaseOptions = {},
): Promise<TestDatabase> {
  const serverUrl = testDatabaseUrl();
  const name = `tm_${label}_${randomBytes(4).toString('hex')}`;
  const locale = options.locale ? ` TEMPLATE template0 LOCALE '${options.locale.replace(/'/g, "''")}'` : '';
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}${locale}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () =>
      withClient(serverUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      ).then(() => undefined),
  };
}

/** A fresh database on the test server with the `tokenmeter` schema migrated in. */
export async function createMigratedTestDatabase(label: string): Promise<TestDatabase> {
  const database = await createTestDatabase(label);
  await migrate(database.url);
  return database;
}

export async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/**
 * A pool on a test database. Its connections may still be closing when the database is dropped
 * (DROP DATABASE … WITH (FORCE) terminates them): that error of an idle connection is expected.
 */
export function testPool(url: string, max = 4): Pool {
  const pool = new Pool({ connectionString: url, max });
  pool.on('error', () => undefined);
  return pool;
}

import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrate } from '@tokenmeter/collector';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.TOKENMETER_TEST_DATABASE_URL;
  if (!url)
    throw new Error(
      'TOKENMETER_TEST_DATABASE_URL is not set: run the tests through `npm test` (scripts/test.sh)',
    );
  return url;
}

/** A fresh database on the test server with the collector's `tokenmeter` schema migrated in. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const base = new URL(serverUrl());
  const name = `tm_${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: base.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  await migrate(url.toString());
  return {
    url: url.toString(),
    async drop() {
      const client = new Client({ connectionString: base.toString() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

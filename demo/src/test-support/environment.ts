// Real components the tests use, provided by scripts/test.sh. A missing one fails the test loudly.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export function requireEnv(name: string, what: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: these tests need ${what}. Run them through \`npm test\` (scripts/test.sh), which provides it.`,
    );
  return value;
}

export const testServerUrl = (): string =>
  requireEnv('TOKENMETER_TEST_DATABASE_URL', 'a PostgreSQL server');

async function onServer(sql: string): Promise<void> {
  const client = new Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A database of this test file alone on the test server. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `tm_demo_${label}_${randomBytes(4).toString('hex')}`;
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(testServerUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

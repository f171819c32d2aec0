import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startSink } from '../sink';
import { traceRequestJson, traceRequestProtobuf, type CallSpec } from '../test-support/genai-spans';
import { rollupMismatches } from '../test-support/ledger-checks';
import { createMigratedTestDatabase, withClient, type TestDatabase } from '@tokenmeter/test-support';
import { ensureLoginRoles, READER_STATEMENT_TIMEOUT } from './roles';

const suffix = randomBytes(3).toString('hex');
const reader = { name: `tm_test_reader_${suffix}`, password: 'reader-password-1234' };
const writer = { name: `tm_test_writer_${suffix}`, password: 'writer-password-1234' };
const DAY_MS = 86_400_000;
let database: TestDatabase;

const urlAs = (role: string): string => {
  const url = new URL(database.url);
  url.username = role;
  url.password = '';
  return url.toString();
};

/** The SQLSTATE of what `sql` fails with as `role` (after `setup`), or 'ok'. */
async function outcomeAs(role: string, sql: string, setup?: string): Promise<string> {
  return withClient(urlAs(role), async (client) => {
    if (setup) await client.query(setup);
    try {
      await client.query(sql);
      return 'ok';
    } catch (error) {
      return (error as { code?: string }).code ?? String(error);
    }
  });
}

const INSUFFICIENT_PRIVILEGE = '42501';
const READ_ONLY_TRANSACTION = '25006';

beforeAll(async () => {
  database = await createMigratedTestDatabase('roles');
  await withClient(database.url, (client) => ensureLoginRoles(client, { reader, writer }));
});

afterAll(async () => {
  await database?.drop();
  const server = new URL(database.url);
  server.pathname = '/postgres';
  await withClient(server.toString(), async (client) => {
    for (const role of [reader.name, writer.name]) await client.query(`DROP ROLE IF EXISTS ${role}`);
  });
});

describe('the read-only role (Grafana, tokenmeter report)', () => {
  it('reads the ledger, the rollups and their views', async () => {
    for (const table of ['llm_calls', 'llm_usage_daily', 'llm_usage_hourly', 'llm_usage_monthly', 'llm_usage_weekly_users', 'model_prices']) {
      expect([table, await outcomeAs(reader.name, `SELECT count(*) FROM tokenmeter.${table}`)]).toEqual([table, 'ok']);
    }
  });

  it('cannot write a row even when it turns its read-only default off', async () => {
    const insert = `INSERT INTO tokenmeter.model_prices (provider, model, effective_from, input_per_mtok, output_per_mtok, cached_input_per_mtok, source, catalog_version)
      VALUES ('x', 'y', '2026-01-01', 1, 1, 1, 'test', 'test')`;
    expect(await outcomeAs(reader.name, insert)).toBe(READ_ONLY_TRANSACTION);
    const writable = 'SET default_transaction_read_only = off';
    expect(await outcomeAs(reader.name, insert, writable)).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await outcomeAs(reader.name, 'DELETE FROM tokenmeter.llm_calls', writable)).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await outcomeAs(reader.name, 'UPDATE tokenmeter.llm_usage_daily SET calls = 0', writable)).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await outcomeAs(reader.name, 'TRUNCATE tokenmeter.llm_usage_hourly', writable)).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it('cannot create objects, change the schema, call the sink functions or run programs', async () => {
    const writable = 'SET default_transaction_read_only = off';
    expect(await outcomeAs(reader.name, 'CREATE TABLE tokenmeter.evil (x int)', writable)).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await outcomeAs(reader.name, 'CREATE TABLE public.evil (x int)', writable)).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await outcomeAs(reader.name, 'ALTER TABLE tokenmeter.llm_calls ADD COLUMN evil int', writable)).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await outcomeAs(reader.name, "SELECT tokenmeter.ensure_llm_calls_partition('2020-01-01')", writable)).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await outcomeAs(reader.name, "SELECT tokenmeter.set_rollup_watermark('2020-01-01')", writable)).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await outcomeAs(reader.name, "COPY (SELECT 1) TO PROGRAM 'touch /tmp/tokenmeter-evil'", writable)).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await outcomeAs(reader.name, "SELECT pg_read_file('/etc/passwd')")).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it('has its statements time out and is no superuser', async () => {
    const settings = await withClient(urlAs(reader.name), async (client) => {
      const { rows } = await client.query<{ timeout: string; read_only: string; superuser: string }>(
        "SELECT current_setting('statement_timeout') AS timeout, current_setting('default_transaction_read_only') AS read_only, current_setting('is_superuser') AS superuser",
      );
      return rows[0];
    });
    expect(settings).toEqual({ timeout: READER_STATEMENT_TIMEOUT, read_only: 'on', superuser: 'off' });
  });
});

describe('the writer role (the usage sink)', () => {
  it('runs the sink: new daily partitions, rollups, closing days and retention, without any DDL right of its own', async () => {
    const sink = await startSink({ databaseUrl: urlAs(writer.name), port: 0, migrate: false, retentionDays: 30, log: () => undefined });
    try {
      const now = Date.now();
      const specs: CallSpec[] = [
        { service: 'svc-roles', startMs: now - 60_000, userId: 'user-1', inputTokens: 1000, outputTokens: 100 },
        { service: 'svc-roles', startMs: now - 3 * DAY_MS, userId: 'user-2', inputTokens: 2000, outputTokens: 50 },
      ];
      const response = await fetch(`${sink.url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: traceRequestProtobuf(traceRequestJson(specs)),
      });
      expect(response.status).toBe(200);
      await sink.closeDays();
      await withClient(database.url, (client) =>
        client.query(`SELECT tokenmeter.ensure_llm_calls_partition((now() - interval '40 days')::date)`),
      );
      expect(await sink.applyRetention()).toHaveLength(1);
    } finally {
      await sink.close();
    }
    const stored = await withClient(database.url, (client) =>
      client.query<{ calls: number; input: number }>(
        "SELECT count(*)::int AS calls, sum(input_tokens)::int AS input FROM tokenmeter.llm_calls WHERE service = 'svc-roles'",
      ),
    );
    expect(stored.rows[0]).toEqual({ calls: 2, input: 3000 });
    expect(await rollupMismatches(database.url)).toEqual([]);
  });

  it('cannot change the schema or run programs', async () => {
    expect(await outcomeAs(writer.name, 'CREATE TABLE tokenmeter.evil (x int)')).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await outcomeAs(writer.name, 'DROP TABLE tokenmeter.llm_usage_daily')).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await outcomeAs(writer.name, "COPY (SELECT 1) TO PROGRAM 'touch /tmp/tokenmeter-evil'")).toBe(INSUFFICIENT_PRIVILEGE);
  });
});

describe('ensureLoginRoles', () => {
  it('refuses names that are not plain identifiers, the group roles themselves and short passwords', async () => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      await expect(ensureLoginRoles(client, { reader: { name: 'x"; DROP ROLE postgres; --', password: 'long-enough-password' } })).rejects.toThrow(/Invalid role name/);
      await expect(ensureLoginRoles(client, { writer: { name: 'tokenmeter_writer', password: 'long-enough-password' } })).rejects.toThrow(/group role/);
      await expect(ensureLoginRoles(client, { reader: { name: 'tm_short', password: 'short' } })).rejects.toThrow(/at least 12/);
    } finally {
      await client.end();
    }
  });

  it('is idempotent: a second run updates the roles in place', async () => {
    const again = await withClient(database.url, (client) => ensureLoginRoles(client, { reader, writer }));
    expect(again).toEqual([reader.name, writer.name]);
  });
});

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, withClient, type TestDatabase } from '@tokenmeter/test-support';

// The migrations command as compose runs it (the one-shot `migrate` service): as the owner, it
// migrates and creates the login roles whose names are set.
const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const suffix = randomBytes(3).toString('hex');
const reader = `tm_cli_reader_${suffix}`;
const writer = `tm_cli_writer_${suffix}`;
let database: TestDatabase;

const migrateCli = (env: Record<string, string>) =>
  run(process.execPath, ['-r', resolve(ROOT, 'scripts/register-ts.js'), resolve(__dirname, 'migrate-cli.ts')], {
    env: { PATH: process.env.PATH ?? '', TOKENMETER_DATABASE_URL: database.url, ...env },
  });

beforeAll(async () => {
  database = await createTestDatabase('migrate_cli');
});

afterAll(async () => {
  await database?.drop();
  const server = new URL(database.url);
  server.pathname = '/postgres';
  await withClient(server.toString(), async (client) => {
    for (const role of [reader, writer]) await client.query(`DROP ROLE IF EXISTS ${role}`);
  });
});

it('migrates and creates the configured reader and writer login roles in their groups', async () => {
  const { stdout } = await migrateCli({
    TOKENMETER_PG_READER: reader,
    TOKENMETER_PG_READER_PASSWORD: 'reader-password-1234',
    TOKENMETER_PG_WRITER: writer,
    TOKENMETER_PG_WRITER_PASSWORD: 'writer-password-1234',
  });
  expect(stdout).toContain(`login roles: ${reader}, ${writer}`);
  expect(stdout).not.toContain('collates text');
  const members = await withClient(database.url, async (client) => {
    const { rows } = await client.query<{ member: string; grp: string; superuser: boolean }>(
      `SELECT m.rolname AS member, g.rolname AS grp, m.rolsuper AS superuser
         FROM pg_auth_members a JOIN pg_roles m ON m.oid = a.member JOIN pg_roles g ON g.oid = a.roleid
        WHERE m.rolname = ANY($1) ORDER BY m.rolname`,
      [[reader, writer]],
    );
    return rows;
  });
  expect(members).toEqual([
    { member: reader, grp: 'tokenmeter_reader', superuser: false },
    { member: writer, grp: 'tokenmeter_writer', superuser: false },
  ]);
});

it('refuses a role name without its password before migrating anything', async () => {
  const fresh = await createTestDatabase('migrate_cli_half');
  try {
    await expect(
      run(process.execPath, ['-r', resolve(ROOT, 'scripts/register-ts.js'), resolve(__dirname, 'migrate-cli.ts')], {
        env: { PATH: process.env.PATH ?? '', TOKENMETER_DATABASE_URL: fresh.url, TOKENMETER_PG_WRITER: writer },
      }),
    ).rejects.toMatchObject({ stderr: expect.stringContaining('TOKENMETER_PG_WRITER is set but TOKENMETER_PG_WRITER_PASSWORD is not') });
    const schemas = await withClient(fresh.url, (client) =>
      client.query("SELECT 1 FROM pg_namespace WHERE nspname = 'tokenmeter'"),
    );
    expect(schemas.rowCount).toBe(0);
  } finally {
    await fresh.drop();
  }
});

it('warns after migrating when the database collates text by a locale', async () => {
  const byLocale = await createTestDatabase('migrate_cli_locale', { locale: 'C.UTF-8' });
  try {
    const { stdout } = await run(process.execPath, ['-r', resolve(ROOT, 'scripts/register-ts.js'), resolve(__dirname, 'migrate-cli.ts')], {
      env: { PATH: process.env.PATH ?? '', TOKENMETER_DATABASE_URL: byLocale.url },
    });
    expect(stdout).toMatch(/^warning: the database collates text by the locale "C\.UTF-8"/m);
  } finally {
    await byLocale.drop();
  }
});

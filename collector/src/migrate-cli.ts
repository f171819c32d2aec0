// `npm run migrate -w collector [-- down]`: applies (or reverts) the ledger migrations on the
// database of TOKENMETER_DATABASE_URL (or DATABASE_URL), as the ledger's owner. After `up`, creates
// the login roles whose names are set (TOKENMETER_PG_READER / _WRITER and their _PASSWORD): the
// reader for Grafana and the report, the writer for the sink (docs/contracts.md, "Roles").
import { loginRolesFromEnv, requireDatabaseUrl } from '@tokenmeter/conventions';
import { Client } from 'pg';
import { localeCollationWarning } from './db/collation';
import { migrate } from './db/migrate';
import { ensureLoginRoles } from './db/roles';

const direction = process.argv[2] === 'down' ? 'down' : 'up';

async function main(): Promise<void> {
  const databaseUrl = requireDatabaseUrl();
  // Read before migrating: a half-set role fails the command before it changes anything.
  const roles = loginRolesFromEnv();
  const names = await migrate(databaseUrl, { direction, log: (message) => console.log(message) });
  console.log(names.length ? `${direction}: ${names.join(', ')}` : 'schema already up to date');
  if (direction !== 'up') return;
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const collationWarning = await localeCollationWarning(client);
    if (collationWarning) console.log(`warning: ${collationWarning}`);
    if (!roles.reader && !roles.writer) return;
    const created = await ensureLoginRoles(client, roles);
    console.log(`login roles: ${created.join(', ')}`);
  } finally {
    await client.end();
  }
}

main().catch((error: Error) => {
  console.error(`migration failed: ${error.message}`);
  process.exit(1);
});

// `npm run migrate -w collector [-- down]`: applies (or reverts) the ledger migrations on the
// database of TOKENMETER_DATABASE_URL (or DATABASE_URL).
import { requireDatabaseUrl } from '@tokenmeter/conventions';
import { migrate } from './db/migrate';

const direction = process.argv[2] === 'down' ? 'down' : 'up';

function main(): Promise<void> {
  const databaseUrl = requireDatabaseUrl();
  return migrate(databaseUrl, { direction, log: (message) => console.log(message) }).then((names) =>
    console.log(names.length ? `${direction}: ${names.join(', ')}` : 'schema already up to date'),
  );
}

main().catch((error: Error) => {
  console.error(`migration failed: ${error.message}`);
  process.exit(1);
});

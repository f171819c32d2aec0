// `npm run migrate -w collector [-- down]`: applies (or reverts) the ledger migrations on TOKENMETER_DATABASE_URL.
import { migrate } from './db/migrate';

const databaseUrl = process.env.TOKENMETER_DATABASE_URL ?? process.env.DATABASE_URL;
const direction = process.argv[2] === 'down' ? 'down' : 'up';

if (!databaseUrl) {
  console.error('TOKENMETER_DATABASE_URL is not set (e.g. postgres://tokenmeter@localhost:5432/tokenmeter)');
  process.exit(1);
}

migrate(databaseUrl, { direction, log: (message) => console.log(message) }).then(
  (names) => console.log(names.length ? `${direction}: ${names.join(', ')}` : 'schema already up to date'),
  (error: Error) => {
    console.error(`migration failed: ${error.message}`);
    process.exit(1);
  },
);

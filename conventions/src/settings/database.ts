// Where the ledger is: read by the usage sink, the migrations command, the report and the demo.
import { optionalText, type Environment } from './setting';

export const DATABASE_SETTINGS = {
  url: optionalText(
    ['TOKENMETER_DATABASE_URL', 'DATABASE_URL'],
    'PostgreSQL connection URL of the ledger (schema tokenmeter)',
  ),
};

/** The ledger's URL from TOKENMETER_DATABASE_URL, then DATABASE_URL; undefined when neither is set. */
export const databaseUrlFromEnv = (env: Environment = process.env): string | undefined =>
  DATABASE_SETTINGS.url.read(env);

/** As databaseUrlFromEnv, but neither being set is an error that says what to set. */
export function requireDatabaseUrl(env: Environment = process.env): string {
  const url = databaseUrlFromEnv(env);
  if (!url) {
    throw new Error(
      'TOKENMETER_DATABASE_URL (or DATABASE_URL) is not set (e.g. postgres://tokenmeter@localhost:5432/tokenmeter)',
    );
  }
  return url;
}

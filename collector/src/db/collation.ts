import type { ClientBase, Pool } from 'pg';

// PostgreSQL compares text by bytes only under the C (POSIX) collation; any other locale goes
// through the C library's collation for every comparison of the ledger's and rollups' text keys
// (indexes, upserts, sorts). Measured on the sink benchmark: ≈ 13 % more PostgreSQL CPU per
// ingested call under en_US.utf8 — the default of the official postgres image (docs/scaling.md).
const BYTE_ORDER_COLLATIONS = new Set(['C', 'POSIX']);

/** A warning when the connected database collates text by a locale; undefined under C. */
export async function localeCollationWarning(db: Pool | ClientBase): Promise<string | undefined> {
  const { rows } = await db.query<{ collation: string }>(
    'SELECT datcollate AS collation FROM pg_database WHERE datname = current_database()',
  );
  const collation = rows[0]?.collation;
  if (collation === undefined || BYTE_ORDER_COLLATIONS.has(collation)) return undefined;
  return (
    `the database collates text by the locale "${collation}": every comparison of the ledger's text keys ` +
    'goes through it (≈ 13 % more PostgreSQL CPU per ingested call than the C collation); ' +
    'create the database with LC_COLLATE \'C\' (docs/scaling.md, "PostgreSQL settings")'
  );
}

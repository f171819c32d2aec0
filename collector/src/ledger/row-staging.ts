// How a write transaction stages its rows (COPY text, ./copy-text) in a session-private temporary
// table before one INSERT … SELECT moves them into the ledger (./ledger-writer). Chosen once, when
// the sink starts, from what the server can do.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { columnArrayLiterals } from './array-literal';
import { LLM_CALL_COLUMNS } from './llm-call';

export const INCOMING = 'pg_temp.llm_calls_incoming';
const COLUMNS = LLM_CALL_COLUMNS.map((c) => c.name).join(', ');
const COPY_INCOMING = `COPY ${INCOMING} (${COLUMNS}) FROM STDIN`;

/** A whole write transaction run with the rows it stages. */
export type StagedTransaction = (client: PoolClient, texts: readonly string[]) => Promise<void>;

export interface RowStaging {
  /** Stages the rows into INCOMING, inside the caller's open transaction. */
  stage(client: PoolClient, texts: readonly string[]): Promise<void>;
  /**
   * The whole transaction — BEGIN, staging, `statements`, COMMIT — as one simple query, so one
   * round trip, when this staging can carry it; the caller rolls back on failure.
   */
  wholeTransaction?(statements: string): StagedTransaction;
}

/** COPY FROM STDIN: parses rows far more cheaply than unnest parses array literals. */
export const COPY_STAGING: RowStaging = {
  stage: (client, texts) => pipeline(Readable.from(texts), client.query(copyFrom(COPY_INCOMING))),
  wholeTransaction(statements) {
    const transaction = `BEGIN;\n${COPY_INCOMING};\n${statements};\nCOMMIT`;
    return (client, texts) => pipeline(Readable.from(texts), client.query(copyFrom(transaction)));
  },
};

const STAGE_BY_UNNEST = {
  name: 'tokenmeter_stage_by_unnest',
  text: `INSERT INTO ${INCOMING} (${COLUMNS})
  SELECT * FROM unnest(${LLM_CALL_COLUMNS.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')})`,
};

/** One array literal per column, for servers without COPY FROM STDIN. */
export const UNNEST_STAGING: RowStaging = {
  stage: async (client, texts) => {
    await client.query({ ...STAGE_BY_UNNEST, values: columnArrayLiterals(texts, LLM_CALL_COLUMNS.length) });
  },
};

/** PGlite (the demo's embedded database, behind pglite-socket) serves no COPY FROM STDIN. */
export async function rowStagingFor(pool: Pool): Promise<RowStaging> {
  const { rows } = await pool.query<{ version: string }>('SELECT version() AS version');
  return /PGlite/.test(rows[0]!.version) ? UNNEST_STAGING : COPY_STAGING;
}

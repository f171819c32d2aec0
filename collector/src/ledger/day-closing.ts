import type { Pool } from 'pg';
import { rollBackIfAnswering } from '../db/pool';
import { DAILY_ROLLUP, ROLLUPS } from '@tokenmeter/conventions';
import {
  DROP_EXPIRED_BUCKETS,
  ROLLUP_WATERMARK,
  SET_ROLLUP_WATERMARK,
  foldIntoClosedDays,
} from './rollups';

const FOLDS = ROLLUPS.filter((rollup) => rollup.closedDays).map(foldIntoClosedDays);

/** Today as a UTC day, YYYY-MM-DD. */
export const utcToday = (now = new Date()): string => now.toISOString().slice(0, 10);

/**
 * Folds every UTC day before `today` not yet closed into the closed-days rollups (from their finer
 * rollups, which every insert keeps), and moves the watermark; returns the first and last day
 * closed, or nothing when every day before `today` was already closed. The short-lived rollups then
 * drop their buckets older than they are kept (ledger-schema `keptDays`).
 *
 * The lock, on llm_usage_daily which every write statement upserts, waits for the sink
 * transactions in flight and holds new ones back until the watermark has moved: a writer's
 * statement then reads the new watermark and adds the rows of a day just closed (late spans) to the
 * closed-days tables itself, so no row is counted twice or missed. Several sinks may run it at
 * once: the lock serialises them and the second finds nothing to do.
 */
export async function closeRollupDays(
  pool: Pool,
  today = utcToday(),
): Promise<{ from: string; to: string } | undefined> {
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query(`LOCK TABLE ${DAILY_ROLLUP.table} IN SHARE ROW EXCLUSIVE MODE`);
    const { rows } = await client.query<{ from: string; to: string }>(
      `SELECT closed_before::text AS from, ($1::date - 1)::text AS to FROM ${ROLLUP_WATERMARK}
       WHERE closed_before < $1::date FOR UPDATE`,
      [today],
    );
    const closing = rows[0];
    if (closing) {
      for (const fold of FOLDS) await client.query(fold, [closing.from, today]);
      await client.query(SET_ROLLUP_WATERMARK, [today]);
      for (const drop of DROP_EXPIRED_BUCKETS) await client.query(drop);
    }
    await client.query('COMMIT');
    return closing;
  } catch (error) {
    failure = error as Error;
    await rollBackIfAnswering(client, error);
    throw error;
  } finally {
    client.release(failure);
  }
}

import type { Pool } from 'pg';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The first UTC day kept when `retentionDays` days are kept (today included). */
export function retentionCutoff(now: Date, retentionDays: number): string {
  return new Date(now.getTime() - (retentionDays - 1) * DAY_MS).toISOString().slice(0, 10);
}

/** Drops the whole daily partitions of llm_calls older than the retention; returns their names. */
export async function dropExpiredPartitions(pool: Pool, retentionDays: number, now = new Date()): Promise<string[]> {
  const result = await pool.query<{ name: string }>(
    'SELECT tokenmeter.drop_llm_calls_partitions_before($1::date) AS name',
    [retentionCutoff(now, retentionDays)],
  );
  return result.rows.map((row) => row.name);
}

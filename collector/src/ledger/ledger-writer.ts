import type { Pool, PoolClient } from 'pg';
import { DatabaseUnavailableError, isDataError, isMissingPartition, isRetryableConflict } from '../db/database-errors';
import { arrayLiteral } from './array-literal';
import { LLM_CALL_COLUMNS, utcDay, type LlmCall } from './llm-call';
import { ROLLUPS, ROLLUP_SOURCE_COLUMNS, rollupUpsert } from './rollups';

export interface WriteResult {
  /** Rows inserted now (a redelivered span is not inserted again). */
  inserted: number;
  /** Calls the database refused for their content, with the reason. */
  refused: { call: LlmCall; reason: string }[];
}

const MAX_CONFLICT_RETRIES = 3;

// One statement, so one transaction: the rows are inserted (a span already present inserts nothing),
// and every rollup is increased from exactly the rows that RETURNING reports as inserted. The inserts
// run in key order so concurrent batches lock rows in the same order; a deadlock that still happens
// between rollups is retried.
const INSERT_WITH_ROLLUPS = `
WITH input AS (
  SELECT * FROM unnest(${LLM_CALL_COLUMNS.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')})
    AS input(${LLM_CALL_COLUMNS.map((c) => c.name).join(', ')})
), inserted AS (
  INSERT INTO tokenmeter.llm_calls (${LLM_CALL_COLUMNS.map((c) => c.name).join(', ')})
  SELECT ${LLM_CALL_COLUMNS.map((c) => c.name).join(', ')} FROM input ORDER BY ts, trace_id, span_id
  ON CONFLICT DO NOTHING
  RETURNING ${ROLLUP_SOURCE_COLUMNS.join(', ')}
)${ROLLUPS.map((rollup, i) => `, rollup_${i} AS (
  ${rollupUpsert(rollup, 'inserted')}
)`).join('')}
SELECT (SELECT count(*) FROM inserted)::int AS inserted`;

/**
 * Writes model calls to tokenmeter.llm_calls in bulk (unnest arrays: works on PostgreSQL and on
 * PGlite), maintaining the rollups (./rollups) in the same transaction.
 */
export class LedgerWriter {
  private readonly knownPartitions = new Set<string>();

  constructor(private readonly pool: Pool) {}

  /** Forget cached partitions (after retention dropped some). */
  forgetPartitions(): void {
    this.knownPartitions.clear();
  }

  /**
   * Commits every call it can. A batch the database refuses for its content is split until the
   * refusing rows are isolated, so one bad row never blocks the valid ones.
   * Throws DatabaseUnavailableError when the database cannot be used now.
   */
  async write(calls: readonly LlmCall[]): Promise<WriteResult> {
    if (calls.length === 0) return { inserted: 0, refused: [] };
    const client = await this.connect();
    let failure: Error | undefined;
    try {
      return await this.writeIsolating(client, calls);
    } catch (error) {
      failure = error as Error;
      throw unavailable(error);
    } finally {
      // A client that failed is discarded rather than returned to the pool.
      client.release(failure);
    }
  }

  private async writeIsolating(client: PoolClient, calls: readonly LlmCall[]): Promise<WriteResult> {
    try {
      return { inserted: await this.writeBatch(client, calls), refused: [] };
    } catch (error) {
      if (!isDataError(error)) throw error;
      if (calls.length === 1) {
        return { inserted: 0, refused: [{ call: calls[0]!, reason: `refused by the database: ${(error as Error).message}` }] };
      }
      const middle = Math.ceil(calls.length / 2);
      const first = await this.writeIsolating(client, calls.slice(0, middle));
      const second = await this.writeIsolating(client, calls.slice(middle));
      return { inserted: first.inserted + second.inserted, refused: [...first.refused, ...second.refused] };
    }
  }

  private async writeBatch(client: PoolClient, calls: readonly LlmCall[]): Promise<number> {
    await this.ensurePartitions(client, calls);
    const parameters = LLM_CALL_COLUMNS.map((column) => arrayLiteral(calls.map(column.value)));
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await client.query<{ inserted: number }>(INSERT_WITH_ROLLUPS, parameters);
        return result.rows[0]!.inserted;
      } catch (error) {
        if (attempt > MAX_CONFLICT_RETRIES) throw error;
        if (isMissingPartition(error)) {
          this.forgetPartitions();
          await this.ensurePartitions(client, calls);
        } else if (!isRetryableConflict(error)) {
          throw error;
        }
      }
    }
  }

  private async ensurePartitions(client: PoolClient, calls: readonly LlmCall[]): Promise<void> {
    const days = new Set<string>();
    for (const call of calls) days.add(utcDay(call.ts));
    for (const day of days) {
      if (this.knownPartitions.has(day)) continue;
      await client.query('SELECT tokenmeter.ensure_llm_calls_partition($1::date)', [day]);
      this.knownPartitions.add(day);
    }
  }

  private async connect(): Promise<PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      throw unavailable(error);
    }
  }
}

function unavailable(error: unknown): DatabaseUnavailableError {
  if (error instanceof DatabaseUnavailableError) return error;
  return new DatabaseUnavailableError(`database unavailable: ${(error as Error).message}`, { cause: error });
}

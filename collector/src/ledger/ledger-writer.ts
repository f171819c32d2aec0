import type { Pool, PoolClient } from 'pg';
import {
  DatabaseUnavailableError,
  isDataError,
  isMissingPartition,
  isRetryableConflict,
  isUniqueViolation,
} from '../db/database-errors';
import { rollBackIfAnswering } from '../db/pool';
import type { CopyRows } from './copy-text';
import { LLM_CALL_COLUMNS, utcDayText } from './llm-call';
import { ROLLUP_SOURCE_COLUMNS } from '@tokenmeter/conventions';
import { rollupUpkeep } from './rollups';
import { COPY_STAGING, INCOMING, type RowStaging, type StagedTransaction } from './row-staging';

export interface WriteResult {
  /** Rows inserted now (a redelivered span is not inserted again). */
  inserted: number;
  /** Rows the database refused for their content (index among all rows written), with the reason. */
  refused: { row: number; reason: string }[];
}

const MAX_CONFLICT_RETRIES = 3;
const COLUMNS = LLM_CALL_COLUMNS.map((c) => c.name).join(', ');

// Each transaction first stages its rows in a session-private temporary table (no WAL, no index;
// ./row-staging: COPY, or unnest where the server has no COPY FROM STDIN), then moves them into the
// ledger with one INSERT … SELECT that also feeds the rollups from exactly the rows RETURNING
// reports as inserted (the closed-days rollups only those of closed days: ./rollups rollupUpkeep).
const CREATE_INCOMING = `CREATE TEMP TABLE IF NOT EXISTS llm_calls_incoming
  (LIKE tokenmeter.llm_calls INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`;

const ROLLUP_UPKEEP = rollupUpkeep('inserted');

/** Inserts the staged rows and upkeeps every rollup from those RETURNING reports; `main` ends it. */
function insertWithRollups(skipStored: boolean, upkeep: readonly { name: string; sql: string }[], main: string): string {
  const source = skipStored
    ? `${INCOMING} ORDER BY ts, trace_id, span_id
  ON CONFLICT DO NOTHING`
    : INCOMING;
  return `
WITH inserted AS (
  INSERT INTO tokenmeter.llm_calls (${COLUMNS})
  SELECT ${COLUMNS} FROM ${source}
  RETURNING ${ROLLUP_SOURCE_COLUMNS.join(', ')}
)${upkeep.map(({ name, sql }) => `, ${name} AS (
  ${sql}
)`).join('')}
${main}`;
}

const COUNT_INSERTED = 'SELECT (SELECT count(*) FROM inserted)::int AS inserted';

// The usual case, new spans only: a plain insert, which is cheaper than ON CONFLICT's speculative
// insertion and needs no sort. Where the staging allows, the whole transaction is one simple query
// (BEGIN, COPY, insert, COMMIT), so it costs one round trip however busy the sink's event loop is;
// it returns no rows (the last rollup upsert is the main statement), as COPY's protocol carries none. A batch holding
// a span already stored (a redelivery) fails as a whole on the primary key, rolls back, and is
// written again with the statement that skips stored spans, in key order so that concurrent batches
// lock rows in the same order. Either way the rollups are upserted in dimension order, and a
// deadlock that still happens is retried.
//
// The write statement is planned for each batch and runs for milliseconds: PostgreSQL's JIT
// compilation (on by default above a plan cost of 100 000, which the estimate of a fanned-out
// rollup's upsert exceeds) would cost ≈ 240 ms a statement, so every write transaction turns it off.
export const NO_JIT = 'SET LOCAL jit = off';
const NEW_ROWS_STATEMENTS = `${NO_JIT};\n${insertWithRollups(false, ROLLUP_UPKEEP.slice(0, -1), ROLLUP_UPKEEP.at(-1)!.sql)}`;
const INSERT_NEW = { name: 'tokenmeter_insert_new', text: insertWithRollups(false, ROLLUP_UPKEEP, COUNT_INSERTED) };
const INSERT_SKIPPING_STORED = { name: 'tokenmeter_insert_skipping_stored', text: insertWithRollups(true, ROLLUP_UPKEEP, COUNT_INSERTED) };

/**
 * Writes ledger rows (COPY text) to tokenmeter.llm_calls in bulk, maintaining the rollups
 * (./rollups) in the same transaction.
 */
export class LedgerWriter {
  private readonly knownPartitions = new Set<number>();
  private readonly clientsWithIncoming = new WeakSet<PoolClient>();
  private readonly newRowsInOneTrip: StagedTransaction | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly staging: RowStaging = COPY_STAGING,
  ) {
    this.newRowsInOneTrip = staging.wholeTransaction?.(NEW_ROWS_STATEMENTS);
  }

  /** Forget cached partitions (after retention dropped some). */
  forgetPartitions(): void {
    this.knownPartitions.clear();
  }

  /**
   * Commits every row it can, in one transaction when none is refused. A batch the database refuses
   * for its content is split until the refusing rows are isolated, so one bad row never blocks the
   * valid ones. Throws DatabaseUnavailableError when the database cannot be used now.
   */
  async write(batches: readonly CopyRows[]): Promise<WriteResult> {
    const count = batches.reduce((sum, batch) => sum + batch.count, 0);
    if (count === 0) return { inserted: 0, refused: [] };
    const days = new Set<number>();
    for (const batch of batches) for (const day of batch.days) days.add(day);
    const client = await this.connect();
    let failure: Error | undefined;
    try {
      if (!this.clientsWithIncoming.has(client)) {
        await client.query(CREATE_INCOMING);
        this.clientsWithIncoming.add(client);
      }
      await this.ensurePartitions(client, days);
      return await this.writeIsolating(client, batches.map((batch) => batch.text), count, days);
    } catch (error) {
      failure = error as Error;
      throw unavailable(error);
    } finally {
      // A client that failed is discarded rather than returned to the pool.
      client.release(failure);
    }
  }

  private async writeIsolating(client: PoolClient, texts: readonly string[], count: number, days: ReadonlySet<number>): Promise<WriteResult> {
    try {
      return { inserted: await this.writeCommitted(client, texts, count, days), refused: [] };
    } catch (error) {
      if (!isDataError(error)) throw error;
      if (count === 1) return { inserted: 0, refused: [{ row: 0, reason: `refused by the database: ${(error as Error).message}` }] };
      const lines = texts.join('').split('\n');
      lines.pop(); // after the last newline
      const middle = Math.ceil(lines.length / 2);
      const halves = [lines.slice(0, middle), lines.slice(middle)];
      const first = await this.writeIsolating(client, [`${halves[0]!.join('\n')}\n`], halves[0]!.length, days);
      const second = await this.writeIsolating(client, [`${halves[1]!.join('\n')}\n`], halves[1]!.length, days);
      return {
        inserted: first.inserted + second.inserted,
        refused: [...first.refused, ...second.refused.map(({ row, reason }) => ({ row: row + middle, reason }))],
      };
    }
  }

  private async writeCommitted(client: PoolClient, texts: readonly string[], count: number, days: ReadonlySet<number>): Promise<number> {
    let statement = INSERT_NEW;
    for (let attempt = 1; ; attempt++) {
      try {
        if (statement === INSERT_NEW && this.newRowsInOneTrip) return await this.newRowsTransaction(client, texts, count, this.newRowsInOneTrip);
        return await this.transaction(client, texts, statement);
      } catch (error) {
        if (statement === INSERT_NEW && isUniqueViolation(error)) {
          statement = INSERT_SKIPPING_STORED;
          continue;
        }
        if (attempt > MAX_CONFLICT_RETRIES) throw error;
        if (isMissingPartition(error)) {
          this.forgetPartitions();
          await this.ensurePartitions(client, days);
        } else if (isRetryableConflict(error)) {
          statement = INSERT_SKIPPING_STORED;
        } else {
          throw error;
        }
      }
    }
  }

  private async newRowsTransaction(client: PoolClient, texts: readonly string[], count: number, inOneTrip: StagedTransaction): Promise<number> {
    try {
      await inOneTrip(client, texts);
      return count; // the plain insert either stored every row or failed
    } catch (error) {
      await rollBackIfAnswering(client, error);
      throw error;
    }
  }

  private async transaction(client: PoolClient, texts: readonly string[], statement: { name: string; text: string }): Promise<number> {
    await client.query('BEGIN');
    try {
      await client.query(NO_JIT);
      await this.staging.stage(client, texts);
      const result = await client.query<{ inserted: number }>(statement);
      await client.query('COMMIT');
      return result.rows[0]!.inserted;
    } catch (error) {
      await rollBackIfAnswering(client, error);
      throw error;
    }
  }

  private async ensurePartitions(client: PoolClient, days: ReadonlySet<number>): Promise<void> {
    for (const day of days) {
      if (this.knownPartitions.has(day)) continue;
      await client.query('SELECT tokenmeter.ensure_llm_calls_partition($1::date)', [utcDayText(day)]);
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

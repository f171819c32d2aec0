import type { Pool } from 'pg';
import { LEDGER_TABLE, ROLLUPS, ROLLUP_SOURCE_COLUMNS, type Rollup } from '@tokenmeter/conventions';
import { createMigratedTestDatabase, testPool, type TestDatabase } from '@tokenmeter/test-support';
import { testCall } from '../test-support/llm-calls';
import { copyRows } from './copy-text';
import { LedgerWriter } from './ledger-writer';
import { storedIn } from './rollups';

// The migrations (SQL files) against the one description of the rollups in @tokenmeter/conventions,
// on a real PostgreSQL: the writer, the day closing and the query catalog all derive from it.

let database: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  database = await createMigratedTestDatabase('rollup_schema');
  pool = testPool(database.url, 2);
  const calls = [
    testCall({ status: 'error', errorType: 'timeout', costUsd: null }),
    testCall({ cachedInputTokens: 300, reasoningTokens: 50 }),
    testCall({ userId: null, promptName: null }),
  ];
  await new LedgerWriter(pool).write([copyRows(calls)]);
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

const tableName = (qualified: string): string => qualified.replace(/^tokenmeter\./, '');
const describedColumns = (rollup: Rollup): string[] =>
  [...Object.keys(rollup.dimensions), ...Object.keys(rollup.measures)].sort();

async function columnsOf(qualified: string): Promise<string[]> {
  const { rows } = await pool.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
      WHERE table_schema = 'tokenmeter' AND table_name = $1 ORDER BY column_name`,
    [tableName(qualified)],
  );
  return rows.map((row) => row.column_name);
}

describe.each(ROLLUPS.map((rollup) => [rollup.table, rollup] as const))(
  'the migrated %s',
  (_, rollup) => {
    it('has the described columns, where it is read and where it is stored', async () => {
      expect(await columnsOf(rollup.table)).toEqual(describedColumns(rollup));
      expect(await columnsOf(storedIn(rollup))).toEqual(describedColumns(rollup));
    });

    it('is unique over the described dimensions, under the described constraint', async () => {
      const { rows } = await pool.query<{ columns: string[] }>(
        `SELECT array_agg(a.attname::text ORDER BY a.attname) AS columns
           FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
          WHERE c.conname = $1 AND c.contype = 'u' AND c.conrelid = $2::regclass
          GROUP BY c.oid`,
        [rollup.constraint, storedIn(rollup)],
      );
      expect(rows.map((row) => row.columns)).toEqual([Object.keys(rollup.dimensions).sort()]);
    });

    it("gives each measure's aggregate as the sum (or maximum) of its per-call value", async () => {
      const measures = Object.entries(rollup.measures);
      const select = measures.flatMap(([column, { aggregate, perCall, merge }]) => [
        `${aggregate} AS ${column}`,
        `${merge === 'add' ? 'sum' : 'max'}(${perCall}) AS per_call_${column}`,
      ]);
      const { rows } = await pool.query(`SELECT ${select.join(', ')} FROM ${LEDGER_TABLE}`);
      const row = rows[0] as Record<string, string>;
      for (const [column] of measures) {
        expect([column, Number(row[column])]).toEqual([column, Number(row[`per_call_${column}`])]);
      }
    });
  },
);

it('the ledger has every column the rollups read', async () => {
  const columns = await columnsOf(LEDGER_TABLE);
  expect(ROLLUP_SOURCE_COLUMNS.filter((column) => !columns.includes(column))).toEqual([]);
  await pool.query(`SELECT ${ROLLUP_SOURCE_COLUMNS.join(', ')} FROM ${LEDGER_TABLE} LIMIT 0`);
});

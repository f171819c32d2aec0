// SQL over the rollups of tokenmeter.llm_calls, derived from their one description in
// @tokenmeter/conventions (ledger-schema): the sink's insert maintains them from the rows it inserts,
// the day closing folds closed days, and the checks and fixtures recompute them from the ledger with
// the same expressions.
import {
  LEDGER_TABLE,
  ROLLUPS,
  ROLLUP_KEPT_FROM,
  ROLLUP_WATERMARK,
  type Measure,
  type Rollup,
} from '@tokenmeter/conventions';

export { ROLLUP_WATERMARK };

const positions = (count: number): string =>
  Array.from({ length: count }, (_, i) => i + 1).join(', ');

/** Select-list items: each column from its expression. */
const selectItems = (expressions: Readonly<Record<string, string>>): string[] =>
  Object.entries(expressions).map(([column, expression]) =>
    expression === column ? column : `${expression} AS ${column}`,
  );

/** The aggregate that merges rows already rolled up: sums what adds, takes the maximum of maxima. */
export const remergeAggregate = (column: string, { merge }: Measure): string =>
  `${merge === 'add' ? 'sum' : 'max'}(${column})`;

/** `SELECT <dimensions>, <measures> FROM <source> GROUP BY <dimensions>`: the rollup's rows for those ledger rows. */
export function rollupSelect(rollup: Rollup, source: string): string {
  const dimensions = selectItems(rollup.dimensions);
  const measures = Object.entries(rollup.measures).map(
    ([column, measure]) => `${measure.aggregate} AS ${column}`,
  );
  const count = dimensions.length;
  return `SELECT ${[...dimensions, ...measures].join(', ')} FROM ${withFanOut(source, rollup.fanOut)} GROUP BY ${positions(count)}`;
}

/** The source, joined to the set of buckets each of its rows counts in when the rollup fans out. */
const withFanOut = (source: string, fanOut: string | undefined): string =>
  fanOut ? `${source} ${fanOut}` : source;

/** Where the rollup's rows are stored (the closed-days table behind a view). */
export const storedIn = (rollup: Rollup): string => rollup.closedDays?.table ?? rollup.table;

const mergeSet = (rollup: Rollup): string =>
  Object.entries(rollup.measures)
    .map(([column, { merge }]) =>
      merge === 'add'
        ? `${column} = r.${column} + EXCLUDED.${column}`
        : `${column} = greatest(r.${column}, EXCLUDED.${column})`,
    )
    .join(', ');

const columnsOf = (rollup: Rollup): string[] => [
  ...Object.keys(rollup.dimensions),
  ...Object.keys(rollup.measures),
];

/**
 * Adds the rollup rows of the ledger rows in `source` to the rollup's table. Rows are upserted in
 * dimension order so that concurrent writers lock them in the same order.
 */
export function rollupUpsert(rollup: Rollup, source: string): string {
  return `INSERT INTO ${storedIn(rollup)} AS r (${columnsOf(rollup).join(', ')})
  ${rollupSelect(rollup, source)} ORDER BY ${positions(Object.keys(rollup.dimensions).length)}
  ON CONFLICT ON CONSTRAINT ${rollup.constraint} DO UPDATE SET ${mergeSet(rollup)}`;
}

/** Moves the watermark to the UTC day $1 and redefines the views to match (migration 0005). */
export const SET_ROLLUP_WATERMARK = 'SELECT tokenmeter.set_rollup_watermark($1::date)';
const CLOSED_BEFORE_TS = `((SELECT closed_before FROM ${ROLLUP_WATERMARK})::timestamp AT TIME ZONE 'UTC')`;

/**
 * The common table expressions that add the ledger rows in `source` (one of the statement's CTEs)
 * to every rollup: all of them to the live rollups, only those of closed days to the others.
 */
export function rollupUpkeep(source: string): { name: string; sql: string }[] {
  const closedDayRows = 'rows_of_closed_days';
  return [
    { name: closedDayRows, sql: `SELECT * FROM ${source} WHERE ts < ${CLOSED_BEFORE_TS}` },
    ...ROLLUPS.map((rollup, i) => ({
      name: `rollup_${i}`,
      sql: rollupUpsert(rollup, rollup.closedDays ? closedDayRows : source),
    })),
  ];
}

/**
 * Folds the UTC days [$1, $2) of the finer rollup into a closed-days table. The caller holds the
 * lock that keeps writers out meanwhile (./day-closing).
 */
export function foldIntoClosedDays(rollup: Rollup): string {
  const closed = rollup.closedDays;
  if (!closed) throw new Error(`${rollup.table} is maintained by every insert`);
  const dimensions = selectItems(closed.dimensions);
  // From a finer rollup its rows are merged again; from the ledger its calls are aggregated.
  const measures = Object.entries(rollup.measures).map(([column, measure]) =>
    closed.from
      ? `${remergeAggregate(column, measure)} AS ${column}`
      : `${measure.aggregate} AS ${column}`,
  );
  const source = closed.from?.table ?? LEDGER_TABLE;
  const bucket = closed.from ? Object.keys(closed.from.dimensions)[0]! : 'ts';
  const count = dimensions.length;
  return `INSERT INTO ${closed.table} AS r (${columnsOf(rollup).join(', ')})
  SELECT ${[...dimensions, ...measures].join(', ')} FROM ${withFanOut(source, closed.from ? closed.fanOut : rollup.fanOut)}
  WHERE ${bucket} >= ${closed.bucketAt('$1::date')} AND ${bucket} < ${closed.bucketAt('$2::date')}
  GROUP BY ${positions(count)} ORDER BY ${positions(count)}
  ON CONFLICT ON CONSTRAINT ${rollup.constraint} DO UPDATE SET ${mergeSet(rollup)}`;
}

/**
 * Drops the buckets of the short-lived rollups (`keptDays`) that the watermark has left behind: run
 * after the watermark moved, in the same transaction.
 */
export const DROP_EXPIRED_BUCKETS: readonly string[] = ROLLUPS.filter(
  (rollup) => rollup.keptDays,
).map(
  (rollup) =>
    `DELETE FROM ${storedIn(rollup)} WHERE ${Object.keys(rollup.dimensions)[0]!} < ${ROLLUP_KEPT_FROM(rollup)}`,
);

/**
 * Recomputes every rollup from the ledger (test fixtures and generated benchmark data). The days
 * before `closedBefore` (a YYYY-MM-DD UTC day; default: after the last call and today) go to the
 * closed-days tables, the others are left open.
 */
export async function rebuildRollups(
  client: { query(sql: string, values?: unknown[]): Promise<unknown> },
  closedBefore?: string,
): Promise<void> {
  const afterTheLastCall = `SELECT (greatest((now() AT TIME ZONE 'UTC')::date,
    (SELECT max((ts AT TIME ZONE 'UTC')::date) FROM ${LEDGER_TABLE})) + 1)::text AS day`;
  const firstOpenDay =
    closedBefore ??
    ((await client.query(afterTheLastCall)) as { rows: { day: string }[] }).rows[0]!.day;
  await client.query(SET_ROLLUP_WATERMARK, [firstOpenDay]);
  for (const rollup of ROLLUPS) {
    const source = rollup.closedDays
      ? `(SELECT * FROM ${LEDGER_TABLE} WHERE ts < ${CLOSED_BEFORE_TS}) AS calls`
      : LEDGER_TABLE;
    await client.query(`TRUNCATE ${storedIn(rollup)}`);
    await client.query(`INSERT INTO ${storedIn(rollup)} (${columnsOf(rollup).join(', ')})
      ${rollupSelect(rollup, source)} ORDER BY 1`);
  }
  for (const drop of DROP_EXPIRED_BUCKETS) await client.query(drop);
}

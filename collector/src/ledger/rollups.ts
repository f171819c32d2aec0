// The rollups of tokenmeter.llm_calls, described once: the sink's insert maintains them from the rows
// it inserts, and the checks and fixtures recompute them from the ledger with the same expressions.

/** How a measure of a stored rollup row absorbs the same measure of newly inserted calls. */
type Merge = 'add' | 'max';

export interface Measure {
  /** Aggregate over ledger rows (llm_calls columns). */
  aggregate: string;
  merge: Merge;
}

export interface Rollup {
  /** What readers query: the table, or for a closed-days rollup the view that adds the open days. */
  table: string;
  /** The UNIQUE NULLS NOT DISTINCT constraint over the dimensions. */
  constraint: string;
  /** Dimension column → expression over a ledger row. */
  dimensions: Readonly<Record<string, string>>;
  /** Measure column → aggregate over ledger rows. */
  measures: Readonly<Record<string, Measure>>;
  /**
   * Set for a rollup whose table holds closed UTC days only (before rollup_watermark.closed_before):
   * days are folded in from a finer rollup kept by every insert when they close (./day-closing), and
   * only late rows of a closed day cost the insert. `table` is then a view adding the open days.
   */
  closedDays?: {
    table: string;
    /** The finer rollup folded in. */
    from: Rollup;
    /** The UTC day `day` (a date expression) as a bound on the finer rollup's bucket column. */
    bucketAt: (day: string) => string;
    /** Dimension column → expression over a row of the finer rollup. */
    dimensions: Readonly<Record<string, string>>;
  };
}

const sum = (column: string): Measure => ({ aggregate: `sum(${column})`, merge: 'add' });

const CALLS: Measure = { aggregate: 'count(*)', merge: 'add' };
const COST: Measure = { aggregate: 'coalesce(sum(cost_usd), 0)', merge: 'add' };

const ALL_MEASURES: Record<string, Measure> = {
  calls: CALLS,
  errors: { aggregate: "count(*) FILTER (WHERE status = 'error')", merge: 'add' },
  input_tokens: sum('input_tokens'),
  output_tokens: sum('output_tokens'),
  cached_input_tokens: sum('cached_input_tokens'),
  reasoning_tokens: sum('reasoning_tokens'),
  total_tokens: sum('total_tokens'),
  // priced calls only; unpriced_calls counts the others
  cost_usd: COST,
  unpriced_calls: { aggregate: 'count(*) FILTER (WHERE cost_usd IS NULL)', merge: 'add' },
  duration_ms_sum: sum('duration_ms'),
  duration_ms_max: { aggregate: 'max(duration_ms)', merge: 'max' },
};

const UTC_DAY = "(ts AT TIME ZONE 'UTC')::date";

const CALL_DIMENSIONS = {
  service: 'service',
  prompt_name: 'prompt_name',
  provider: 'provider',
  model: 'request_model',
  billing_mode: 'billing_mode',
  plan: 'plan',
  status: 'status',
};

/** The call dimensions as the call rollups name them. */
const ROLLUP_CALL_DIMENSIONS = Object.fromEntries(
  Object.keys(CALL_DIMENSIONS).map((column) => [column, column]),
);

/** Every dimension of the call, per UTC day and user (DESIGN's contract rollup). */
export const DAILY_ROLLUP: Rollup = {
  table: 'tokenmeter.llm_usage_daily',
  constraint: 'llm_usage_daily_dimensions',
  dimensions: { day: UTC_DAY, user_id: 'user_id', ...CALL_DIMENSIONS },
  measures: ALL_MEASURES,
};

/** Every dimension but the user, per UTC hour: period totals without per-user rows. */
export const HOURLY_ROLLUP: Rollup = {
  table: 'tokenmeter.llm_usage_hourly',
  constraint: 'llm_usage_hourly_dimensions',
  dimensions: { hour: "date_trunc('hour', ts, 'UTC')", ...CALL_DIMENSIONS },
  measures: ALL_MEASURES,
};

/** Every dimension but the user, per UTC month: all-time and per-month figures. */
export const MONTHLY_ROLLUP: Rollup = {
  table: 'tokenmeter.llm_usage_monthly',
  constraint: 'llm_usage_monthly_dimensions',
  dimensions: { month: "date_trunc('month', ts AT TIME ZONE 'UTC')::date", ...CALL_DIMENSIONS },
  measures: ALL_MEASURES,
  closedDays: {
    table: 'tokenmeter.llm_usage_monthly_closed',
    from: HOURLY_ROLLUP,
    bucketAt: (day) => `((${day})::timestamp AT TIME ZONE 'UTC')`,
    dimensions: {
      month: "date_trunc('month', hour AT TIME ZONE 'UTC')::date",
      ...ROLLUP_CALL_DIMENSIONS,
    },
  },
};

/** Per UTC day and user (with the user's billing mode and plan): active and top users, quotas. */
const USER_DIMENSIONS = { user_id: 'user_id', billing_mode: 'billing_mode', plan: 'plan' };
const USER_MEASURES = { calls: CALLS, total_tokens: sum('total_tokens'), cost_usd: COST };

export const DAILY_USERS_ROLLUP: Rollup = {
  table: 'tokenmeter.llm_usage_daily_users',
  constraint: 'llm_usage_daily_users_dimensions',
  dimensions: { day: UTC_DAY, ...USER_DIMENSIONS },
  measures: USER_MEASURES,
};

/** As DAILY_USERS_ROLLUP, per ISO week (from Monday, UTC): the whole weeks of long periods. */
export const WEEKLY_USERS_ROLLUP: Rollup = {
  table: 'tokenmeter.llm_usage_weekly_users',
  constraint: 'llm_usage_weekly_users_dimensions',
  dimensions: { week: "date_trunc('week', ts AT TIME ZONE 'UTC')::date", ...USER_DIMENSIONS },
  measures: USER_MEASURES,
  closedDays: {
    table: 'tokenmeter.llm_usage_weekly_users_closed',
    from: DAILY_USERS_ROLLUP,
    bucketAt: (day) => day,
    dimensions: { week: "date_trunc('week', day::timestamp)::date", ...USER_DIMENSIONS },
  },
};

export const ROLLUPS: readonly Rollup[] = [
  DAILY_ROLLUP,
  HOURLY_ROLLUP,
  MONTHLY_ROLLUP,
  DAILY_USERS_ROLLUP,
  WEEKLY_USERS_ROLLUP,
];

/** The ledger columns the rollups read (what the insert must RETURN). */
export const ROLLUP_SOURCE_COLUMNS = [
  'ts',
  'service',
  'user_id',
  'prompt_name',
  'provider',
  'request_model',
  'billing_mode',
  'plan',
  'status',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'reasoning_tokens',
  'total_tokens',
  'cost_usd',
  'duration_ms',
];

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
  return `SELECT ${[...dimensions, ...measures].join(', ')} FROM ${source} GROUP BY ${positions(count)}`;
}

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

/** The first UTC day not yet folded into the closed-days tables (one row). */
export const ROLLUP_WATERMARK = 'tokenmeter.rollup_watermark';
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
  const measures = Object.entries(rollup.measures).map(
    ([column, measure]) => `${remergeAggregate(column, measure)} AS ${column}`,
  );
  const bucket = Object.keys(closed.from.dimensions)[0]!;
  const count = dimensions.length;
  return `INSERT INTO ${closed.table} AS r (${columnsOf(rollup).join(', ')})
  SELECT ${[...dimensions, ...measures].join(', ')} FROM ${closed.from.table}
  WHERE ${bucket} >= ${closed.bucketAt('$1::date')} AND ${bucket} < ${closed.bucketAt('$2::date')}
  GROUP BY ${positions(count)} ORDER BY ${positions(count)}
  ON CONFLICT ON CONSTRAINT ${rollup.constraint} DO UPDATE SET ${mergeSet(rollup)}`;
}

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
    (SELECT max((ts AT TIME ZONE 'UTC')::date) FROM tokenmeter.llm_calls)) + 1)::text AS day`;
  const firstOpenDay =
    closedBefore ??
    ((await client.query(afterTheLastCall)) as { rows: { day: string }[] }).rows[0]!.day;
  await client.query(SET_ROLLUP_WATERMARK, [firstOpenDay]);
  for (const rollup of ROLLUPS) {
    const source = rollup.closedDays
      ? `(SELECT * FROM tokenmeter.llm_calls WHERE ts < ${CLOSED_BEFORE_TS}) AS calls`
      : 'tokenmeter.llm_calls';
    await client.query(`TRUNCATE ${storedIn(rollup)}`);
    await client.query(`INSERT INTO ${storedIn(rollup)} (${columnsOf(rollup).join(', ')})
      ${rollupSelect(rollup, source)} ORDER BY 1`);
  }
}

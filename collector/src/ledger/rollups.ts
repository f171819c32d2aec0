// The rollups of tokenmeter.llm_calls, described once: the sink's insert maintains them from the rows
// it inserts, and the checks and fixtures recompute them from the ledger with the same expressions.

/** How a measure of a stored rollup row absorbs the same measure of newly inserted calls. */
type Merge = 'add' | 'max';

interface Measure {
  /** Aggregate over ledger rows (llm_calls columns). */
  aggregate: string;
  merge: Merge;
}

export interface Rollup {
  table: string;
  /** The UNIQUE NULLS NOT DISTINCT constraint over the dimensions. */
  constraint: string;
  /** Dimension column → expression over a ledger row. */
  dimensions: Readonly<Record<string, string>>;
  /** Measure column → aggregate over ledger rows. */
  measures: Readonly<Record<string, Measure>>;
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

/** `SELECT <dimensions>, <measures> FROM <source> GROUP BY <dimensions>`: the rollup's rows for those ledger rows. */
export function rollupSelect(rollup: Rollup, source: string): string {
  const dimensions = Object.entries(rollup.dimensions).map(([column, expression]) =>
    expression === column ? column : `${expression} AS ${column}`,
  );
  const measures = Object.entries(rollup.measures).map(
    ([column, measure]) => `${measure.aggregate} AS ${column}`,
  );
  const count = dimensions.length;
  return `SELECT ${[...dimensions, ...measures].join(', ')} FROM ${source} GROUP BY ${positions(count)}`;
}

/**
 * Adds the rollup rows of the ledger rows in `source` to the rollup table. Rows are upserted in
 * dimension order so that concurrent writers lock them in the same order.
 */
export function rollupUpsert(rollup: Rollup, source: string): string {
  const columns = [...Object.keys(rollup.dimensions), ...Object.keys(rollup.measures)];
  const merges = Object.entries(rollup.measures).map(([column, { merge }]) =>
    merge === 'add'
      ? `${column} = r.${column} + EXCLUDED.${column}`
      : `${column} = greatest(r.${column}, EXCLUDED.${column})`,
  );
  return `INSERT INTO ${rollup.table} AS r (${columns.join(', ')})
  ${rollupSelect(rollup, source)} ORDER BY ${positions(Object.keys(rollup.dimensions).length)}
  ON CONFLICT ON CONSTRAINT ${rollup.constraint} DO UPDATE SET ${merges.join(', ')}`;
}

/** Recomputes every rollup from the ledger (test fixtures and generated benchmark data). */
export async function rebuildRollups(client: {
  query(sql: string): Promise<unknown>;
}): Promise<void> {
  for (const rollup of ROLLUPS) {
    const columns = [...Object.keys(rollup.dimensions), ...Object.keys(rollup.measures)];
    await client.query(`TRUNCATE ${rollup.table}`);
    await client.query(`INSERT INTO ${rollup.table} (${columns.join(', ')})
      ${rollupSelect(rollup, 'tokenmeter.llm_calls')} ORDER BY 1`);
  }
}

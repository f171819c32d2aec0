// The rollups of the ledger (tokenmeter.llm_calls), described once: the sink derives from this how
// it maintains them (collector/src/ledger/rollups.ts), the query catalog how it reads them
// (provisioning/src/queries/sql-period.ts), and a test checks the migrations against it
// (collector/src/db/migrate.test.ts). The first dimension of each rollup is its time bucket.

/** The ledger: one row per model call. */
export const LEDGER_TABLE = 'tokenmeter.llm_calls';

/** How a measure of a stored rollup row absorbs the same measure of newly inserted calls. */
type Merge = 'add' | 'max';

export interface Measure {
  /** Aggregate over ledger rows (llm_calls columns). */
  aggregate: string;
  /** The measure of one ledger row: what `aggregate` sums (or takes the maximum of). */
  perCall: string;
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
   * Set for a rollup in which one ledger row counts in several buckets: a FROM-clause item joined to
   * each ledger row (a LATERAL set) that yields those buckets, named as the bucket dimension.
   */
  fanOut?: string;
  /**
   * Set for a rollup whose table holds closed UTC days only (before rollup_watermark.closed_before):
   * days are folded in from a finer rollup kept by every insert (or from the ledger) when they close
   * (collector/src/ledger/day-closing.ts), and only late rows of a closed day cost the insert.
   * `table` is then a view adding the open days, or the same table when readers read closed days
   * only (closedDaysOnly).
   */
  closedDays?: {
    table: string;
    /** The finer rollup folded in; absent: the ledger itself (the day's calls, once). */
    from?: Rollup;
    /** The UTC day `day` (a date expression) as a bound on the finer rollup's bucket column. */
    bucketAt: (day: string) => string;
    /** Dimension column → expression over a row of the finer rollup (or of the ledger). */
    dimensions: Readonly<Record<string, string>>;
    /** As the rollup's fanOut, over a row of the finer rollup. */
    fanOut?: string;
  };
  /**
   * Set for a short-lived rollup: the day closing drops its buckets older than this many days before
   * the first open day (rollup_watermark.closed_before). Readers use it from that moment on only
   * (ROLLUP_KEPT_FROM) and read the ledger before it.
   */
  keptDays?: number;
}

const sum = (column: string): Measure => ({
  aggregate: `sum(${column})`,
  perCall: column,
  merge: 'add',
});

const CALLS: Measure = { aggregate: 'count(*)', perCall: '1', merge: 'add' };
const COST: Measure = {
  aggregate: 'coalesce(sum(cost_usd), 0)',
  perCall: 'coalesce(cost_usd, 0)',
  merge: 'add',
};

const ALL_MEASURES: Record<string, Measure> = {
  calls: CALLS,
  errors: {
    aggregate: "count(*) FILTER (WHERE status = 'error')",
    perCall: "(status = 'error')::int",
    merge: 'add',
  },
  input_tokens: sum('input_tokens'),
  output_tokens: sum('output_tokens'),
  cached_input_tokens: sum('cached_input_tokens'),
  reasoning_tokens: sum('reasoning_tokens'),
  total_tokens: sum('total_tokens'),
  // priced calls only; unpriced_calls counts the others
  cost_usd: COST,
  unpriced_calls: {
    aggregate: 'count(*) FILTER (WHERE cost_usd IS NULL)',
    perCall: '(cost_usd IS NULL)::int',
    merge: 'add',
  },
  duration_ms_sum: sum('duration_ms'),
  duration_ms_max: { aggregate: 'max(duration_ms)', perCall: 'duration_ms', merge: 'max' },
};

/** The UTC day of a ledger row. */
export const UTC_DAY = "(ts AT TIME ZONE 'UTC')::date";

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

/** Every dimension of the call, per UTC day and user (docs/contracts.md: the contract rollup). */
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

/**
 * As DAILY_USERS_ROLLUP, per UTC hour, of closed UTC days only, kept 35 days: the partial first (or
 * last) day of a user-figure period is read here by whole hours instead of from the ledger. It costs
 * the insert nothing: the day closing folds each closed day in from the ledger (late spans of a
 * closed day are added by the insert), and drops hours older than `keptDays`. 35 days cover the
 * Overview's 30-day and month periods. Readers use it between ROLLUP_KEPT_FROM and
 * ROLLUP_CLOSED_BEFORE, the ledger elsewhere.
 */
export const HOURLY_USERS_ROLLUP: Rollup = {
  table: 'tokenmeter.llm_usage_hourly_users',
  constraint: 'llm_usage_hourly_users_dimensions',
  dimensions: { hour: "date_trunc('hour', ts, 'UTC')", ...USER_DIMENSIONS },
  measures: USER_MEASURES,
  closedDays: {
    table: 'tokenmeter.llm_usage_hourly_users',
    bucketAt: (day) => `((${day})::timestamp AT TIME ZONE 'UTC')`,
    dimensions: { hour: "date_trunc('hour', ts, 'UTC')", ...USER_DIMENSIONS },
  },
  keptDays: 35,
};

/**
 * The hours from `hour` (a timestamptz expression, a whole UTC hour) back to its UTC day's midnight,
 * as a LATERAL set `rest(from_hour)`: the buckets of REST_OF_DAY_USERS_ROLLUP a call of that hour
 * counts in.
 */
const hoursBackToMidnight = (hour: string): string =>
  `CROSS JOIN LATERAL generate_series(date_trunc('day', ${hour}, 'UTC'), ${hour}, interval '1 hour') AS rest(from_hour)`;

/**
 * As HOURLY_USERS_ROLLUP, but the row of hour `from_hour` holds the user's calls from that hour to
 * the end of its UTC day: the partial first day of a user-figure period is then one row per user
 * (the row of its first whole hour) instead of one per user and hour. A call counts in the bucket of
 * every hour of its day up to its own (fanOut). Closed days of the last 35 only, like the hourly
 * per-user rollup it is folded from when a day closes (late spans of a closed day are added by the
 * insert); readers use it between ROLLUP_KEPT_FROM and ROLLUP_CLOSED_BEFORE.
 */
export const REST_OF_DAY_USERS_ROLLUP: Rollup = {
  table: 'tokenmeter.llm_usage_users_rest_of_day',
  constraint: 'llm_usage_users_rest_of_day_dimensions',
  dimensions: { from_hour: 'from_hour', ...USER_DIMENSIONS },
  measures: USER_MEASURES,
  fanOut: hoursBackToMidnight("date_trunc('hour', ts, 'UTC')"),
  closedDays: {
    table: 'tokenmeter.llm_usage_users_rest_of_day',
    from: HOURLY_USERS_ROLLUP,
    bucketAt: (day) => `((${day})::timestamp AT TIME ZONE 'UTC')`,
    dimensions: { from_hour: 'from_hour', ...USER_DIMENSIONS },
    fanOut: hoursBackToMidnight('hour'),
  },
  keptDays: HOURLY_USERS_ROLLUP.keptDays,
};

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

/** The watermark the day closing moves: the first UTC day not yet folded into the closed-days tables. */
export const ROLLUP_WATERMARK = 'tokenmeter.rollup_watermark';

/**
 * From when (a timestamptz expression) a rollup with `keptDays` holds every bucket: the day closing
 * drops older ones only.
 */
export const ROLLUP_KEPT_FROM = (rollup: Rollup): string =>
  `(SELECT (closed_before - ${rollup.keptDays ?? 0})::timestamp AT TIME ZONE 'UTC' FROM ${ROLLUP_WATERMARK})`;

/** Midnight UTC (a timestamptz expression) starting the first UTC day not yet closed. */
export const ROLLUP_CLOSED_BEFORE = `(SELECT closed_before::timestamp AT TIME ZONE 'UTC' FROM ${ROLLUP_WATERMARK})`;

/** Whether readers read the rollup's closed days only (it has no view adding the open days). */
export const closedDaysOnly = (rollup: Rollup): boolean =>
  rollup.closedDays?.table === rollup.table;

export const ROLLUPS: readonly Rollup[] = [
  DAILY_ROLLUP,
  HOURLY_ROLLUP,
  MONTHLY_ROLLUP,
  DAILY_USERS_ROLLUP,
  WEEKLY_USERS_ROLLUP,
  HOURLY_USERS_ROLLUP,
  // after the rollup it is folded from: the day closing folds in this order
  REST_OF_DAY_USERS_ROLLUP,
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

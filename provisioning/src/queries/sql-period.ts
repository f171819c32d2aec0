// SQL building blocks shared by the catalog's PostgreSQL queries.
//
// A period [from, to] is read from two places so that it is exact and cheap: the whole buckets (UTC
// hours or days) it covers come from a rollup, which the sink keeps equal to the ledger, and only
// the partial buckets at its edges come from the ledger (llm_calls). The bucket holding `to` is read
// from the rollup too when the ledger has no call after `to` in it (a period ending now). Both parts
// yield rows of one shape, so every query aggregates one relation: `usage`.
//
// The rollups read here, as @tokenmeter/conventions (ledger-schema) describes them:
//   llm_usage_hourly       every dimension but the user, per hour: totals, models, prompts, charts
//   llm_usage_daily        every dimension, per day: one user's figures
//   llm_usage_daily_users  day, user, billing mode, plan: active and top users, quotas
//   llm_usage_hourly_users the same per hour, closed days of the last 35: partial edge days
//   llm_usage_users_rest_of_day the same from each hour to the end of its day: partial first days
//   llm_usage_weekly_users the same per ISO week: the whole weeks of long periods (its closed-days
//                          table: the closed days of the week holding the period's end)

import {
  DAILY_ROLLUP,
  DAILY_USERS_ROLLUP,
  HOURLY_ROLLUP,
  HOURLY_USERS_ROLLUP,
  LEDGER_TABLE,
  REST_OF_DAY_USERS_ROLLUP,
  ROLLUP_CLOSED_BEFORE,
  ROLLUP_KEPT_FROM,
  ROLLUP_WATERMARK,
  UTC_DAY,
  WEEKLY_USERS_ROLLUP,
  type Rollup,
} from '@tokenmeter/conventions/ledger-schema';

/** Today as a UTC date, whatever the session time zone. */
export const UTC_TODAY = `(now() AT TIME ZONE 'UTC')::date`;
/** First day of the current UTC month. */
export const UTC_MONTH_START = `date_trunc('month', now() AT TIME ZONE 'UTC')::date`;
/** Midnight UTC, as a timestamptz, starting the UTC day `day` (a date expression). */
export const startOfUtcDay = (day: string): string => `((${day})::timestamp AT TIME ZONE 'UTC')`;

export type FilterScope =
  /** Dashboards, plugin, CLI: the service / model / billing_mode / plan template variables apply. */
  | 'variables'
  /** Alert rules: Grafana alerting has no template variables. */
  | 'none';

export interface UsageOptions {
  scope: FilterScope;
  /** Extra condition on columns every source of the query has (user_id, plan, billing_mode...). */
  where?: string;
}

type Bucket = 'hour' | 'day';

type Columns = Record<string, { rollup: string; ledger: string }>;

/** A rollup as `usage` rows: each column's expression on a rollup row and on one ledger row. */
interface UsageSource {
  table: string;
  bucket: Bucket;
  /** The rollup's bucket column (timestamptz `hour`, or date `day`). */
  bucketColumn: string;
  columns: Readonly<Columns>;
}

/**
 * The rollup's columns but its time bucket: each dimension as stored and as its expression over a
 * ledger row, each measure as stored and as one ledger row's value.
 */
function columnsBesideTheBucket(rollup: Rollup): Columns {
  const [, ...dimensions] = Object.entries(rollup.dimensions);
  return Object.fromEntries([
    ...dimensions.map(([column, ledger]) => [column, { rollup: column, ledger }]),
    ...Object.entries(rollup.measures).map(([column, { perCall }]) => [
      column,
      { rollup: column, ledger: perCall },
    ]),
  ]);
}

/** The rollup's time-bucket column (its first dimension). */
const bucketColumnOf = (rollup: Rollup): string => Object.keys(rollup.dimensions)[0]!;

const HOURLY: UsageSource = {
  table: HOURLY_ROLLUP.table,
  bucket: 'hour',
  bucketColumn: bucketColumnOf(HOURLY_ROLLUP),
  columns: {
    day: { rollup: `(${bucketColumnOf(HOURLY_ROLLUP)} AT TIME ZONE 'UTC')::date`, ledger: UTC_DAY },
    ...columnsBesideTheBucket(HOURLY_ROLLUP),
  },
};

const DAILY_PER_USER: UsageSource = {
  table: DAILY_ROLLUP.table,
  bucket: 'day',
  bucketColumn: bucketColumnOf(DAILY_ROLLUP),
  columns: { day: { rollup: 'day', ledger: UTC_DAY }, ...columnsBesideTheBucket(DAILY_ROLLUP) },
};

const HOURLY_USERS: UsageSource = {
  table: HOURLY_USERS_ROLLUP.table,
  bucket: 'hour',
  bucketColumn: bucketColumnOf(HOURLY_USERS_ROLLUP),
  columns: columnsBesideTheBucket(HOURLY_USERS_ROLLUP),
};

const DAILY_USERS: UsageSource = {
  table: DAILY_USERS_ROLLUP.table,
  bucket: 'day',
  bucketColumn: bucketColumnOf(DAILY_USERS_ROLLUP),
  columns: columnsBesideTheBucket(DAILY_USERS_ROLLUP),
};

/**
 * `column` among the values of a multi-value variable, or every row when the variable is "All": its
 * custom all value (ALL_VALUE) makes the list `(NULL)`. Values are written by the datasource's own
 * quoting (`${var}`, no format): only `'` doubled, as PostgreSQL's standard strings read them.
 */
const oneOf = (column: string, variable: string): string =>
  `(${column} IN (\${${variable}}) OR (\${${variable}}) IS NULL)`;

/** Every template-variable filter; `modelColumn` is `model` in the rollups and `request_model` in the ledger. */
export function variableFilter(modelColumn: 'model' | 'request_model'): string {
  return [
    oneOf('service', 'service'),
    oneOf(modelColumn, 'model'),
    oneOf('billing_mode', 'billing_mode'),
    oneOf('plan', 'plan'),
  ].join(' AND ');
}

const FROM = '$__timeFrom()::timestamptz';
const TO = '$__timeTo()::timestamptz';

/** A UTC wall-clock timestamp (without time zone) as timestamptz. */
const fromUtc = (timestamp: string): string => `((${timestamp}) AT TIME ZONE 'UTC')`;

/**
 * Period edges for one bucket width. The bounds are computed on UTC wall-clock timestamps, whose
 * arithmetic is immutable, so PostgreSQL folds them to constants when planning (good row estimates
 * and index ranges).
 */
function periodEdges(bucket: Bucket) {
  const width = `interval '1 ${bucket}'`;
  const toBucket = `date_trunc('${bucket}', ${TO} AT TIME ZONE 'UTC')`;
  const afterToBucket = fromUtc(`${toBucket} + ${width}`);
  const endComplete = `NOT EXISTS (SELECT 1 FROM ${LEDGER_TABLE} WHERE ts > ${TO} AND ts < ${afterToBucket})`;
  return {
    /** Start of the first bucket wholly inside the period. */
    wholeFrom: fromUtc(
      `date_trunc('${bucket}', (${FROM} AT TIME ZONE 'UTC') + ${width} - interval '1 microsecond')`,
    ),
    /** Start of the bucket holding `to`. */
    toBucket: fromUtc(toBucket),
    /** Whether the bucket holding `to` has no call after `to`: then the rollup answers for it. */
    endComplete,
    /** End of what the rollup answers. */
    rollupTo: `(CASE WHEN ${endComplete} THEN ${afterToBucket} ELSE ${fromUtc(toBucket)} END)`,
  };
}

/**
 * The hours of `column` (a timestamptz hour bucket) that overlap the period, the partial one holding
 * its start included: `$__timeFilter(column)` would drop that one, which begins before the start.
 */
export const hoursOverlappingPeriod = (column: string): string =>
  `${column} > ${FROM} - interval '1 hour' AND ${column} <= ${TO}`;

/** A timestamptz bound in the type of the source's bucket column. */
function asBucket(source: UsageSource, bound: string): string {
  return source.bucket === 'day' ? `(${bound} AT TIME ZONE 'UTC')::date` : bound;
}

function where(conditions: (string | undefined)[]): string {
  return conditions.filter(Boolean).join('\n      AND ');
}

/** The select list of `names` (default: all the source's columns), read from a rollup row or a ledger row. */
function selectList(
  source: UsageSource,
  side: 'rollup' | 'ledger',
  names = Object.keys(source.columns),
): string {
  return names
    .map((name) => {
      const expression = source.columns[name]![side];
      return expression === name ? name : `${expression} AS ${name}`;
    })
    .join(', ');
}

/**
 * The rollup's whole buckets of the period, and the bucket holding `to` when it is complete;
 * `shape` chooses the columns (another source's).
 */
function rollupPart(
  source: UsageSource,
  conditions: (string | undefined)[],
  shape: UsageSource = source,
): string {
  const edges = periodEdges(source.bucket);
  const column = source.bucketColumn;
  const select = `SELECT ${selectList(source, 'rollup', Object.keys(shape.columns))}
    FROM ${source.table}`;
  return `${select}
    WHERE ${where([
      `${column} >= ${asBucket(source, edges.wholeFrom)}`,
      `${column} < ${asBucket(source, edges.toBucket)}`,
      ...conditions,
    ])}
  UNION ALL
  ${select}
    WHERE ${where([
      `${column} = ${asBucket(source, edges.toBucket)}`,
      `${column} >= ${asBucket(source, edges.wholeFrom)}`,
      edges.endComplete,
      ...conditions,
    ])}`;
}

/** The ledger rows of the period's partial buckets, before and after the rollup's part. */
function ledgerParts(source: UsageSource, conditions: (string | undefined)[]): string {
  const edges = periodEdges(source.bucket);
  const select = `SELECT ${selectList(source, 'ledger')}
    FROM ${LEDGER_TABLE}`;
  return `${select}
    WHERE ${where(['$__timeFilter(ts)', `ts < ${edges.wholeFrom}`, ...conditions])}
  UNION ALL
  ${select}
    WHERE ${where(['$__timeFilter(ts)', `ts >= greatest(${edges.wholeFrom}, ${edges.rollupTo})`, ...conditions])}`;
}

function filters(options: UsageOptions, modelColumn: 'model' | 'request_model'): string[] {
  return [options.scope === 'variables' ? variableFilter(modelColumn) : '', options.where ?? ''];
}

function usageFrom(source: UsageSource, options: UsageOptions): string {
  return `WITH usage AS (
  ${rollupPart(source, filters(options, 'model'))}
  UNION ALL
  ${ledgerParts(source, filters(options, 'request_model'))}
)`;
}

/**
 * `WITH usage AS (...)`: the period's calls as rows of day, service, prompt_name, provider, model,
 * billing_mode, plan, status and the measures (calls, errors, tokens, cost_usd, unpriced_calls,
 * duration_ms_sum / _max), from the hourly rollup: no per-user rows.
 */
export function usageInPeriod(options: UsageOptions): string {
  return usageFrom(HOURLY, options);
}

/** As usageInPeriod, with `user_id`, from the per-user daily rollup: for one user's figures. */
export function userUsageInPeriod(options: UsageOptions): string {
  return usageFrom(DAILY_PER_USER, options);
}

/**
 * The per-user rollups' part of a period: its whole ISO weeks from llm_usage_weekly_users, its other
 * whole days (and the day holding `to` when complete) from llm_usage_daily_users. The days of the
 * week holding `to` that are closed come from that week's row of the closed-days weekly table (one
 * row per user instead of one per user and day) when the period covers them all: it holds exactly
 * the week's days before the watermark (collector migration 0005).
 */
function userRollupParts(conditions: (string | undefined)[]): string {
  const edges = periodEdges('day');
  const from = asBucket(DAILY_USERS, edges.wholeFrom);
  const to = asBucket(DAILY_USERS, edges.toBucket);
  // Weeks [weeksFrom, weeksTo) lie inside the whole days [from, to); the days around them are read per day.
  const weeksFrom = `date_trunc('week', (${from} + 6)::timestamp)::date`;
  const weeksTo = `date_trunc('week', (${to})::timestamp)::date`;
  const daysBeforeWeeks = `least(${weeksFrom}, ${to})`;
  const daysAfterWeeks = `greatest(${weeksTo}, ${daysBeforeWeeks})`;
  // The closed-days row of the week of `to` holds its days [weeksTo, closed); it serves when those
  // are whole days of the period, up to `to` (excluded, or included when complete).
  const closed = `(SELECT closed_before FROM ${ROLLUP_WATERMARK})`;
  const weekToDate = `(${weeksTo} >= ${daysBeforeWeeks} AND ${weeksTo} >= ${from} AND ${closed} > ${weeksTo}
      AND (${closed} <= ${to} OR (${closed} = ${to} + 1 AND ${edges.endComplete})))`;
  const part = (
    table: string,
    range: string[],
  ): string => `SELECT ${selectList(DAILY_USERS, 'rollup')}
    FROM ${table}
    WHERE ${where([...range, ...conditions])}`;
  return [
    part(DAILY_USERS.table, [`day >= ${from}`, `day < ${daysBeforeWeeks}`]),
    part(WEEKLY_USERS_ROLLUP.table, [`week >= ${weeksFrom}`, `week < ${weeksTo}`]),
    part(WEEKLY_USERS_ROLLUP.closedDays!.table, [`week = ${weeksTo}`, weekToDate]),
    part(DAILY_USERS.table, [
      `day >= ${daysAfterWeeks}`,
      `day < ${to}`,
      `day >= CASE WHEN ${weekToDate} THEN ${closed} ELSE ${daysAfterWeeks} END`,
    ]),
    part(DAILY_USERS.table, [
      `day = ${to}`,
      `day >= ${from}`,
      edges.endComplete,
      `NOT (${weekToDate} AND ${closed} > ${to})`,
    ]),
  ].join('\n  UNION ALL\n  ');
}

/**
 * The period's parts outside the whole days the per-user daily rollups answer for (its partial first
 * day, and its last day unless complete): whole hours from llm_usage_hourly_users where it still
 * holds them (closed days, from ROLLUP_KEPT_FROM on), the rest (the partial first and last hours,
 * hours older than the hourly rollup keeps and those of open days) from the ledger. Each part is one range of `hour` or `ts`, so that
 * the ledger is read by index over an hour at most. When those whole hours run to the end of the
 * first day, llm_usage_users_rest_of_day answers for them with one row per user (the row of their
 * first hour) instead of one per user and hour.
 */
function userEdgeParts(conditions: (string | undefined)[]): string {
  const days = periodEdges('day');
  const hours = periodEdges('hour');
  const dayFrom = days.wholeFrom; // a: the per-user daily rollups answer for [a, b)
  const dayTo = `greatest(${days.wholeFrom}, ${days.rollupTo})`; // b
  const hourFrom = hours.wholeFrom; // c: the hourly rollup could answer for [c, d)
  const kept = ROLLUP_KEPT_FROM(HOURLY_USERS_ROLLUP); // h: it holds the hours from h on …
  const closed = ROLLUP_CLOSED_BEFORE; // u: … of the closed days, before u
  const hourTo = `greatest(${hours.wholeFrom}, least(${hours.rollupTo}, ${closed}))`; // d
  const keptHourFrom = `greatest(${hourFrom}, ${kept})`;
  const hourly = (range: string[]): string => `SELECT ${selectList(HOURLY_USERS, 'rollup')}
    FROM ${HOURLY_USERS.table}
    WHERE ${where([...range, ...conditions])}`;
  const restOfDay = (range: string[]): string => `SELECT ${selectList(HOURLY_USERS, 'rollup')}
    FROM ${REST_OF_DAY_USERS_ROLLUP.table}
    WHERE ${where([...range, ...conditions])}`;
  // The kept whole hours of the first day [max(c, h), min(a, d)) run to its end a.
  const wholeHoursToDayEnd = `${hourTo} >= ${dayFrom}`;
  const ledger = (range: string[]): string => `SELECT ${selectList(HOURLY_USERS, 'ledger')}
    FROM ${LEDGER_TABLE}
    WHERE ${where(['$__timeFilter(ts)', ...range, ...conditions])}`;
  // Each part also gets the bounds of its range that fold to constants (c ≤ … < a, a ≤ …, ≤ to),
  // so that PostgreSQL estimates and prunes partitions by them when it plans.
  return [
    // before the whole days [from, a): ledger, kept whole hours, ledger
    ledger([`ts < ${dayFrom}`, `ts < least(${dayFrom}, ${keptHourFrom})`]),
    hourly([
      `hour >= ${hourFrom}`,
      `hour < ${dayFrom}`,
      `hour >= ${keptHourFrom}`,
      `hour < least(${dayFrom}, ${hourTo})`,
      `NOT (${wholeHoursToDayEnd})`,
    ]),
    restOfDay([
      `from_hour >= ${hourFrom}`,
      `from_hour < ${dayFrom}`,
      `from_hour = ${keptHourFrom}`,
      wholeHoursToDayEnd,
    ]),
    ledger([
      `ts >= ${hourFrom}`,
      `ts < ${dayFrom}`,
      `ts >= greatest(least(${dayFrom}, ${hourTo}), ${keptHourFrom})`,
    ]),
    // after them [b, to]: ledger (hours no longer kept), kept whole hours, ledger
    ledger([
      `ts >= ${dayFrom}`,
      `ts >= ${dayTo}`,
      `ts < least(greatest(${dayTo}, ${kept}), greatest(${dayTo}, ${hourTo}))`,
    ]),
    hourly([
      `hour >= ${dayFrom}`,
      `hour <= ${TO}`,
      `hour >= greatest(${dayTo}, ${kept})`,
      `hour < ${hourTo}`,
    ]),
    ledger([`ts >= ${dayFrom}`, `ts >= greatest(${hourTo}, ${dayTo})`]),
  ].join('\n  UNION ALL\n  ');
}

/**
 * `WITH usage AS (...)`: the period's calls per user, as rows of user_id, billing_mode, plan, calls,
 * total_tokens and cost_usd. When the variables keep every call of the period (the usual "All",
 * checked on the hourly rollup), the per-user rollups without service and model answer unfiltered,
 * the ledger only for the period's partial first and last hours; otherwise the full per-user daily
 * rollup answers, filtered, and the ledger for the partial edge days.
 */
export function usersInPeriod(options: UsageOptions): string {
  if (options.scope === 'none') {
    return `WITH usage AS (
  ${userRollupParts([options.where])}
  UNION ALL
  ${userEdgeParts([options.where])}
)`;
  }
  const keepsEverything = '(SELECT keeps_everything FROM variables_filter)';
  return `WITH variables_filter AS (
  SELECT NOT EXISTS (SELECT 1 FROM ${HOURLY.table}
      WHERE hour >= ${fromUtc(`date_trunc('hour', ${FROM} AT TIME ZONE 'UTC')`)} AND hour <= ${TO}
        AND NOT (${variableFilter('model')})) AS keeps_everything
), usage AS (
  ${userRollupParts([options.where, keepsEverything])}
  UNION ALL
  ${userEdgeParts([options.where, keepsEverything])}
  UNION ALL
  ${rollupPart(DAILY_PER_USER, [variableFilter('model'), options.where, `NOT ${keepsEverything}`], DAILY_USERS)}
  UNION ALL
  ${ledgerParts(DAILY_USERS, [`NOT ${keepsEverything}`, variableFilter('request_model'), options.where])}
)`;
}

/** `WITH usage AS (...)`: rows as usageInPeriod's, of whole UTC days from `firstDay` (a date) on. */
export function usageSince(firstDay: string, options: UsageOptions): string {
  return `WITH usage AS (
  SELECT ${selectList(HOURLY, 'rollup')}
    FROM ${HOURLY.table}
    WHERE ${where([`hour >= ${startOfUtcDay(firstDay)}`, ...filters(options, 'model')])}
)`;
}

/** The ledger's recent rows (B9), newest first. */
export function recentCalls(options: UsageOptions & { limit: number }): string {
  return `SELECT ts AS "time", operation, coalesce(prompt_name, '') AS prompt, request_model AS model,
    coalesce(user_id, '') AS user_id, status,
    coalesce(error_type, '') AS error_type, duration_ms, total_tokens, cost_usd, billing_mode, plan
  FROM ${LEDGER_TABLE}
  WHERE ${where(['$__timeFilter(ts)', ...filters(options, 'request_model')])}
  ORDER BY ts DESC, span_id
  LIMIT ${options.limit}`;
}

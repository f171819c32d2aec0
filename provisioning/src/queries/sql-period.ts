// SQL building blocks shared by the catalog's PostgreSQL queries.
//
// A period [from, to] is read from two places so that it is exact and cheap: the whole UTC days it
// covers come from the daily rollup (llm_usage_daily, which the sink keeps equal to the ledger),
// and only the partial days at its edges come from the ledger (llm_calls). Both parts yield rows of
// the rollup's shape, so every query aggregates one relation: `usage`.

/** First whole UTC day inside the period (the day after `from`, unless `from` is midnight). */
const FULL_DAYS_FROM = `(($__timeFrom()::timestamptz AT TIME ZONE 'UTC') + interval '1 day' - interval '1 microsecond')::date`;
/** First day after the whole days (the day holding `to`). */
const FULL_DAYS_TO = `($__timeTo()::timestamptz AT TIME ZONE 'UTC')::date`;
const startOf = (day: string): string => `(${day})::timestamp AT TIME ZONE 'UTC'`;

/** Today as a UTC date, whatever the session time zone. */
export const UTC_TODAY = `(now() AT TIME ZONE 'UTC')::date`;
/** First day of the current UTC month. */
export const UTC_MONTH_START = `date_trunc('month', now() AT TIME ZONE 'UTC')::date`;

export type FilterScope =
  /** Dashboards, plugin, CLI: the service / model / billing_mode / plan template variables apply. */
  | 'variables'
  /** Alert rules: Grafana alerting has no template variables. */
  | 'none';

export interface UsageOptions {
  scope: FilterScope;
  /** Extra condition on columns both relations share (user_id, prompt_name, plan...). */
  where?: string;
}

/** The template-variable filter; `modelColumn` is `model` in the rollup and `request_model` in the ledger. */
export function variableFilter(modelColumn: 'model' | 'request_model'): string {
  return [
    'service IN (${service:sqlstring})',
    `${modelColumn} IN (\${model:sqlstring})`,
    'billing_mode IN (${billing_mode:sqlstring})',
    'plan IN (${plan:sqlstring})',
  ].join(' AND ');
}

function conditions(
  options: UsageOptions,
  modelColumn: 'model' | 'request_model',
  base: string[],
): string {
  const all = [...base];
  if (options.scope === 'variables') all.push(variableFilter(modelColumn));
  if (options.where) all.push(options.where);
  return all.join('\n      AND ');
}

const LEDGER_AS_ROLLUP = `(ts AT TIME ZONE 'UTC')::date AS day, service, user_id, prompt_name, provider,
      request_model AS model, billing_mode, plan, status,
      1 AS calls, (status = 'error')::int AS errors, input_tokens, output_tokens, cached_input_tokens,
      reasoning_tokens, total_tokens, coalesce(cost_usd, 0) AS cost_usd, (cost_usd IS NULL)::int AS unpriced_calls,
      duration_ms AS duration_ms_sum, duration_ms AS duration_ms_max`;

const ROLLUP_COLUMNS = `day, service, user_id, prompt_name, provider, model, billing_mode, plan, status,
      calls, errors, input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, total_tokens,
      cost_usd, unpriced_calls, duration_ms_sum, duration_ms_max`;

/**
 * `WITH usage AS (...)`: the dashboard period as rollup-shaped rows. The two ledger parts are
 * simple time ranges (before the whole days, and from their end) so each reads only the edge
 * partitions through the primary key.
 */
export function usageInPeriod(options: UsageOptions): string {
  return `WITH usage AS (
  SELECT ${ROLLUP_COLUMNS}
    FROM tokenmeter.llm_usage_daily
    WHERE ${conditions(options, 'model', [`day >= ${FULL_DAYS_FROM}`, `day < ${FULL_DAYS_TO}`])}
  UNION ALL
  SELECT ${LEDGER_AS_ROLLUP}
    FROM tokenmeter.llm_calls
    WHERE ${conditions(options, 'request_model', ['$__timeFilter(ts)', `ts < ${startOf(FULL_DAYS_FROM)}`])}
  UNION ALL
  SELECT ${LEDGER_AS_ROLLUP}
    FROM tokenmeter.llm_calls
    WHERE ${conditions(options, 'request_model', [
      '$__timeFilter(ts)',
      `ts >= greatest(${startOf(FULL_DAYS_FROM)}, ${startOf(FULL_DAYS_TO)})`,
    ])}
)`;
}

/** `WITH usage AS (...)` over whole UTC days only (rollup), for day-granular figures. */
export function usageOnDays(dayCondition: string, options: UsageOptions): string {
  return `WITH usage AS (
  SELECT ${ROLLUP_COLUMNS}
    FROM tokenmeter.llm_usage_daily
    WHERE ${conditions(options, 'model', [dayCondition])}
)`;
}

/** A user id cut to 8 characters for display (full id stays in `user_id` for drill-down links). */
export const SHORT_USER = `CASE WHEN length(user_id) > 8 THEN left(user_id, 8) || '…' ELSE user_id END`;

/** The ledger's recent rows (B9), newest first. */
export function recentCalls(options: UsageOptions & { limit: number }): string {
  return `SELECT ts AS "time", operation, coalesce(prompt_name, '') AS prompt, request_model AS model,
    coalesce(user_id, '') AS user_id, coalesce(${SHORT_USER}, '') AS user_short, status,
    coalesce(error_type, '') AS error_type, duration_ms, total_tokens, cost_usd, billing_mode, plan
  FROM tokenmeter.llm_calls
  WHERE ${conditions(options, 'request_model', ['$__timeFilter(ts)'])}
  ORDER BY ts DESC, span_id
  LIMIT ${options.limit}`;
}

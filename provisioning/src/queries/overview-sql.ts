import { DATASOURCES } from './datasources';
import { defineQueries } from './types';
import { COUNT_UNIT } from '../display/formats';
import {
  usageInPeriod,
  usageSince,
  usersInPeriod,
  recentCalls,
  variableFilter,
  UTC_MONTH_START,
  UTC_TODAY,
  type FilterScope,
} from './sql-period';

const PG = DATASOURCES.postgres;
const inPeriod = usageInPeriod({ scope: 'variables' });

/** Month-to-date cost (unless `projectionOnly`) and its straight-line projection to the end of the UTC month. */
export function monthProjectionSql(scope: FilterScope, projectionOnly = false): string {
  return `${usageSince(UTC_MONTH_START, { scope })}
SELECT ${projectionOnly ? '' : 'coalesce(sum(cost_usd), 0) AS month_to_date_usd,\n  '}coalesce(sum(cost_usd), 0)
    * extract(epoch FROM (${UTC_MONTH_START} + interval '1 month') - ${UTC_MONTH_START})
    / greatest(extract(epoch FROM (now() AT TIME ZONE 'UTC') - ${UTC_MONTH_START}), 1) AS projected_month_usd
FROM usage`;
}

/** Cost of the period and how many calls had no price. */
export function periodCostSql(scope: FilterScope): string {
  return `${usageInPeriod({ scope })}
SELECT coalesce(sum(cost_usd), 0) AS cost_usd${scope === 'variables' ? ', coalesce(sum(unpriced_calls), 0) AS unpriced_calls' : ''}
FROM usage`;
}

/** Features B (Overview, docs/features.md), read from PostgreSQL. */
export const overviewSqlQueries = defineQueries({
  overview_cost: {
    title: 'Total cost',
    description: 'Cost in USD of every priced model call in the period (both billing modes).',
    language: 'sql',
    datasourceUid: PG,
    format: 'table',
    unit: 'currencyUSD',
    expr: periodCostSql('variables'),
  },
  overview_month_projection: {
    title: 'Month-end projection',
    description:
      'Cost of the current UTC month so far, extrapolated linearly to the end of the month.',
    language: 'sql',
    datasourceUid: PG,
    format: 'table',
    unit: 'currencyUSD',
    expr: monthProjectionSql('variables'),
  },
  overview_requests: {
    title: 'Requests',
    description: 'Model calls in the period and average tokens per call.',
    language: 'sql',
    datasourceUid: PG,
    format: 'table',
    unit: COUNT_UNIT,
    expr: `${inPeriod}
SELECT coalesce(sum(calls), 0) AS requests,
  coalesce(sum(total_tokens)::double precision / nullif(sum(calls), 0), 0) AS avg_tokens_per_request,
  coalesce(sum(errors), 0) AS errors
FROM usage`,
  },
  overview_tokens: {
    title: 'Tokens',
    description:
      'Tokens in the period split into prompt (input, cached included) and completion (output).',
    language: 'sql',
    datasourceUid: PG,
    format: 'table',
    unit: COUNT_UNIT,
    expr: `${inPeriod}
SELECT coalesce(sum(input_tokens), 0) AS prompt_tokens, coalesce(sum(output_tokens), 0) AS completion_tokens,
  coalesce(sum(cached_input_tokens), 0) AS cached_prompt_tokens, coalesce(sum(total_tokens), 0) AS total_tokens
FROM usage`,
  },
  overview_active_users: {
    title: 'Active users',
    description: 'Distinct end users with at least one model call in the period.',
    language: 'sql',
    datasourceUid: PG,
    format: 'table',
    unit: COUNT_UNIT,
    // DISTINCT in a subquery is hashed; count(DISTINCT) would sort
    expr: `${usersInPeriod({ scope: 'variables' })}
SELECT count(*) AS active_users
FROM (SELECT DISTINCT user_id FROM usage WHERE user_id IS NOT NULL) AS active`,
  },
  overview_billing_modes: {
    title: 'Billing mode split',
    description:
      'Requests and cost per billing mode (system = billed through the operator, byok = user key).',
    language: 'sql',
    datasourceUid: PG,
    format: 'table',
    unit: 'currencyUSD',
    expr: `${inPeriod}
SELECT billing_mode, sum(calls) AS requests, sum(cost_usd) AS cost_usd
FROM usage
GROUP BY billing_mode
ORDER BY billing_mode`,
  },
  overview_all_time: {
    title: 'All-time figures',
    description:
      'Since the start: total cost, cost this month, tokens all-time and this month, distinct prompts, executions, average latency and the most used model.',
    language: 'sql',
    datasourceUid: PG,
    format: 'table',
    expr: `WITH grouped AS (
  SELECT model, prompt_name, month = ${UTC_MONTH_START} AS this_month,
    sum(calls) AS calls, sum(cost_usd) AS cost_usd, sum(total_tokens) AS tokens, sum(duration_ms_sum) AS duration_ms
  FROM tokenmeter.llm_usage_monthly
  WHERE ${variableFilter('model')}
  GROUP BY 1, 2, 3
)
SELECT coalesce(sum(cost_usd), 0) AS total_cost_usd,
  coalesce(sum(cost_usd) FILTER (WHERE this_month), 0) AS month_cost_usd,
  coalesce(sum(tokens), 0) AS total_tokens,
  coalesce(sum(tokens) FILTER (WHERE this_month), 0) AS month_tokens,
  count(DISTINCT prompt_name) AS distinct_prompts,
  coalesce(sum(calls), 0) AS executions,
  coalesce(sum(duration_ms) / nullif(sum(calls), 0), 0) AS avg_latency_ms,
  (SELECT model FROM grouped GROUP BY model ORDER BY sum(calls) DESC, model LIMIT 1) AS most_used_model
FROM grouped`,
  },
  daily_usage: {
    title: 'Daily usage',
    description:
      'Requests (left axis) and cost in USD (right axis) per UTC day of the period; days without calls read 0, so no line bridges them.',
    language: 'sql',
    datasourceUid: PG,
    format: 'time_series',
    unit: COUNT_UNIT,
    expr: `${inPeriod}
SELECT days.day AT TIME ZONE 'UTC' AS "time", coalesce(sum(usage.calls), 0) AS requests,
  coalesce(sum(usage.cost_usd), 0) AS cost_usd
FROM generate_series(date_trunc('day', $__timeFrom()::timestamptz AT TIME ZONE 'UTC'),
    $__timeTo()::timestamptz AT TIME ZONE 'UTC', interval '1 day') AS days(day)
LEFT JOIN usage ON usage.day = days.day::date
GROUP BY days.day
ORDER BY days.day`,
  },
  executions_last_7_days: {
    title: 'Executions, last 7 days',
    description:
      'Model calls per UTC day over the last 7 days (today included), whatever the period.',
    language: 'sql',
    datasourceUid: PG,
    format: 'time_series',
    unit: COUNT_UNIT,
    expr: `${usageSince(`${UTC_TODAY} - 6`, { scope: 'variables' })}
SELECT days.day::timestamp AT TIME ZONE 'UTC' AS "time", coalesce(sum(usage.calls), 0) AS executions
FROM generate_series(${UTC_TODAY} - 6, ${UTC_TODAY}, interval '1 day') AS days(day)
LEFT JOIN usage ON usage.day = days.day::date
GROUP BY days.day
ORDER BY days.day`,
  },
  model_mix: {
    title: 'Model mix',
    description: 'Requests and cost per requested model in the period.',
    language: 'sql',
    datasourceUid: PG,
    format: 'table',
    unit: COUNT_UNIT,
    expr: `${inPeriod}
SELECT model, sum(calls) AS requests, sum(cost_usd) AS cost_usd
FROM usage
GROUP BY model
ORDER BY requests DESC, model`,
  },
  top_users: {
    title: 'Top users',
    description: 'Users by cost in the period: requests, tokens and cost (20 rows).',
    language: 'sql',
    datasourceUid: PG,
    format: 'table',
    unit: 'currencyUSD',
    expr: `${usersInPeriod({ scope: 'variables', where: 'user_id IS NOT NULL' })}
SELECT user_id, sum(calls) AS requests, sum(total_tokens) AS tokens,
  sum(cost_usd) AS cost_usd
FROM usage
GROUP BY user_id
ORDER BY cost_usd DESC, requests DESC, user_id
LIMIT 20`,
  },
  recent_activity: {
    title: 'Recent activity',
    description:
      'The latest model calls: time, operation and prompt, user, status, duration, tokens and cost.',
    language: 'sql',
    datasourceUid: PG,
    format: 'table',
    expr: recentCalls({ scope: 'variables', limit: 10 }),
  },
  top_prompts_by_cost: {
    title: 'Top prompts by cost',
    description: 'Prompts (features) by cost in the period: where optimisation pays most.',
    language: 'sql',
    datasourceUid: PG,
    format: 'table',
    unit: 'currencyUSD',
    expr: topPrompts('cost_usd'),
  },
  top_prompts_by_tokens: {
    title: 'Top prompts by tokens',
    description: 'Prompts (features) by tokens in the period.',
    language: 'sql',
    datasourceUid: PG,
    format: 'table',
    unit: COUNT_UNIT,
    expr: topPrompts('tokens'),
  },
  prompt_performance: {
    title: 'Prompt latency and errors',
    description:
      'Per prompt in the period: requests, average and slowest model-call latency, errors and error rate.',
    language: 'sql',
    datasourceUid: PG,
    format: 'table',
    unit: 'ms',
    expr: `${inPeriod}
SELECT coalesce(prompt_name, '(none)') AS prompt, sum(calls) AS requests,
  sum(duration_ms_sum) / nullif(sum(calls), 0) AS avg_duration_ms, max(duration_ms_max) AS max_duration_ms,
  sum(errors) AS errors, sum(errors)::float8 / nullif(sum(calls), 0) AS error_rate
FROM usage
GROUP BY prompt_name
ORDER BY avg_duration_ms DESC NULLS LAST, prompt
LIMIT 20`,
  },
  price_list: {
    title: 'Model prices',
    description:
      'Price per million tokens in force today of every model the usage sink has priced: input, output, cached input, cache writes (5 min and 1 h), reasoning and the long-context tier, by service tier, with where the price comes from (the genai-prices catalog or an operator override) and since when.',
    language: 'sql',
    datasourceUid: PG,
    format: 'table',
    unit: 'currencyUSD',
    // An override in force wins over the catalog's price, as in pricing; the catalog's undated
    // prices (since the catalog has the model) are stored from -infinity and shown without a day.
    expr: `SELECT DISTINCT ON (provider, model, service_tier) provider, model, service_tier, price_source,
  CASE WHEN effective_from = '-infinity' THEN NULL ELSE effective_from END AS effective_from,
  input_per_mtok, output_per_mtok, coalesce(cached_input_per_mtok, input_per_mtok) AS cached_input_per_mtok,
  coalesce(cache_write_per_mtok, input_per_mtok) AS cache_write_per_mtok,
  coalesce(cache_write_1h_per_mtok, cache_write_per_mtok, input_per_mtok) AS cache_write_1h_per_mtok,
  coalesce(reasoning_per_mtok, output_per_mtok) AS reasoning_per_mtok,
  (tiers -> 0 ->> 'aboveInputTokens')::bigint AS long_context_above_tokens,
  (tiers -> 0 ->> 'inputPerMTok')::numeric AS long_context_input_per_mtok,
  (tiers -> 0 ->> 'outputPerMTok')::numeric AS long_context_output_per_mtok,
  source, catalog_version
FROM tokenmeter.model_prices
WHERE effective_from <= ${UTC_TODAY} AND first_used_at IS NOT NULL
ORDER BY provider, model, service_tier, price_source = 'override' DESC, effective_from DESC`,
  },
  unpriced_models: {
    title: 'Unpriced models',
    description:
      'Models called in the period that have no price (their calls cost nothing in the figures): calls without a price, all calls, and why (from the ledger). Add their prices with TOKENMETER_PRICING_FILE.',
    language: 'sql',
    datasourceUid: PG,
    format: 'table',
    unit: COUNT_UNIT,
    expr: `${inPeriod}
SELECT provider, model, sum(unpriced_calls) AS unpriced_calls, sum(calls) AS calls,
  sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
  (SELECT c.unpriced_reason FROM tokenmeter.llm_calls AS c
   WHERE c.provider = usage.provider AND c.request_model = usage.model AND c.cost_usd IS NULL
     AND $__timeFilter(c.ts)
   LIMIT 1) AS reason
FROM usage
GROUP BY provider, model
HAVING sum(unpriced_calls) > 0
ORDER BY unpriced_calls DESC, provider, model`,
  },
  free_quota_today: {
    title: 'FREE plan quota use today',
    description:
      'Executions today (every service) of each FREE-plan user against the daily quota ($free_quota).',
    language: 'sql',
    datasourceUid: PG,
    format: 'table',
    unit: COUNT_UNIT,
    expr: `SELECT user_id, sum(calls) AS executions,
  '\${free_quota}'::int AS quota,
  greatest('\${free_quota}'::int - sum(calls), 0) AS remaining,
  sum(calls) > '\${free_quota}'::int AS over_quota
FROM tokenmeter.llm_usage_daily_users
WHERE plan = 'free' AND day = ${UTC_TODAY} AND user_id IS NOT NULL
GROUP BY user_id
ORDER BY executions DESC, user_id`,
  },
  free_quota_overruns: {
    title: 'FREE plan quota overruns',
    description:
      'Days of the period on which a FREE-plan user went over the daily quota, and by how much (latest 200).',
    language: 'sql',
    datasourceUid: PG,
    format: 'table',
    unit: COUNT_UNIT,
    expr: `SELECT day::timestamp AT TIME ZONE 'UTC' AS "time", user_id,
  sum(calls) AS executions, sum(calls) - '\${free_quota}'::int AS over_by
FROM tokenmeter.llm_usage_daily_users
WHERE plan = 'free' AND $__timeFilter(day) AND user_id IS NOT NULL
GROUP BY day, user_id
HAVING sum(calls) > '\${free_quota}'::int
ORDER BY day DESC, over_by DESC, user_id
LIMIT 200`,
  },
});

function topPrompts(orderBy: 'cost_usd' | 'tokens'): string {
  return `${inPeriod}
SELECT coalesce(prompt_name, '(none)') AS prompt, sum(calls) AS requests, sum(total_tokens) AS tokens,
  sum(input_tokens) AS prompt_tokens, sum(output_tokens) AS completion_tokens, sum(cost_usd) AS cost_usd,
  sum(cost_usd) / nullif(sum(calls), 0) AS cost_per_request_usd
FROM usage
GROUP BY prompt_name
ORDER BY ${orderBy} DESC, prompt
LIMIT 20`;
}

import { DATASOURCES } from './datasources';
import { defineQueries } from './types';
import { COUNT_UNIT } from '../display/formats';
import { userUsageInPeriod, recentCalls } from './sql-period';

const PG = DATASOURCES.postgres;
/** The drill-down user, from the `user` text variable (quoted here, its `'` doubled by Grafana: typed text cannot inject SQL). */
const ONE_USER = "user_id = '${user}'";
const userUsage = userUsageInPeriod({ scope: 'variables', where: ONE_USER });

/** docs/features.md B8 drill-down: one user's usage. */
export const userSqlQueries = defineQueries({
  user_summary: {
    title: 'User summary',
    description:
      'One user in the period: requests, errors, tokens, cost, plans and billing modes, first and last day seen.',
    language: 'sql',
    datasourceUid: PG,
    unit: COUNT_UNIT,
    format: 'table',
    expr: `${userUsage}
SELECT coalesce(sum(calls), 0) AS requests, coalesce(sum(errors), 0) AS errors, coalesce(sum(total_tokens), 0) AS tokens,
  coalesce(sum(cost_usd), 0) AS cost_usd, string_agg(DISTINCT plan, ',') AS plans,
  string_agg(DISTINCT billing_mode, ',') AS billing_modes,
  min(day)::timestamp AT TIME ZONE 'UTC' AS first_day, max(day)::timestamp AT TIME ZONE 'UTC' AS last_day
FROM usage`,
  },
  user_daily_usage: {
    title: 'User daily usage',
    description: 'One user: requests and cost per UTC day of the period.',
    language: 'sql',
    datasourceUid: PG,
    format: 'time_series',
    unit: COUNT_UNIT,
    expr: `${userUsage}
SELECT day::timestamp AT TIME ZONE 'UTC' AS "time", sum(calls) AS requests, sum(cost_usd) AS cost_usd
FROM usage
GROUP BY day
ORDER BY day`,
  },
  user_models: {
    title: 'User models and prompts',
    description: 'One user: requests, tokens and cost per model and prompt in the period.',
    language: 'sql',
    datasourceUid: PG,
    format: 'table',
    unit: 'currencyUSD',
    expr: `${userUsage}
SELECT model, coalesce(prompt_name, '(none)') AS prompt, sum(calls) AS requests, sum(total_tokens) AS tokens,
  sum(cost_usd) AS cost_usd
FROM usage
GROUP BY model, prompt_name
ORDER BY cost_usd DESC, requests DESC, model, prompt`,
  },
  user_recent_activity: {
    title: 'User recent activity',
    description: "One user's latest model calls (50 rows).",
    language: 'sql',
    datasourceUid: PG,
    format: 'table',
    expr: recentCalls({ scope: 'variables', where: ONE_USER, limit: 50 }),
  },
  user_request_rate: {
    title: 'User requests over time',
    description:
      "One user's model calls per interval of the period (ledger, Grafana's time grouping).",
    language: 'sql',
    datasourceUid: PG,
    format: 'time_series',
    unit: COUNT_UNIT,
    expr: `SELECT $__timeGroupAlias(ts, $__interval), count(*) AS requests, sum(total_tokens) AS tokens
FROM tokenmeter.llm_calls
WHERE $__timeFilter(ts) AND ${ONE_USER}
GROUP BY 1
ORDER BY 1`,
  },
});

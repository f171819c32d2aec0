import { DATASOURCES } from './datasources';
import { defineQueries } from './types';
import { COUNT_UNIT } from '../display/formats';
import { monthProjectionSql, periodCostSql } from './overview-sql';
import { UTC_TODAY } from './sql-period';
import { PROM_LABELS as L, PROM_METRICS as M, SCRAPE_JOBS as J } from './prometheus-names';
import { llmDurationSeries } from './promql';
import { ALERT_THRESHOLDS } from '../display/thresholds';

// The queries of the provisioned alert rules (docs/features.md D1). Grafana alerting has no dashboard
// variables, so these read every service; each returns one number per alert instance.

const PG = DATASOURCES.postgres;
const PROM = DATASOURCES.prometheus;
const byServiceModel = `${L.service}, ${L.model}`;
const SILENT = `${ALERT_THRESHOLDS.silentServiceMinutes}m`;
const callsOf = (range: string, offset = ''): string =>
  `sum by (${L.service}) (increase(${M.llmDuration}_count[${range}]${offset && ` offset ${offset}`}))`;
const dayBefore = callsOf('1d', SILENT);

export const alertQueries = defineQueries({
  alert_cost_period: {
    title: 'Cost over the alert window',
    description: "Cost in USD of every model call in the rule's time range (all services).",
    language: 'sql',
    datasourceUid: PG,
    format: 'table',
    unit: 'currencyUSD',
    expr: periodCostSql('none'),
  },
  alert_month_projection: {
    title: 'Projected month cost',
    description: 'Month-to-date cost extrapolated to the end of the UTC month (all services).',
    language: 'sql',
    datasourceUid: PG,
    format: 'table',
    unit: 'currencyUSD',
    expr: monthProjectionSql('none', true),
  },
  alert_free_quota_max: {
    title: 'Most executions of a FREE user today',
    description: 'The highest number of model calls any FREE-plan user made today (UTC).',
    language: 'sql',
    datasourceUid: PG,
    format: 'table',
    unit: COUNT_UNIT,
    expr: `SELECT coalesce(max(executions), 0) AS max_executions
FROM (
  SELECT sum(calls) AS executions
  FROM tokenmeter.llm_usage_daily_users
  WHERE plan = 'free' AND day = ${UTC_TODAY} AND user_id IS NOT NULL
  GROUP BY user_id
) AS per_user`,
  },
  alert_llm_p95_ms: {
    title: 'LLM p95 latency by service and model',
    description: '95th percentile model-call duration over 5 minutes, ms.',
    language: 'promql',
    datasourceUid: PROM,
    unit: 'ms',
    legendFormat: `{{${L.service}}} {{${L.model}}}`,
    expr: `1000 * histogram_quantile(0.95, sum by (${byServiceModel}, le) (rate(${llmDurationSeries('_bucket')}[5m])))`,
  },
  alert_llm_error_percent: {
    title: 'LLM error rate by service',
    description: 'Percentage of model calls that failed over 5 minutes.',
    language: 'promql',
    datasourceUid: PROM,
    unit: 'percent',
    legendFormat: `{{${L.service}}}`,
    expr: `100 * (sum by (${L.service}) (rate(${llmDurationSeries('_count', `{${L.errorType}!=""}`)}[5m])) or sum by (${L.service}) (rate(${llmDurationSeries('_count')}[5m])) * 0) / sum by (${L.service}) (rate(${llmDurationSeries('_count')}[5m]))`,
  },
  alert_unpriced_tokens: {
    title: 'Unpriced tokens by service and model',
    description:
      'Tokens of model calls the pricing catalog has no price for, over the last 10 minutes (the instrumentation counts them in tokenmeter.llm.unpriced.tokens).',
    language: 'promql',
    datasourceUid: PROM,
    unit: COUNT_UNIT,
    legendFormat: `{{${L.service}}} {{${L.provider}}} {{${L.model}}}`,
    expr: `sum by (${L.service}, ${L.provider}, ${L.model}) (increase(${M.unpricedTokens}[10m]))`,
  },
  alert_health_status: {
    title: 'Health by component',
    description: 'Last reported status per service and component: 1 up, 0 down.',
    language: 'promql',
    datasourceUid: PROM,
    unit: 'none',
    legendFormat: `{{${L.service}}} {{${L.healthComponent}}}`,
    expr: `min by (${L.service}, ${L.healthComponent}) (${M.healthStatus})`,
  },
  alert_pipeline_up: {
    title: 'Pipeline targets up',
    description:
      'Whether Prometheus reaches each part of the pipeline (Collector exporter and telemetry, usage sink, itself): 1 up, 0 down.',
    language: 'promql',
    datasourceUid: PROM,
    unit: 'none',
    legendFormat: '{{job}}',
    expr: `min by (job) (up{job=~"${Object.values(J).join('|')}"})`,
  },
  alert_ledger_database_up: {
    title: 'Ledger database reachable',
    description:
      'Whether the usage sink reaches PostgreSQL (its tokenmeter_sink_database_up): 1 up, 0 down.',
    language: 'promql',
    datasourceUid: PROM,
    unit: 'none',
    expr: `min(${M.sinkDatabaseUp})`,
  },
  alert_silent_services: {
    title: 'Model calls of recently active services',
    description: `Model calls over the last ${SILENT} of each service that made some in the day before (0 when it went silent).`,
    language: 'promql',
    datasourceUid: PROM,
    unit: COUNT_UNIT,
    legendFormat: `{{${L.service}}}`,
    // A service that stops has no series in the recent window: the day before supplies it, as 0.
    expr: `(${callsOf(SILENT)} or ${dayBefore} * 0) and on (${L.service}) (${dayBefore} > 0)`,
  },
});

import { getQuery, type QueryId } from '../../queries';
import { datasourceRef, type Json } from '../dashboards/panels';
import { HEALTH_UID } from '../dashboards/shared-panels';
import { OVERVIEW_UID } from '../dashboards/overview';
import { ALERT_THRESHOLDS as T } from './thresholds';
import { parseGrafanaInterval } from '../../render/go-time';

export const ALERT_FOLDER = 'Tokenmeter';
export type Severity = 'critical' | 'warning';
export type ThresholdType = 'gt' | 'lt';

/** One rule of feature D1 (docs/features.md): catalog query (A) → reduce to its last value (B) → threshold (C). */
export interface AlertRuleSpec {
  uid: string;
  title: string;
  query: QueryId;
  /** How far back the query reads (Grafana relative time range). */
  window: string;
  threshold: { type: ThresholdType; value: number };
  severity: Severity;
  /** How long the condition must hold before the alert fires. */
  for: string;
  /** What the figure is, e.g. "cost over the last 24h"; the unit follows the value. */
  figure: string;
  unit: string;
  dashboardUid: string;
  description: string;
}

export const ALERT_RULES: AlertRuleSpec[] = [
  {
    uid: 'tokenmeter-high-cost',
    title: 'High LLM cost',
    query: 'alert_cost_period',
    window: T.costWindow,
    threshold: { type: 'gt', value: T.costUsd },
    severity: 'critical',
    for: '0s',
    figure: `cost of model calls over the last ${T.costWindow}`,
    unit: 'USD',
    dashboardUid: OVERVIEW_UID,
    description:
      'Model calls cost more than expected over the window; see the top users and prompts.',
  },
  {
    uid: 'tokenmeter-slow-model-calls',
    title: 'Slow model calls',
    query: 'alert_llm_p95_ms',
    window: '10m',
    threshold: { type: 'gt', value: T.p95LatencyMs },
    severity: 'warning',
    for: '5m',
    figure: 'p95 latency of model calls (5-minute rate)',
    unit: 'ms',
    dashboardUid: HEALTH_UID,
    description:
      'The 95th percentile duration of model calls for this service and model is above the limit.',
  },
  {
    uid: 'tokenmeter-llm-error-rate',
    title: 'High LLM error rate',
    query: 'alert_llm_error_percent',
    window: '10m',
    threshold: { type: 'gt', value: T.errorRatePercent },
    severity: 'critical',
    for: '5m',
    figure: 'share of failed model calls (5-minute rate)',
    unit: '%',
    dashboardUid: HEALTH_UID,
    description: 'Too many model calls of this service fail; see errors by type.',
  },
  {
    uid: 'tokenmeter-health-check-failing',
    title: 'Health check failing',
    query: 'alert_health_status',
    window: '10m',
    threshold: { type: 'lt', value: 1 },
    severity: 'critical',
    for: '2m',
    figure: 'health status (1 up, 0 down)',
    unit: '',
    dashboardUid: HEALTH_UID,
    description: 'A dependency of the service reports itself down.',
  },
  {
    uid: 'tokenmeter-monthly-budget',
    title: 'Monthly budget at risk',
    query: 'alert_month_projection',
    window: '1h',
    threshold: { type: 'gt', value: T.monthlyBudgetUsd },
    severity: 'warning',
    for: '15m',
    figure: 'month-end cost projected from the month so far',
    unit: 'USD',
    dashboardUid: OVERVIEW_UID,
    description: 'At the current pace the month will cost more than the budget.',
  },
  {
    uid: 'tokenmeter-free-quota-exceeded',
    title: 'FREE plan quota exceeded',
    query: 'alert_free_quota_max',
    window: '1h',
    threshold: { type: 'gt', value: T.freeDailyQuota },
    severity: 'warning',
    for: '0s',
    figure: 'most executions by one FREE-plan user today',
    unit: 'executions',
    dashboardUid: OVERVIEW_UID,
    description: 'A FREE-plan user went over the daily execution quota; see the FREE plan tables.',
  },
];

const seconds = (duration: string): number => parseGrafanaInterval(duration) / 1000;

/**
 * Grafana expands $VARS in every string of an alerting provisioning file; `$$` stands for a literal
 * `$`, which the queries' `$__timeFilter(...)` macros need.
 */
export const escapeForProvisioning = (text: string): string => text.split('$').join('$$');
export const unescapeFromProvisioning = (text: string): string => text.split('$$').join('$');

/** The Grafana-managed rule of a spec, in the alerting provisioning file format. */
export function provisionedRule(spec: AlertRuleSpec): Json {
  const query = getQuery(spec.query);
  const expr = escapeForProvisioning(query.expr);
  const model: Json =
    query.language === 'sql'
      ? { refId: 'A', editorMode: 'code', rawQuery: true, format: 'table', rawSql: expr }
      : {
          refId: 'A',
          editorMode: 'code',
          expr,
          instant: true,
          range: false,
          legendFormat: query.legendFormat ?? '',
        };
  const unit = spec.unit ? ` ${spec.unit}` : '';
  const figure = `{{ printf "%.2f" (index .Values "B").Value }}${unit}`;
  return {
    uid: spec.uid,
    title: spec.title,
    condition: 'C',
    data: [
      {
        refId: 'A',
        queryType: '',
        relativeTimeRange: { from: seconds(spec.window), to: 0 },
        datasourceUid: datasourceRef(query).uid,
        model: {
          ...model,
          datasource: datasourceRef(query),
          intervalMs: 60000,
          maxDataPoints: 43200,
        },
      },
      {
        refId: 'B',
        datasourceUid: '__expr__',
        model: {
          refId: 'B',
          type: 'reduce',
          expression: 'A',
          reducer: 'last',
          settings: { mode: 'dropNN' },
          datasource: { type: '__expr__', uid: '__expr__' },
        },
      },
      {
        refId: 'C',
        datasourceUid: '__expr__',
        model: {
          refId: 'C',
          type: 'threshold',
          expression: 'B',
          conditions: [
            { evaluator: { type: spec.threshold.type, params: [spec.threshold.value] } },
          ],
          datasource: { type: '__expr__', uid: '__expr__' },
        },
      },
    ],
    noDataState: 'OK',
    execErrState: 'Error',
    for: spec.for,
    annotations: {
      summary: `${spec.title}: ${spec.figure} is ${figure} (threshold ${spec.threshold.type === 'gt' ? 'above' : 'below'} ${spec.threshold.value}${unit})`,
      description: spec.description,
      figure,
      threshold: `${spec.threshold.type === 'gt' ? '>' : '<'} ${spec.threshold.value}${unit}`,
      __dashboardUid__: spec.dashboardUid,
    },
    labels: { severity: spec.severity, product: 'tokenmeter' },
    isPaused: false,
  };
}

/** provisioning/grafana/alerting/rules.yaml, one group per evaluation interval. */
export function alertRulesFile(): Json {
  return {
    apiVersion: 1,
    groups: [
      {
        orgId: 1,
        name: 'tokenmeter',
        folder: ALERT_FOLDER,
        interval: '1m',
        rules: ALERT_RULES.map(provisionedRule),
      },
    ],
  };
}

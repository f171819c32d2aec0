import { getQuery, type QueryId } from '../../queries';
import { datasourceRef, type Json } from '../dashboards/panels';
import { HEALTH_UID } from '../dashboards/shared-panels';
import { OVERVIEW_UID, overviewDashboard } from '../dashboards/overview';
import { healthEndpointsDashboard } from '../dashboards/health-endpoints';
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
  /** The panel of that dashboard showing the figure (the notification's panel link). */
  panelTitle: string;
  description: string;
  /**
   * What an evaluation without any series means, decided per rule: `OK` when silence is normal (no
   * call, no slow call), `NoData` when the query always answers (a SQL sum) so silence is a fault to
   * surface, `Alerting` when silence is itself the alarm (a pipeline target gone from Prometheus).
   */
  noData: 'OK' | 'NoData' | 'Alerting';
  /** A failing query: `Error` (Grafana's DatasourceError alert), or `Alerting` when the failure is the alarm. */
  execErr: 'Error' | 'Alerting';
}

/** The unit of an up/down status (1 up, 0 down): a bare number. */
const STATUS = '';

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
    panelTitle: 'Total cost',
    description:
      'Model calls cost more than expected over the window; see the top users and prompts.',
    noData: 'NoData',
    execErr: 'Error',
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
    panelTitle: 'LLM p95 latency',
    description:
      'The 95th percentile duration of model calls for this service and model is above the limit.',
    noData: 'OK',
    execErr: 'Error',
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
    panelTitle: 'LLM error rate',
    description: 'Too many model calls of this service fail; see errors by type.',
    noData: 'OK',
    execErr: 'Error',
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
    unit: STATUS,
    dashboardUid: HEALTH_UID,
    panelTitle: 'Dependency health',
    description: 'A dependency of the service reports itself down.',
    noData: 'OK',
    execErr: 'Error',
  },
  {
    uid: 'tokenmeter-unpriced-tokens',
    title: 'Unpriced model calls',
    query: 'alert_unpriced_tokens',
    window: '10m',
    threshold: { type: 'gt', value: 0 },
    severity: 'warning',
    for: '0s',
    figure: 'tokens without a price over the last 10 minutes',
    unit: 'tokens',
    dashboardUid: OVERVIEW_UID,
    panelTitle: 'Unpriced models',
    description:
      'A model the pricing catalog does not know is being called, so its cost is missing; add its price with TOKENMETER_PRICING_FILE (see Models & pricing, unpriced models).',
    noData: 'OK',
    execErr: 'Error',
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
    panelTitle: 'Month-end projection',
    description: 'At the current pace the month will cost more than the budget.',
    noData: 'NoData',
    execErr: 'Error',
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
    panelTitle: 'FREE plan quota today',
    description: 'A FREE-plan user went over the daily execution quota; see the FREE plan tables.',
    noData: 'NoData',
    execErr: 'Error',
  },
  {
    uid: 'tokenmeter-pipeline-down',
    title: 'Pipeline component down',
    query: 'alert_pipeline_up',
    window: '10m',
    threshold: { type: 'lt', value: 1 },
    severity: 'critical',
    for: '2m',
    figure: 'scrape status (1 up, 0 down)',
    unit: STATUS,
    dashboardUid: HEALTH_UID,
    panelTitle: 'Pipeline',
    description:
      'Prometheus cannot reach the Collector, the usage sink or itself: new calls may be neither counted nor stored.',
    // No `up` series at all means Prometheus lost its pipeline targets; a failing query means Prometheus is down.
    noData: 'Alerting',
    execErr: 'Alerting',
  },
  {
    uid: 'tokenmeter-ledger-database-down',
    title: 'Ledger database unreachable',
    query: 'alert_ledger_database_up',
    window: '10m',
    threshold: { type: 'lt', value: 1 },
    severity: 'critical',
    for: '2m',
    figure: "the usage sink's database connection (1 up, 0 down)",
    unit: STATUS,
    dashboardUid: HEALTH_UID,
    panelTitle: 'Ledger database',
    description:
      'The usage sink cannot reach PostgreSQL: the Collector keeps retrying, but the ledger and every cost figure stand still.',
    // The sink stopped reporting: as silent as down.
    noData: 'Alerting',
    execErr: 'Alerting',
  },
  {
    uid: 'tokenmeter-service-silent',
    title: 'Service stopped sending',
    query: 'alert_silent_services',
    window: '10m',
    threshold: { type: 'lt', value: 1 },
    severity: 'warning',
    for: '0s',
    figure: `model calls over the last ${T.silentServiceMinutes} minutes of a service active the day before`,
    unit: 'calls',
    dashboardUid: OVERVIEW_UID,
    panelTitle: 'LLM requests (1h)',
    description:
      'A service that made model calls the day before sent none recently: it may be down, or its telemetry may not reach the Collector.',
    // No service active the day before: nothing to watch.
    noData: 'OK',
    execErr: 'Error',
  },
];

const seconds = (duration: string): number => parseGrafanaInterval(duration) / 1000;

// Grafana passes a provisioned rule's query model to the datasource as written: no $VAR expansion
// and no `$$` unescaping there (its reader keeps the model raw so that macros such as
// `$__timeFilter(...)` survive), so the catalog's query text goes in unchanged.

/** Figures read as whole numbers: counts, and up/down statuses. */
const WHOLE_NUMBER_UNITS = new Set(['tokens', 'executions', 'calls', STATUS]);

/** The Grafana-managed rule of a spec, in the alerting provisioning file format. */
export function provisionedRule(spec: AlertRuleSpec): Json {
  const query = getQuery(spec.query);
  const expr = query.expr;
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
  // Counts and statuses read as whole numbers; amounts, durations and shares with 2 decimals.
  const decimals = WHOLE_NUMBER_UNITS.has(spec.unit) ? 0 : 2;
  const figure = `{{ printf "%.${decimals}f" (index .Values "B").Value }}${unit}`;
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
    noDataState: spec.noData,
    execErrState: spec.execErr,
    for: spec.for,
    annotations: {
      summary: `${spec.title}: ${spec.figure} is ${figure} (threshold ${spec.threshold.type === 'gt' ? 'above' : 'below'} ${spec.threshold.value}${unit})`,
      description: spec.description,
      figure,
      threshold: `${spec.threshold.type === 'gt' ? '>' : '<'} ${spec.threshold.value}${unit}`,
      // Grafana links a rule to a dashboard only with both (its provisioning refuses one alone).
      __dashboardUid__: spec.dashboardUid,
      __panelId__: String(panelIdOf(spec.dashboardUid, spec.panelTitle)),
    },
    labels: { severity: spec.severity, product: 'tokenmeter' },
    isPaused: false,
  };
}

const LINKED_DASHBOARDS: Record<string, () => Json> = {
  [OVERVIEW_UID]: overviewDashboard,
  [HEALTH_UID]: healthEndpointsDashboard,
};

/** The id of the panel titled `title` on dashboard `uid` (rows included); throws when none is. */
export function panelIdOf(uid: string, title: string): number {
  const build = LINKED_DASHBOARDS[uid];
  if (!build) throw new Error(`alert rules cannot link to dashboard ${uid}`);
  const panels = (build().panels as Json[]).flatMap((panel) => [
    panel,
    ...((panel.panels as Json[] | undefined) ?? []),
  ]);
  const panel = panels.find((p) => p.title === title && p.type !== 'row');
  if (!panel) throw new Error(`dashboard ${uid} has no panel "${title}"`);
  return Number(panel.id);
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

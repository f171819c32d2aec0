import {
  COUNT_FORMAT,
  COUNT_UNIT,
  EVENTS_BY_STEP_X_FIELD,
  eventsByStepTransformations,
} from '../../display';
import { COLOURS, fallingThresholds, risingThresholds, DISPLAY_LEVELS } from './colours';
import { dashboard, type DashboardSpec } from './dashboard';
import {
  UP_DOWN,
  endpointTable,
  recentActivityTable,
  topPromptsTable,
  topUsersTable,
  healthTable,
} from './shared-panels';
import {
  barchart,
  fieldOverride,
  firingAlerts,
  layoutRows,
  piechart,
  rowHeader,
  stat,
  table,
  timeseries,
} from './panels';

export const OVERVIEW_UID = 'tokenmeter-overview';

/** "LLM Overview": all of features B (docs/features.md), with the health and firing-alert summary on top. */
export function overviewDashboard(): ReturnType<typeof dashboard> {
  const spec: DashboardSpec = {
    uid: OVERVIEW_UID,
    title: 'LLM Overview',
    description:
      'Cost, usage, users, prompts, models and health of the LLM calls of the selected services.',
    tags: ['overview'],
    variables: ['service', 'model', 'billing_mode', 'plan', 'free_quota'],
    panels: layoutRows([
      [
        firingAlerts(16, 4),
        stat({
          title: 'Overall health',
          queries: ['health_overall'],
          w: 8,
          h: 4,
          thresholds: fallingThresholds(0.5, 1),
          mappings: UP_DOWN,
        }),
      ],
      [rowHeader('Last hour')],
      [
        stat({
          title: 'API calls (1h)',
          queries: ['realtime_api_calls_1h'],
          w: 8,
          h: 4,
        }),
        stat({
          title: 'LLM requests (1h)',
          queries: ['realtime_llm_requests_1h'],
          w: 8,
          h: 4,
        }),
        stat({
          title: 'Recommendations (1h)',
          queries: ['realtime_domain_events_1h'],
          w: 8,
          h: 4,
        }),
      ],
      [rowHeader('Period')],
      [
        stat({
          title: 'Total cost',
          queries: ['overview_cost'],
          fields: '/^cost_usd$/',
          w: 4,
          h: 5,
          decimals: 2,
          thresholds: risingThresholds(DISPLAY_LEVELS.costUsd),
        }),
        stat({
          title: 'Month-end projection',
          queries: ['overview_month_projection'],
          fields: '/^(month_to_date_usd|projected_month_usd)$/',
          w: 4,
          h: 5,
          decimals: 2,
          thresholds: risingThresholds(DISPLAY_LEVELS.monthlyBudgetUsd),
        }),
        stat({
          title: 'Requests',
          queries: ['overview_requests'],
          fields: '/^(requests|avg_tokens_per_request)$/',
          w: 4,
          h: 5,
        }),
        stat({
          title: 'Tokens',
          queries: ['overview_tokens'],
          fields: '/^(prompt_tokens|completion_tokens)$/',
          w: 4,
          h: 5,
        }),
        stat({
          title: 'Active users',
          queries: ['overview_active_users'],
          w: 4,
          h: 5,
        }),
        stat({
          title: 'Cache hit rate',
          queries: ['cache_hit_rate'],
          w: 4,
          h: 5,
          decimals: 1,
          thresholds: fallingThresholds(0.5, 0.8),
        }),
      ],
      [
        stat({
          title: 'All time',
          queries: ['overview_all_time'],
          // Every column, the most used model (text) included: a stat shows only numbers by default.
          fields: '/.*/',
          w: 24,
          h: 4,
          textMode: 'value_and_name',
          overrides: [
            fieldOverride('total_cost_usd', {
              unit: 'currencyUSD',
              displayName: 'Cost since start',
            }),
            fieldOverride('month_cost_usd', {
              unit: 'currencyUSD',
              displayName: 'Cost this month',
            }),
            fieldOverride('total_tokens', { ...COUNT_FORMAT, displayName: 'Tokens all-time' }),
            fieldOverride('month_tokens', { ...COUNT_FORMAT, displayName: 'Tokens this month' }),
            fieldOverride('distinct_prompts', { ...COUNT_FORMAT, displayName: 'Prompts' }),
            fieldOverride('executions', { ...COUNT_FORMAT, displayName: 'Executions' }),
            fieldOverride('avg_latency_ms', { unit: 'ms', displayName: 'Avg latency' }),
            fieldOverride('most_used_model', { displayName: 'Most used model' }),
          ],
        }),
      ],
      [
        timeseries({
          title: 'Daily usage',
          queries: ['daily_usage'],
          w: 16,
          h: 9,
          bars: true,
          overrides: [
            fieldOverride('requests', {
              color: { mode: 'fixed', fixedColor: COLOURS.ai },
              'custom.axisPlacement': 'left',
            }),
            fieldOverride('cost_usd', {
              unit: 'currencyUSD',
              color: { mode: 'fixed', fixedColor: COLOURS.watch },
              'custom.axisPlacement': 'right',
              'custom.drawStyle': 'line',
              'custom.fillOpacity': 0,
            }),
          ],
        }),
        timeseries({
          title: 'Executions, last 7 days',
          queries: ['executions_last_7_days'],
          w: 8,
          h: 9,
          bars: true,
          // Its own 7-day axis whatever the dashboard's period (the query ignores the period too).
          timeFrom: 'now-6d/d',
        }),
      ],
      [
        piechart({
          title: 'Model mix (requests)',
          queries: ['model_mix'],
          field: 'requests',
          label: 'model',
          others: ['cost_usd'],
          w: 6,
          h: 8,
        }),
        piechart({
          title: 'Model mix (cost)',
          queries: ['model_mix'],
          field: 'cost_usd',
          label: 'model',
          others: ['requests'],
          w: 6,
          h: 8,
          unit: 'currencyUSD',
        }),
        piechart({
          title: 'Billing mode',
          description:
            'Requests per billing mode: system (billed through the operator) or BYOK (the user key).',
          queries: ['overview_billing_modes'],
          field: 'requests',
          label: 'billing_mode',
          others: ['cost_usd'],
          w: 6,
          h: 8,
          unit: COUNT_UNIT,
        }),
        barchart({
          title: 'Domain events',
          description: 'Recommendation events in the period: generated, viewed and implemented.',
          queries: ['domain_events'],
          xField: EVENTS_BY_STEP_X_FIELD,
          transformations: eventsByStepTransformations(),
          w: 6,
          h: 8,
        }),
      ],
      [topUsersTable(12, 10), recentActivityTable(12, 10)],
      [
        endpointTable(16, 8),
        stat({
          title: 'Average response time',
          queries: ['http_avg_response_ms'],
          w: 4,
          h: 8,
          thresholds: risingThresholds(DISPLAY_LEVELS.httpLatencyMs),
        }),
        stat({
          title: 'HTTP error rate',
          queries: ['http_error_rate'],
          w: 4,
          h: 8,
          decimals: 2,
          thresholds: risingThresholds(DISPLAY_LEVELS.errorRate),
        }),
      ],
      [topPromptsTable('cost', 12, 8), topPromptsTable('tokens', 12, 8)],
      [
        table({
          title: 'Model prices (USD per million tokens)',
          queries: ['price_list'],
          w: 12,
          h: 8,
        }),
        table({ title: 'Unpriced models', queries: ['unpriced_models'], w: 12, h: 8 }),
      ],
      [
        table({
          title: 'FREE plan quota today',
          queries: ['free_quota_today'],
          w: 12,
          h: 8,
          overrides: [
            fieldOverride('over_quota', { 'custom.cellOptions': { type: 'color-text' } }),
          ],
        }),
        table({
          title: 'FREE plan quota overruns',
          queries: ['free_quota_overruns'],
          w: 12,
          h: 8,
        }),
      ],
      [healthTable(24, 6)],
    ]),
  };
  return dashboard(spec);
}

import { COLOURS, risingThresholds, DISPLAY_LEVELS } from './colours';
import { fieldOverride, table, type Json, type PanelDraft } from './panels';

export const USERS_UID = 'tokenmeter-users-prompts';
export const HEALTH_UID = 'tokenmeter-health-endpoints';

/** Health gauges: 1 up (green), 0 down (red). */
export const UP_DOWN: Json[] = [
  {
    type: 'value',
    options: {
      '0': { text: 'Down', color: COLOURS.critical, index: 0 },
      '1': { text: 'Up', color: COLOURS.ok, index: 1 },
    },
  },
];

const usd = (name: string): Json => fieldOverride(name, { unit: 'currencyUSD', decimals: 4 });

/** docs/features.md B8: sortable, one click to the user's drill-down. */
export function topUsersTable(w: number, h: number): PanelDraft {
  return table({
    title: 'Top users',
    queries: ['top_users'],
    w,
    h,
    sortBy: [{ displayName: 'Cost', desc: true }],
    overrides: [
      usd('cost_usd'),
      fieldOverride('user_id', {
        links: [
          {
            title: 'Drill down into this user',
            url: `/d/${USERS_UID}?var-user=\${__data.fields.user_id}&\${__url_time_range}`,
          },
        ],
      }),
    ],
  });
}

/** docs/features.md B9. */
export function recentActivityTable(w: number, h: number): PanelDraft {
  return table({
    title: 'Recent activity',
    queries: ['recent_activity'],
    w,
    h,
    overrides: [
      usd('cost_usd'),
      fieldOverride('duration_ms', { unit: 'ms' }),
      fieldOverride('status', {
        mappings: [
          {
            type: 'value',
            options: {
              success: { color: COLOURS.ok, index: 0 },
              error: { color: COLOURS.critical, index: 1 },
            },
          },
        ],
        'custom.cellOptions': { type: 'color-text' },
      }),
    ],
  });
}

/** docs/features.md B11. */
export function topPromptsTable(by: 'cost' | 'tokens', w: number, h: number): PanelDraft {
  return table({
    title: by === 'cost' ? 'Top prompts by cost' : 'Top prompts by tokens',
    queries: [by === 'cost' ? 'top_prompts_by_cost' : 'top_prompts_by_tokens'],
    w,
    h,
    overrides: [usd('cost_usd'), usd('cost_per_request_usd')],
  });
}

/** docs/features.md B10: calls, average and p95 latency and error rate per route, one row per route. */
export function endpointTable(w: number, h: number): PanelDraft {
  return table({
    title: 'Endpoint performance',
    queries: [
      'endpoint_calls',
      'endpoint_avg_latency_ms',
      'endpoint_p95_latency_ms',
      'endpoint_error_rate',
    ],
    w,
    h,
    layout: 'endpoint_performance',
    transformations: [
      { id: 'merge', options: {} },
      {
        id: 'organize',
        options: {
          excludeByName: { Time: true },
          renameByName: {
            'Value #A': 'calls',
            'Value #B': 'avg_ms',
            'Value #C': 'p95_ms',
            'Value #D': 'error_rate',
          },
        },
      },
    ],
    overrides: [
      fieldOverride('avg_ms', { unit: 'ms' }),
      fieldOverride('p95_ms', {
        unit: 'ms',
        thresholds: { mode: 'absolute', steps: risingThresholds(DISPLAY_LEVELS.httpLatencyMs) },
        'custom.cellOptions': { type: 'color-background' },
      }),
      fieldOverride('error_rate', {
        unit: 'percentunit',
        thresholds: { mode: 'absolute', steps: risingThresholds(DISPLAY_LEVELS.errorRate) },
        'custom.cellOptions': { type: 'color-background' },
      }),
    ],
  });
}

/** docs/features.md C1: status per service and component. */
export function healthTable(w: number, h: number): PanelDraft {
  return table({
    title: 'Dependency health',
    queries: ['health_components'],
    w,
    h,
    mappings: UP_DOWN,
    thresholds: [
      { color: COLOURS.critical, value: null },
      { color: COLOURS.ok, value: 1 },
    ],
    transformations: [
      {
        id: 'organize',
        options: { excludeByName: { Time: true }, renameByName: { Value: 'status' } },
      },
    ],
    overrides: [fieldOverride('status', { 'custom.cellOptions': { type: 'color-background' } })],
  });
}

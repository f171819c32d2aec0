import { FieldColorModeId, MappingType, type ValueMapping } from '@grafana/data';
import { PanelBuilders, type SceneDataProvider, type VizPanel } from '@grafana/scenes';
import type { TokenmeterSettings } from '../settings/settings';
import { catalogQueryRunner, unitOf } from './catalogQueries';
import { STATUS_COLORS, statusThresholds } from './colors';
import { COLORED_CELL, HIDDEN, mergeTables, userDrillDownLink } from './panels';

/** success green, error red (docs/features.md E1) for the `status` column of ledger rows. */
const STATUS_MAPPINGS: ValueMapping[] = [
  {
    type: MappingType.ValueToText,
    options: {
      success: { text: 'success', color: STATUS_COLORS.ok },
      error: { text: 'error', color: STATUS_COLORS.critical },
    },
  },
];

/** docs/features.md B8: top users, sortable (click a header), the short id links to the user's drill-down. */
export function topUsersTable(settings: TokenmeterSettings, usersUrl: string, title = 'Top users'): VizPanel {
  return PanelBuilders.table()
    .setTitle(title)
    .setData(catalogQueryRunner(['top_users'], settings))
    .setOption('cellHeight', 'sm' as never)
    .setOverrides((overrides) => {
      overrides.matchFieldsWithName('user_id').overrideCustomFieldConfig('hideFrom', HIDDEN);
      overrides
        .matchFieldsWithName('user_short')
        .overrideDisplayName('User')
        .overrideLinks([userDrillDownLink(usersUrl)]);
      overrides.matchFieldsWithName('requests').overrideDisplayName('Requests').overrideUnit('short');
      overrides.matchFieldsWithName('tokens').overrideDisplayName('Tokens').overrideUnit('short');
      overrides
        .matchFieldsWithName('cost_usd')
        .overrideDisplayName('Cost')
        .overrideUnit(unitOf('top_users'))
        .overrideDecimals(4);
    })
    .build();
}

/** docs/features.md B9: the latest executions. */
export function recentActivityTable(data: SceneDataProvider, title: string, settings: TokenmeterSettings): VizPanel {
  return PanelBuilders.table()
    .setTitle(title)
    .setData(data)
    .setOption('cellHeight', 'sm' as never)
    .setOverrides((overrides) => {
      overrides.matchFieldsWithName('time').overrideDisplayName('Time');
      overrides.matchFieldsWithName('user_id').overrideCustomFieldConfig('hideFrom', HIDDEN);
      overrides.matchFieldsWithName('user_short').overrideDisplayName('User');
      overrides.matchFieldsWithName('error_type').overrideDisplayName('Error');
      overrides
        .matchFieldsWithName('status')
        .overrideDisplayName('Status')
        .overrideMappings(STATUS_MAPPINGS)
        .overrideColor({ mode: FieldColorModeId.Thresholds })
        .overrideCustomFieldConfig('cellOptions', { type: 'color-text' } as never);
      overrides
        .matchFieldsWithName('duration_ms')
        .overrideDisplayName('Duration')
        .overrideUnit('ms')
        .overrideDecimals(0)
        .overrideThresholds(statusThresholds(settings.latencyWarnMs, settings.latencyCriticalMs))
        .overrideColor({ mode: FieldColorModeId.Thresholds })
        .overrideCustomFieldConfig('cellOptions', { type: 'color-text' } as never);
      overrides.matchFieldsWithName('total_tokens').overrideDisplayName('Tokens').overrideUnit('short');
      overrides.matchFieldsWithName('cost_usd').overrideDisplayName('Cost').overrideUnit('currencyUSD').overrideDecimals(5);
    })
    .build();
}

const ENDPOINT_QUERIES = ['endpoint_calls', 'endpoint_avg_latency_ms', 'endpoint_p95_latency_ms', 'endpoint_error_rate'];

/** docs/features.md B10: each route with calls, average and p95 latency and a status marker (coloured cells). */
export function endpointPerformanceTable(settings: TokenmeterSettings): VizPanel {
  const runner = catalogQueryRunner(ENDPOINT_QUERIES, settings, { promFormat: 'table' });
  const data = mergeTables(runner, {
    http_route: 'Route',
    'Value #A': 'Calls',
    'Value #B': 'Avg latency',
    'Value #C': 'p95 latency',
    'Value #D': 'Error rate',
  });
  const latency = statusThresholds(settings.latencyWarnMs, settings.latencyCriticalMs);
  return PanelBuilders.table()
    .setTitle('Endpoint performance')
    .setData(data)
    .setOption('cellHeight', 'sm' as never)
    .setOption('sortBy', [{ displayName: 'Calls', desc: true }])
    .setOverrides((overrides) => {
      overrides.matchFieldsWithName('Calls').overrideUnit(unitOf('endpoint_calls')).overrideDecimals(0);
      for (const name of ['Avg latency', 'p95 latency']) {
        overrides
          .matchFieldsWithName(name)
          .overrideUnit('ms')
          .overrideDecimals(0)
          .overrideThresholds(latency)
          .overrideColor({ mode: FieldColorModeId.Thresholds })
          .overrideCustomFieldConfig('cellOptions', COLORED_CELL as never);
      }
      overrides
        .matchFieldsWithName('Error rate')
        .overrideUnit(unitOf('endpoint_error_rate'))
        .overrideDecimals(2)
        .overrideThresholds(statusThresholds(settings.errorRateWarn, settings.errorRateCritical))
        .overrideColor({ mode: FieldColorModeId.Thresholds })
        .overrideCustomFieldConfig('cellOptions', COLORED_CELL as never);
    })
    .build();
}

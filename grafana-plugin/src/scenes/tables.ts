import { FieldColorModeId, MappingType, type ValueMapping } from '@grafana/data';
import { PanelBuilders, type SceneDataProvider } from '@grafana/scenes';
import type { TokenmeterSettings } from '../settings/settings';
import { catalogQueryRunner, unitOf } from './catalogQueries';
import { STATUS_COLORS, statusThresholds } from './colors';
import { applyTableLayout, fittedTable, type FittedTable } from './FittedTable';
import { COLORED_CELL, mergeTables, userDrillDownLink } from './panels';

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

/** docs/features.md B8: top users, sortable (click a header), the user id links to the user's drill-down. */
export function topUsersTable(settings: TokenmeterSettings, usersUrl: string, title = 'Top users'): FittedTable {
  const panel = PanelBuilders.table()
    .setTitle(title)
    .setData(catalogQueryRunner(['top_users'], settings))
    .setOption('cellHeight', 'sm' as never)
    .setOverrides((overrides) => {
      applyTableLayout(overrides, 'top_users');
      overrides.matchFieldsWithName('user_id').overrideLinks([userDrillDownLink(usersUrl)]);
      overrides.matchFieldsWithName('cost_usd').overrideUnit(unitOf('top_users')).overrideDecimals(4);
    })
    .build();
  return fittedTable(panel, 'top_users');
}

/** docs/features.md B9: the latest executions. */
export function recentActivityTable(
  data: SceneDataProvider,
  title: string,
  settings: TokenmeterSettings,
  layout: 'recent_activity' | 'user_recent_activity' = 'recent_activity'
): FittedTable {
  const panel = PanelBuilders.table()
    .setTitle(title)
    .setData(data)
    .setOption('cellHeight', 'sm' as never)
    .setOverrides((overrides) => {
      applyTableLayout(overrides, layout);
      overrides
        .matchFieldsWithName('status')
        .overrideMappings(STATUS_MAPPINGS)
        .overrideColor({ mode: FieldColorModeId.Thresholds })
        .overrideCustomFieldConfig('cellOptions', { type: 'color-text' } as never);
      overrides
        .matchFieldsWithName('duration_ms')
        .overrideUnit('ms')
        .overrideDecimals(0)
        .overrideThresholds(statusThresholds(settings.latencyWarnMs, settings.latencyCriticalMs))
        .overrideColor({ mode: FieldColorModeId.Thresholds })
        .overrideCustomFieldConfig('cellOptions', { type: 'color-text' } as never);
      overrides.matchFieldsWithName('cost_usd').overrideUnit('currencyUSD').overrideDecimals(5);
    })
    .build();
  return fittedTable(panel, layout);
}

const ENDPOINT_QUERIES = ['endpoint_calls', 'endpoint_avg_latency_ms', 'endpoint_p95_latency_ms', 'endpoint_error_rate'];

/** docs/features.md B10: each route with calls, average and p95 latency and a status marker (coloured cells). */
export function endpointPerformanceTable(settings: TokenmeterSettings): FittedTable {
  const runner = catalogQueryRunner(ENDPOINT_QUERIES, settings, { promFormat: 'table' });
  // The column names of the dashboards' endpoint table (provisioning/src/display/tables.ts).
  const data = mergeTables(runner, {
    'Value #A': 'calls',
    'Value #B': 'avg_ms',
    'Value #C': 'p95_ms',
    'Value #D': 'error_rate',
  });
  const latency = statusThresholds(settings.latencyWarnMs, settings.latencyCriticalMs);
  const panel = PanelBuilders.table()
    .setTitle('Endpoint performance')
    .setData(data)
    .setOption('cellHeight', 'sm' as never)
    .setOption('sortBy', [{ displayName: 'Calls', desc: true }])
    .setOverrides((overrides) => {
            for (const name of ['avg_ms', 'p95_ms']) {
        overrides
          .matchFieldsWithName(name)
          .overrideUnit('ms')
          .overrideDecimals(0)
          .overrideThresholds(latency)
          .overrideColor({ mode: FieldColorModeId.Thresholds })
          .overrideCustomFieldConfig('cellOptions', COLORED_CELL as never);
      }
      overrides
        .matchFieldsWithName('error_rate')
        .overrideUnit(unitOf('endpoint_error_rate'))
        .overrideDecimals(2)
        .overrideThresholds(statusThresholds(settings.errorRateWarn, settings.errorRateCritical))
        .overrideColor({ mode: FieldColorModeId.Thresholds })
        .overrideCustomFieldConfig('cellOptions', COLORED_CELL as never);
      // Last: the headers replace the names the overrides above match.
      applyTableLayout(overrides, 'endpoint_performance');
    })
    .build();
  return fittedTable(panel, 'endpoint_performance');
}

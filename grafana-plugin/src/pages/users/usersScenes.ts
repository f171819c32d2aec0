import { FieldColorModeId } from '@grafana/data';
import { ConstantVariable, EmbeddedScene, PanelBuilders, SceneDataTransformer } from '@grafana/scenes';
import { VariableHide } from '@grafana/schema';
import type { TokenmeterSettings } from '../../settings/settings';
import { catalogQueryRunner, unitOf } from '../../scenes/catalogQueries';
import { STATUS_COLORS, statusThresholds } from '../../scenes/colors';
import { responsiveRow } from '../../scenes/layout';
import { tokenmeterPage } from '../../scenes/page';
import { applyTableLayout, fittedTable } from '../../scenes/FittedTable';
import { COLORED_CELL, dualAxisTimeseries, statCard, userDrillDownLink } from '../../scenes/panels';
import { recentActivityTable, topUsersTable } from '../../scenes/tables';
import { COUNT_FORMAT, decimalsOf } from '@tokenmeter/provisioning/display';

/** FREE-plan quota use: executions against the quota, red when over (docs/features.md A4). */
function quotaTable(
  title: string,
  data: SceneDataTransformer | ReturnType<typeof catalogQueryRunner>,
  layout: 'free_quota_today' | 'free_quota_overruns',
  usersUrl: string,
  quota: number
) {
  const panel = PanelBuilders.table()
    .setTitle(title)
    .setData(data)
    .setOption('cellHeight', 'sm' as never)
    .setOverrides((overrides) => {
      applyTableLayout(overrides, layout);
      overrides.matchFieldsWithName('user_id').overrideLinks([userDrillDownLink(usersUrl)]);
      overrides
        .matchFieldsWithName('executions')
        .overrideThresholds(statusThresholds(quota, quota + 1))
        .overrideColor({ mode: FieldColorModeId.Thresholds })
        .overrideCustomFieldConfig('cellOptions', COLORED_CELL as never);
      overrides.matchFieldsWithName('over_quota').overrideMappings([
        {
          type: 'value' as never,
          options: {
            true: { text: 'over quota', color: STATUS_COLORS.critical },
            false: { text: 'within quota', color: STATUS_COLORS.ok },
          },
        },
      ]);
      overrides.matchFieldsWithName('over_by').overrideColor({
        mode: FieldColorModeId.Fixed,
        fixedColor: STATUS_COLORS.critical,
      });
    })
    .build();
  return fittedTable(panel, layout);
}

/** Users (docs/features.md B8, A4): top users and the FREE plan's quota use. */
export function usersScene(settings: TokenmeterSettings, usersUrl: string): EmbeddedScene {
  return tokenmeterPage(settings, [
    responsiveRow([topUsersTable(settings, usersUrl, 'Top users (select one to drill down)')], {
      minWidth: 320,
      height: 420,
    }),
    responsiveRow(
      [
        quotaTable('FREE plan: quota use today', catalogQueryRunner(['free_quota_today'], settings), 'free_quota_today', usersUrl, settings.freeDailyQuota),
        quotaTable('FREE plan: days over quota', catalogQueryRunner(['free_quota_overruns'], settings), 'free_quota_overruns', usersUrl, settings.freeDailyQuota),
      ],
      { minWidth: 360, height: 300 }
    ),
  ]);
}

/** One user's drill-down: cost over time, models and prompts, recent calls, FREE-plan quota use. */
export function userDetailScene(settings: TokenmeterSettings, userId: string, usersUrl: string): EmbeddedScene {
  const quotaToday = new SceneDataTransformer({
    $data: catalogQueryRunner(['free_quota_today'], settings),
    transformations: [
      {
        id: 'filterByValue',
        options: {
          type: 'include',
          match: 'all',
          filters: [{ fieldName: 'user_id', config: { id: 'equal', options: { value: userId } } }],
        },
      },
    ],
  });
  return tokenmeterPage(
    settings,
    [
      responsiveRow(
        [
          statCard('Usage in period', catalogQueryRunner(['user_summary'], settings), [
            { field: 'requests', displayName: 'Requests', ...COUNT_FORMAT },
            { field: 'errors', displayName: 'Errors', ...COUNT_FORMAT },
            { field: 'tokens', displayName: 'Tokens', ...COUNT_FORMAT },
            {
              field: 'cost_usd',
              displayName: 'Cost',
              unit: 'currencyUSD',
              decimals: 4,
              thresholds: statusThresholds(settings.costWarnUsd, settings.costCriticalUsd),
            },
            { field: 'plans', displayName: 'Plan' },
            { field: 'billing_modes', displayName: 'Billing mode' },
          ]),
        ],
        { minWidth: 300, height: 150 }
      ),
      responsiveRow(
        [
          dualAxisTimeseries(
            'Daily usage',
            catalogQueryRunner(['user_daily_usage'], settings),
            { field: 'requests', displayName: 'Requests', unit: unitOf('user_daily_usage') },
            { field: 'cost_usd', displayName: 'Cost (USD)', unit: 'currencyUSD' }
          ),
          PanelBuilders.timeseries()
            .setTitle('Requests over time')
            .setData(catalogQueryRunner(['user_request_rate'], settings))
            .setUnit(unitOf('user_request_rate'))
            .setDecimals(decimalsOf(unitOf('user_request_rate')))
            .build(),
        ],
        { minWidth: 320, height: 280 }
      ),
      responsiveRow(
        [
          fittedTable(
            PanelBuilders.table()
              .setTitle('Models and prompts')
              .setData(catalogQueryRunner(['user_models'], settings))
              .setOption('cellHeight', 'sm' as never)
              .setOverrides((overrides) => {
                applyTableLayout(overrides, 'user_models');
                overrides.matchFieldsWithName('cost_usd').overrideUnit(unitOf('user_models')).overrideDecimals(4);
              })
              .build(),
            'user_models'
          ),
          quotaTable('FREE plan quota today', quotaToday, 'free_quota_today', usersUrl, settings.freeDailyQuota),
        ],
        { minWidth: 360, height: 260 }
      ),
      responsiveRow([recentActivityTable(catalogQueryRunner(['user_recent_activity'], settings), 'Recent calls', settings, 'user_recent_activity')], {
        minWidth: 320,
        height: 380,
      }),
    ],
    [new ConstantVariable({ name: 'user', value: userId, skipUrlSync: true, hide: VariableHide.hideVariable })]
  );
}

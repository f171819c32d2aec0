import { EmbeddedScene, PanelBuilders, SceneFlexLayout, SceneFlexItem, SceneTimeRange } from '@grafana/scenes';
import { BigValueColorMode, GraphDrawStyle } from '@grafana/schema';
import { FieldColorModeId } from '@grafana/data';
import type { TokenmeterSettings } from '../../settings/settings';
import { catalogQueryRunner, unitOf } from '../../scenes/catalogQueries';
import { AI_ACCENT, statusThresholds } from '../../scenes/colors';
import { FiringAlertsBanner } from '../../scenes/alerts/FiringAlertsBanner';
import { responsiveRow } from '../../scenes/layout';
import { tokenmeterPage } from '../../scenes/page';
import { dualAxisTimeseries, healthTiles, seriesToRows, statCard } from '../../scenes/panels';
import { endpointPerformanceTable, recentActivityTable, topUsersTable } from '../../scenes/tables';
import { pageUrl, ROUTES } from '../../routes';
import { RECOMMENDATION_EVENT_NAMES } from '@tokenmeter/provisioning/queries';

/** Overview (docs/features.md B1–B10, C1 summary, D3): everything an operator checks first. */
export function overviewScene(settings: TokenmeterSettings): EmbeddedScene {
  const budget = settings.monthlyBudgetUsd;
  const realtime = responsiveRow(
    [
      statCard('API calls, last hour', catalogQueryRunner(['realtime_api_calls_1h'], settings), [
        { field: 'Value', displayName: 'API calls', unit: unitOf('realtime_api_calls_1h'), decimals: 0 },
      ]),
      statCard('LLM requests, last hour', catalogQueryRunner(['realtime_llm_requests_1h'], settings), [
        { field: 'Value', displayName: 'LLM requests', unit: unitOf('realtime_llm_requests_1h'), decimals: 0 },
      ]),
      statCard(
        'Recommendations, last hour',
        catalogQueryRunner(['realtime_domain_events_1h'], settings),
        RECOMMENDATION_EVENT_NAMES.map((name) => ({
          field: name,
          displayName: name.replace('recommendation.', '').replace(/^./, (c) => c.toUpperCase()),
          unit: 'none',
          decimals: 0,
        }))
      ),
    ],
    { height: 110 }
  );

  const cards = responsiveRow([
    statCard('Total cost', catalogQueryRunner(['overview_cost', 'overview_month_projection'], settings), [
      {
        field: 'cost_usd',
        displayName: 'Cost in period',
        unit: unitOf('overview_cost'),
        decimals: 2,
        thresholds: statusThresholds(settings.costWarnUsd, settings.costCriticalUsd),
      },
      {
        field: 'projected_month_usd',
        displayName: 'Month-end projection',
        unit: unitOf('overview_month_projection'),
        decimals: 2,
        thresholds: statusThresholds(budget * 0.8, budget),
      },
    ]),
    statCard('Total requests', catalogQueryRunner(['overview_requests'], settings), [
      { field: 'requests', displayName: 'Requests', unit: unitOf('overview_requests'), decimals: 0 },
      { field: 'avg_tokens_per_request', displayName: 'Avg tokens / request', unit: 'none', decimals: 0 },
    ]),
    statCard('Tokens used', catalogQueryRunner(['overview_tokens'], settings), [
      { field: 'prompt_tokens', displayName: 'Prompt', unit: unitOf('overview_tokens') },
      { field: 'completion_tokens', displayName: 'Completion', unit: unitOf('overview_tokens') },
    ]),
    statCard('Active users', catalogQueryRunner(['overview_active_users'], settings), [
      { field: 'active_users', displayName: 'Active users', unit: unitOf('overview_active_users'), decimals: 0 },
    ]),
    statCard('Cache hit rate', catalogQueryRunner(['cache_hit_rate'], settings), [
      { field: 'Value', displayName: 'Cache hit rate', unit: unitOf('cache_hit_rate'), decimals: 1 },
    ]),
  ]);

  const allTime = responsiveRow(
    [
      statCard('All time and this month', catalogQueryRunner(['overview_all_time'], settings), [
        { field: 'total_cost_usd', displayName: 'Cost, all time', unit: 'currencyUSD', decimals: 2 },
        {
          field: 'month_cost_usd',
          displayName: 'Cost, this month',
          unit: 'currencyUSD',
          decimals: 2,
          thresholds: statusThresholds(budget * 0.8, budget),
        },
        { field: 'total_tokens', displayName: 'Tokens, all time', unit: 'short' },
        { field: 'month_tokens', displayName: 'Tokens, this month', unit: 'short' },
        { field: 'distinct_prompts', displayName: 'Prompts', unit: 'none', decimals: 0 },
        { field: 'executions', displayName: 'Executions', unit: 'short', decimals: 0 },
        {
          field: 'avg_latency_ms',
          displayName: 'Avg latency',
          unit: 'ms',
          thresholds: statusThresholds(settings.latencyWarnMs, settings.latencyCriticalMs),
        },
        { field: 'most_used_model', displayName: 'Most used model' },
      ]),
    ],
    { minWidth: 300, height: 170 }
  );

  const charts = responsiveRow(
    [
      dualAxisTimeseries(
        'Daily usage',
        catalogQueryRunner(['daily_usage'], settings),
        { field: 'requests', displayName: 'Requests', unit: unitOf('daily_usage') },
        { field: 'cost_usd', displayName: 'Cost (USD)', unit: 'currencyUSD' }
      ),
      PanelBuilders.timeseries()
        .setTitle('Executions, last 7 days')
        // Its own 7-day axis, whatever the page's period (the query ignores the period too).
        .setTimeRange(new SceneTimeRange({ from: 'now-6d/d', to: 'now/d' }))
        .setData(catalogQueryRunner(['executions_last_7_days'], settings))
        .setUnit(unitOf('executions_last_7_days'))
        .setCustomFieldConfig('drawStyle', GraphDrawStyle.Bars)
        .setCustomFieldConfig('fillOpacity', 80)
        .setColor({ mode: FieldColorModeId.Fixed, fixedColor: AI_ACCENT })
        .build(),
    ],
    { minWidth: 320, height: 300 }
  );

  const mix = responsiveRow(
    [
      modelMixPie('Model mix by requests', 'requests', settings),
      modelMixPie('Model mix by cost', 'cost_usd', settings),
      PanelBuilders.barchart()
        .setTitle('Domain events')
        .setDescription('Events by name and type: generated, viewed and acted upon.')
        .setData(seriesToRows(catalogQueryRunner(['domain_events'], settings)))
        .setOption('xField', 'Field')
        .setUnit(unitOf('domain_events'))
        .setDecimals(0)
        .setColor({ mode: FieldColorModeId.Fixed, fixedColor: AI_ACCENT })
        .build(),
      PanelBuilders.piechart()
        .setTitle('Billing mode')
        .setDescription('Requests per billing mode: system (billed through you) or BYOK (the user key).')
        .setData(catalogQueryRunner(['overview_billing_modes'], settings))
        .setOption('reduceOptions', { values: true, calcs: ['lastNotNull'], fields: '/^requests$/' })
        .setOption('displayLabels', ['name', 'percent'] as never)
        .build(),
    ],
    { minWidth: 280, height: 280 }
  );

  const health = responsiveRow(
    [
      healthTiles('Overall health', catalogQueryRunner(['health_overall'], settings), { single: true }),
      PanelBuilders.stat()
        .setTitle('Last health check')
        .setData(catalogQueryRunner(['health_last_check'], settings))
        .setUnit(unitOf('health_last_check'))
        .setOption('colorMode', BigValueColorMode.None)
        .setNoValue('never')
        .build(),
      healthTiles('Dependencies', catalogQueryRunner(['health_components'], settings)),
    ],
    { minWidth: 220, height: 130 }
  );

  const tables = responsiveRow(
    [
      topUsersTable(settings, pageUrl(ROUTES.users)),
      recentActivityTable(catalogQueryRunner(['recent_activity'], settings), 'Recent activity', settings),
    ],
    { minWidth: 420, height: 380 }
  );

  const endpoints = new SceneFlexLayout({
    direction: 'column',
    children: [
      new SceneFlexItem({
        height: 110,
        body: responsiveRow(
          [
            statCard('Average response time', catalogQueryRunner(['http_avg_response_ms'], settings), [
              {
                field: 'Value',
                displayName: 'Average response time',
                unit: unitOf('http_avg_response_ms'),
                decimals: 0,
                thresholds: statusThresholds(settings.latencyWarnMs, settings.latencyCriticalMs),
              },
            ]),
            statCard('HTTP error rate', catalogQueryRunner(['http_error_rate'], settings), [
              {
                field: 'Value',
                displayName: 'Error rate',
                unit: unitOf('http_error_rate'),
                decimals: 2,
                thresholds: statusThresholds(settings.errorRateWarn, settings.errorRateCritical),
              },
            ]),
          ],
          { height: 110 }
        ),
      }),
      new SceneFlexItem({ minHeight: 300, body: endpointPerformanceTable(settings) }),
    ],
  });

  return tokenmeterPage(settings, [
    new FiringAlertsBanner(),
    realtime,
    cards,
    allTime,
    charts,
    mix,
    health,
    tables,
    endpoints,
  ]);
}

function modelMixPie(title: string, field: 'requests' | 'cost_usd', settings: TokenmeterSettings) {
  return PanelBuilders.piechart()
    .setTitle(title)
    .setData(catalogQueryRunner(['model_mix'], settings))
    .setOption('reduceOptions', { values: true, calcs: ['lastNotNull'], fields: `/^${field}$/` })
    .setOption('displayLabels', ['name', 'percent'] as never)
    .setOption('legend', {
      displayMode: 'table' as never,
      placement: 'right' as never,
      showLegend: true,
      values: ['value', 'percent'] as never,
    })
    .setUnit(field === 'cost_usd' ? 'currencyUSD' : unitOf('model_mix'))
    .build();
}

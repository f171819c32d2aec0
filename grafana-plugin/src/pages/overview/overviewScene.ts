import {
  EmbeddedScene,
  PanelBuilders,
  SceneDataTransformer,
  SceneTimeRange,
  type SceneDataProvider,
} from '@grafana/scenes';
import { BigValueColorMode, GraphDrawStyle } from '@grafana/schema';
import { FieldColorModeId } from '@grafana/data';
import type { TokenmeterSettings } from '../../settings/settings';
import { catalogQueryRunner, unitOf } from '../../scenes/catalogQueries';
import { AI_ACCENT, statusThresholds } from '../../scenes/colors';
import { FiringAlertsBanner } from '../../scenes/alerts/FiringAlertsBanner';
import { responsiveRow, weightedRow } from '../../scenes/layout';
import { tokenmeterPage } from '../../scenes/page';
import { dualAxisTimeseries, healthTiles, statCard } from '../../scenes/panels';
import { endpointPerformanceTable, recentActivityTable, topUsersTable } from '../../scenes/tables';
import { pageUrl, ROUTES } from '../../routes';
import {
  COUNT_FORMAT,
  EVENTS_BY_STEP_X_FIELD,
  TABLE_LAYOUTS,
  decimalsOf,
  PIE_OPTIONS,
  eventsByStepTransformations,
  fullWidth,
  keepOnlyFields,
  plainEventName,
} from '@tokenmeter/provisioning/display';
import { RECOMMENDATION_EVENT_NAMES } from '@tokenmeter/provisioning/queries';

/** Overview (docs/features.md B1–B10, C1 summary, D3): everything an operator checks first. */
export function overviewScene(settings: TokenmeterSettings): EmbeddedScene {
  const budget = settings.monthlyBudgetUsd;
  const realtime = responsiveRow(
    [
      statCard('API calls, last hour', catalogQueryRunner(['realtime_api_calls_1h'], settings), [
        { field: 'Value', displayName: 'API calls', unit: unitOf('realtime_api_calls_1h') },
      ]),
      statCard('LLM requests, last hour', catalogQueryRunner(['realtime_llm_requests_1h'], settings), [
        { field: 'Value', displayName: 'LLM requests', unit: unitOf('realtime_llm_requests_1h') },
      ]),
      statCard(
        'Recommendations, last hour',
        catalogQueryRunner(['realtime_domain_events_1h'], settings),
        RECOMMENDATION_EVENT_NAMES.map((name) => ({
          field: name,
          displayName: plainEventName(name),
          unit: unitOf('realtime_domain_events_1h'),
        }))
      ),
    ],
    // Wide enough for the longest title, "Recommendations, last hour".
    { minWidth: 280, height: 110 }
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
      { field: 'requests', displayName: 'Requests', unit: unitOf('overview_requests') },
      { field: 'avg_tokens_per_request', displayName: 'Avg tokens / request', ...COUNT_FORMAT },
    ]),
    statCard('Tokens used', catalogQueryRunner(['overview_tokens'], settings), [
      { field: 'prompt_tokens', displayName: 'Prompt', unit: unitOf('overview_tokens') },
      { field: 'completion_tokens', displayName: 'Completion', unit: unitOf('overview_tokens') },
    ]),
    statCard('Active users', catalogQueryRunner(['overview_active_users'], settings), [
      { field: 'active_users', displayName: 'Active users', unit: unitOf('overview_active_users') },
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
        { field: 'total_tokens', displayName: 'Tokens, all time', ...COUNT_FORMAT },
        { field: 'month_tokens', displayName: 'Tokens, this month', ...COUNT_FORMAT },
        { field: 'distinct_prompts', displayName: 'Prompts', ...COUNT_FORMAT },
        { field: 'executions', displayName: 'Executions', ...COUNT_FORMAT },
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
        .setDecimals(decimalsOf(unitOf('executions_last_7_days')))
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
        .setDescription('Recommendation events in the period: generated, viewed and implemented.')
        .setData(
          new SceneDataTransformer({
            $data: catalogQueryRunner(['domain_events'], settings),
            transformations: eventsByStepTransformations(),
          })
        )
        .setOption('xField', EVENTS_BY_STEP_X_FIELD)
        .setUnit(COUNT_FORMAT.unit)
        .setDecimals(COUNT_FORMAT.decimals)
        .setColor({ mode: FieldColorModeId.Fixed, fixedColor: AI_ACCENT })
        .build(),
      sharePie(
        'Billing mode',
        'Requests per billing mode: system (billed through you) or BYOK (the user key).',
        catalogQueryRunner(['overview_billing_modes'], settings),
        { label: 'billing_mode', figure: 'requests', others: ['cost_usd'], unit: COUNT_FORMAT.unit }
      ),
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

  // Recent activity has twice the columns of top users: it gets two thirds of a wide screen, and
  // what is left beside every column of top users on a tablet.
  const tables = weightedRow(
    [
      topUsersTable(settings, pageUrl(ROUTES.users)),
      recentActivityTable(catalogQueryRunner(['recent_activity'], settings), 'Recent activity', settings),
    ],
    [1, 2],
    { height: 380, minWidths: [fullWidth(TABLE_LAYOUTS.top_users), 0] }
  );

  const httpCards = responsiveRow(
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
  );
  const endpoints = responsiveRow([endpointPerformanceTable(settings)], { minWidth: 320, height: 300 });

  return tokenmeterPage(settings, [
    new FiringAlertsBanner(),
    realtime,
    cards,
    allTime,
    charts,
    mix,
    health,
    tables,
    httpCards,
    endpoints,
  ]);
}

function modelMixPie(title: string, field: 'requests' | 'cost_usd', settings: TokenmeterSettings) {
  return sharePie(title, '', catalogQueryRunner(['model_mix'], settings), {
    label: 'model',
    figure: field,
    others: field === 'requests' ? ['cost_usd'] : ['requests'],
    unit: field === 'cost_usd' ? 'currencyUSD' : COUNT_FORMAT.unit,
  });
}

/** A pie of one figure per label (docs/features.md B7), with the shared pie options. */
function sharePie(
  title: string,
  description: string,
  data: SceneDataProvider,
  fields: { label: string; figure: string; others: string[]; unit: string }
) {
  return (
    PanelBuilders.piechart()
      .setTitle(title)
      .setDescription(description)
      .setData(
        new SceneDataTransformer({
          $data: data,
          transformations: [
            keepOnlyFields([fields.label, fields.figure], [fields.label, fields.figure, ...fields.others]),
          ],
        })
      )
      .setOption('reduceOptions', { values: true, calcs: ['lastNotNull'], fields: `/^${fields.figure}$/` })
      .setOption('pieType', PIE_OPTIONS.pieType as never)
      .setOption('displayLabels', [...PIE_OPTIONS.displayLabels] as never)
      .setOption('legend', { ...PIE_OPTIONS.legend, values: [...PIE_OPTIONS.legend.values] } as never)
      .setOption('tooltip', PIE_OPTIONS.tooltip as never)
      .setUnit(fields.unit)
      .setDecimals(decimalsOf(fields.unit))
      // A colour per slice, as Grafana's pie chart does by default.
      .setColor({ mode: FieldColorModeId.PaletteClassic })
      .build()
  );
}

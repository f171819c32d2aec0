import { EmbeddedScene, PanelBuilders } from '@grafana/scenes';
import type { TokenmeterSettings } from '../../settings/settings';
import { catalogQueryRunner, unitOf } from '../../scenes/catalogQueries';
import { statusThresholds } from '../../scenes/colors';
import { applyTableLayout, fittedTable } from '../../scenes/FittedTable';
import { responsiveRow } from '../../scenes/layout';
import { TABLE_LAYOUTS, decimalsOf } from '@tokenmeter/provisioning/display';
import { tokenmeterPage } from '../../scenes/page';

/** Models & pricing (docs/features.md B6, B12): usage, cost, latency and errors per model, and the price list in use. */
export function modelsScene(settings: TokenmeterSettings): EmbeddedScene {
  return tokenmeterPage(settings, [
    responsiveRow(
      [
        fittedTable(
          PanelBuilders.table()
            .setTitle('Requests and cost by model')
            .setData(catalogQueryRunner(['model_mix'], settings))
            .setOption('cellHeight', 'sm' as never)
            .setOverrides((overrides) => {
              applyTableLayout(overrides, 'model_mix');
              overrides.matchFieldsWithName('cost_usd').overrideUnit('currencyUSD').overrideDecimals(4);
            })
            .build(),
          'model_mix'
        ),
        PanelBuilders.timeseries()
          .setTitle('Cost per hour by model')
          .setData(catalogQueryRunner(['llm_cost_per_hour'], settings))
          .setUnit(unitOf('llm_cost_per_hour'))
          .build(),
      ],
      { minWidth: 360, height: 300 }
    ),
    responsiveRow(
      [
        PanelBuilders.timeseries()
          .setTitle('Requests per second by model')
          .setData(catalogQueryRunner(['llm_request_rate'], settings))
          .setUnit(unitOf('llm_request_rate'))
          .build(),
        PanelBuilders.timeseries()
          .setTitle('p95 latency by model')
          .setData(catalogQueryRunner(['llm_p95_latency_ms'], settings))
          .setUnit(unitOf('llm_p95_latency_ms'))
          .setThresholds(statusThresholds(settings.latencyWarnMs, settings.latencyCriticalMs))
          .setCustomFieldConfig('thresholdsStyle', { mode: 'line+area' as never })
          .build(),
        PanelBuilders.timeseries()
          .setTitle('Time to first token')
          .setDescription('How long streamed model calls wait for their first chunk: median (p50) and p95.')
          .setData(catalogQueryRunner(['llm_ttft_p50_ms', 'llm_ttft_p95_ms'], settings))
          .setUnit(unitOf('llm_ttft_p95_ms'))
          .build(),
        PanelBuilders.barchart()
          .setTitle('Errors by type')
          .setData(catalogQueryRunner(['llm_errors_by_type'], settings, { promFormat: 'table' }))
          .setOption('xField', 'error_type')
          .setUnit(unitOf('llm_errors_by_type'))
          .setDecimals(decimalsOf(unitOf('llm_errors_by_type')))
          .build(),
      ],
      { minWidth: 320, height: 280 }
    ),
    responsiveRow(
      [
        fittedTable(
          PanelBuilders.table()
            .setTitle('Price list in use (USD per million tokens)')
            .setData(catalogQueryRunner(['price_list'], settings))
            .setOption('cellHeight', 'sm' as never)
            .setOverrides((overrides) => {
              applyTableLayout(overrides, 'price_list');
              for (const { field } of TABLE_LAYOUTS.price_list.columns) {
                if (field.endsWith('_per_mtok')) {
                  overrides.matchFieldsWithName(field).overrideUnit(unitOf('price_list')).overrideDecimals(3);
                }
              }
            })
            .build(),
          'price_list'
        ),
      ],
      { minWidth: 320, height: 420 }
    ),
    responsiveRow(
      [
        fittedTable(
          PanelBuilders.table()
            .setTitle('Unpriced models (calls without a cost)')
            .setDescription(
              'Models the pricing catalog has no price for: their calls are left out of every cost. Add their prices with TOKENMETER_PRICING_FILE.'
            )
            .setData(catalogQueryRunner(['unpriced_models'], settings))
            .setNoValue('Every model called in the period has a price')
            .setOption('cellHeight', 'sm' as never)
            .setOverrides((overrides) => applyTableLayout(overrides, 'unpriced_models'))
            .build(),
          'unpriced_models'
        ),
      ],
      { minWidth: 320, height: 240 }
    ),
  ]);
}

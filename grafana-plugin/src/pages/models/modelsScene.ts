import { EmbeddedScene, PanelBuilders } from '@grafana/scenes';
import type { TokenmeterSettings } from '../../settings/settings';
import { catalogQueryRunner, unitOf } from '../../scenes/catalogQueries';
import { statusThresholds } from '../../scenes/colors';
import { responsiveRow } from '../../scenes/layout';
import { tokenmeterPage } from '../../scenes/page';

const PRICE_COLUMNS: Record<string, string> = {
  provider: 'Provider',
  model: 'Model',
  service_tier: 'Service tier',
  price_source: 'From',
  effective_from: 'Effective from',
  input_per_mtok: 'Input / 1M tokens',
  output_per_mtok: 'Output / 1M tokens',
  cached_input_per_mtok: 'Cached input / 1M tokens',
  cache_write_per_mtok: 'Cache write (5 min) / 1M tokens',
  cache_write_1h_per_mtok: 'Cache write (1 h) / 1M tokens',
  reasoning_per_mtok: 'Reasoning / 1M tokens',
  long_context_above_tokens: 'Long context above (tokens)',
  long_context_input_per_mtok: 'Long-context input / 1M tokens',
  long_context_output_per_mtok: 'Long-context output / 1M tokens',
  source: 'Source',
  catalog_version: 'Catalog version',
};

const UNPRICED_COLUMNS: Record<string, string> = {
  provider: 'Provider',
  model: 'Model',
  unpriced_calls: 'Calls without a price',
  calls: 'Calls',
  input_tokens: 'Input tokens',
  output_tokens: 'Output tokens',
  reason: 'Why',
};

/** Models & pricing (docs/features.md B6, B12): usage, cost, latency and errors per model, and the price list in use. */
export function modelsScene(settings: TokenmeterSettings): EmbeddedScene {
  return tokenmeterPage(settings, [
    responsiveRow(
      [
        PanelBuilders.table()
          .setTitle('Requests and cost by model')
          .setData(catalogQueryRunner(['model_mix'], settings))
          .setOverrides((overrides) => {
            overrides.matchFieldsWithName('model').overrideDisplayName('Model');
            overrides.matchFieldsWithName('requests').overrideDisplayName('Requests').overrideUnit(unitOf('model_mix'));
            overrides
              .matchFieldsWithName('cost_usd')
              .overrideDisplayName('Cost')
              .overrideUnit('currencyUSD')
              .overrideDecimals(4);
          })
          .build(),
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
        PanelBuilders.barchart()
          .setTitle('Errors by type')
          .setData(catalogQueryRunner(['llm_errors_by_type'], settings, { promFormat: 'table' }))
          .setOption('xField', 'error_type')
          .setUnit(unitOf('llm_errors_by_type'))
          .build(),
      ],
      { minWidth: 320, height: 280 }
    ),
    responsiveRow(
      [
        PanelBuilders.table()
          .setTitle('Price list in use (USD per million tokens)')
          .setData(catalogQueryRunner(['price_list'], settings))
          .setOption('cellHeight', 'sm' as never)
          .setOverrides((overrides) => {
            for (const [field, displayName] of Object.entries(PRICE_COLUMNS)) {
              const override = overrides.matchFieldsWithName(field).overrideDisplayName(displayName);
              if (field.endsWith('_per_mtok')) {
                override.overrideUnit(unitOf('price_list')).overrideDecimals(3);
              }
            }
          })
          .build(),
      ],
      { minWidth: 320, height: 420 }
    ),
    responsiveRow(
      [
        PanelBuilders.table()
          .setTitle('Unpriced models (calls without a cost)')
          .setDescription(
            'Models the pricing catalog has no price for: their calls are left out of every cost. Add their prices with TOKENMETER_PRICING_FILE.'
          )
          .setData(catalogQueryRunner(['unpriced_models'], settings))
          .setNoValue('Every model called in the period has a price')
          .setOverrides((overrides) => {
            for (const [field, displayName] of Object.entries(UNPRICED_COLUMNS)) {
              overrides.matchFieldsWithName(field).overrideDisplayName(displayName);
            }
          })
          .build(),
      ],
      { minWidth: 320, height: 240 }
    ),
  ]);
}

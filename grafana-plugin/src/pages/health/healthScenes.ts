import { EmbeddedScene, PanelBuilders } from '@grafana/scenes';
import { BigValueColorMode } from '@grafana/schema';
import type { TokenmeterSettings } from '../../settings/settings';
import { catalogQueryRunner, unitOf } from '../../scenes/catalogQueries';
import { statusThresholds } from '../../scenes/colors';
import { responsiveRow } from '../../scenes/layout';
import { tokenmeterPage } from '../../scenes/page';
import { healthTiles, statCard } from '../../scenes/panels';

/** docs/features.md C1: every dependency check of the instrumented services, the overall status and the last check. */
export function dependenciesScene(settings: TokenmeterSettings): EmbeddedScene {
  return tokenmeterPage(settings, [
    responsiveRow(
      [
        healthTiles('Overall status', catalogQueryRunner(['health_overall'], settings), { single: true }),
        PanelBuilders.stat()
          .setTitle('Last check')
          .setData(catalogQueryRunner(['health_last_check'], settings))
          .setUnit(unitOf('health_last_check'))
          .setOption('colorMode', BigValueColorMode.None)
          .setNoValue('never')
          .build(),
        statCard('LLM error rate', catalogQueryRunner(['llm_error_rate'], settings), [
          {
            field: 'Value',
            displayName: 'LLM error rate',
            unit: unitOf('llm_error_rate'),
            decimals: 2,
            thresholds: statusThresholds(settings.errorRateWarn, settings.errorRateCritical),
          },
        ]),
        statCard('HTTP error rate', catalogQueryRunner(['http_error_rate'], settings), [
          {
            field: 'Value',
            displayName: 'HTTP error rate',
            unit: unitOf('http_error_rate'),
            decimals: 2,
            thresholds: statusThresholds(settings.errorRateWarn, settings.errorRateCritical),
          },
        ]),
      ],
      { minWidth: 220, height: 130 }
    ),
    responsiveRow([healthTiles('Dependency checks', catalogQueryRunner(['health_components'], settings))], {
      minWidth: 300,
      height: 260,
    }),
  ]);
}

/** docs/features.md C2: the pipeline's own health: Collector, usage sink, ledger database, Prometheus. */
export function pipelineScene(settings: TokenmeterSettings): EmbeddedScene {
  return tokenmeterPage(settings, [
    responsiveRow(
      [
        healthTiles('Scrape targets', catalogQueryRunner(['pipeline_health'], settings)),
        healthTiles('Ledger database (sink)', catalogQueryRunner(['pipeline_database'], settings), { single: true }),
      ],
      { minWidth: 300, height: 200 }
    ),
  ]);
}

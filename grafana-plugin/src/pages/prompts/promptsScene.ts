import { EmbeddedScene, PanelBuilders } from '@grafana/scenes';
import { BarGaugeDisplayMode } from '@grafana/schema';
import { FieldColorModeId } from '@grafana/data';
import type { TokenmeterSettings } from '../../settings/settings';
import { catalogQueryRunner, unitOf } from '../../scenes/catalogQueries';
import { AI_ACCENT } from '../../scenes/colors';
import { applyTableLayout, fittedTable } from '../../scenes/FittedTable';
import { responsiveRow } from '../../scenes/layout';
import { tokenmeterPage } from '../../scenes/page';

function promptsTable(
  title: string,
  id: 'top_prompts_by_cost' | 'top_prompts_by_tokens',
  settings: TokenmeterSettings
) {
  const panel = PanelBuilders.table()
    .setTitle(title)
    .setDescription(`${title}: where optimisation pays most.`)
    .setData(catalogQueryRunner([id], settings))
    .setOption('cellHeight', 'sm' as never)
    .setOverrides((overrides) => {
      applyTableLayout(overrides, id);
      overrides
        .matchFieldsWithName(id === 'top_prompts_by_cost' ? 'cost_usd' : 'tokens')
        .overrideColor({ mode: FieldColorModeId.Fixed, fixedColor: AI_ACCENT })
        .overrideCustomFieldConfig('cellOptions', { type: 'gauge', mode: BarGaugeDisplayMode.Basic } as never);
      overrides.matchFieldsWithName('cost_usd').overrideUnit(unitOf('top_prompts_by_cost')).overrideDecimals(4);
      overrides.matchFieldsWithName('cost_per_request_usd').overrideUnit('currencyUSD').overrideDecimals(5);
    })
    .build();
  return fittedTable(panel, id);
}

function promptPerformanceTable(settings: TokenmeterSettings) {
  const panel = PanelBuilders.table()
    .setTitle('Prompt latency and errors')
    .setDescription('Average and slowest model-call latency and the error rate of each prompt.')
    .setData(catalogQueryRunner(['prompt_performance'], settings))
    .setUnit(unitOf('prompt_performance'))
    .setOption('cellHeight', 'sm' as never)
    .setOverrides((overrides) => {
      applyTableLayout(overrides, 'prompt_performance');
      overrides.matchFieldsWithName('prompt').overrideUnit('string');
      overrides.matchFieldsWithName('error_rate').overrideUnit('percentunit').overrideDecimals(1);
    })
    .build();
  return fittedTable(panel, 'prompt_performance');
}

/** Prompts (docs/features.md B11): top prompts by cost and by tokens; latency and error rate per prompt. */
export function promptsScene(settings: TokenmeterSettings): EmbeddedScene {
  return tokenmeterPage(settings, [
    responsiveRow(
      [
        promptsTable('Top prompts by cost', 'top_prompts_by_cost', settings),
        promptsTable('Top prompts by tokens', 'top_prompts_by_tokens', settings),
      ],
      { minWidth: 420, height: 380 }
    ),
    responsiveRow([promptPerformanceTable(settings)], { minWidth: 420, height: 320 }),
  ]);
}

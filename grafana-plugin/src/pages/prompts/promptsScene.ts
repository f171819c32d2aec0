import { EmbeddedScene, PanelBuilders } from '@grafana/scenes';
import { BarGaugeDisplayMode } from '@grafana/schema';
import { FieldColorModeId } from '@grafana/data';
import type { TokenmeterSettings } from '../../settings/settings';
import { catalogQueryRunner, unitOf } from '../../scenes/catalogQueries';
import { AI_ACCENT } from '../../scenes/colors';
import { responsiveRow } from '../../scenes/layout';
import { tokenmeterPage } from '../../scenes/page';

function promptsTable(
  title: string,
  id: 'top_prompts_by_cost' | 'top_prompts_by_tokens',
  settings: TokenmeterSettings
) {
  return PanelBuilders.table()
    .setTitle(title)
    .setDescription(`${title}: where optimisation pays most.`)
    .setData(catalogQueryRunner([id], settings))
    .setOption('cellHeight', 'sm' as never)
    .setOverrides((overrides) => {
      overrides.matchFieldsWithName('prompt').overrideDisplayName('Prompt');
      overrides.matchFieldsWithName('requests').overrideDisplayName('Requests').overrideUnit('short');
      overrides.matchFieldsWithName('tokens').overrideDisplayName('Tokens').overrideUnit('short');
      overrides.matchFieldsWithName('prompt_tokens').overrideDisplayName('Prompt tokens').overrideUnit('short');
      overrides.matchFieldsWithName('completion_tokens').overrideDisplayName('Completion tokens').overrideUnit('short');
      overrides
        .matchFieldsWithName(id === 'top_prompts_by_cost' ? 'cost_usd' : 'tokens')
        .overrideColor({ mode: FieldColorModeId.Fixed, fixedColor: AI_ACCENT })
        .overrideCustomFieldConfig('cellOptions', { type: 'gauge', mode: BarGaugeDisplayMode.Basic } as never);
      overrides
        .matchFieldsWithName('cost_usd')
        .overrideDisplayName('Cost')
        .overrideUnit(unitOf('top_prompts_by_cost'))
        .overrideDecimals(4);
      overrides
        .matchFieldsWithName('cost_per_request_usd')
        .overrideDisplayName('Cost / request')
        .overrideUnit('currencyUSD')
        .overrideDecimals(5);
    })
    .build();
}

function promptPerformanceTable(settings: TokenmeterSettings) {
  return PanelBuilders.table()
    .setTitle('Prompt latency and errors')
    .setDescription('Average and slowest model-call latency and the error rate of each prompt.')
    .setData(catalogQueryRunner(['prompt_performance'], settings))
    .setUnit(unitOf('prompt_performance'))
    .setOption('cellHeight', 'sm' as never)
    .setOverrides((overrides) => {
      overrides.matchFieldsWithName('prompt').overrideDisplayName('Prompt').overrideUnit('string');
      overrides.matchFieldsWithName('requests').overrideDisplayName('Requests').overrideUnit('short');
      overrides.matchFieldsWithName('avg_duration_ms').overrideDisplayName('Avg latency');
      overrides.matchFieldsWithName('max_duration_ms').overrideDisplayName('Slowest');
      overrides.matchFieldsWithName('errors').overrideDisplayName('Errors').overrideUnit('short');
      overrides
        .matchFieldsWithName('error_rate')
        .overrideDisplayName('Error rate')
        .overrideUnit('percentunit')
        .overrideDecimals(1);
    })
    .build();
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

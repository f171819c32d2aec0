import { DATASOURCES } from '@tokenmeter/provisioning/queries';
import { DEFAULT_SETTINGS } from '../settings/defaults';
import { expectPageConventions } from '../test-support/pageAssertions';
import { catalogIdsOf, overridesByField, panelTitled } from '../test-support/sceneTree';
import { dependenciesScene, pipelineScene } from './health/healthScenes';
import { modelsScene } from './models/modelsScene';
import { promptsScene } from './prompts/promptsScene';

describe('Prompts, Models & pricing and Health scenes', () => {
  it('Prompts shows the top prompts by cost and by tokens, and latency and errors per prompt', () => {
    const scene = promptsScene(DEFAULT_SETTINGS);
    expectPageConventions(scene, DATASOURCES);
    expect(catalogIdsOf(scene)).toEqual(['top_prompts_by_cost', 'top_prompts_by_tokens', 'prompt_performance']);
    expect(overridesByField(panelTitled(scene, 'Top prompts by cost')).cost_usd).toMatchObject({ unit: 'currencyUSD' });
    const performance = panelTitled(scene, 'Prompt latency and errors');
    expect(performance.state.fieldConfig.defaults.unit).toBe('ms');
    expect(overridesByField(performance).error_rate).toMatchObject({ unit: 'percentunit' });
  });

  it('Models & pricing shows usage, cost, latency and errors per model and the price list', () => {
    const scene = modelsScene({ ...DEFAULT_SETTINGS, latencyWarnMs: 1200, latencyCriticalMs: 1800 });
    expectPageConventions(scene, DATASOURCES);
    expect(catalogIdsOf(scene)).toEqual([
      'model_mix',
      'llm_cost_per_hour',
      'llm_request_rate',
      'llm_p95_latency_ms',
      'llm_ttft_p50_ms',
      'llm_ttft_p95_ms',
      'llm_errors_by_type',
      'price_list',
      'unpriced_models',
    ]);
    const ttft = panelTitled(scene, 'Time to first token');
    expect(ttft.state.pluginId).toBe('timeseries');
    expect(ttft.state.fieldConfig.defaults.unit).toBe('ms');
    const p95 = panelTitled(scene, 'p95 latency by model');
    expect(p95.state.fieldConfig.defaults.unit).toBe('ms');
    expect(p95.state.fieldConfig.defaults.thresholds?.steps.map((step) => step.value)).toEqual([-Infinity, 1200, 1800]);
    expect(
      overridesByField(panelTitled(scene, 'Price list in use (USD per million tokens)')).input_per_mtok
    ).toMatchObject({
      unit: 'currencyUSD',
    });
    const prices = overridesByField(panelTitled(scene, 'Price list in use (USD per million tokens)'));
    expect(prices.cache_write_1h_per_mtok).toMatchObject({
      unit: 'currencyUSD',
      displayName: 'Cache write 1 h',
    });
    expect(prices.price_source).toMatchObject({ displayName: 'From' });
    expect(overridesByField(panelTitled(scene, 'Unpriced models (calls without a cost)')).reason).toMatchObject({
      displayName: 'Why',
    });
  });

  it('Health shows every dependency check with overall status and last check, and the pipeline', () => {
    const dependencies = dependenciesScene(DEFAULT_SETTINGS);
    expectPageConventions(dependencies, DATASOURCES);
    expect(catalogIdsOf(dependencies)).toEqual([
      'health_overall',
      'health_last_check',
      'llm_error_rate',
      'http_error_rate',
      'health_components',
    ]);
    const tiles = panelTitled(dependencies, 'Dependency checks');
    expect(tiles.state.fieldConfig.defaults.thresholds?.steps.map((step) => step.color)).toEqual(['red', 'green']);
    expect(tiles.state.fieldConfig.defaults.mappings).toHaveLength(1);

    const pipeline = pipelineScene(DEFAULT_SETTINGS);
    expectPageConventions(pipeline, DATASOURCES);
    expect(catalogIdsOf(pipeline)).toEqual(['pipeline_health', 'pipeline_database']);
  });
});

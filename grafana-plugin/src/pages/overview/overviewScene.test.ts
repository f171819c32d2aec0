import { AxisPlacement } from '@grafana/schema';
import { DATASOURCES } from '@tokenmeter/provisioning/queries';
import { COUNT_UNIT } from '@tokenmeter/provisioning/display';
import { DEFAULT_SETTINGS } from '../../settings/defaults';
import type { TokenmeterSettings } from '../../settings/settings';
import { FiringAlertsBanner } from '../../scenes/alerts/FiringAlertsBanner';
import { STATUS_COLORS } from '../../scenes/colors';
import { expectPageConventions } from '../../test-support/pageAssertions';
import { allObjects, catalogIdsOf, overridesByField, panelTitled, queriesOf } from '../../test-support/sceneTree';
import { overviewScene } from './overviewScene';

const custom: TokenmeterSettings = {
  ...DEFAULT_SETTINGS,
  prometheusUid: 'other-prometheus',
  postgresUid: 'other-postgres',
  costWarnUsd: 40,
  costCriticalUsd: 50,
  latencyWarnMs: 700,
  latencyCriticalMs: 900,
  errorRateWarn: 0.01,
  errorRateCritical: 0.03,
  monthlyBudgetUsd: 500,
  freeDailyQuota: 7,
};

describe('Overview scene', () => {
  it('reads every figure of features B (docs/features.md) from the shared catalog on the provisioned datasources', () => {
    const scene = overviewScene(DEFAULT_SETTINGS);
    expectPageConventions(scene, DATASOURCES);
    expect(catalogIdsOf(scene)).toEqual(
      expect.arrayContaining([
        'realtime_api_calls_1h',
        'realtime_llm_requests_1h',
        'realtime_domain_events_1h',
        'overview_cost',
        'overview_month_projection',
        'overview_requests',
        'overview_tokens',
        'overview_active_users',
        'cache_hit_rate',
        'overview_all_time',
        'daily_usage',
        'executions_last_7_days',
        'model_mix',
        'domain_events',
        'overview_billing_modes',
        'health_overall',
        'health_last_check',
        'health_components',
        'top_users',
        'recent_activity',
        'endpoint_calls',
        'endpoint_avg_latency_ms',
        'endpoint_p95_latency_ms',
        'endpoint_error_rate',
        'http_avg_response_ms',
        'http_error_rate',
      ])
    );
  });

  it('runs on the datasources chosen on the Configuration page', () => {
    expectPageConventions(overviewScene(custom), { prometheus: 'other-prometheus', postgres: 'other-postgres' });
  });

  it('shows the firing-alerts banner above everything else', () => {
    const scene = overviewScene(DEFAULT_SETTINGS);
    const objects = allObjects(scene);
    const banner = objects.findIndex((object) => object instanceof FiringAlertsBanner);
    const firstPanel = objects.findIndex((object) => object.constructor.name === 'VizPanel');
    expect(banner).toBeGreaterThan(0);
    expect(banner).toBeLessThan(firstPanel);
  });

  it('puts requests on the left axis and cost in USD on the right axis of the daily usage chart', () => {
    const panel = panelTitled(overviewScene(DEFAULT_SETTINGS), 'Daily usage');
    expect(panel.state.pluginId).toBe('timeseries');
    expect(queriesOf(panel).map((query) => query.catalogId)).toEqual(['daily_usage']);
    const overrides = overridesByField(panel);
    expect(overrides.requests).toMatchObject({ 'custom.axisPlacement': AxisPlacement.Left, unit: COUNT_UNIT, decimals: 0 });
    expect(overrides.cost_usd).toMatchObject({ 'custom.axisPlacement': AxisPlacement.Right, unit: 'currencyUSD' });
  });

  it('colours cost, projection, latency and error rate by the configured thresholds', () => {
    const scene = overviewScene(custom);
    const cost = overridesByField(panelTitled(scene, 'Total cost'));
    expect(cost.cost_usd).toMatchObject({
      unit: 'currencyUSD',
      thresholds: {
        steps: [
          { value: -Infinity, color: STATUS_COLORS.ok },
          { value: 40, color: STATUS_COLORS.watch },
          { value: 50, color: STATUS_COLORS.critical },
        ],
      },
    });
    expect(cost.projected_month_usd).toMatchObject({
      thresholds: { steps: [{ color: 'green' }, { value: 400, color: 'orange' }, { value: 500, color: 'red' }] },
    });
    const latency = overridesByField(panelTitled(scene, 'Average response time'));
    expect(latency.Value).toMatchObject({ unit: 'ms', thresholds: { steps: [{}, { value: 700 }, { value: 900 }] } });
    const errors = overridesByField(panelTitled(scene, 'HTTP error rate'));
    expect(errors.Value).toMatchObject({ unit: 'percentunit', thresholds: { steps: [{}, { value: 0.01 }, { value: 0.03 }] } });
  });

  it('shows the four cards with their secondary figures', () => {
    const scene = overviewScene(DEFAULT_SETTINGS);
    expect(Object.keys(overridesByField(panelTitled(scene, 'Total cost')))).toEqual(['cost_usd', 'projected_month_usd']);
    // Grafana picks the reduced fields by display name, which the overrides set.
    expect(panelTitled(scene, 'Total cost').state.options).toMatchObject({
      reduceOptions: { fields: '/^(Cost in period|Month-end projection)$/' },
    });
    expect(panelTitled(scene, 'Total requests').state.options).toMatchObject({
      reduceOptions: { fields: '/^(Requests|Avg tokens \\/ request)$/' },
    });
    expect(Object.keys(overridesByField(panelTitled(scene, 'Total requests')))).toEqual([
      'requests',
      'avg_tokens_per_request',
    ]);
    expect(Object.keys(overridesByField(panelTitled(scene, 'Tokens used')))).toEqual(['prompt_tokens', 'completion_tokens']);
    expect(queriesOf(panelTitled(scene, 'Active users'))[0].catalogId).toBe('overview_active_users');
    expect(queriesOf(panelTitled(scene, 'Cache hit rate'))[0].catalogId).toBe('cache_hit_rate');
  });

  it('uses the catalog units and the Grafana visualizations docs/features.md asks for', () => {
    const scene = overviewScene(DEFAULT_SETTINGS);
    expect(panelTitled(scene, 'Model mix by requests').state.pluginId).toBe('piechart');
    expect(panelTitled(scene, 'Model mix by cost').state.pluginId).toBe('piechart');
    expect(panelTitled(scene, 'Domain events').state.pluginId).toBe('barchart');
    expect(panelTitled(scene, 'Top users').state.pluginId).toBe('table');
    expect(panelTitled(scene, 'Recent activity').state.pluginId).toBe('table');
    expect(panelTitled(scene, 'Endpoint performance').state.pluginId).toBe('table');
    expect(overridesByField(panelTitled(scene, 'Cache hit rate')).Value).toMatchObject({ unit: 'percentunit' });
  });
});

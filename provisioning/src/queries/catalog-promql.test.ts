import { resolve } from 'node:path';
import { getQuery, queries, type QueryId } from './index';
import { renderPromql } from '../render';
import {
  startBackfilledPrometheus,
  type BackfilledPrometheus,
  type PromSample,
} from '@tokenmeter/test-support';
import { END, LAST_CHECK_S, START, knownMetrics } from '../test-support/known-metrics';

// Every PromQL query of the catalog on a real Prometheus holding the known metric data set; the
// recorded series come from the real rule file, evaluated by promtool against that server.

const RULES = resolve(__dirname, '../../prometheus/rules/tokenmeter.rules.yml');
const ALL = {
  service: ['api', 'worker'],
  model: ['claude-sonnet-4', 'gpt-4o', 'mistral-small'],
  billing_mode: ['system', 'byok'],
  plan: ['free', 'pro'],
};
let prometheus: BackfilledPrometheus;

beforeAll(async () => {
  prometheus = await startBackfilledPrometheus({
    openMetrics: knownMetrics(),
    recordingRules: { files: [RULES], start: new Date(START.getTime() + 10 * 60_000), end: END },
  });
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
});

const ran = new Set<string>();
async function run(id: QueryId, vars: Partial<typeof ALL> = {}): Promise<PromSample[]> {
  ran.add(id);
  const expr = renderPromql(getQuery(id), {
    from: new Date(END.getTime() - 3_600_000),
    to: END,
    vars: { ...ALL, ...vars },
  });
  return prometheus.query(expr, END);
}
async function value(id: QueryId, vars: Partial<typeof ALL> = {}): Promise<number> {
  const samples = await run(id, vars);
  expect(samples).toHaveLength(1);
  return (samples[0] as PromSample).value;
}
/** label value → sample value, rounded to 6 decimals. */
async function by(id: QueryId, label: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const s of await run(id)) out[s.labels[label] as string] = Number(s.value.toFixed(6));
  return out;
}

describe('PromQL catalog on real Prometheus', () => {
  it('counts the last hour: API calls, LLM requests, domain events', async () => {
    expect(await value('realtime_api_calls_1h')).toBeCloseTo(12960, 6);
    expect(await value('realtime_llm_requests_1h')).toBeCloseTo(6480, 6);
    // Generated, with viewed and implemented beside (0.5, 0.25 and 0.05 per second), never their sum.
    expect(await by('realtime_domain_events_1h', 'event_name')).toEqual({
      'recommendation.generated': 1800,
      'recommendation.viewed': 900,
      'recommendation.implemented': 180,
    });
  });

  it('filters by the service, model, billing mode and plan variables', async () => {
    expect(await value('realtime_llm_requests_1h', { service: ['worker'] })).toBeCloseTo(720, 6);
    expect(await value('realtime_llm_requests_1h', { model: ['gpt-4o'] })).toBeCloseTo(3960, 6);
    expect(
      await value('realtime_llm_requests_1h', { billing_mode: ['byok'], plan: ['pro'] }),
    ).toBeCloseTo(1800, 6);
    expect(await value('realtime_api_calls_1h', { service: ['api'] })).toBeCloseTo(11160, 6);
  });

  it('shows a service instrumented by someone else (genai v0.1.0 names, no Tokenmeter labels) under any billing mode and plan', async () => {
    const partner = { service: ['partner'], model: ['claude-haiku-4-5'] };
    expect(await value('realtime_llm_requests_1h', partner)).toBeCloseTo(900, 6);
    expect(
      await value('realtime_llm_requests_1h', {
        ...partner,
        billing_mode: ['byok'],
        plan: ['free'],
      }),
    ).toBeCloseTo(900, 6);
    const rates = await run('llm_request_rate', partner);
    expect(rates.map((s) => [s.labels.gen_ai_request_model, Number(s.value.toFixed(6))])).toEqual([
      ['claude-haiku-4-5', 0.25],
    ]);
    const all = {
      service: ['api', 'worker', 'partner'],
      model: [...ALL.model, 'claude-haiku-4-5'],
    };
    expect(await value('realtime_llm_requests_1h', all)).toBeCloseTo(6480 + 900, 6);
  });

  it('gives the cache hit rate and domain events by name', async () => {
    expect(await value('cache_hit_rate')).toBeCloseTo(0.75, 9);
    expect(await by('domain_events', 'event_name')).toEqual({
      'recommendation.generated': 1800,
      'recommendation.viewed': 900,
      'recommendation.implemented': 180,
    });
  });

  it('reports health per component, overall, the last check and the pipeline', async () => {
    const components = (await run('health_components')).map((s) => [
      s.labels.job,
      s.labels.tokenmeter_health_component,
      s.value,
    ]);
    expect(components.sort()).toEqual([
      ['api', 'database', 1],
      ['api', 'redis', 0],
      ['worker', 'openai', 1],
    ]);
    expect(await value('health_overall')).toBe(0);
    // The time of the check itself, not of the last scrape (END).
    expect(await value('health_last_check')).toBe(LAST_CHECK_S * 1000);
    expect(await by('pipeline_health', 'job')).toEqual({
      'tokenmeter-collector': 1,
      'tokenmeter-collector-telemetry': 1,
      'tokenmeter-sink': 1,
      prometheus: 1,
    });
    expect(await value('pipeline_database')).toBe(1);
  });

  it('measures each endpoint: calls, average and p95 latency, error rate', async () => {
    const INFO = '/api/v1/node/{pubkey}/info';
    expect(await by('endpoint_calls', 'http_route')).toEqual({
      [INFO]: 7560,
      '/health': 3600,
      '/jobs': 1800,
    });
    expect(await by('endpoint_avg_latency_ms', 'http_route')).toEqual({
      [INFO]: 66.666667,
      '/health': 10,
      '/jobs': 10,
    });
    expect(await by('endpoint_p95_latency_ms', 'http_route')).toEqual({
      [INFO]: 99.75,
      '/health': 47.5,
      '/jobs': 47.5,
    });
    expect(await by('endpoint_error_rate', 'http_route')).toEqual({
      [INFO]: 0.047619,
      '/health': 0,
      '/jobs': 0,
    });
    expect(await value('http_avg_response_ms')).toBeCloseTo(155 / 3.6, 6);
    expect(await value('http_error_rate')).toBeCloseTo(0.1 / 3.6, 9);
  });

  it('charts model calls from the recorded rates: requests, errors, p95, cost', async () => {
    expect(await by('llm_request_rate', 'gen_ai_request_model')).toEqual({
      'gpt-4o': 1.1,
      'claude-sonnet-4': 0.5,
      'mistral-small': 0.2,
    });
    expect(await value('llm_error_rate')).toBeCloseTo(0.1 / 1.8, 9);
    expect(await by('llm_p95_latency_ms', 'gen_ai_request_model')).toEqual({
      'gpt-4o': 2252,
      'claude-sonnet-4': 1216,
      'mistral-small': 1216,
    });
    expect(await by('llm_cost_per_hour', 'gen_ai_request_model')).toEqual({
      'gpt-4o': 3.6,
      'claude-sonnet-4': 7.2,
      'mistral-small': 0.36,
    });
    expect(await by('http_request_rate', 'http_route')).toEqual({
      '/api/v1/node/{pubkey}/info': 2.1,
      '/health': 1,
      '/jobs': 0.5,
    });
    expect(await by('llm_errors_by_type', 'error_type')).toEqual({ timeout: 360 });
  });

  it('charts the time to first token, p50 and p95, of every emitter', async () => {
    // gpt-4o: half its first chunks under 100 ms, 90 % under 250 ms, all under 500 ms.
    expect(await value('llm_ttft_p50_ms')).toBeCloseTo(100, 6);
    expect(await value('llm_ttft_p95_ms')).toBeCloseTo(375, 6);
    // genai v0.1.0's gen_ai.client.inference.time_to_first_chunk, of the partner service.
    const partner = { service: ['partner'], model: ['claude-haiku-4-5'] };
    expect(await value('llm_ttft_p50_ms', partner)).toBeCloseTo(50, 6);
    // A model filter the partner's series do not match leaves nothing to chart.
    expect(await run('llm_ttft_p95_ms', { ...partner, model: ['gpt-4o'] })).toEqual([]);
  });

  it('has run every dashboard PromQL query of the catalog (alert queries: alert-rules.test.ts)', () => {
    const dashboardPromql = Object.values(queries).filter(
      (q) => q.language === 'promql' && !q.id.startsWith('alert_'),
    );
    expect(dashboardPromql.map((q) => q.id).filter((id) => !ran.has(id))).toEqual([]);
  });
});

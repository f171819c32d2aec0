import {
  OTHER_EMITTER_METRICS,
  PROM_METRICS as M,
  SCRAPE_JOBS as J,
} from '../queries/prometheus-names';

// The known metric data set of the PromQL tests, written as OpenMetrics for `promtool tsdb
// create-blocks-from openmetrics`: 3 hours of 15-second samples ending at END. Counters grow
// linearly, so every rate is exact. The first 90 minutes are healthy (HEALTHY_AT); from MIDPOINT
// on, gpt-4o slows down and fails, redis goes down and the worker calls a model without a price
// (the state at END).

export const END = new Date('2026-01-15T12:00:00Z');
export const START = new Date(END.getTime() - 3 * 3_600_000);
/** The latest dependency check the services recorded, 5 minutes before END (Unix s). */
export const LAST_CHECK_S = (END.getTime() - 5 * 60_000) / 1000;
export const MIDPOINT = new Date(END.getTime() - 90 * 60_000);
export const HEALTHY_AT = new Date(END.getTime() - 2 * 3_600_000);
const STEP_S = 15;

type Labels = Record<string, string>;
/** Per-second rate before and after MIDPOINT. */
type Rates = [number, number];

const counterAt = (rates: Rates, t: number): number => {
  const start = START.getTime() / 1000;
  const mid = MIDPOINT.getTime() / 1000;
  return t <= mid ? rates[0] * (t - start) : rates[0] * (mid - start) + rates[1] * (t - mid);
};

function timestamps(): number[] {
  const out: number[] = [];
  for (let t = START.getTime() / 1000; t <= END.getTime() / 1000; t += STEP_S) out.push(t);
  return out;
}

const labelText = (labels: Labels): string =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
    .join(',')}}`;

export class OpenMetricsWriter {
  private lines: string[] = [];

  counter(name: string, series: { labels: Labels; rates: Rates }[]): this {
    const family = name.replace(/_total$/, '');
    this.lines.push(`# TYPE ${family} counter`);
    for (const s of series) {
      for (const t of timestamps())
        this.lines.push(`${family}_total${labelText(s.labels)} ${counterAt(s.rates, t)} ${t}`);
    }
    return this;
  }

  gauge(name: string, series: { labels: Labels; values: [number, number] }[]): this {
    this.lines.push(`# TYPE ${name} gauge`);
    const mid = MIDPOINT.getTime() / 1000;
    for (const s of series) {
      for (const t of timestamps())
        this.lines.push(
          `${name}${labelText(s.labels)} ${t <= mid ? s.values[0] : s.values[1]} ${t}`,
        );
    }
    return this;
  }

  /** `buckets`: cumulative per-second rates by `le` (the last must be +Inf); `sum`: seconds per second. */
  histogram(
    name: string,
    series: { labels: Labels; buckets: [string, Rates][]; sum: Rates }[],
  ): this {
    this.lines.push(`# TYPE ${name} histogram`);
    for (const s of series) {
      for (const [le, rates] of s.buckets) {
        for (const t of timestamps())
          this.lines.push(
            `${name}_bucket${labelText({ ...s.labels, le })} ${counterAt(rates, t)} ${t}`,
          );
      }
      const count = (s.buckets[s.buckets.length - 1] as [string, Rates])[1];
      for (const t of timestamps())
        this.lines.push(`${name}_count${labelText(s.labels)} ${counterAt(count, t)} ${t}`);
      for (const t of timestamps())
        this.lines.push(`${name}_sum${labelText(s.labels)} ${counterAt(s.sum, t)} ${t}`);
    }
    return this;
  }

  text(): string {
    return `${this.lines.join('\n')}\n# EOF\n`;
  }
}

export const same = (rate: number): Rates => [rate, rate];
export const llm = (
  job: string,
  model: string,
  provider: string,
  billing: string,
  plan: string,
  extra: Labels = {},
): Labels => ({
  job,
  gen_ai_operation_name: 'chat',
  gen_ai_provider_name: provider,
  gen_ai_request_model: model,
  tokenmeter_billing_mode: billing,
  tokenmeter_plan: plan,
  ...extra,
});
const INFO = '/api/v1/node/{pubkey}/info';
const http = (job: string, route: string, status: string): Labels => ({
  job,
  http_request_method: 'GET',
  http_route: route,
  http_response_status_code: status,
});
export const fastLlm = (rate: number): [string, Rates][] =>
  ['1.28', '2', '2.56', '+Inf'].map((le) => [le, same(rate)]);

export function knownMetrics(): string {
  return (
    new OpenMetricsWriter()
      .histogram(M.httpDuration, [
        {
          labels: http('api', INFO, '200'),
          buckets: [
            ['0.05', same(1)],
            ['0.1', same(2)],
            ['0.25', same(2)],
            ['+Inf', same(2)],
          ],
          sum: same(0.12),
        },
        {
          labels: http('api', INFO, '500'),
          buckets: [
            ['0.05', same(0)],
            ['0.1', same(0)],
            ['0.25', same(0.1)],
            ['+Inf', same(0.1)],
          ],
          sum: same(0.02),
        },
        {
          labels: http('api', '/health', '200'),
          buckets: ['0.05', '0.1', '0.25', '+Inf'].map((le) => [le, same(1)]),
          sum: same(0.01),
        },
        {
          labels: http('worker', '/jobs', '200'),
          buckets: ['0.05', '0.1', '0.25', '+Inf'].map((le) => [le, same(0.5)]),
          sum: same(0.005),
        },
      ])
      .histogram(M.llmDuration, [
        {
          labels: llm('api', 'gpt-4o', 'openai', 'system', 'pro'),
          buckets: [
            ['1.28', [1, 0.5]],
            ['2', [1, 0.9]],
            ['2.56', [1, 1]],
            ['+Inf', [1, 1]],
          ],
          sum: [0.5, 1.8],
        },
        {
          labels: llm('api', 'gpt-4o', 'openai', 'system', 'pro', { error_type: 'timeout' }),
          buckets: ['1.28', '2', '2.56', '+Inf'].map((le) => [le, [0, 0.1]]),
          sum: [0, 0.05],
        },
        {
          labels: llm('api', 'claude-sonnet-4', 'anthropic', 'byok', 'pro'),
          buckets: fastLlm(0.5),
          sum: same(0.25),
        },
        {
          labels: llm('worker', 'mistral-small', 'mistral_ai', 'system', 'free'),
          buckets: fastLlm(0.2),
          sum: same(0.1),
        },
      ])
      // Time to first chunk of streamed calls: gpt-4o's half under 100 ms, 90 % under 250 ms.
      .histogram(M.timeToFirstChunk, [
        {
          labels: llm('api', 'gpt-4o', 'openai', 'system', 'pro'),
          buckets: [
            ['0.1', same(0.5)],
            ['0.25', same(0.9)],
            ['0.5', same(1)],
            ['+Inf', same(1)],
          ],
          sum: same(0.15),
        },
      ])
      .histogram(OTHER_EMITTER_METRICS.inferenceTimeToFirstChunk, [
        {
          labels: {
            job: 'partner',
            gen_ai_operation_name: 'chat',
            gen_ai_provider_name: 'anthropic',
            gen_ai_request_model: 'claude-haiku-4-5',
          },
          buckets: ['0.1', '0.25', '0.5', '+Inf'].map((le) => [le, same(0.25)]),
          sum: same(0.01),
        },
      ])
      // A service instrumented by someone else, on semantic-conventions-genai v0.1.0: its calls are
      // on gen_ai.client.inference.duration, without Tokenmeter's billing-mode and plan labels.
      .histogram(OTHER_EMITTER_METRICS.llmInferenceDuration, [
        {
          labels: {
            job: 'partner',
            gen_ai_operation_name: 'chat',
            gen_ai_provider_name: 'anthropic',
            gen_ai_request_model: 'claude-haiku-4-5',
          },
          buckets: fastLlm(0.25),
          sum: same(0.1),
        },
      ])
      .counter(M.llmCost, [
        { labels: llm('api', 'gpt-4o', 'openai', 'system', 'pro'), rates: same(0.001) },
        { labels: llm('api', 'claude-sonnet-4', 'anthropic', 'byok', 'pro'), rates: same(0.002) },
        {
          labels: llm('worker', 'mistral-small', 'mistral_ai', 'system', 'free'),
          rates: same(0.0001),
        },
      ])
      .counter(M.unpricedTokens, [
        {
          labels: {
            job: 'worker',
            gen_ai_provider_name: 'openai',
            gen_ai_request_model: 'in-house-model',
            gen_ai_token_type: 'input',
          },
          rates: [0, 4],
        },
        {
          labels: {
            job: 'worker',
            gen_ai_provider_name: 'openai',
            gen_ai_request_model: 'in-house-model',
            gen_ai_token_type: 'output',
          },
          rates: [0, 1],
        },
      ])
      .gauge(M.healthStatus, [
        { labels: { job: 'api', tokenmeter_health_component: 'database' }, values: [1, 1] },
        { labels: { job: 'api', tokenmeter_health_component: 'redis' }, values: [1, 0] },
        { labels: { job: 'worker', tokenmeter_health_component: 'openai' }, values: [1, 1] },
      ])
      // The services' own check times (Unix s), older than the samples that carry them.
      .gauge(M.healthLastCheck, [
        {
          labels: { job: 'api', tokenmeter_health_component: 'database' },
          values: [LAST_CHECK_S - 900, LAST_CHECK_S],
        },
        {
          labels: { job: 'api', tokenmeter_health_component: 'redis' },
          values: [LAST_CHECK_S - 900, LAST_CHECK_S - 60],
        },
        {
          labels: { job: 'worker', tokenmeter_health_component: 'openai' },
          values: [LAST_CHECK_S - 900, LAST_CHECK_S - 300],
        },
      ])
      .counter(M.cacheRequests, [
        { labels: { job: 'api', cache_name: 'recs', cache_result: 'hit' }, rates: same(3) },
        { labels: { job: 'api', cache_name: 'recs', cache_result: 'miss' }, rates: same(1) },
      ])
      .counter(M.events, [
        {
          labels: { job: 'api', event_name: 'recommendation.generated', event_type: 'fee' },
          rates: same(0.5),
        },
        {
          labels: { job: 'api', event_name: 'recommendation.viewed', event_type: 'fee' },
          rates: same(0.25),
        },
        {
          labels: { job: 'api', event_name: 'recommendation.implemented', event_type: 'fee' },
          rates: same(0.05),
        },
      ])
      .gauge(
        'up',
        Object.values(J).map((job) => ({ labels: { job }, values: [1, 1] as [number, number] })),
      )
      .gauge(M.sinkDatabaseUp, [{ labels: { job: J.sink }, values: [1, 1] }])
      .text()
  );
}

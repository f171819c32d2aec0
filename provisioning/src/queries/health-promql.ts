import { DATASOURCES } from './datasources';
import { defineQueries } from './types';
import { COUNT_UNIT } from '../display/formats';
import {
  PROM_LABELS as L,
  PROM_METRICS as M,
  RECORDED as R,
  SCRAPE_JOBS as J,
  OTHER_EMITTER_METRICS,
} from './prometheus-names';
import { llmDurationSeries, selector } from './promql';

const PROM = DATASOURCES.prometheus;
/** The domain events of the recommendation funnel, in order (docs/features.md B2). */
export const RECOMMENDATION_EVENT_NAMES = [
  'recommendation.generated',
  'recommendation.viewed',
  'recommendation.implemented',
] as const;
const RECOMMENDATION_EVENTS = RECOMMENDATION_EVENT_NAMES.map((name) =>
  name.replace('.', '[.]'),
).join('|');
const svc = selector('variables', 'service');
const llm = selector('variables', 'llm');
const llmErrors = selector('variables', 'llm', [`${L.errorType}!=""`]);
const httpErrors = selector('variables', 'service', [`${L.httpStatus}=~"5.."`]);

/** The TTFT names of every emitter: ours (gen_ai.client.operation) and genai v0.1.0's (inference). */
const TTFT_NAMES = `(${M.timeToFirstChunk}|${OTHER_EMITTER_METRICS.inferenceTimeToFirstChunk})`;

/** Quantile `q` of the time to first chunk over every selected model call, ms (5-minute rate). */
function ttftQuantile(q: number): string {
  const buckets = `{__name__=~"${TTFT_NAMES}_bucket", ${llm.slice(1)}`;
  return `1000 * histogram_quantile(${q}, sum by (le) (rate(${buckets}[5m])))`;
}

/** docs/features.md B2, B3 (cache), B7, B10, C1, C2 and the latency/rate charts, read from Prometheus. */
export const promqlQueries = defineQueries({
  realtime_api_calls_1h: {
    title: 'API calls (1h)',
    description: 'HTTP requests served by the instrumented services over the last hour.',
    language: 'promql',
    datasourceUid: PROM,
    instant: true,
    unit: COUNT_UNIT,
    expr: `sum(increase(${M.httpDuration}_count${svc}[1h]))`,
  },
  realtime_llm_requests_1h: {
    title: 'LLM requests (1h)',
    description: 'Model calls over the last hour.',
    language: 'promql',
    datasourceUid: PROM,
    instant: true,
    unit: COUNT_UNIT,
    expr: `sum(increase(${llmDurationSeries('_count', llm)}[1h]))`,
  },
  realtime_domain_events_1h: {
    title: 'Recommendations (1h)',
    description:
      'Recommendations generated over the last hour, with how many were viewed and implemented beside (domain events recommendation.generated, .viewed, .implemented).',
    language: 'promql',
    datasourceUid: PROM,
    instant: true,
    unit: COUNT_UNIT,
    legendFormat: `{{${L.eventName}}}`,
    expr: `sum by (${L.eventName}) (increase(${M.events}${selector('variables', 'service', [`${L.eventName}=~"${RECOMMENDATION_EVENTS}"`])}[1h]))`,
  },
  cache_hit_rate: {
    title: 'Cache hit rate',
    description: 'Share of cache lookups that hit, over the period.',
    language: 'promql',
    datasourceUid: PROM,
    instant: true,
    unit: 'percentunit',
    expr: `sum(increase(${M.cacheRequests}${selector('variables', 'service', [`${L.cacheResult}="hit"`])}[$__range])) / sum(increase(${M.cacheRequests}${svc}[$__range]))`,
  },
  domain_events: {
    title: 'Domain events',
    description:
      'Domain events in the period by name (generated, viewed, implemented...) and type.',
    language: 'promql',
    datasourceUid: PROM,
    instant: true,
    unit: COUNT_UNIT,
    legendFormat: `{{${L.eventName}}} {{${L.eventType}}}`,
    expr: `sum by (${L.eventName}, ${L.eventType}) (increase(${M.events}${svc}[$__range]))`,
  },
  health_components: {
    title: 'Dependency health',
    description: 'Last reported status per service and component: 1 up, 0 down.',
    language: 'promql',
    datasourceUid: PROM,
    instant: true,
    unit: 'none',
    legendFormat: `{{${L.service}}} {{${L.healthComponent}}}`,
    expr: `min by (${L.service}, ${L.healthComponent}) (${M.healthStatus}${svc})`,
  },
  health_overall: {
    title: 'Overall health',
    description: 'Worst status of every reported component: 1 when all are up.',
    language: 'promql',
    datasourceUid: PROM,
    instant: true,
    unit: 'none',
    expr: `min(${M.healthStatus}${svc})`,
  },
  health_last_check: {
    title: 'Last health check',
    description:
      'When the most recent dependency check ran, as the service recorded it (ms since the epoch); empty until a check has run.',
    language: 'promql',
    datasourceUid: PROM,
    instant: true,
    unit: 'dateTimeFromNow',
    expr: `max(${M.healthLastCheck}${svc}) * 1000`,
  },
  pipeline_health: {
    title: 'Pipeline health',
    description:
      'Whether Prometheus reaches the Collector (exporter and own telemetry), the usage sink and itself.',
    language: 'promql',
    datasourceUid: PROM,
    instant: true,
    unit: 'none',
    legendFormat: '{{job}}',
    expr: `up{job=~"${[J.collectorExporter, J.collectorTelemetry, J.sink, J.prometheus].join('|')}"}`,
  },
  pipeline_database: {
    title: 'Ledger database',
    description: "The usage sink's last use of PostgreSQL: 1 succeeded, 0 failed.",
    language: 'promql',
    datasourceUid: PROM,
    instant: true,
    unit: 'none',
    expr: `min(${M.sinkDatabaseUp})`,
  },
  endpoint_calls: {
    title: 'Endpoint calls',
    description: 'HTTP requests per route template in the period.',
    language: 'promql',
    datasourceUid: PROM,
    instant: true,
    unit: COUNT_UNIT,
    legendFormat: `{{${L.httpRoute}}}`,
    expr: `sum by (${L.httpRoute}) (increase(${M.httpDuration}_count${svc}[$__range]))`,
  },
  endpoint_avg_latency_ms: {
    title: 'Endpoint average latency',
    description: 'Average response time per route template in the period, ms.',
    language: 'promql',
    datasourceUid: PROM,
    instant: true,
    unit: 'ms',
    legendFormat: `{{${L.httpRoute}}}`,
    expr: `1000 * sum by (${L.httpRoute}) (increase(${M.httpDuration}_sum${svc}[$__range])) / sum by (${L.httpRoute}) (increase(${M.httpDuration}_count${svc}[$__range]))`,
  },
  endpoint_p95_latency_ms: {
    title: 'Endpoint p95 latency',
    description:
      '95th percentile response time per route template in the period, ms (histogram estimate).',
    language: 'promql',
    datasourceUid: PROM,
    instant: true,
    unit: 'ms',
    legendFormat: `{{${L.httpRoute}}}`,
    expr: `1000 * histogram_quantile(0.95, sum by (${L.httpRoute}, le) (increase(${M.httpDuration}_bucket${svc}[$__range])))`,
  },
  endpoint_error_rate: {
    title: 'Endpoint error rate',
    description: 'Share of 5xx responses per route template in the period.',
    language: 'promql',
    datasourceUid: PROM,
    instant: true,
    unit: 'percentunit',
    legendFormat: `{{${L.httpRoute}}}`,
    expr: `(sum by (${L.httpRoute}) (increase(${M.httpDuration}_count${httpErrors}[$__range])) or sum by (${L.httpRoute}) (increase(${M.httpDuration}_count${svc}[$__range])) * 0) / sum by (${L.httpRoute}) (increase(${M.httpDuration}_count${svc}[$__range]))`,
  },
  http_avg_response_ms: {
    title: 'Average response time',
    description: 'Average HTTP response time over all routes in the period, ms.',
    language: 'promql',
    datasourceUid: PROM,
    instant: true,
    unit: 'ms',
    expr: `1000 * sum(increase(${M.httpDuration}_sum${svc}[$__range])) / sum(increase(${M.httpDuration}_count${svc}[$__range]))`,
  },
  http_error_rate: {
    title: 'HTTP error rate',
    description: 'Share of 5xx responses over all routes in the period.',
    language: 'promql',
    datasourceUid: PROM,
    instant: true,
    unit: 'percentunit',
    expr: `(sum(increase(${M.httpDuration}_count${httpErrors}[$__range])) or vector(0)) / sum(increase(${M.httpDuration}_count${svc}[$__range]))`,
  },
  llm_request_rate: {
    title: 'LLM requests per second',
    description: 'Model calls per second by model (recorded 5-minute rate).',
    language: 'promql',
    datasourceUid: PROM,
    unit: 'reqps',
    legendFormat: `{{${L.model}}}`,
    expr: `sum by (${L.model}) (${R.llmRequestRate}${llm})`,
  },
  llm_error_rate: {
    title: 'LLM error rate',
    description: 'Share of model calls that failed (recorded 5-minute rates).',
    language: 'promql',
    datasourceUid: PROM,
    unit: 'percentunit',
    expr: `(sum(${R.llmErrorRate}${llm}) or vector(0)) / sum(${R.llmRequestRate}${llm})`,
  },
  llm_p95_latency_ms: {
    title: 'LLM p95 latency',
    description:
      '95th percentile model-call duration by model, ms (recorded 5-minute bucket rates).',
    language: 'promql',
    datasourceUid: PROM,
    unit: 'ms',
    legendFormat: `{{${L.model}}}`,
    expr: `1000 * histogram_quantile(0.95, sum by (${L.model}, le) (${R.llmDurationBucketRate}${llm}))`,
  },
  llm_ttft_p50_ms: {
    title: 'Time to first token, p50',
    description:
      'Median time from a streamed model call to its first chunk, ms (5-minute rate of the time-to-first-chunk histograms).',
    language: 'promql',
    datasourceUid: PROM,
    unit: 'ms',
    legendFormat: 'p50',
    expr: ttftQuantile(0.5),
  },
  llm_ttft_p95_ms: {
    title: 'Time to first token, p95',
    description:
      '95th percentile time from a streamed model call to its first chunk, ms (5-minute rate of the time-to-first-chunk histograms).',
    language: 'promql',
    datasourceUid: PROM,
    unit: 'ms',
    legendFormat: 'p95',
    expr: ttftQuantile(0.95),
  },
  llm_cost_per_hour: {
    title: 'LLM cost per hour',
    description: 'Spend rate in USD per hour by model (recorded 5-minute rate).',
    language: 'promql',
    datasourceUid: PROM,
    unit: 'currencyUSD',
    legendFormat: `{{${L.model}}}`,
    expr: `3600 * sum by (${L.model}) (${R.llmCostRate}${llm})`,
  },
  http_request_rate: {
    title: 'HTTP requests per second',
    description: 'Requests per second by route template (recorded 5-minute rate).',
    language: 'promql',
    datasourceUid: PROM,
    unit: 'reqps',
    legendFormat: `{{${L.httpRoute}}}`,
    expr: `sum by (${L.httpRoute}) (${R.httpRequestRate}${svc})`,
  },
  llm_errors_by_type: {
    title: 'LLM errors by type',
    description: 'Failed model calls in the period by error type.',
    language: 'promql',
    datasourceUid: PROM,
    instant: true,
    unit: COUNT_UNIT,
    legendFormat: `{{${L.errorType}}}`,
    expr: `sum by (${L.errorType}) (increase(${llmDurationSeries('_count', llmErrors)}[$__range]))`,
  },
});

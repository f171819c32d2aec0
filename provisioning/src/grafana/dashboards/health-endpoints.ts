import { fallingThresholds, risingThresholds, DISPLAY_LEVELS } from './colours';
import { dashboard } from './dashboard';
import { layoutRows, rowHeader, stat, table, timeseries } from './panels';
import { endpointTable, healthTable, HEALTH_UID, UP_DOWN } from './shared-panels';

/** "Service Health & Endpoints": dependency and pipeline health (C1, C2), HTTP routes (B10), LLM latency and errors. */
export function healthEndpointsDashboard(): ReturnType<typeof dashboard> {
  return dashboard({
    uid: HEALTH_UID,
    title: 'Service Health & Endpoints',
    description:
      "Health of the services' dependencies and of the Tokenmeter pipeline, HTTP endpoint performance, model-call latency and errors.",
    tags: ['health', 'endpoints'],
    variables: ['service', 'model', 'billing_mode', 'plan'],
    from: 'now-6h',
    panels: layoutRows([
      [
        stat({
          title: 'Overall health',
          queries: ['health_overall'],
          w: 6,
          h: 5,
          mappings: UP_DOWN,
          thresholds: fallingThresholds(0.5, 1),
        }),
        stat({ title: 'Last health check', queries: ['health_last_check'], w: 6, h: 5 }),
        table({
          title: 'Pipeline',
          queries: ['pipeline_health'],
          w: 8,
          h: 5,
          mappings: UP_DOWN,
          thresholds: fallingThresholds(0.5, 1),
        }),
        stat({
          title: 'Ledger database',
          queries: ['pipeline_database'],
          w: 4,
          h: 5,
          mappings: UP_DOWN,
          thresholds: fallingThresholds(0.5, 1),
        }),
      ],
      [healthTable(24, 6)],
      [rowHeader('Endpoints')],
      [
        endpointTable(16, 9),
        stat({
          title: 'Average response time',
          queries: ['http_avg_response_ms'],
          w: 4,
          h: 9,
          thresholds: risingThresholds(DISPLAY_LEVELS.httpLatencyMs),
        }),
        stat({
          title: 'HTTP error rate',
          queries: ['http_error_rate'],
          w: 4,
          h: 9,
          decimals: 2,
          thresholds: risingThresholds(DISPLAY_LEVELS.errorRate),
        }),
      ],
      [
        timeseries({
          title: 'HTTP requests per second',
          queries: ['http_request_rate'],
          w: 24,
          h: 8,
        }),
      ],
      [rowHeader('Model calls')],
      [
        timeseries({
          title: 'LLM p95 latency',
          queries: ['llm_p95_latency_ms'],
          w: 12,
          h: 8,
          thresholds: risingThresholds(DISPLAY_LEVELS.latencyMs),
          custom: { thresholdsStyle: { mode: 'line' } },
        }),
        timeseries({
          title: 'LLM error rate',
          queries: ['llm_error_rate'],
          w: 12,
          h: 8,
          thresholds: risingThresholds(DISPLAY_LEVELS.errorRate),
          custom: { thresholdsStyle: { mode: 'line' } },
        }),
      ],
      [
        timeseries({ title: 'LLM requests per second', queries: ['llm_request_rate'], w: 8, h: 8 }),
        timeseries({ title: 'LLM cost per hour', queries: ['llm_cost_per_hour'], w: 8, h: 8 }),
        table({ title: 'LLM errors by type', queries: ['llm_errors_by_type'], w: 8, h: 8 }),
      ],
      [
        timeseries({
          title: 'Time to first token',
          description:
            'How long streamed model calls wait for their first chunk: median (p50) and p95, ms.',
          queries: ['llm_ttft_p50_ms', 'llm_ttft_p95_ms'],
          w: 24,
          h: 8,
        }),
      ],
    ]),
  });
}

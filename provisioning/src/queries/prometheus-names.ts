// Prometheus series and label names as the Collector's prometheus exporter writes them
// (UnderscoreEscapingWithSuffixes: dots → underscores, unit and _total suffixes; the service is `job`).
// Source of truth for the OpenTelemetry side: @tokenmeter/conventions and docs/contracts.md.

export const PROM_METRICS = {
  /** Model-call durations of Tokenmeter's instrumentation and of emitters on semconv ≤ 1.41. */
  llmDuration: 'gen_ai_client_operation_duration_seconds',
  tokenUsage: 'gen_ai_client_token_usage',
  timeToFirstChunk: 'gen_ai_client_operation_time_to_first_chunk_seconds',
  llmCost: 'tokenmeter_llm_cost_usd_total',
  unpricedTokens: 'tokenmeter_llm_unpriced_tokens_total',
  httpDuration: 'http_server_request_duration_seconds',
  healthStatus: 'tokenmeter_health_status',
  healthLastCheck: 'tokenmeter_health_last_check_seconds',
  cacheRequests: 'tokenmeter_cache_requests_total',
  events: 'tokenmeter_events_total',
  sinkDatabaseUp: 'tokenmeter_sink_database_up',
} as const;

/**
 * Series that other emitters write and Tokenmeter's instrumentation does not: the GenAI metrics of
 * semantic-conventions-genai v0.1.0, where inference moved off gen_ai.client.operation.duration and
 * counters replace the gen_ai.client.token.usage histogram (names verified through the real
 * Collector by collector/src/dialects/dialect-metrics.test.ts).
 */
export const OTHER_EMITTER_METRICS = {
  llmInferenceDuration: 'gen_ai_client_inference_duration_seconds',
  inferenceInputTokens: 'gen_ai_client_inference_usage_input_tokens_total',
  inferenceOutputTokens: 'gen_ai_client_inference_usage_output_tokens_total',
  inferenceTimeToFirstChunk: 'gen_ai_client_inference_time_to_first_chunk_seconds',
} as const;

/**
 * The `__name__` pattern of every model-call duration histogram, ours and other emitters' (one
 * emitter writes a call to one of them), without the `_count`/`_bucket`/`_sum` suffix.
 */
export const LLM_DURATION_NAMES = `(${PROM_METRICS.llmDuration}|${OTHER_EMITTER_METRICS.llmInferenceDuration})`;

export const PROM_LABELS = {
  service: 'job',
  model: 'gen_ai_request_model',
  operation: 'gen_ai_operation_name',
  provider: 'gen_ai_provider_name',
  tokenType: 'gen_ai_token_type',
  errorType: 'error_type',
  billingMode: 'tokenmeter_billing_mode',
  promptName: 'tokenmeter_prompt_name',
  plan: 'tokenmeter_plan',
  healthComponent: 'tokenmeter_health_component',
  cacheName: 'cache_name',
  cacheResult: 'cache_result',
  eventName: 'event_name',
  eventType: 'event_type',
  httpRoute: 'http_route',
  httpStatus: 'http_response_status_code',
} as const;

/** Scrape jobs of provisioning/prometheus/prometheus.yml (the pipeline's own health). */
export const SCRAPE_JOBS = {
  collectorExporter: 'tokenmeter-collector',
  collectorTelemetry: 'tokenmeter-collector-telemetry',
  sink: 'tokenmeter-sink',
  prometheus: 'prometheus',
} as const;

/** Series written by provisioning/prometheus/rules/tokenmeter.rules.yml. */
export const RECORDED = {
  llmRequestRate: 'tokenmeter:llm_requests:rate5m',
  llmErrorRate: 'tokenmeter:llm_errors:rate5m',
  llmDurationBucketRate: 'tokenmeter:llm_duration_seconds_bucket:rate5m',
  llmCostRate: 'tokenmeter:llm_cost_usd:rate5m',
  httpRequestRate: 'tokenmeter:http_requests:rate5m',
} as const;

// The one place for every span attribute, metric name and label value Tokenmeter emits or reads.
// GenAI names follow the OpenTelemetry GenAI semantic conventions (v1.41); the collector's usage
// sink, the provisioning and the dashboards import them from here (`@tokenmeter/conventions`).

// --- GenAI span attributes (semconv) ---
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
export const ATTR_GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
export const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
export const ATTR_GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model';
export const ATTR_GEN_AI_RESPONSE_ID = 'gen_ai.response.id';
export const ATTR_GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons';
export const ATTR_GEN_AI_REQUEST_MAX_TOKENS = 'gen_ai.request.max_tokens';
export const ATTR_GEN_AI_REQUEST_TEMPERATURE = 'gen_ai.request.temperature';
export const ATTR_GEN_AI_REQUEST_TOP_P = 'gen_ai.request.top_p';
/** Prompt tokens, including cached ones. */
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
/** Completion tokens, including reasoning ones. */
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
export const ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = 'gen_ai.usage.cache_read.input_tokens';
export const ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS = 'gen_ai.usage.reasoning.output_tokens';
/** Metric label only: `input` or `output`. */
export const ATTR_GEN_AI_TOKEN_TYPE = 'gen_ai.token.type';
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_SERVER_ADDRESS = 'server.address';
export const ATTR_SERVER_PORT = 'server.port';
/** The tier that served an OpenAI call (`default`, `flex`, `priority`, ...); pricing reads it. */
export const ATTR_OPENAI_RESPONSE_SERVICE_TIER = 'openai.response.service_tier';
export const ATTR_OPENAI_REQUEST_SERVICE_TIER = 'openai.request.service_tier';

/** Names older emitters still send; readers accept them when the current name is absent. */
export const LEGACY_ATTR_GEN_AI_SYSTEM = 'gen_ai.system';
export const LEGACY_ATTR_GEN_AI_USAGE_PROMPT_TOKENS = 'gen_ai.usage.prompt_tokens';
export const LEGACY_ATTR_GEN_AI_USAGE_COMPLETION_TOKENS = 'gen_ai.usage.completion_tokens';

// --- Tokenmeter product attributes (spans; also the baggage keys of attribution) ---
export const ATTR_ENDUSER_ID = 'enduser.id';
export const ATTR_TOKENMETER_PROMPT_NAME = 'tokenmeter.prompt.name';
export const ATTR_TOKENMETER_BILLING_MODE = 'tokenmeter.billing.mode';
export const ATTR_TOKENMETER_PLAN = 'tokenmeter.plan';
export const ATTR_TOKENMETER_COST_USD = 'tokenmeter.cost.usd';
export const ATTR_TOKENMETER_PRICING_VERSION = 'tokenmeter.pricing.version';
export const ATTR_TOKENMETER_STREAMING = 'tokenmeter.streaming';
export const ATTR_TOKENMETER_TIME_TO_FIRST_TOKEN_MS = 'tokenmeter.time_to_first_token_ms';
export const ATTR_TOKENMETER_OUTPUT_TOKENS_PER_S = 'tokenmeter.output_tokens_per_s';

// --- Around the model calls (metric labels) ---
export const ATTR_TOKENMETER_HEALTH_COMPONENT = 'tokenmeter.health.component';
export const ATTR_CACHE_NAME = 'cache.name';
export const ATTR_CACHE_RESULT = 'cache.result';
export const ATTR_EVENT_NAME = 'event.name';
export const ATTR_EVENT_TYPE = 'event.type';
export const ATTR_HTTP_ROUTE = 'http.route';
export const ATTR_HTTP_REQUEST_METHOD = 'http.request.method';
export const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';

// --- Attribute values ---
export const GEN_AI_OPERATION = {
  chat: 'chat',
  textCompletion: 'text_completion',
  embeddings: 'embeddings',
  generateContent: 'generate_content',
  executeTool: 'execute_tool',
  invokeAgent: 'invoke_agent',
} as const;

/** gen_ai.provider.name values (semconv well-known values; `meta` for Llama at any host). */
export const GEN_AI_PROVIDER = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'gcp.gemini',
  vertexAi: 'gcp.vertex_ai',
  mistral: 'mistral_ai',
  meta: 'meta',
  azureOpenai: 'azure.ai.openai',
  awsBedrock: 'aws.bedrock',
} as const;

export const GEN_AI_TOKEN_TYPE = { input: 'input', output: 'output' } as const;

export const BILLING_MODES = ['system', 'byok'] as const;
export type BillingMode = (typeof BILLING_MODES)[number];
export const PLANS = ['free', 'pro'] as const;
export type Plan = (typeof PLANS)[number];
export const DEFAULT_BILLING_MODE: BillingMode = 'system';
export const DEFAULT_PLAN: Plan = 'pro';

export const CACHE_RESULT = { hit: 'hit', miss: 'miss' } as const;

/** error.type when nothing more specific is known (semconv fallback value). */
export const ERROR_TYPE_OTHER = '_OTHER';

// --- Metric names (OpenTelemetry) ---
export const METRIC_GEN_AI_CLIENT_OPERATION_DURATION = 'gen_ai.client.operation.duration';
export const METRIC_GEN_AI_CLIENT_TOKEN_USAGE = 'gen_ai.client.token.usage';
export const METRIC_GEN_AI_CLIENT_TIME_TO_FIRST_CHUNK =
  'gen_ai.client.operation.time_to_first_chunk';
export const METRIC_TOKENMETER_LLM_COST = 'tokenmeter.llm.cost.usd';
export const METRIC_TOKENMETER_LLM_UNPRICED_TOKENS = 'tokenmeter.llm.unpriced.tokens';
export const METRIC_HTTP_SERVER_REQUEST_DURATION = 'http.server.request.duration';
export const METRIC_TOKENMETER_HEALTH_STATUS = 'tokenmeter.health.status';
/** Unix time (s) of a component's last completed check, whatever its result. */
export const METRIC_TOKENMETER_HEALTH_LAST_CHECK = 'tokenmeter.health.last_check';
export const METRIC_TOKENMETER_CACHE_REQUESTS = 'tokenmeter.cache.requests';
export const METRIC_TOKENMETER_EVENTS = 'tokenmeter.events';
export const METRIC_TOKENMETER_EXPORT_DROPPED = 'tokenmeter.export.dropped';

/** Seconds; the semconv advice for GenAI durations plus a 2 s boundary for the 2000 ms alert. */
export const GEN_AI_DURATION_BUCKETS_S = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
] as const;
/** Semconv advice for gen_ai.client.token.usage. */
export const GEN_AI_TOKEN_USAGE_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
] as const;
/** Seconds; semconv advice for time to first chunk, plus the same 2 s boundary. */
export const GEN_AI_TIME_TO_FIRST_CHUNK_BUCKETS_S = GEN_AI_DURATION_BUCKETS_S;
/** Seconds; semconv advice for http.server.request.duration plus 2 s. */
export const HTTP_SERVER_DURATION_BUCKETS_S = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2, 2.5, 5, 7.5, 10,
] as const;

/**
 * The only attributes each metric may carry as labels (bounded cardinality). enduser.id and the
 * answering model snapshot are on none of them: they stay on spans and ledger rows.
 */
export const METRIC_LABELS = {
  [METRIC_GEN_AI_CLIENT_OPERATION_DURATION]: [
    ATTR_GEN_AI_OPERATION_NAME,
    ATTR_GEN_AI_PROVIDER_NAME,
    ATTR_GEN_AI_REQUEST_MODEL,
    ATTR_ERROR_TYPE,
    ATTR_TOKENMETER_BILLING_MODE,
    ATTR_TOKENMETER_PROMPT_NAME,
    ATTR_TOKENMETER_PLAN,
  ],
  [METRIC_GEN_AI_CLIENT_TOKEN_USAGE]: [
    ATTR_GEN_AI_OPERATION_NAME,
    ATTR_GEN_AI_PROVIDER_NAME,
    ATTR_GEN_AI_REQUEST_MODEL,
    ATTR_GEN_AI_TOKEN_TYPE,
    ATTR_TOKENMETER_BILLING_MODE,
    ATTR_TOKENMETER_PROMPT_NAME,
    ATTR_TOKENMETER_PLAN,
  ],
  [METRIC_GEN_AI_CLIENT_TIME_TO_FIRST_CHUNK]: [
    ATTR_GEN_AI_OPERATION_NAME,
    ATTR_GEN_AI_PROVIDER_NAME,
    ATTR_GEN_AI_REQUEST_MODEL,
    ATTR_TOKENMETER_PROMPT_NAME,
  ],
  [METRIC_TOKENMETER_LLM_COST]: [
    ATTR_GEN_AI_OPERATION_NAME,
    ATTR_GEN_AI_PROVIDER_NAME,
    ATTR_GEN_AI_REQUEST_MODEL,
    ATTR_TOKENMETER_BILLING_MODE,
    ATTR_TOKENMETER_PROMPT_NAME,
    ATTR_TOKENMETER_PLAN,
  ],
  [METRIC_TOKENMETER_LLM_UNPRICED_TOKENS]: [
    ATTR_GEN_AI_PROVIDER_NAME,
    ATTR_GEN_AI_REQUEST_MODEL,
    ATTR_GEN_AI_TOKEN_TYPE,
  ],
  [METRIC_HTTP_SERVER_REQUEST_DURATION]: [
    ATTR_HTTP_REQUEST_METHOD,
    ATTR_HTTP_ROUTE,
    ATTR_HTTP_RESPONSE_STATUS_CODE,
    ATTR_ERROR_TYPE,
  ],
  [METRIC_TOKENMETER_HEALTH_STATUS]: [ATTR_TOKENMETER_HEALTH_COMPONENT],
  [METRIC_TOKENMETER_HEALTH_LAST_CHECK]: [ATTR_TOKENMETER_HEALTH_COMPONENT],
  [METRIC_TOKENMETER_CACHE_REQUESTS]: [ATTR_CACHE_NAME, ATTR_CACHE_RESULT],
  [METRIC_TOKENMETER_EVENTS]: [ATTR_EVENT_NAME, ATTR_EVENT_TYPE],
  [METRIC_TOKENMETER_EXPORT_DROPPED]: ['signal', 'reason'],
} as const satisfies Record<string, readonly string[]>;

/** Metric names after the Collector's Prometheus exporter (docs/contracts.md; verified by the collector). */
export const PROMETHEUS_METRIC = {
  operationDuration: 'gen_ai_client_operation_duration_seconds',
  tokenUsage: 'gen_ai_client_token_usage',
  timeToFirstChunk: 'gen_ai_client_operation_time_to_first_chunk_seconds',
  costUsd: 'tokenmeter_llm_cost_usd_total',
  unpricedTokens: 'tokenmeter_llm_unpriced_tokens_total',
  httpServerDuration: 'http_server_request_duration_seconds',
  healthStatus: 'tokenmeter_health_status',
  healthLastCheck: 'tokenmeter_health_last_check_seconds',
  cacheRequests: 'tokenmeter_cache_requests_total',
  events: 'tokenmeter_events_total',
} as const;

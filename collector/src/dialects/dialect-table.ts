// The one table of the span attributes the usage sink reads, per ledger field, in every GenAI
// "dialect" it accepts. The sink (../ledger/span-to-call) reads a field from the first name of its
// list that the span carries; the Collector's filter (./collector-filter, checked against
// otelcol.yaml by a test) keeps exactly the spans whose operation this table marks as a model call.
//
// Names are facts taken from each emitter's published conventions (see DIALECTS[…].reference).

export type DialectId =
  | 'tokenmeter'
  | 'otel-1.30'
  | 'otel-1.37'
  | 'otel-1.41'
  | 'otel-genai-0.1'
  | 'openllmetry-0.4'
  | 'openllmetry-0.5'
  | 'openinference'
  | 'vercel-ai';

export interface Dialect {
  name: string;
  reference: string;
}

export const DIALECTS: Record<DialectId, Dialect> = {
  tokenmeter: {
    name: 'Tokenmeter (@tokenmeter/instrumentation)',
    reference: 'docs/contracts.md: the span contract',
  },
  'otel-1.30': {
    name: 'OpenTelemetry GenAI semconv 1.30',
    reference: 'https://github.com/open-telemetry/semantic-conventions/tree/v1.30.0/docs/gen-ai',
  },
  'otel-1.37': {
    name: 'OpenTelemetry GenAI semconv 1.37',
    reference: 'https://github.com/open-telemetry/semantic-conventions/tree/v1.37.0/docs/gen-ai',
  },
  'otel-1.41': {
    name: 'OpenTelemetry GenAI semconv 1.41',
    reference: 'https://github.com/open-telemetry/semantic-conventions/tree/v1.41.0/docs/gen-ai',
  },
  'otel-genai-0.1': {
    name: 'OpenTelemetry semantic-conventions-genai v0.1.0',
    reference:
      'https://github.com/open-telemetry/semantic-conventions-genai (model/gen-ai/registry.yaml)',
  },
  'openllmetry-0.4': {
    name: 'OpenLLMetry (Traceloop) semconv-ai 0.4',
    reference:
      'https://github.com/traceloop/openllmetry/tree/main/packages/opentelemetry-semantic-conventions-ai',
  },
  'openllmetry-0.5': {
    name: 'OpenLLMetry (Traceloop) semconv-ai 0.5',
    reference:
      'https://github.com/traceloop/openllmetry/tree/main/packages/opentelemetry-semantic-conventions-ai',
  },
  openinference: {
    name: 'OpenInference (Arize / Phoenix)',
    reference: 'https://github.com/Arize-ai/openinference/blob/main/spec/semantic_conventions.md',
  },
  'vercel-ai': {
    name: 'Vercel AI SDK telemetry (v4 to v6)',
    reference: 'https://ai-sdk.dev/docs/ai-sdk-core/telemetry',
  },
};

/** How the value of an operation attribute says whether the span is a billed model call. */
export type OperationRule =
  /** gen_ai.operation.name: every operation but the agent, workflow and tool ones. */
  | 'semconv'
  /** openinference.span.kind: LLM and EMBEDDING only. */
  | 'openinference-kind'
  /** llm.request.type: every value (chat, completion, embedding, rerank, unknown). */
  | 'openllmetry-request-type'
  /** ai.operationId: only the provider calls (….doGenerate, ….doStream, ….doEmbed). */
  | 'vercel-operation-id';

export interface AcceptedName {
  key: string;
  dialects: readonly DialectId[];
  /** Operation names: how the value classifies the span. */
  operation?: OperationRule;
  /**
   * Cache token names: whether the emitter counts these tokens inside the input count (the
   * semconv rule) or beside it (the input count excludes them, as AI SDK ≤ 5 does).
   */
  cache?: 'inside' | 'beside';
  /** Durations: the unit of the value (the ledger keeps milliseconds). */
  unit?: 'ms' | 's';
  /** Provider names: `vercel` values name the provider and its API (`openai.chat`). */
  provider?: 'vercel';
  /**
   * Model names: `answered-or-requested` values name the answered model when the emitter saw
   * one, else the requested one (OpenInference's `llm.model_name`); the requested model is then
   * read from the request's parameters when the span has them (`invocationParameters`).
   */
  model?: 'answered-or-requested';
}

const OTEL_ALL: readonly DialectId[] = ['otel-1.30', 'otel-1.37', 'otel-1.41', 'otel-genai-0.1'];
const OTEL_SINCE_1_37: readonly DialectId[] = ['otel-1.37', 'otel-1.41', 'otel-genai-0.1'];
const OPENLLMETRY: readonly DialectId[] = ['openllmetry-0.4', 'openllmetry-0.5'];

/** For each ledger field, the accepted attribute names, in order: the first one present wins. */
export const FIELD_NAMES = {
  operation: [
    {
      key: 'gen_ai.operation.name',
      dialects: ['tokenmeter', ...OTEL_ALL, 'openllmetry-0.5'],
      operation: 'semconv',
    },
    {
      key: 'openinference.span.kind',
      dialects: ['openinference'],
      operation: 'openinference-kind',
    },
    { key: 'llm.request.type', dialects: OPENLLMETRY, operation: 'openllmetry-request-type' },
    { key: 'ai.operationId', dialects: ['vercel-ai'], operation: 'vercel-operation-id' },
  ],
  provider: [
    { key: 'gen_ai.provider.name', dialects: ['tokenmeter', ...OTEL_SINCE_1_37] },
    // The AI SDK also writes gen_ai.system with the same `openai.chat` value: read its own name first.
    { key: 'ai.model.provider', dialects: ['vercel-ai'], provider: 'vercel' },
    { key: 'llm.provider', dialects: ['openinference'] },
    { key: 'gen_ai.system', dialects: ['otel-1.30', ...OPENLLMETRY] },
    { key: 'llm.system', dialects: ['openinference'] },
  ],
  requestModel: [
    {
      key: 'gen_ai.request.model',
      dialects: ['tokenmeter', ...OTEL_ALL, ...OPENLLMETRY, 'vercel-ai'],
    },
    { key: 'ai.model.id', dialects: ['vercel-ai'] },
    { key: 'llm.model_name', dialects: ['openinference'], model: 'answered-or-requested' },
  ],
  responseModel: [
    {
      key: 'gen_ai.response.model',
      dialects: ['tokenmeter', ...OTEL_ALL, ...OPENLLMETRY, 'vercel-ai'],
    },
    { key: 'ai.response.model', dialects: ['vercel-ai'] },
  ],
  inputTokens: [
    {
      key: 'gen_ai.usage.input_tokens',
      dialects: ['tokenmeter', ...OTEL_ALL, 'openllmetry-0.5', 'vercel-ai'],
    },
    { key: 'gen_ai.usage.prompt_tokens', dialects: ['openllmetry-0.4'] },
    { key: 'llm.token_count.prompt', dialects: ['openinference'] },
    { key: 'ai.usage.inputTokens', dialects: ['vercel-ai'] },
    { key: 'ai.usage.promptTokens', dialects: ['vercel-ai'] },
  ],
  outputTokens: [
    {
      key: 'gen_ai.usage.output_tokens',
      dialects: ['tokenmeter', ...OTEL_ALL, 'openllmetry-0.5', 'vercel-ai'],
    },
    { key: 'gen_ai.usage.completion_tokens', dialects: ['openllmetry-0.4'] },
    { key: 'llm.token_count.completion', dialects: ['openinference'] },
    { key: 'ai.usage.outputTokens', dialects: ['vercel-ai'] },
    { key: 'ai.usage.completionTokens', dialects: ['vercel-ai'] },
  ],
  cacheReadTokens: [
    {
      key: 'gen_ai.usage.cache_read.input_tokens',
      dialects: ['tokenmeter', 'otel-1.41', 'otel-genai-0.1', 'openllmetry-0.5'],
      cache: 'inside',
    },
    // OpenLLMetry adds Anthropic's cache reads and writes into its input count itself.
    { key: 'gen_ai.usage.cache_read_input_tokens', dialects: ['openllmetry-0.4'], cache: 'inside' },
    {
      key: 'llm.token_count.prompt_details.cache_read',
      dialects: ['openinference'],
      cache: 'inside',
    },
    { key: 'ai.usage.inputTokenDetails.cacheReadTokens', dialects: ['vercel-ai'], cache: 'inside' },
    // AI SDK ≤ 5 reports the input without the cached tokens; v6 also writes this name, but its
    // inputTokenDetails above come first.
    { key: 'ai.usage.cachedInputTokens', dialects: ['vercel-ai'], cache: 'beside' },
  ],
  cacheWriteTokens: [
    { key: 'gen_ai.usage.cache_write.input_tokens', dialects: ['otel-genai-0.1'], cache: 'inside' },
    {
      key: 'gen_ai.usage.cache_creation.input_tokens',
      dialects: ['otel-1.41', 'openllmetry-0.5'],
      cache: 'inside',
    },
    {
      key: 'gen_ai.usage.cache_creation_input_tokens',
      dialects: ['openllmetry-0.4'],
      cache: 'inside',
    },
    {
      key: 'llm.token_count.prompt_details.cache_write',
      dialects: ['openinference'],
      cache: 'inside',
    },
    {
      key: 'ai.usage.inputTokenDetails.cacheWriteTokens',
      dialects: ['vercel-ai'],
      cache: 'inside',
    },
  ],
  reasoningTokens: [
    {
      key: 'gen_ai.usage.reasoning.output_tokens',
      dialects: ['tokenmeter', 'otel-1.41', 'otel-genai-0.1'],
    },
    { key: 'gen_ai.usage.reasoning_tokens', dialects: OPENLLMETRY },
    { key: 'llm.token_count.completion_details.reasoning', dialects: ['openinference'] },
    { key: 'ai.usage.outputTokenDetails.reasoningTokens', dialects: ['vercel-ai'] },
    { key: 'ai.usage.reasoningTokens', dialects: ['vercel-ai'] },
  ],
  userId: [
    { key: 'enduser.id', dialects: ['tokenmeter', 'otel-1.30', 'otel-1.37'] },
    { key: 'user.id', dialects: ['otel-1.41', 'otel-genai-0.1', 'openinference'] },
    { key: 'llm.user', dialects: OPENLLMETRY },
    { key: 'traceloop.association.properties.user_id', dialects: OPENLLMETRY },
    { key: 'ai.telemetry.metadata.userId', dialects: ['vercel-ai'] },
  ],
  sessionId: [
    { key: 'gen_ai.conversation.id', dialects: ['tokenmeter', ...OTEL_SINCE_1_37] },
    { key: 'session.id', dialects: ['openinference'] },
    { key: 'traceloop.association.properties.session_id', dialects: OPENLLMETRY },
    { key: 'ai.telemetry.metadata.sessionId', dialects: ['vercel-ai'] },
  ],
  promptName: [
    { key: 'tokenmeter.prompt.name', dialects: ['tokenmeter'] },
    { key: 'traceloop.prompt.key', dialects: OPENLLMETRY },
    { key: 'ai.telemetry.functionId', dialects: ['vercel-ai'] },
  ],
  promptVersion: [
    { key: 'tokenmeter.prompt.version', dialects: ['tokenmeter'] },
    { key: 'traceloop.prompt.version', dialects: OPENLLMETRY },
    { key: 'llm.prompt_template.version', dialects: ['openinference'] },
  ],
  serviceTier: [
    // The tier that served the call before the one asked for (`auto` → `default`).
    { key: 'openai.response.service_tier', dialects: OTEL_SINCE_1_37 },
    { key: 'gen_ai.openai.response.service_tier', dialects: ['otel-1.30', ...OPENLLMETRY] },
    { key: 'openai.request.service_tier', dialects: OTEL_SINCE_1_37 },
    { key: 'gen_ai.openai.request.service_tier', dialects: ['otel-1.30', ...OPENLLMETRY] },
  ],
  streaming: [
    { key: 'tokenmeter.streaming', dialects: ['tokenmeter'] },
    { key: 'gen_ai.request.stream', dialects: ['otel-genai-0.1'] },
    { key: 'llm.is_streaming', dialects: OPENLLMETRY },
    // OpenLLMetry's instrumentations since semconv-ai 0.5 (Python opentelemetry-instrumentation-openai 0.62)
    { key: 'gen_ai.is_streaming', dialects: ['openllmetry-0.5'] },
  ],
  timeToFirstToken: [
    { key: 'tokenmeter.time_to_first_token_ms', dialects: ['tokenmeter'], unit: 'ms' },
    { key: 'gen_ai.response.time_to_first_chunk', dialects: ['otel-genai-0.1'], unit: 's' },
    { key: 'ai.response.msToFirstChunk', dialects: ['vercel-ai'], unit: 'ms' },
    { key: 'ai.stream.msToFirstChunk', dialects: ['vercel-ai'], unit: 'ms' },
  ],
  outputTokensPerS: [
    { key: 'tokenmeter.output_tokens_per_s', dialects: ['tokenmeter'] },
    { key: 'ai.response.avgOutputTokensPerSecond', dialects: ['vercel-ai'] },
    { key: 'ai.response.avgCompletionTokensPerSecond', dialects: ['vercel-ai'] },
  ],
  errorType: [{ key: 'error.type', dialects: ['tokenmeter', ...OTEL_ALL, ...OPENLLMETRY] }],
  /** A cost the provider reported for the call (e.g. OpenRouter's usage accounting). */
  reportedCostUsd: [
    { key: 'gen_ai.usage.cost', dialects: OPENLLMETRY },
    { key: 'llm.cost.total', dialects: ['openinference'] },
    { key: 'llm.usage.cost', dialects: OPENLLMETRY },
  ],
  /** Tokenmeter's own fields: the cost priced by the instrumentation at call time, attribution. */
  emitterCostUsd: [{ key: 'tokenmeter.cost.usd', dialects: ['tokenmeter'] }],
  pricingVersion: [{ key: 'tokenmeter.pricing.version', dialects: ['tokenmeter'] }],
  billingMode: [{ key: 'tokenmeter.billing.mode', dialects: ['tokenmeter'] }],
  plan: [{ key: 'tokenmeter.plan', dialects: ['tokenmeter'] }],
  /**
   * The request's parameters as JSON text (OpenInference): the requested `model` and whether the
   * call asked for a `stream` are read from it (./normalise invocationParameters); nothing else.
   */
  invocationParameters: [{ key: 'llm.invocation_parameters', dialects: ['openinference'] }],
} as const satisfies Record<string, readonly AcceptedName[]>;

export type LedgerField = keyof typeof FIELD_NAMES;
export const LEDGER_FIELDS = Object.keys(FIELD_NAMES) as LedgerField[];

/**
 * The index of each field in LEDGER_FIELDS, written out so that the sink's reads are constant
 * indexes (a test holds the two together).
 */
export const FIELD = {
  operation: 0,
  provider: 1,
  requestModel: 2,
  responseModel: 3,
  inputTokens: 4,
  outputTokens: 5,
  cacheReadTokens: 6,
  cacheWriteTokens: 7,
  reasoningTokens: 8,
  userId: 9,
  sessionId: 10,
  promptName: 11,
  promptVersion: 12,
  serviceTier: 13,
  streaming: 14,
  timeToFirstToken: 15,
  outputTokensPerS: 16,
  errorType: 17,
  reportedCostUsd: 18,
  emitterCostUsd: 19,
  pricingVersion: 20,
  billingMode: 21,
  plan: 22,
  invocationParameters: 23,
} as const satisfies Record<LedgerField, number>;

/** gen_ai.operation.name values of spans that repeat their children's totals or call no model. */
export const NON_MODEL_OPERATIONS: readonly string[] = [
  'invoke_agent',
  'create_agent',
  'invoke_workflow',
  'execute_tool',
  'plan',
];

/** openinference.span.kind values of model calls, and the operation each is. */
export const OPENINFERENCE_MODEL_KINDS: Readonly<Record<string, string>> = {
  LLM: 'chat',
  EMBEDDING: 'embeddings',
};

/** llm.request.type values and the semconv operation each is (others are kept as they are). */
export const OPENLLMETRY_REQUEST_TYPES: Readonly<Record<string, string>> = {
  chat: 'chat',
  completion: 'text_completion',
  embedding: 'embeddings',
  rerank: 'rerank',
};

/** ai.operationId of the AI SDK's provider calls: `ai.<function>.doGenerate|doStream|doEmbed`. */
export const VERCEL_PROVIDER_CALL = /\.(doGenerate|doStream|doEmbed)$/;

/**
 * Provider names of older conventions and other emitters, as the semconv ≥ 1.37 well-known
 * `gen_ai.provider.name` values (names not listed are kept, lower-cased).
 */
export const PROVIDER_SYNONYMS: Readonly<Record<string, string>> = {
  // semconv 1.30 gen_ai.system values renamed in 1.37
  gemini: 'gcp.gemini',
  vertex_ai: 'gcp.vertex_ai',
  'az.ai.openai': 'azure.ai.openai',
  'az.ai.inference': 'azure.ai.inference',
  xai: 'x_ai',
  // OpenInference llm.provider / llm.system, AI SDK provider ids
  mistralai: 'mistral_ai',
  mistral: 'mistral_ai',
  google: 'gcp.gemini',
  vertexai: 'gcp.vertex_ai',
  'google.vertex': 'gcp.vertex_ai',
  azure: 'azure.ai.openai',
  'azure-openai': 'azure.ai.openai',
  aws: 'aws.bedrock',
  'amazon-bedrock': 'aws.bedrock',
  bedrock: 'aws.bedrock',
};

/**
 * The span attributes the sink stores in the ledger's `attributes` (jsonb) besides the fields
 * above, which have their own columns: request settings, response ids and finish reasons, the
 * server and the agent — never text a user or a model wrote. Every other attribute is dropped and
 * counted (tokenmeter_sink_attributes_dropped_total); operators add names of their own with
 * TOKENMETER_SINK_STORED_ATTRIBUTES (SECURITY.md, docs/contracts.md).
 */
export const STORED_ATTRIBUTES: readonly string[] = [
  // OpenTelemetry GenAI semconv (1.30 to 1.41, genai v0.1.0)
  'gen_ai.request.max_tokens',
  'gen_ai.request.temperature',
  'gen_ai.request.top_p',
  'gen_ai.request.top_k',
  'gen_ai.request.frequency_penalty',
  'gen_ai.request.presence_penalty',
  'gen_ai.request.seed',
  'gen_ai.request.choice.count',
  'gen_ai.request.encoding_formats',
  'gen_ai.response.id',
  'gen_ai.response.finish_reasons',
  'gen_ai.output.type',
  'gen_ai.agent.id',
  'gen_ai.agent.name',
  'gen_ai.data_source.id',
  'gen_ai.openai.request.response_format',
  'gen_ai.openai.response.system_fingerprint',
  'openai.response.system_fingerprint',
  'server.address',
  'server.port',
  // OpenLLMetry
  'llm.usage.total_tokens',
  'llm.frequency_penalty',
  'llm.presence_penalty',
  'llm.top_k',
  // OpenInference
  'llm.token_count.total',
  // Vercel AI SDK
  'ai.response.finishReason',
  'ai.response.id',
  'ai.settings.maxRetries',
  'ai.settings.maxOutputTokens',
  'ai.settings.temperature',
];

/**
 * Attributes that hold message content (prompts, completions, tool arguments, documents) in some
 * dialect: never stored, even when an operator lists them (docs/features.md G3). The allow-list
 * above decides what is stored; these names only say why an attribute was dropped (`content`
 * rather than `not_allowed`) and are what the no-content test sends. Exact names, then prefixes of
 * indexed names.
 */
export const CONTENT_KEYS: readonly string[] = [
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.system_instructions',
  'gen_ai.tool.definitions',
  'gen_ai.tool.call.arguments',
  'gen_ai.tool.call.result',
  'gen_ai.prompt',
  'gen_ai.completion',
  // OpenLIT
  'gen_ai.content.prompt',
  'gen_ai.content.completion',
  'llm.content.completion.chunk',
  'traceloop.entity.input',
  'traceloop.entity.output',
  'traceloop.prompt.template',
  'traceloop.prompt.template_variables',
  'input.value',
  'output.value',
  'llm.prompts',
  'llm.input_messages',
  'llm.output_messages',
  'llm.tools',
  'llm.prompt_template.template',
  'llm.prompt_template.variables',
  'ai.prompt',
  'ai.prompt.messages',
  'ai.prompt.tools',
  'ai.prompt.toolChoice',
  'ai.response.text',
  'ai.response.object',
  'ai.response.toolCalls',
  'ai.response.reasoning',
  'ai.toolCall.args',
  'ai.toolCall.result',
  'ai.value',
  'ai.values',
];
export const CONTENT_PREFIXES: readonly string[] = [
  'gen_ai.prompt.',
  'gen_ai.completion.',
  'llm.input_messages.',
  'llm.output_messages.',
  'llm.prompts.',
  'llm.tools.',
  'embedding.embeddings.',
  'retrieval.documents.',
  'reranker.input_documents.',
  'reranker.output_documents.',
];

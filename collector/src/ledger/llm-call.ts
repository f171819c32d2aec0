/** One row of tokenmeter.llm_calls: one model call. */
export interface LlmCall {
  ts: Date;
  durationMs: number;
  traceId: string;
  spanId: string;
  service: string;
  provider: string;
  operation: string;
  requestModel: string;
  responseModel: string | null;
  promptName: string | null;
  userId: string | null;
  billingMode: string;
  plan: string;
  status: 'success' | 'error';
  errorType: string | null;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  reasoningTokens: number;
  totalTokens: number;
  costUsd: number | null;
  pricingVersion: string | null;
  streaming: boolean;
  timeToFirstTokenMs: number | null;
  outputTokensPerS: number | null;
  /** The span's other attributes, as JSON text. */
  attributes: string;
}

/** Column of llm_calls, its PostgreSQL array type for unnest, and how to read it from an LlmCall. */
interface Column {
  name: string;
  type: string;
  value: (call: LlmCall) => string | number | boolean | null;
}

export const LLM_CALL_COLUMNS: readonly Column[] = [
  { name: 'ts', type: 'timestamptz', value: (c) => c.ts.toISOString() },
  { name: 'duration_ms', type: 'float8', value: (c) => c.durationMs },
  { name: 'trace_id', type: 'text', value: (c) => c.traceId },
  { name: 'span_id', type: 'text', value: (c) => c.spanId },
  { name: 'service', type: 'text', value: (c) => c.service },
  { name: 'provider', type: 'text', value: (c) => c.provider },
  { name: 'operation', type: 'text', value: (c) => c.operation },
  { name: 'request_model', type: 'text', value: (c) => c.requestModel },
  { name: 'response_model', type: 'text', value: (c) => c.responseModel },
  { name: 'prompt_name', type: 'text', value: (c) => c.promptName },
  { name: 'user_id', type: 'text', value: (c) => c.userId },
  { name: 'billing_mode', type: 'text', value: (c) => c.billingMode },
  { name: 'plan', type: 'text', value: (c) => c.plan },
  { name: 'status', type: 'text', value: (c) => c.status },
  { name: 'error_type', type: 'text', value: (c) => c.errorType },
  { name: 'input_tokens', type: 'int8', value: (c) => c.inputTokens },
  { name: 'output_tokens', type: 'int8', value: (c) => c.outputTokens },
  { name: 'cached_input_tokens', type: 'int8', value: (c) => c.cachedInputTokens },
  { name: 'reasoning_tokens', type: 'int8', value: (c) => c.reasoningTokens },
  { name: 'total_tokens', type: 'int8', value: (c) => c.totalTokens },
  { name: 'cost_usd', type: 'numeric', value: (c) => c.costUsd },
  { name: 'pricing_version', type: 'text', value: (c) => c.pricingVersion },
  { name: 'streaming', type: 'bool', value: (c) => c.streaming },
  { name: 'time_to_first_token_ms', type: 'float8', value: (c) => c.timeToFirstTokenMs },
  { name: 'output_tokens_per_s', type: 'float8', value: (c) => c.outputTokensPerS },
  { name: 'attributes', type: 'jsonb', value: (c) => c.attributes },
];

/** The UTC day (YYYY-MM-DD) a call belongs to: its partition and its rollup row. */
export function utcDay(ts: Date): string {
  return ts.toISOString().slice(0, 10);
}

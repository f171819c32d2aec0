export type CostSource = 'computed' | 'reported' | 'unpriced';

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
  /** Input tokens written to a provider cache (part of inputTokens, as cachedInputTokens is). */
  cacheWriteInputTokens: number;
  reasoningTokens: number;
  totalTokens: number;
  costUsd: number | null;
  /** computed: catalog price; reported: the provider's own figure (no catalog price); unpriced: none. */
  costSource: CostSource;
  /** The cost the provider reported on the span, kept beside the computed one. */
  reportedCostUsd: number | null;
  pricingVersion: string | null;
  /** Why costUsd is null (unknown model, unpriced service tier, invalid counts); null when priced. */
  unpricedReason?: string | null;
  streaming: boolean;
  timeToFirstTokenMs: number | null;
  outputTokensPerS: number | null;
  sessionId: string | null;
  promptVersion: string | null;
  serviceTier: string | null;
  /** The span's other attributes, as JSON text. */
  attributes: string;
}

/** Column of llm_calls, its PostgreSQL type, and how to read it from an LlmCall. */
interface Column {
  name: string;
  type: string;
  value: (call: LlmCall) => string | number | boolean | null;
}

export const LLM_CALL_COLUMNS: readonly Column[] = [
  { name: 'ts', type: 'timestamptz', value: (c) => utcTimestamp(c.ts.getTime()) },
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
  { name: 'cache_write_input_tokens', type: 'int8', value: (c) => c.cacheWriteInputTokens },
  { name: 'cost_source', type: 'text', value: (c) => c.costSource },
  { name: 'reported_cost_usd', type: 'numeric', value: (c) => c.reportedCostUsd },
  { name: 'session_id', type: 'text', value: (c) => c.sessionId },
  { name: 'prompt_version', type: 'text', value: (c) => c.promptVersion },
  { name: 'service_tier', type: 'text', value: (c) => c.serviceTier },
  { name: 'attributes', type: 'jsonb', value: (c) => c.attributes },
  { name: 'unpriced_reason', type: 'text', value: (c) => c.unpricedReason ?? null },
];

const DAY_MS = 24 * 60 * 60 * 1000;

/** Days since 1970-01-01 UTC: a number to group calls by partition without formatting dates. */
export function utcDayNumber(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** YYYY-MM-DD of a utcDayNumber. */
export function utcDayText(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
let cachedDay = Number.NaN;
let cachedDayPrefix = '';

/**
 * The same text as new Date(ms).toISOString() (millisecond precision, as LlmCall.ts holds), built
 * from a cached day prefix: Date formatting was a measurable part of the sink's time per span.
 */
export function utcTimestamp(ms: number): string {
  const day = utcDayNumber(ms);
  if (day !== cachedDay) {
    const midnight = new Date(day * DAY_MS).toISOString();
    if (midnight.length !== 24) return new Date(ms).toISOString(); // years outside 0000-9999
    cachedDay = day;
    cachedDayPrefix = midnight.slice(0, 11);
  }
  let rest = Math.floor(ms) - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${cachedDayPrefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[rest - seconds * 1000]}Z`;
}

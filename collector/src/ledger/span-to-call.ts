import type { PricingCatalog } from '@tokenmeter/instrumentation/pricing';
import {
  ATTR_ENDUSER_ID,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  ATTR_TOKENMETER_BILLING_MODE,
  ATTR_TOKENMETER_COST_USD,
  ATTR_TOKENMETER_OUTPUT_TOKENS_PER_S,
  ATTR_TOKENMETER_PLAN,
  ATTR_TOKENMETER_PRICING_VERSION,
  ATTR_TOKENMETER_PROMPT_NAME,
  ATTR_TOKENMETER_STREAMING,
  ATTR_TOKENMETER_TIME_TO_FIRST_TOKEN_MS,
  BILLING_MODES,
  DEFAULT_BILLING_MODE,
  DEFAULT_PLAN,
  ERROR_TYPE_OTHER,
  GEN_AI_OPERATION,
  LEGACY_ATTR_GEN_AI_SYSTEM,
  LEGACY_ATTR_GEN_AI_USAGE_COMPLETION_TOKENS,
  LEGACY_ATTR_GEN_AI_USAGE_PROMPT_TOKENS,
  PLANS,
} from '@tokenmeter/instrumentation/semconv';
import { attributeMap, type AttributeValue } from '../otlp/attribute-values';
import { int64ToNumber, STATUS_CODE_ERROR, type OtlpSpan } from '../otlp/otlp-types';
import type { LlmCall } from './llm-call';

export type SpanVerdict =
  | { kind: 'call'; call: LlmCall }
  /** Not a model call (no GenAI operation, or a tool/agent span without a model): not ledger material. */
  | { kind: 'ignored' }
  | { kind: 'rejected'; reason: string };

export interface SpanContext {
  service: string;
  catalog: PricingCatalog;
  /** Spans starting before this moment are refused (their partition is past retention). */
  oldestAcceptedMs: number;
  /** Spans starting after this moment are refused (clock far ahead). */
  newestAcceptedMs: number;
}

const SERVICE_NAME = 'service.name';
const UNKNOWN_SERVICE = 'unknown_service';
const UNKNOWN_PROVIDER = '_OTHER';
const MAX_TOKENS = 1e13;
const MAX_COST_USD = 1e9;
const MAX_TEXT = 512;
const MAX_ATTRIBUTE_TEXT = 2048;

// Columns of their own, so they are not repeated in `attributes`.
const MAPPED_ATTRIBUTES = new Set<string>([
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  LEGACY_ATTR_GEN_AI_SYSTEM,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  LEGACY_ATTR_GEN_AI_USAGE_PROMPT_TOKENS,
  LEGACY_ATTR_GEN_AI_USAGE_COMPLETION_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  ATTR_ENDUSER_ID,
  ATTR_TOKENMETER_PROMPT_NAME,
  ATTR_TOKENMETER_BILLING_MODE,
  ATTR_TOKENMETER_PLAN,
  ATTR_TOKENMETER_COST_USD,
  ATTR_TOKENMETER_PRICING_VERSION,
  ATTR_TOKENMETER_STREAMING,
  ATTR_TOKENMETER_TIME_TO_FIRST_TOKEN_MS,
  ATTR_TOKENMETER_OUTPUT_TOKENS_PER_S,
  ATTR_ERROR_TYPE,
]);

// Message content (opt-in content capture) never enters the cost ledger.
const CONTENT_ATTRIBUTES = new Set<string>([
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.system_instructions',
  'gen_ai.tool.definitions',
  'gen_ai.prompt',
  'gen_ai.completion',
]);

const NON_MODEL_OPERATIONS = new Set<string>([GEN_AI_OPERATION.executeTool, GEN_AI_OPERATION.invokeAgent, 'create_agent']);

class Rejection extends Error {}

/** The service name of a resource (service.name), as every row of its spans carries it. */
export function serviceOf(resourceAttributes: Record<string, AttributeValue>): string {
  return optionalText(resourceAttributes[SERVICE_NAME], SERVICE_NAME) ?? UNKNOWN_SERVICE;
}

/** Maps one OTLP span to a ledger row, following DESIGN's span contract (GenAI semconv v1.41). */
export function spanToCall(span: OtlpSpan, context: SpanContext): SpanVerdict {
  const attributes = attributeMap(span.attributes);
  const operation = attributes[ATTR_GEN_AI_OPERATION_NAME];
  if (typeof operation !== 'string' || operation === '') return { kind: 'ignored' };
  try {
    const call = buildCall(span, attributes, sanitize(operation).slice(0, MAX_TEXT), context);
    return call ? { kind: 'call', call } : { kind: 'ignored' };
  } catch (error) {
    if (error instanceof Rejection) return { kind: 'rejected', reason: error.message };
    throw error;
  }
}

function buildCall(
  span: OtlpSpan,
  attributes: Record<string, AttributeValue>,
  operation: string,
  context: SpanContext,
): LlmCall | undefined {
  const requestModel = optionalText(attributes[ATTR_GEN_AI_REQUEST_MODEL], ATTR_GEN_AI_REQUEST_MODEL);
  const responseModel = optionalText(attributes[ATTR_GEN_AI_RESPONSE_MODEL], ATTR_GEN_AI_RESPONSE_MODEL);
  if (!requestModel && !responseModel) {
    if (NON_MODEL_OPERATIONS.has(operation)) return undefined;
    throw new Rejection(`span "${span.name}" has ${ATTR_GEN_AI_OPERATION_NAME} but no ${ATTR_GEN_AI_REQUEST_MODEL}`);
  }
  const traceId = hexId(span.traceId, 16, 'trace_id');
  const spanId = hexId(span.spanId, 8, 'span_id');

  const startNs = int64ToNumber(span.startTimeUnixNano);
  const endNs = int64ToNumber(span.endTimeUnixNano);
  if (startNs <= 0) throw new Rejection(`span ${spanId} has no start time`);
  const startMs = startNs / 1e6;
  if (startMs < context.oldestAcceptedMs) throw new Rejection(`span ${spanId} starts before the retention window`);
  if (startMs > context.newestAcceptedMs) throw new Rejection(`span ${spanId} starts more than a day in the future`);
  const durationMs = endNs > startNs ? (endNs - startNs) / 1e6 : 0;

  const inputTokens =
    tokenCount(attributes, ATTR_GEN_AI_USAGE_INPUT_TOKENS) ??
    tokenCount(attributes, LEGACY_ATTR_GEN_AI_USAGE_PROMPT_TOKENS) ??
    0;
  const outputTokens =
    tokenCount(attributes, ATTR_GEN_AI_USAGE_OUTPUT_TOKENS) ??
    tokenCount(attributes, LEGACY_ATTR_GEN_AI_USAGE_COMPLETION_TOKENS) ??
    0;
  const cachedInputTokens = tokenCount(attributes, ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS) ?? 0;
  const reasoningTokens = tokenCount(attributes, ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS) ?? 0;

  const provider =
    optionalText(attributes[ATTR_GEN_AI_PROVIDER_NAME], ATTR_GEN_AI_PROVIDER_NAME) ??
    optionalText(attributes[LEGACY_ATTR_GEN_AI_SYSTEM], LEGACY_ATTR_GEN_AI_SYSTEM) ??
    UNKNOWN_PROVIDER;
  const ts = new Date(startMs);
  const { costUsd, pricingVersion, pricingError } = costOf(attributes, context.catalog, {
    provider,
    models: [responseModel, requestModel],
    usage: { inputTokens, outputTokens, cachedInputTokens, reasoningTokens },
    at: ts,
  });

  const errorType = optionalText(attributes[ATTR_ERROR_TYPE], ATTR_ERROR_TYPE);
  const failed = span.status?.code === STATUS_CODE_ERROR || errorType !== undefined;
  const timeToFirstTokenMs = nonNegativeNumber(attributes[ATTR_TOKENMETER_TIME_TO_FIRST_TOKEN_MS], ATTR_TOKENMETER_TIME_TO_FIRST_TOKEN_MS);
  const streaming = attributes[ATTR_TOKENMETER_STREAMING] === true || timeToFirstTokenMs !== undefined;

  return {
    ts,
    durationMs,
    traceId,
    spanId,
    service: context.service,
    provider,
    operation,
    requestModel: (requestModel ?? responseModel)!,
    responseModel: responseModel ?? null,
    promptName: optionalText(attributes[ATTR_TOKENMETER_PROMPT_NAME], ATTR_TOKENMETER_PROMPT_NAME) ?? null,
    userId: optionalText(attributes[ATTR_ENDUSER_ID], ATTR_ENDUSER_ID) ?? null,
    billingMode: oneOf(attributes[ATTR_TOKENMETER_BILLING_MODE], BILLING_MODES, DEFAULT_BILLING_MODE),
    plan: oneOf(attributes[ATTR_TOKENMETER_PLAN], PLANS, DEFAULT_PLAN),
    status: failed ? 'error' : 'success',
    errorType: failed ? (errorType ?? ERROR_TYPE_OTHER) : null,
    inputTokens,
    outputTokens,
    cachedInputTokens,
    reasoningTokens,
    totalTokens: inputTokens + outputTokens,
    costUsd,
    pricingVersion,
    streaming,
    timeToFirstTokenMs: timeToFirstTokenMs ?? null,
    outputTokensPerS:
      nonNegativeNumber(attributes[ATTR_TOKENMETER_OUTPUT_TOKENS_PER_S], ATTR_TOKENMETER_OUTPUT_TOKENS_PER_S) ??
      outputRate(outputTokens, durationMs, timeToFirstTokenMs) ??
      null,
    attributes: otherAttributes(attributes, pricingError),
  };
}

interface PricingInput {
  provider: string;
  models: (string | undefined)[];
  usage: { inputTokens: number; outputTokens: number; cachedInputTokens: number; reasoningTokens: number };
  at: Date;
}

// A cost computed by the emitter at call time wins (a later price change never rewrites it); other
// spans are priced here, by the answered model first (dated snapshot), then the requested one.
function costOf(
  attributes: Record<string, AttributeValue>,
  catalog: PricingCatalog,
  input: PricingInput,
): { costUsd: number | null; pricingVersion: string | null; pricingError?: string } {
  const given = nonNegativeNumber(attributes[ATTR_TOKENMETER_COST_USD], ATTR_TOKENMETER_COST_USD);
  if (given !== undefined) {
    if (given > MAX_COST_USD) throw new Rejection(`${ATTR_TOKENMETER_COST_USD} ${given} is not a plausible cost`);
    const version = optionalText(attributes[ATTR_TOKENMETER_PRICING_VERSION], ATTR_TOKENMETER_PRICING_VERSION);
    return { costUsd: given, pricingVersion: version ?? null };
  }
  for (const model of input.models) {
    if (!model) continue;
    let priced;
    try {
      priced = catalog.price(input.provider, model, input.usage, input.at);
    } catch (error) {
      // Counts in another convention (e.g. input excluding cached tokens): keep the call, unpriced,
      // and say why next to it rather than guess a cost.
      return { costUsd: null, pricingVersion: null, pricingError: (error as Error).message };
    }
    if (priced) return { costUsd: Math.min(priced.costUsd, MAX_COST_USD), pricingVersion: priced.pricingVersion };
  }
  return { costUsd: null, pricingVersion: null };
}

function outputRate(outputTokens: number, durationMs: number, timeToFirstTokenMs: number | undefined): number | undefined {
  if (timeToFirstTokenMs === undefined || outputTokens <= 0) return undefined;
  const generatingMs = durationMs - timeToFirstTokenMs;
  return generatingMs > 0 ? outputTokens / (generatingMs / 1000) : undefined;
}

function hexId(bytes: Uint8Array | null | undefined, length: number, name: string): string {
  if (!bytes || bytes.length !== length) throw new Rejection(`span has no valid ${name} (${length} bytes expected)`);
  const hex = (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString('hex');
  if (/^0+$/.test(hex)) throw new Rejection(`span has an all-zero ${name}`);
  return hex;
}

function tokenCount(attributes: Record<string, AttributeValue>, key: string): number | undefined {
  const value = attributes[key];
  if (value === undefined || value === null) return undefined;
  const count = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > MAX_TOKENS) {
    throw new Rejection(`${key} must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return count;
}

function nonNegativeNumber(value: AttributeValue | undefined, key: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Rejection(`${key} must be a non-negative number, got ${JSON.stringify(value)}`);
  }
  return value;
}

function optionalText(value: AttributeValue | undefined, key: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') value = String(value);
  if (typeof value !== 'string') throw new Rejection(`${key} must be a string`);
  const text = sanitize(value).trim().slice(0, MAX_TEXT);
  return text === '' ? undefined : text;
}

function oneOf<T extends string>(value: AttributeValue | undefined, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

const ATTR_PRICING_ERROR = 'tokenmeter.pricing.error';

function otherAttributes(attributes: Record<string, AttributeValue>, pricingError: string | undefined): string {
  const rest: Record<string, AttributeValue> = {};
  if (pricingError) rest[ATTR_PRICING_ERROR] = pricingError;
  for (const key in attributes) {
    if (MAPPED_ATTRIBUTES.has(key) || CONTENT_ATTRIBUTES.has(key)) continue;
    const value = attributes[key]!;
    rest[sanitize(key)] = typeof value === 'string' ? sanitize(value).slice(0, MAX_ATTRIBUTE_TEXT) : sanitizeDeep(value);
  }
  return JSON.stringify(rest);
}

function sanitizeDeep(value: AttributeValue): AttributeValue {
  if (typeof value === 'string') return sanitize(value).slice(0, MAX_ATTRIBUTE_TEXT);
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) return value.map(sanitizeDeep);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [sanitize(k), sanitizeDeep(v)]));
  }
  return value;
}

// PostgreSQL text and jsonb refuse NUL characters and lone surrogates: one such attribute must not
// make a whole batch fail (and be retried forever).
// eslint-disable-next-line no-control-regex -- NUL is exactly what PostgreSQL refuses
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// eslint-disable-next-line no-control-regex
const MAYBE_UNSTORABLE = /[\u0000\uD800-\uDFFF]/;

function sanitize(text: string): string {
  if (!MAYBE_UNSTORABLE.test(text)) return text;
  return text.replace(UNSTORABLE, (found) => (found === '\u0000' ? '' : '\uFFFD'));
}

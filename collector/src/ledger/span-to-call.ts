import { priceModelCall, type PricingCatalog } from '@tokenmeter/conventions';
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
} from '@tokenmeter/conventions';
import { plainValue, type AttributeValue } from '../otlp/attribute-values';
import { int64ToNumber, STATUS_CODE_ERROR, type OtlpKeyValue, type OtlpSpan } from '../otlp/otlp-types';
import type { LlmCall } from './llm-call';
import { serviceTierOf } from './service-tier';

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

/** The service name of a resource (its last service.name), as every row of its spans carries it. */
export function serviceOf(resourceAttributes: readonly OtlpKeyValue[] | null | undefined): string {
  let service: AttributeValue | undefined;
  for (const { key, value } of resourceAttributes ?? []) if (key === SERVICE_NAME) service = plainValue(value);
  return optionalText(service, SERVICE_NAME) ?? UNKNOWN_SERVICE;
}

/**
 * The service of a resource, or why the model calls of that resource cannot be stored (a
 * `service.name` that is not text: an array or a map).
 */
export function resourceServiceOf(
  resourceAttributes: readonly OtlpKeyValue[] | null | undefined,
): { service: string; problem?: undefined } | { service: typeof UNKNOWN_SERVICE; problem: string } {
  try {
    return { service: serviceOf(resourceAttributes) };
  } catch (error) {
    if (error instanceof Rejection) return { service: UNKNOWN_SERVICE, problem: `resource ${error.message}` };
    throw error;
  }
}

/** Maps one OTLP span to a ledger row, following the span contract of docs/contracts.md (GenAI semconv v1.41). */
export function spanToCall(span: OtlpSpan, context: SpanContext): SpanVerdict {
  const attributes = readAttributes(span.attributes);
  const operation = attributes.operation;
  if (typeof operation !== 'string' || operation === '') return { kind: 'ignored' };
  try {
    const call = buildCall(span, attributes, sanitize(operation).slice(0, MAX_TEXT), context);
    return call ? { kind: 'call', call } : { kind: 'ignored' };
  } catch (error) {
    if (error instanceof Rejection) return { kind: 'rejected', reason: error.message };
    throw error;
  }
}

/**
 * The attributes of a span that have columns of their own (as plain values; the last of repeated
 * keys wins), and the others as the members of a JSON object.
 */
class SpanAttributes {
  operation: AttributeValue | undefined = undefined;
  provider: AttributeValue | undefined = undefined;
  legacySystem: AttributeValue | undefined = undefined;
  requestModel: AttributeValue | undefined = undefined;
  responseModel: AttributeValue | undefined = undefined;
  inputTokens: AttributeValue | undefined = undefined;
  outputTokens: AttributeValue | undefined = undefined;
  legacyPromptTokens: AttributeValue | undefined = undefined;
  legacyCompletionTokens: AttributeValue | undefined = undefined;
  cachedInputTokens: AttributeValue | undefined = undefined;
  reasoningTokens: AttributeValue | undefined = undefined;
  userId: AttributeValue | undefined = undefined;
  promptName: AttributeValue | undefined = undefined;
  billingMode: AttributeValue | undefined = undefined;
  plan: AttributeValue | undefined = undefined;
  costUsd: AttributeValue | undefined = undefined;
  pricingVersion: AttributeValue | undefined = undefined;
  streaming: AttributeValue | undefined = undefined;
  timeToFirstTokenMs: AttributeValue | undefined = undefined;
  outputTokensPerS: AttributeValue | undefined = undefined;
  errorType: AttributeValue | undefined = undefined;
  /** The other attributes as the JSON object stored in `attributes`. */
  othersJson = '{}';
}

// Pieces of the JSON text of the other attributes, reused for every span: joined once, they give
// one flat string and no garbage per piece.
const othersJson: string[] = [];

// One pass over the KeyValue list, without a map of every attribute: this runs once per span.
function readAttributes(keyValues: readonly OtlpKeyValue[]): SpanAttributes {
  const read = new SpanAttributes();
  othersJson.length = 0;
  othersJson.push('{');
  for (let i = 0; i < keyValues.length; i++) {
    const { key, value } = keyValues[i]!;
    switch (key) {
      case ATTR_GEN_AI_OPERATION_NAME: read.operation = plainValue(value); break;
      case ATTR_GEN_AI_PROVIDER_NAME: read.provider = plainValue(value); break;
      case LEGACY_ATTR_GEN_AI_SYSTEM: read.legacySystem = plainValue(value); break;
      case ATTR_GEN_AI_REQUEST_MODEL: read.requestModel = plainValue(value); break;
      case ATTR_GEN_AI_RESPONSE_MODEL: read.responseModel = plainValue(value); break;
      case ATTR_GEN_AI_USAGE_INPUT_TOKENS: read.inputTokens = plainValue(value); break;
      case ATTR_GEN_AI_USAGE_OUTPUT_TOKENS: read.outputTokens = plainValue(value); break;
      case LEGACY_ATTR_GEN_AI_USAGE_PROMPT_TOKENS: read.legacyPromptTokens = plainValue(value); break;
      case LEGACY_ATTR_GEN_AI_USAGE_COMPLETION_TOKENS: read.legacyCompletionTokens = plainValue(value); break;
      case ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS: read.cachedInputTokens = plainValue(value); break;
      case ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS: read.reasoningTokens = plainValue(value); break;
      case ATTR_ENDUSER_ID: read.userId = plainValue(value); break;
      case ATTR_TOKENMETER_PROMPT_NAME: read.promptName = plainValue(value); break;
      case ATTR_TOKENMETER_BILLING_MODE: read.billingMode = plainValue(value); break;
      case ATTR_TOKENMETER_PLAN: read.plan = plainValue(value); break;
      case ATTR_TOKENMETER_COST_USD: read.costUsd = plainValue(value); break;
      case ATTR_TOKENMETER_PRICING_VERSION: read.pricingVersion = plainValue(value); break;
      case ATTR_TOKENMETER_STREAMING: read.streaming = plainValue(value); break;
      case ATTR_TOKENMETER_TIME_TO_FIRST_TOKEN_MS: read.timeToFirstTokenMs = plainValue(value); break;
      case ATTR_TOKENMETER_OUTPUT_TOKENS_PER_S: read.outputTokensPerS = plainValue(value); break;
      case ATTR_ERROR_TYPE: read.errorType = plainValue(value); break;
      default:
        if (CONTENT_ATTRIBUTES.has(key)) break;
        // A repeated key is written twice: jsonb keeps the last, as a map of the attributes would.
        if (othersJson.length > 1) othersJson.push(',');
        pushJsonText(othersJson, key, Infinity);
        othersJson.push(':');
        pushStoredValue(othersJson, plainValue(value));
    }
  }
  if (othersJson.length > 1) {
    othersJson.push('}');
    read.othersJson = othersJson.join('');
  }
  return read;
}

function buildCall(span: OtlpSpan, attributes: SpanAttributes, operation: string, context: SpanContext): LlmCall | undefined {
  const requestModel = optionalText(attributes.requestModel, ATTR_GEN_AI_REQUEST_MODEL);
  const responseModel = optionalText(attributes.responseModel, ATTR_GEN_AI_RESPONSE_MODEL);
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
    tokenCount(attributes.inputTokens, ATTR_GEN_AI_USAGE_INPUT_TOKENS) ??
    tokenCount(attributes.legacyPromptTokens, LEGACY_ATTR_GEN_AI_USAGE_PROMPT_TOKENS) ??
    0;
  const outputTokens =
    tokenCount(attributes.outputTokens, ATTR_GEN_AI_USAGE_OUTPUT_TOKENS) ??
    tokenCount(attributes.legacyCompletionTokens, LEGACY_ATTR_GEN_AI_USAGE_COMPLETION_TOKENS) ??
    0;
  const cachedInputTokens = tokenCount(attributes.cachedInputTokens, ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS) ?? 0;
  const reasoningTokens = tokenCount(attributes.reasoningTokens, ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS) ?? 0;

  const provider =
    optionalText(attributes.provider, ATTR_GEN_AI_PROVIDER_NAME) ??
    optionalText(attributes.legacySystem, LEGACY_ATTR_GEN_AI_SYSTEM) ??
    UNKNOWN_PROVIDER;
  const ts = new Date(startMs);
  const { costUsd, pricingVersion, pricingError, unpricedReason } = costOf(attributes, context.catalog, {
    provider,
    requestModel,
    responseModel,
    usage: { inputTokens, outputTokens, cachedInputTokens, reasoningTokens },
    at: ts,
    serviceTier: serviceTierOf(span.attributes),
  });

  const errorType = optionalText(attributes.errorType, ATTR_ERROR_TYPE);
  const failed = span.status?.code === STATUS_CODE_ERROR || errorType !== undefined;
  const timeToFirstTokenMs = nonNegativeNumber(attributes.timeToFirstTokenMs, ATTR_TOKENMETER_TIME_TO_FIRST_TOKEN_MS);
  const streaming = attributes.streaming === true || timeToFirstTokenMs !== undefined;

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
    promptName: optionalText(attributes.promptName, ATTR_TOKENMETER_PROMPT_NAME) ?? null,
    userId: optionalText(attributes.userId, ATTR_ENDUSER_ID) ?? null,
    billingMode: oneOf(attributes.billingMode, BILLING_MODES, DEFAULT_BILLING_MODE),
    plan: oneOf(attributes.plan, PLANS, DEFAULT_PLAN),
    status: failed ? 'error' : 'success',
    errorType: failed ? (errorType ?? ERROR_TYPE_OTHER) : null,
    inputTokens,
    outputTokens,
    cachedInputTokens,
    reasoningTokens,
    totalTokens: inputTokens + outputTokens,
    costUsd,
    pricingVersion,
    unpricedReason,
    streaming,
    timeToFirstTokenMs: timeToFirstTokenMs ?? null,
    outputTokensPerS:
      nonNegativeNumber(attributes.outputTokensPerS, ATTR_TOKENMETER_OUTPUT_TOKENS_PER_S) ??
      outputRate(outputTokens, durationMs, timeToFirstTokenMs) ??
      null,
    attributes: withPricingError(attributes.othersJson, pricingError),
  };
}

interface PricingInput {
  provider: string;
  requestModel: string | undefined;
  responseModel: string | undefined;
  usage: { inputTokens: number; outputTokens: number; cachedInputTokens: number; reasoningTokens: number };
  at: Date;
  serviceTier: string | undefined;
}

// A cost computed by the emitter at call time wins (a later price change never rewrites it); other
// spans are priced here by the one rule of @tokenmeter/conventions (answered model, then requested).
function costOf(
  attributes: SpanAttributes,
  catalog: PricingCatalog,
  input: PricingInput,
): { costUsd: number | null; pricingVersion: string | null; pricingError?: string; unpricedReason: string | null } {
  const given = nonNegativeNumber(attributes.costUsd, ATTR_TOKENMETER_COST_USD);
  if (given !== undefined) {
    if (given > MAX_COST_USD) throw new Rejection(`${ATTR_TOKENMETER_COST_USD} ${given} is not a plausible cost`);
    const version = optionalText(attributes.pricingVersion, ATTR_TOKENMETER_PRICING_VERSION);
    return { costUsd: given, pricingVersion: version ?? null, unpricedReason: null };
  }
  let pricing;
  try {
    pricing = priceModelCall(catalog, {
      provider: input.provider,
      requestModel: (input.requestModel ?? input.responseModel)!,
      responseModel: input.responseModel,
      usage: input.usage,
      at: input.at,
      serviceTier: input.serviceTier,
    });
  } catch (error) {
    // Counts in another convention (e.g. input excluding cached tokens): keep the call, unpriced,
    // and say why next to it rather than guess a cost.
    const message = (error as Error).message;
    return { costUsd: null, pricingVersion: null, pricingError: message, unpricedReason: `invalid usage: ${message}` };
  }
  const { priced, unpricedReason } = pricing;
  if (priced) return { costUsd: Math.min(priced.costUsd, MAX_COST_USD), pricingVersion: priced.pricingVersion, unpricedReason: null };
  return { costUsd: null, pricingVersion: null, unpricedReason };
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

function tokenCount(value: AttributeValue | undefined, key: string): number | undefined {
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

// The pricing error goes first so that a span attribute of the same name wins, as jsonb keeps the last.
function withPricingError(othersJson: string, pricingError: string | undefined): string {
  if (!pricingError) return othersJson;
  const error = `${JSON.stringify(ATTR_PRICING_ERROR)}:${JSON.stringify(pricingError)}`;
  return othersJson === '{}' ? `{${error}}` : `{${error},${othersJson.slice(1)}`;
}

/** An attribute value as stored in `attributes`: text cut and made storable, non-finite numbers as text. */
function pushStoredValue(out: string[], value: AttributeValue): void {
  if (typeof value === 'string') pushJsonText(out, value, MAX_ATTRIBUTE_TEXT);
  else if (typeof value === 'number') out.push(Number.isFinite(value) ? String(value) : JSON.stringify(String(value)));
  else if (typeof value === 'boolean') out.push(value ? 'true' : 'false');
  else out.push(JSON.stringify(sanitizeDeep(value)));
}

// Text that JSON.stringify writes as is between quotes, and that PostgreSQL stores as it is: no
// quote, backslash, control character, NUL or surrogate. Most attribute keys and values are such.
// eslint-disable-next-line no-control-regex -- control characters are what JSON escapes
const JSON_NEEDS_WORK = /["\\\u0000-\u001f\uD800-\uDFFF]/;

/** The JSON string of storable text cut at `maxLength`, as JSON.stringify(sanitize(text).slice(0, maxLength)). */
function pushJsonText(out: string[], text: string, maxLength: number): void {
  if (JSON_NEEDS_WORK.test(text)) out.push(JSON.stringify(sanitize(text).slice(0, maxLength)));
  else out.push('"', text.length > maxLength ? text.slice(0, maxLength) : text, '"');
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

import { priceModelCall, type PricingCatalog } from '@tokenmeter/conventions';
import {
  BILLING_MODES,
  DEFAULT_BILLING_MODE,
  DEFAULT_PLAN,
  ERROR_TYPE_OTHER,
  PLANS,
} from '@tokenmeter/conventions';
// Imported from the modules that define them (not through ../dialects' re-exports, which are
// getters): they are read for every span.
import { DEFAULT_STORED_ATTRIBUTES, FIELD_SLOTS, isContentAttribute } from '../dialects';
import { FIELD as F, FIELD_NAMES, LEDGER_FIELDS, type AcceptedName } from '../dialects/dialect-table';
import {
  errorTypeName,
  invocationParameters,
  isStreamedOperation,
  modelOperation,
  providerName,
  requestedAndAnswered,
} from '../dialects/normalise';
import type { AttributeValue } from '../otlp/attribute-values';
import { STATUS_CODE_ERROR } from '../otlp/otlp-types';
import type { AttributeList, SpanView } from '../otlp/span-view';
import type { CostSource, LlmCall } from './llm-call';
import type { UserIdPseudonyms } from './user-pseudonyms';

export type SpanVerdict =
  | {
      kind: 'call';
      call: LlmCall;
      /** Attributes not stored: message content in some dialect, and names not on the allow-list. */
      droppedContent: number;
      droppedNotAllowed: number;
    }
  /** Not a billed model call: no operation in any dialect, or an agent, workflow, chain or tool span. */
  | { kind: 'ignored' }
  | { kind: 'rejected'; reason: string };

export interface SpanContext {
  service: string;
  catalog: PricingCatalog;
  /** Spans starting before this moment are refused (their partition is past retention). */
  oldestAcceptedMs: number;
  /** Spans starting after this moment are refused (clock far ahead). */
  newestAcceptedMs: number;
  /** The attributes stored in `attributes` (../dialects storedAttributeNames); the documented set by default. */
  storedAttributes?: ReadonlySet<string>;
  /** When set, user ids are stored as their HMAC pseudonyms. */
  userIds?: UserIdPseudonyms;
}

const SERVICE_NAME = 'service.name';
const UNKNOWN_SERVICE = 'unknown_service';
const UNKNOWN_PROVIDER = '_OTHER';
const MAX_TOKENS = 1e13;
const MAX_COST_USD = 1e9;
const MAX_TEXT = 512;
const MAX_ATTRIBUTE_TEXT = 2048;
// Plausibility bounds: a span outside them is refused with its reason rather than skewing sums.
const MAX_DURATION_MS = 24 * 60 * 60 * 1000;
const MAX_OUTPUT_TOKENS_PER_S = 100_000;
const MAX_ATTRIBUTE_KEY_LENGTH = 256;
const MAX_ATTRIBUTES = 1024;
/** Characters of the JSON text of the attributes stored in `attributes`. */
const MAX_STORED_ATTRIBUTES_CHARS = 64 * 1024;

class Rejection extends Error {}

/** The service name of a resource (its last service.name), as every row of its spans carries it. */
export function serviceOf(resourceAttributes: AttributeList): string {
  let service: AttributeValue | undefined;
  for (let i = 0; i < resourceAttributes.attributeCount; i++) {
    if (resourceAttributes.attributeKey(i) === SERVICE_NAME) service = resourceAttributes.attributeValue(i);
  }
  return optionalText(service, SERVICE_NAME) ?? UNKNOWN_SERVICE;
}

/**
 * The service of a resource, or why the model calls of that resource cannot be stored (a
 * `service.name` that is not text: an array or a map).
 */
export function resourceServiceOf(
  resourceAttributes: AttributeList,
): { service: string; problem?: undefined } | { service: typeof UNKNOWN_SERVICE; problem: string } {
  try {
    return { service: serviceOf(resourceAttributes) };
  } catch (error) {
    if (error instanceof Rejection) return { service: UNKNOWN_SERVICE, problem: `resource ${error.message}` };
    throw error;
  }
}

/**
 * Maps one OTLP span to a ledger row. Each field is read from the first of its names in the
 * dialect table (../dialects) that the span carries, then normalised by that dialect's rules.
 */
export function spanToCall(span: SpanView, context: SpanContext): SpanVerdict {
  try {
    const read = readAttributes(span, context.storedAttributes ?? DEFAULT_STORED_ATTRIBUTES);
    const operationName = read.names[F.operation];
    const operationValue = read.values[F.operation];
    if (!operationName || typeof operationValue !== 'string') return { kind: 'ignored' };
    const rule = operationName.operation!;
    const operation = modelOperation(rule, operationValue);
    if (operation === undefined) return { kind: 'ignored' };
    const call = buildCall(span, read, sanitize(operation).slice(0, MAX_TEXT), isStreamedOperation(rule, operationValue), context);
    return { kind: 'call', call, droppedContent: read.droppedContent, droppedNotAllowed: read.droppedNotAllowed };
  } catch (error) {
    if (error instanceof Rejection) return { kind: 'rejected', reason: error.message };
    throw error;
  }
}

/**
 * The fields of a span as the dialect table names them (plain values, and the name each was read
 * from), and its other attributes as the JSON text of `attributes`.
 */
interface SpanAttributes {
  values: (AttributeValue | undefined)[];
  names: (AcceptedName | undefined)[];
  othersJson: string;
  droppedContent: number;
  droppedNotAllowed: number;
}

// Reused for every span (spans are mapped one at a time, synchronously): the values read, their
// names and ranks, and the pieces of the JSON text of the other attributes, joined once.
const FIELD_COUNT = LEDGER_FIELDS.length;
const read: SpanAttributes = { values: new Array(FIELD_COUNT), names: new Array(FIELD_COUNT), othersJson: '{}', droppedContent: 0, droppedNotAllowed: 0 };
const ranks: number[] = new Array(FIELD_COUNT);
const othersJson: string[] = [];

// One pass over the KeyValue list, one lookup per attribute, without a map of every attribute:
// this runs once per span. Of a field's names the first in the table wins; of repeated keys, the last.
// Other attributes are stored only when on the allow-list (`stored`): no message content, whatever
// name a new emitter gives it.
function readAttributes(attributes: AttributeList, stored: ReadonlySet<string>): SpanAttributes {
  const count = attributes.attributeCount;
  if (count > MAX_ATTRIBUTES) throw new Rejection(`span has ${count} attributes (at most ${MAX_ATTRIBUTES})`);
  read.values.fill(undefined);
  read.names.fill(undefined);
  ranks.fill(Infinity);
  read.othersJson = '{}';
  read.droppedContent = 0;
  read.droppedNotAllowed = 0;
  othersJson.length = 0;
  othersJson.push('{');
  for (let i = 0; i < count; i++) {
    const key = attributes.attributeKey(i);
    if (key.length > MAX_ATTRIBUTE_KEY_LENGTH) {
      throw new Rejection(`span has an attribute key of ${key.length} characters (at most ${MAX_ATTRIBUTE_KEY_LENGTH}): ${JSON.stringify(key.slice(0, 40))}…`);
    }
    const slot = FIELD_SLOTS.get(key);
    if (slot !== undefined) {
      if (slot.rank <= ranks[slot.field]!) {
        read.values[slot.field] = attributes.attributeValue(i);
        read.names[slot.field] = slot.name;
        ranks[slot.field] = slot.rank;
      }
      continue;
    }
    if (!stored.has(key)) {
      if (isContentAttribute(key)) read.droppedContent++;
      else read.droppedNotAllowed++;
      continue;
    }
    // A repeated key is written twice: jsonb keeps the last, as a map of the attributes would.
    if (othersJson.length > 1) othersJson.push(',');
    pushJsonText(othersJson, key, Infinity);
    othersJson.push(':');
    pushStoredValue(othersJson, attributes.attributeValue(i));
  }
  if (othersJson.length > 1) {
    othersJson.push('}');
    read.othersJson = othersJson.join('');
    if (read.othersJson.length > MAX_STORED_ATTRIBUTES_CHARS) {
      throw new Rejection(`span's other attributes take ${read.othersJson.length} characters (at most ${MAX_STORED_ATTRIBUTES_CHARS})`);
    }
  }
  return read;
}

const FIRST_NAMES = LEDGER_FIELDS.map((field) => FIELD_NAMES[field][0].key);

/** The name a field (its index, F) was read from, for messages (its first name when it was not read). */
function nameOf(attributes: SpanAttributes, field: number): string {
  return attributes.names[field]?.key ?? FIRST_NAMES[field]!;
}

// Most fields are absent from most spans: their name is looked up only for a value to check.
function text(a: SpanAttributes, field: number): string | undefined {
  const value = a.values[field];
  return value === undefined || value === null ? undefined : optionalText(value, nameOf(a, field));
}

function tokens(a: SpanAttributes, field: number): number | undefined {
  const value = a.values[field];
  return value === undefined || value === null ? undefined : tokenCount(value, nameOf(a, field));
}

function number(a: SpanAttributes, field: number): number | undefined {
  const value = a.values[field];
  return value === undefined || value === null ? undefined : nonNegativeNumber(value, nameOf(a, field));
}

const MODEL_NAMES = [...FIELD_NAMES.requestModel, ...FIELD_NAMES.responseModel].map((name) => name.key);

function buildCall(span: SpanView, a: SpanAttributes, operation: string, streamedOperation: boolean, context: SpanContext): LlmCall {
  let requestModel = text(a, F.requestModel);
  let responseModel = text(a, F.responseModel);
  // Only OpenInference spans carry the request's parameters (JSON): other spans parse nothing.
  const parameters = invocationParameters(a.values[F.invocationParameters]);
  if (parameters.model !== undefined) {
    const asked = sanitize(parameters.model).slice(0, MAX_TEXT);
    ({ request: requestModel, response: responseModel } = requestedAndAnswered(requestModel, a.names[F.requestModel]?.model, responseModel, asked));
  }
  if (!requestModel && !responseModel) {
    throw new Rejection(`span "${span.name}" has ${nameOf(a, F.operation)} but no ${MODEL_NAMES[0]} (nor ${MODEL_NAMES.slice(1).join(', ')})`);
  }
  const traceId = hexId(span.traceIdLength, span, 16, 'trace_id');
  const spanId = hexId(span.spanIdLength, span, 8, 'span_id');

  const startNs = span.startTimeUnixNano;
  const endNs = span.endTimeUnixNano;
  if (startNs <= 0) throw new Rejection(`span ${spanId} has no start time`);
  const startMs = startNs / 1e6;
  if (startMs < context.oldestAcceptedMs) throw new Rejection(`span ${spanId} starts before the retention window`);
  if (startMs > context.newestAcceptedMs) throw new Rejection(`span ${spanId} starts more than a day in the future`);
  const durationMs = endNs > startNs ? (endNs - startNs) / 1e6 : 0;
  if (durationMs > MAX_DURATION_MS) throw new Rejection(`span ${spanId} lasts ${Math.round(durationMs)} ms, more than a day`);

  const inputRead = tokens(a, F.inputTokens);
  const outputRead = tokens(a, F.outputTokens);
  const cachedInputTokens = tokens(a, F.cacheReadTokens) ?? 0;
  const cacheWriteInputTokens = tokens(a, F.cacheWriteTokens) ?? 0;
  const reasoningTokens = tokens(a, F.reasoningTokens) ?? 0;
  const outputTokens = outputRead ?? 0;
  // The ledger counts cache reads and writes inside the input, as the semconv does; dialects that
  // report them beside it get them added.
  const cacheBeside = a.names[F.cacheReadTokens]?.cache === 'beside' || a.names[F.cacheWriteTokens]?.cache === 'beside';
  const inputTokens = (inputRead ?? 0) + (cacheBeside ? cachedInputTokens + cacheWriteInputTokens : 0);

  const providerText = text(a, F.provider);
  const provider = providerText ? providerName(providerText, a.names[F.provider]?.provider).slice(0, MAX_TEXT) : UNKNOWN_PROVIDER;
  const serviceTier = text(a, F.serviceTier);
  const errorText = text(a, F.errorType);
  const errorType = errorText === undefined ? undefined : errorTypeName(errorText);
  const failed = span.statusCode === STATUS_CODE_ERROR || errorType !== undefined;
  const ts = new Date(startMs);
  // One pricing input for every span (spans are mapped one at a time): no garbage per span.
  const input = PRICING_INPUT;
  input.provider = provider;
  input.requestModel = (requestModel ?? responseModel)!;
  input.responseModel = responseModel;
  input.usage.inputTokens = inputTokens;
  input.usage.outputTokens = outputTokens;
  input.usage.cachedInputTokens = cachedInputTokens;
  input.usage.cacheWriteInputTokens = cacheWriteInputTokens;
  input.usage.reasoningTokens = reasoningTokens;
  // A failed call that reports no usage was not billed by the provider: it costs 0, not "unknown".
  input.tokensRead = inputRead !== undefined || outputRead !== undefined || failed;
  input.serviceTier = serviceTier;
  input.at = ts;
  const cost = costOf(a, context.catalog, input);

  const timeToFirstTokenMs = firstTokenMs(a, durationMs, spanId);
  const streaming =
    a.values[F.streaming] === true || parameters.stream === true || streamedOperation || timeToFirstTokenMs !== undefined;
  const givenRate = number(a, F.outputTokensPerS);
  if (givenRate !== undefined && givenRate > MAX_OUTPUT_TOKENS_PER_S) {
    throw new Rejection(`${nameOf(a, F.outputTokensPerS)} ${givenRate} is not a plausible rate (at most ${MAX_OUTPUT_TOKENS_PER_S} tokens/s)`);
  }

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
    promptName: text(a, F.promptName) ?? null,
    userId: userIdOf(a, context.userIds),
    billingMode: oneOf(a.values[F.billingMode], BILLING_MODES, DEFAULT_BILLING_MODE),
    plan: oneOf(a.values[F.plan], PLANS, DEFAULT_PLAN),
    status: failed ? 'error' : 'success',
    errorType: failed ? (errorType ?? ERROR_TYPE_OTHER) : null,
    inputTokens,
    outputTokens,
    cachedInputTokens,
    cacheWriteInputTokens,
    reasoningTokens,
    totalTokens: inputTokens + outputTokens,
    costUsd: cost.costUsd,
    costSource: cost.source,
    reportedCostUsd: cost.reportedCostUsd,
    pricingVersion: cost.pricingVersion,
    unpricedReason: cost.unpricedReason,
    streaming,
    timeToFirstTokenMs: timeToFirstTokenMs ?? null,
    outputTokensPerS: givenRate ?? outputRate(outputTokens, durationMs, timeToFirstTokenMs) ?? null,
    sessionId: text(a, F.sessionId) ?? null,
    promptVersion: text(a, F.promptVersion) ?? null,
    serviceTier: serviceTier ?? null,
    attributes: a.othersJson,
  };
}

function userIdOf(a: SpanAttributes, pseudonyms: UserIdPseudonyms | undefined): string | null {
  const id = text(a, F.userId);
  if (id === undefined) return null;
  return pseudonyms ? pseudonyms.of(id) : id;
}

/** Time to the first token in milliseconds, whatever unit the dialect used; at most the span's duration. */
function firstTokenMs(a: SpanAttributes, durationMs: number, spanId: string): number | undefined {
  const value = number(a, F.timeToFirstToken);
  if (value === undefined) return undefined;
  const key = nameOf(a, F.timeToFirstToken);
  const ms = a.names[F.timeToFirstToken]?.unit === 's' ? value * 1000 : value;
  // One millisecond of slack: the emitter measures both on its clock, the span times travel rounded.
  if (ms > durationMs + 1) {
    throw new Rejection(`${key} of span ${spanId} (${ms} ms) is longer than the span itself (${Math.round(durationMs)} ms)`);
  }
  return ms;
}

interface PricingInput {
  provider: string;
  requestModel: string;
  responseModel: string | undefined;
  usage: { inputTokens: number; outputTokens: number; cachedInputTokens: number; cacheWriteInputTokens: number; reasoningTokens: number };
  /** Whether the span carried any token count, or failed (else a catalog price would be a silent $0). */
  tokensRead: boolean;
  at: Date;
  serviceTier: string | undefined;
}

const PRICING_INPUT: PricingInput = {
  provider: '',
  requestModel: '',
  responseModel: undefined,
  usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 },
  tokensRead: false,
  serviceTier: undefined,
  at: new Date(0),
};

interface Cost {
  costUsd: number | null;
  source: CostSource;
  reportedCostUsd: number | null;
  pricingVersion: string | null;
  /** Why the catalog could not price the call (the ledger's unpriced_reason), null when it could. */
  unpricedReason: string | null;
}

// A cost computed by the emitter at call time wins (a later price change never rewrites it); other
// spans are priced here, by the answered model first (dated snapshot), then the requested one. A
// provider-reported cost is kept beside; it is the call's cost only when the catalog cannot price it.
// (Every Cost has the same fields, and none is copied: this runs once per span.)
function costOf(a: SpanAttributes, catalog: PricingCatalog, input: PricingInput): Cost {
  const reported = plausibleCost(a, F.reportedCostUsd);
  const given = plausibleCost(a, F.emitterCostUsd);
  const cost: Cost =
    given !== undefined
      ? { costUsd: given, source: 'computed', reportedCostUsd: null, pricingVersion: text(a, F.pricingVersion) ?? null, unpricedReason: null }
      : catalogCost(catalog, input);
  if (reported !== undefined) {
    cost.reportedCostUsd = reported;
    if (cost.source === 'unpriced') {
      cost.costUsd = reported;
      cost.source = 'reported';
      cost.unpricedReason = null;
    }
  }
  return cost;
}

function catalogCost(catalog: PricingCatalog, input: PricingInput): Cost {
  if (!input.tokensRead) {
    return unpriced(`no token counts under any name of the dialect table (${FIELD_NAMES.inputTokens.map((n) => n.key).join(', ')}, …)`);
  }
  let pricing;
  try {
    pricing = priceModelCall(catalog, input);
  } catch (error) {
    // Counts in another convention (e.g. input excluding cached tokens): keep the call, unpriced,
    // and say why next to it rather than guess a cost.
    return unpriced(`invalid usage: ${(error as Error).message}`);
  }
  const { priced, unpricedReason } = pricing;
  if (!priced) return unpriced(unpricedReason);
  return { costUsd: Math.min(priced.costUsd, MAX_COST_USD), source: 'computed', reportedCostUsd: null, pricingVersion: priced.pricingVersion, unpricedReason: null };
}

const unpriced = (reason: string): Cost => ({ costUsd: null, source: 'unpriced', reportedCostUsd: null, pricingVersion: null, unpricedReason: reason });

function plausibleCost(a: SpanAttributes, field: typeof F.reportedCostUsd | typeof F.emitterCostUsd): number | undefined {
  const cost = number(a, field);
  if (cost !== undefined && cost > MAX_COST_USD) throw new Rejection(`${nameOf(a, field)} ${cost} is not a plausible cost`);
  return cost;
}

function outputRate(outputTokens: number, durationMs: number, timeToFirstTokenMs: number | undefined): number | undefined {
  if (timeToFirstTokenMs === undefined || outputTokens <= 0) return undefined;
  const generatingMs = durationMs - timeToFirstTokenMs;
  const rate = generatingMs > 0 ? outputTokens / (generatingMs / 1000) : undefined;
  return rate !== undefined && rate <= MAX_OUTPUT_TOKENS_PER_S ? rate : undefined;
}

function hexId(actualLength: number, span: SpanView, length: 16 | 8, name: string): string {
  if (actualLength !== length) throw new Rejection(`span has no valid ${name} (${length} bytes expected)`);
  const hex = length === 16 ? span.traceIdHex() : span.spanIdHex();
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

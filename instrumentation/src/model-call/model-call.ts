import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type AttributeValue,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { attributionIn, type Attribution } from '../attribution/attribution';
import { reportInternalError, warnOnce } from '../diagnostics';
import { costTotals, instruments, modelCallHistograms } from '../instruments';
import { activeCatalog } from '../active-catalog';
import * as conventions from '@tokenmeter/conventions';
import type { TokenUsage } from '@tokenmeter/conventions';
import { learnAttributeLayout } from './attribute-layouts';
import { errorTypeOf } from './error-type';
import { labelSetFor, labelsWithError, type LabelSet } from './label-sets';
import { sanitizeUsage, type ReportedUsage } from './usage';

// Read once: an imported name is a getter call on the package's re-export object at every use,
// and these are read on every model call.
const {
  ATTR_ENDUSER_ID,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_TOKEN_TYPE,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  ATTR_TOKENMETER_COST_USD,
  ATTR_TOKENMETER_OUTPUT_TOKENS_PER_S,
  ATTR_TOKENMETER_PRICING_VERSION,
  ATTR_TOKENMETER_STREAMING,
  ATTR_TOKENMETER_TIME_TO_FIRST_TOKEN_MS,
  DEFAULT_BILLING_MODE,
  DEFAULT_PLAN,
  GEN_AI_OPERATION,
  GEN_AI_TOKEN_TYPE,
  priceModelCall,
} = conventions;
const CHAT = GEN_AI_OPERATION.chat;

export const TRACER_NAME = '@tokenmeter/instrumentation';

/** What is known before a model call starts. */
export interface ModelCallSpec {
  /** gen_ai.provider.name, e.g. openai, anthropic, gcp.gemini, mistral_ai, meta. */
  provider: string;
  /** gen_ai.request.model as sent to the provider. */
  requestModel: string;
  /** gen_ai.operation.name; defaults to chat. */
  operation?: string;
  /** Whether the answer is streamed (the span then records time to first token). */
  streaming?: boolean;
  /** Extra span attributes (never metric labels), e.g. gen_ai.request.temperature. */
  attributes?: Attributes;
}

/** What is learnt from the provider's answer. */
export interface ModelCallOutcome {
  responseModel?: string;
  usage?: ReportedUsage;
  /** Extra span attributes, e.g. gen_ai.response.id. */
  attributes?: Attributes;
}

/** Handed to the instrumented code to report what it learns while the call runs. */
export interface ModelCallRecorder {
  /** Records the answering model, token usage and extra span attributes (later values win). */
  record(outcome: ModelCallOutcome): void;
  /** Marks the arrival of the first output chunk of a stream (only the first mark counts). */
  markFirstChunk(): void;
  /** Marks the call as failed although nothing was thrown (e.g. an error event inside a stream). */
  fail(error: unknown): void;
  readonly span: Span;
}

let cachedTracer: { provider: unknown; tracer: Tracer } | undefined;

function tracer(): Tracer {
  const provider = trace.getTracerProvider();
  if (cachedTracer?.provider !== provider)
    cachedTracer = { provider, tracer: provider.getTracer(TRACER_NAME) };
  return cachedTracer.tracer;
}

/** What every call of one spec under one attribution shares: labels, span name, start attributes. */
interface CallShape {
  operation: string;
  provider: string;
  requestModel: string;
  labels: LabelSet;
  spanName: string;
  /** Names the call in warnings about its reported usage. */
  usageSource: string;
  /** Shared and never mutated: the tracer copies span attributes. */
  startAttributes: Attributes;
  /** The start attributes with a frozen `spec.attributes` and the streaming flag, for the last such pair. */
  extended?: { extra: Attributes | undefined; streaming: boolean; attributes: Attributes };
}

// One shape per attribution (shared per baggage object), reused while the spec's names match:
// saves building label keys, span name and attribute objects on every call.
const shapeByAttribution = new WeakMap<Readonly<Attribution>, CallShape>();

function callShapeFor(spec: ModelCallSpec, attribution: Readonly<Attribution>): CallShape {
  const operation = spec.operation ?? CHAT;
  const last = shapeByAttribution.get(attribution);
  if (
    last &&
    last.operation === operation &&
    last.provider === spec.provider &&
    last.requestModel === spec.requestModel
  )
    return last;
  const labels = labelSetFor({
    operation,
    provider: spec.provider,
    requestModel: spec.requestModel,
    billingMode: attribution.billingMode ?? DEFAULT_BILLING_MODE,
    plan: attribution.plan ?? DEFAULT_PLAN,
    promptName: attribution.promptName,
  });
  const startAttributes: Attributes = { ...labels.base };
  if (attribution.userId !== undefined) startAttributes[ATTR_ENDUSER_ID] = attribution.userId;
  const shape: CallShape = {
    operation,
    provider: spec.provider,
    requestModel: spec.requestModel,
    labels,
    spanName: `${operation} ${spec.requestModel}`,
    usageSource: `${spec.provider} ${spec.requestModel}`,
    startAttributes,
  };
  shapeByAttribution.set(attribution, shape);
  return shape;
}

/**
 * The span's start attributes: the shape's, plus the spec's extra attributes and the streaming
 * flag. Built once per shape for a frozen `spec.attributes` (instrumentOpenAI passes one per
 * client); a mutable one is copied on every call, as its owner may change it.
 */
function startAttributesOf(shape: CallShape, spec: ModelCallSpec): Attributes {
  const extra = spec.attributes;
  const streaming = spec.streaming === true;
  if (!extra && !streaming) return shape.startAttributes;
  const memo = shape.extended;
  if (memo && memo.extra === extra && memo.streaming === streaming) return memo.attributes;
  const attributes: Attributes = {};
  if (extra) Object.assign(attributes, extra);
  Object.assign(attributes, shape.startAttributes);
  if (streaming) attributes[ATTR_TOKENMETER_STREAMING] = true;
  if (!extra || Object.isFrozen(extra)) shape.extended = { extra, streaming, attributes };
  return attributes;
}

/**
 * One model call in flight: its span, its timing and what was learnt about it. end() records the
 * span attributes, cost and metrics exactly once and never throws.
 */
export class ModelCall implements ModelCallRecorder {
  readonly span: Span;
  /** The parent context with this call's span: the instrumented code runs in it, the metrics are recorded with it. */
  readonly context: Context;
  private readonly startedAt = performance.now();
  private readonly startedAtEpochMs = Date.now();
  private firstChunkAt: number | undefined;
  private responseModel: string | undefined;
  private usage: TokenUsage | undefined;
  private ended = false;
  private failure: unknown;
  /** Metric labels: bounded values only (see METRIC_LABELS); the user and the answering snapshot stay on the span. */
  private readonly labels: LabelSet;
  private readonly usageSource: string;

  constructor(
    private readonly spec: ModelCallSpec,
    parent: Context = context.active(),
  ) {
    const shape = callShapeFor(spec, attributionIn(parent));
    this.labels = shape.labels;
    this.usageSource = shape.usageSource;
    this.span = tracer().startSpan(
      shape.spanName,
      { kind: SpanKind.CLIENT, attributes: startAttributesOf(shape, spec) },
      parent,
    );
    this.context = trace.setSpan(parent, this.span);
  }

  record(outcome: ModelCallOutcome): void {
    if (this.ended) return;
    try {
      if (typeof outcome.responseModel === 'string' && outcome.responseModel !== '')
        this.responseModel = outcome.responseModel;
      if (outcome.usage !== undefined) {
        const usage = sanitizeUsage(outcome.usage, this.usageSource);
        if (usage) this.usage = usage;
      }
      if (outcome.attributes) this.span.setAttributes(outcome.attributes);
    } catch (error) {
      reportInternalError('ModelCall.record', error);
    }
  }

  /**
   * A span attribute learnt while the call runs (e.g. a request parameter). Set on the live span
   * at once: the tracer handles an attribute set after the start once, a start attribute three
   * times (samplers do not see it).
   */
  setAttribute(name: string, value: AttributeValue): void {
    if (!this.ended) this.span.setAttribute(name, value);
  }

  /** Marks the call as failed although no exception reached the caller (e.g. an error event in a stream). */
  fail(error: unknown): void {
    if (this.failure === undefined) this.failure = error ?? new Error('model call failed');
  }

  markFirstChunk(): void {
    if (this.firstChunkAt === undefined) this.firstChunkAt = performance.now();
  }

  /** Ends the call, as failed when `error` is given. Idempotent; never throws. */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    try {
      this.finish(error ?? this.failure);
    } catch (internal) {
      reportInternalError('ModelCall.end', internal);
    } finally {
      try {
        this.span.end();
        learnAttributeLayout(this.span);
      } catch (internal) {
        reportInternalError('span.end', internal);
      }
    }
  }

  // The end attributes go to the span one by one: the tracer copies each anyway (setAttributes
  // loops over setAttribute), and no attribute object is built and walked per call.
  private finish(error: unknown): void {
    const endedAt = performance.now();
    const span = this.span;
    let durationLabels = this.labels.base;
    if (this.responseModel !== undefined)
      span.setAttribute(ATTR_GEN_AI_RESPONSE_MODEL, this.responseModel);
    if (error !== undefined) {
      const errorType = errorTypeOf(error);
      span.setAttribute(ATTR_ERROR_TYPE, errorType);
      durationLabels = labelsWithError(this.labels, errorType);
      if (error instanceof Error) span.recordException(error);
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
    }
    const usage = this.usage;
    if (usage) {
      span.setAttribute(ATTR_GEN_AI_USAGE_INPUT_TOKENS, usage.inputTokens);
      span.setAttribute(ATTR_GEN_AI_USAGE_OUTPUT_TOKENS, usage.outputTokens);
      if (usage.cachedInputTokens !== undefined)
        span.setAttribute(ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, usage.cachedInputTokens);
      if (usage.reasoningTokens !== undefined)
        span.setAttribute(ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, usage.reasoningTokens);
      modelCallHistograms.tokenUsage.record(usage.inputTokens, this.labels.input, this.context);
      modelCallHistograms.tokenUsage.record(usage.outputTokens, this.labels.output, this.context);
      this.recordCost(usage);
    }
    if (this.firstChunkAt !== undefined) {
      const ttftMs = this.firstChunkAt - this.startedAt;
      span.setAttribute(ATTR_TOKENMETER_TIME_TO_FIRST_TOKEN_MS, Math.round(ttftMs * 1000) / 1000);
      modelCallHistograms.timeToFirstChunk.record(ttftMs / 1000, this.labels.base, this.context);
      const generatingS = (endedAt - this.firstChunkAt) / 1000;
      if (usage && usage.outputTokens > 0 && generatingS > 0) {
        span.setAttribute(
          ATTR_TOKENMETER_OUTPUT_TOKENS_PER_S,
          Math.round((usage.outputTokens / generatingS) * 100) / 100,
        );
      }
    }
    modelCallHistograms.operationDuration.record(
      (endedAt - this.startedAt) / 1000,
      durationLabels,
      this.context,
    );
  }

  private recordCost(usage: TokenUsage): void {
    const catalog = activeCatalog();
    const at = this.startedAtEpochMs;
    const { provider, requestModel } = this.spec;
    const { priced } = priceModelCall(catalog, {
      provider,
      requestModel,
      responseModel: this.responseModel,
      usage,
      at,
    });
    if (priced) {
      this.span.setAttribute(ATTR_TOKENMETER_COST_USD, priced.costUsd);
      this.span.setAttribute(ATTR_TOKENMETER_PRICING_VERSION, priced.pricingVersion);
      costTotals.add(this.labels.key, priced.costUsd, this.labels.base);
      return;
    }
    const inst = instruments();
    const unpricedLabels = {
      [ATTR_GEN_AI_PROVIDER_NAME]: provider,
      [ATTR_GEN_AI_REQUEST_MODEL]: requestModel,
    };
    inst.unpricedTokens.add(
      usage.inputTokens,
      {
        ...unpricedLabels,
        [ATTR_GEN_AI_TOKEN_TYPE]: GEN_AI_TOKEN_TYPE.input,
      },
      this.context,
    );
    inst.unpricedTokens.add(
      usage.outputTokens,
      {
        ...unpricedLabels,
        [ATTR_GEN_AI_TOKEN_TYPE]: GEN_AI_TOKEN_TYPE.output,
      },
      this.context,
    );
    warnOnce(
      `unpriced:${provider}:${requestModel}`,
      `no price for ${provider} model ${requestModel}${this.responseModel ? ` (answered by ${this.responseModel})` : ''} in pricing catalog ${catalog.version}; its tokens are counted in tokenmeter.llm.unpriced.tokens. Add it with TOKENMETER_PRICING_FILE or setupTokenmeter({ prices }).`,
    );
  }
}

/** Starts a model call, or returns undefined (after reporting why) if the instrumentation fails. */
export function startModelCall(spec: ModelCallSpec, parent?: Context): ModelCall | undefined {
  try {
    return new ModelCall(spec, parent);
  } catch (error) {
    reportInternalError('startModelCall', error);
    return undefined;
  }
}

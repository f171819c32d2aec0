// Backfill: writes `days` of past model calls through the real OTLP path (the Collector, or the
// sink directly), with span timestamps in the past, so every panel is full at first sight. The
// calls follow the same world as the live traffic (users, prompts, models) and the simulated
// provider's answers, seeded: a seed always produces the same calls, tokens and cost.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { Attributes } from '@opentelemetry/api';
import * as semconv from '@tokenmeter/conventions/semconv';
import { answerChat, DEFAULT_SIMULATION, type Answer } from '../provider/answer-model';
import { SeededRandom } from '../random';
import { discoverNode } from '../service/node-directory';
import { assistantPrompt, prioritiesPrompt } from '../service/prompts';
import { modelFor, PROMPTS, type DemoUser, type PromptName } from '../world';
import { questionFor } from './questions';
import { costOf, Tally, type CallRecord } from './tally';

export interface BackfillOptions {
  /** OTLP/HTTP base URL, e.g. http://127.0.0.1:4318 (spans go to `${endpoint}/v1/traces`). */
  otlpEndpoint: string;
  /** Headers the Collector requires (`authorization: Bearer <token>`); OTEL_EXPORTER_OTLP_HEADERS also applies. */
  otlpHeaders?: Record<string, string>;
  seed: string;
  users: readonly DemoUser[];
  /** Days of history before `now` (default 30). */
  days?: number;
  /** Average model calls per day (default 150). */
  callsPerDay?: number;
  /** service.name of the spans (default tokenmeter-demo, as the live service). */
  serviceName?: string;
  /** End of the history (default: now); the last calls stop a minute before it. */
  now?: Date;
  /** Called with the share of the history written so far (0..1). */
  onProgress?: (done: number) => void;
}

const HOUR_MS = 3_600_000;
const MAX_ATTEMPTS = 3; // the openai client's first try and its two retries
const ERROR_CLASS: Record<number, string> = {
  400: 'BadRequestError',
  404: 'NotFoundError',
  429: 'RateLimitError',
  503: 'InternalServerError',
};

const PROMPT_MIX: readonly (readonly [PromptName, number])[] = [
  [PROMPTS.nodePriorities, 4],
  [PROMPTS.assistantChat, 4],
  [PROMPTS.channelSummary, 2],
  [PROMPTS.feeAdvice, 2],
];

/** Activity by UTC hour: quiet nights, busy working hours. */
function hourFactor(hour: number): number {
  return 0.35 + 1.3 * Math.max(0, Math.sin(((hour - 5) / 24) * 2 * Math.PI));
}

/** The provider's answer after the client's retries: the first success, or the last failure. */
function finalAnswer(model: string, promptText: string): Answer {
  let answer: Answer | undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    answer = answerChat(DEFAULT_SIMULATION, { model, promptText, messages: 2, attempt });
    if (answer.kind === 'completion' || ![429, 503].includes(answer.status)) break;
  }
  return answer as Answer;
}

function promptTextFor(
  random: SeededRandom,
  prompt: PromptName,
  user: DemoUser,
  requestId: string,
): string {
  const { system, user: content } =
    prompt === PROMPTS.nodePriorities
      ? prioritiesPrompt(discoverNode(user.pubkey), requestId)
      : assistantPrompt(questionFor(random, prompt), requestId);
  // as the simulated provider reads a request: "role: content" per message
  return `system: ${system}\nuser: ${content}`;
}

/** Counts what the wrapped exporter could not deliver, so a failed backfill fails loudly. */
class DeliveryCheckingExporter implements SpanExporter {
  undelivered = 0;
  lastError: Error | undefined;
  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      if (result.code !== ExportResultCode.SUCCESS) {
        this.undelivered += spans.length;
        this.lastError = result.error;
      }
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** Writes the history and resolves, once every span is exported, with what was sent. */
export async function backfill(options: BackfillOptions): Promise<Tally> {
  const days = options.days ?? 30;
  const callsPerDay = options.callsPerDay ?? 150;
  if (!(days > 0) || !(callsPerDay > 0))
    throw new RangeError('backfill: days and callsPerDay must be > 0');
  if (options.users.length === 0) throw new RangeError('backfill needs at least one user');
  const url = `${options.otlpEndpoint.replace(/\/$/, '')}/v1/traces`;
  const exporter = new DeliveryCheckingExporter(
    new OTLPTraceExporter({ url, timeoutMillis: 30_000, ...(options.otlpHeaders ? { headers: options.otlpHeaders } : {}) }),
  );
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName ?? 'tokenmeter-demo' }),
    spanProcessors: [
      new BatchSpanProcessor(exporter, {
        maxQueueSize: 1 << 20,
        maxExportBatchSize: 2000,
        scheduledDelayMillis: 200,
      }),
    ],
  });
  const tracer = provider.getTracer('@tokenmeter/demo/backfill');
  const tally = new Tally();
  const end = (options.now ?? new Date()).getTime() - 60_000;
  // a few minutes inside the window, so a report over the same number of days holds all of it
  const start = end + 60_000 - days * 24 * HOUR_MS + 5 * 60_000;
  const weights = options.users.map((user) => [user, user.weight] as const);
  let sequence = 0;

  for (let hourStart = start; hourStart < end; hourStart += HOUR_MS) {
    const random = new SeededRandom(options.seed, 'backfill-hour', Math.floor(hourStart / HOUR_MS));
    // A slow upward trend over the period, so the month-end projection has something to project.
    const trend = 0.7 + (0.6 * (hourStart - start)) / (end - start);
    const expected = (callsPerDay / 24) * hourFactor(new Date(hourStart).getUTCHours()) * trend;
    const calls = Math.round(random.around(expected, expected * 0.5, 0, expected * 3));
    for (let i = 0; i < calls; i++) {
      const user = random.weighted(weights);
      const prompt = random.weighted(PROMPT_MIX);
      const model = modelFor(prompt, user.plan);
      const requestId = `${options.seed}-backfill-${sequence++}`;
      const answer = finalAnswer(model, promptTextFor(random, prompt, user, requestId));
      const startMs = Math.min(end, hourStart + random.int(0, HOUR_MS - 1));
      const streaming = prompt !== PROMPTS.nodePriorities && random.chance(0.5);
      const record: CallRecord =
        answer.kind === 'completion'
          ? {
              model,
              responseModel: answer.model.snapshot,
              status: 'success',
              inputTokens: answer.usage.promptTokens,
              outputTokens: answer.usage.completionTokens,
              cachedInputTokens: answer.usage.cachedTokens,
              reasoningTokens: answer.usage.reasoningTokens,
            }
          : {
              model,
              status: 'error',
              inputTokens: 0,
              outputTokens: 0,
              cachedInputTokens: 0,
              reasoningTokens: 0,
            };
      const at = new Date(startMs);
      const priced = costOf(tally.catalog, record, at);
      const attributes: Attributes = {
        [semconv.ATTR_GEN_AI_OPERATION_NAME]: semconv.GEN_AI_OPERATION.chat,
        [semconv.ATTR_GEN_AI_PROVIDER_NAME]: semconv.GEN_AI_PROVIDER.openai,
        [semconv.ATTR_GEN_AI_REQUEST_MODEL]: model,
        [semconv.ATTR_ENDUSER_ID]: user.id,
        [semconv.ATTR_TOKENMETER_PROMPT_NAME]: prompt,
        [semconv.ATTR_TOKENMETER_BILLING_MODE]: user.billingMode,
        [semconv.ATTR_TOKENMETER_PLAN]: user.plan,
      };
      let durationMs = 150;
      if (answer.kind === 'completion') {
        durationMs = answer.firstTokenMs + answer.generationMs;
        Object.assign(attributes, {
          [semconv.ATTR_GEN_AI_RESPONSE_MODEL]: answer.model.snapshot,
          [semconv.ATTR_GEN_AI_USAGE_INPUT_TOKENS]: record.inputTokens,
          [semconv.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: record.outputTokens,
          [semconv.ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: record.cachedInputTokens,
          [semconv.ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS]: record.reasoningTokens,
        });
        if (streaming) {
          attributes[semconv.ATTR_TOKENMETER_STREAMING] = true;
          attributes[semconv.ATTR_TOKENMETER_TIME_TO_FIRST_TOKEN_MS] =
            Math.round(answer.firstTokenMs * 1000) / 1000;
        }
        if (priced) {
          attributes[semconv.ATTR_TOKENMETER_COST_USD] = priced.costUsd;
          attributes[semconv.ATTR_TOKENMETER_PRICING_VERSION] = priced.pricingVersion;
        }
      } else {
        attributes[semconv.ATTR_ERROR_TYPE] =
          ERROR_CLASS[answer.status] ?? semconv.ERROR_TYPE_OTHER;
      }
      const span = tracer.startSpan(`chat ${model}`, {
        kind: SpanKind.CLIENT,
        startTime: at,
        attributes,
      });
      if (answer.kind === 'failure')
        span.setStatus({ code: SpanStatusCode.ERROR, message: answer.message });
      span.end(new Date(startMs + durationMs));
      tally.add(record, user.id, at, priced?.costUsd ?? 0);
    }
    options.onProgress?.(Math.min(1, (hourStart + HOUR_MS - start) / (end - start)));
  }
  await provider.forceFlush();
  await provider.shutdown();
  if (exporter.undelivered > 0) {
    throw new Error(
      `backfill: ${exporter.undelivered} of ${tally.total.calls} spans could not be delivered to ${url}: ${exporter.lastError?.message ?? 'export failed'}`,
    );
  }
  return tally;
}

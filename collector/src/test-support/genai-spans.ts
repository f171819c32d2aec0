import { randomBytes } from 'node:crypto';
import { traceService } from '../otlp/trace-messages';

/** What a test or the benchmark says about one model call; the rest gets realistic defaults. */
export interface CallSpec {
  service?: string;
  traceId?: string;
  spanId?: string;
  startMs?: number;
  durationMs?: number;
  operation?: string;
  provider?: string;
  requestModel?: string;
  responseModel?: string;
  inputTokens?: number;
  outputTokens?: number;
  cachedInputTokens?: number;
  reasoningTokens?: number;
  userId?: string;
  promptName?: string;
  billingMode?: string;
  plan?: string;
  error?: string;
  costUsd?: number;
  timeToFirstTokenMs?: number;
  extra?: Record<string, string | number | boolean>;
}

type JsonKeyValue = { key: string; value: Record<string, unknown> };

function keyValue(key: string, value: string | number | boolean): JsonKeyValue {
  if (typeof value === 'string') return { key, value: { stringValue: value } };
  if (typeof value === 'boolean') return { key, value: { boolValue: value } };
  return { key, value: Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value } };
}

export const newTraceId = (): string => randomBytes(16).toString('hex');
export const newSpanId = (): string => randomBytes(8).toString('hex');

/** One span in OTLP/JSON form (ids as hex, times as decimal-string nanoseconds). */
export function genAiSpanJson(spec: CallSpec): Record<string, unknown> {
  const startMs = spec.startMs ?? Date.now() - 1000;
  const durationMs = spec.durationMs ?? 850;
  const model = spec.requestModel ?? 'gpt-4o-mini';
  const attributes: JsonKeyValue[] = [
    keyValue('gen_ai.operation.name', spec.operation ?? 'chat'),
    keyValue('gen_ai.provider.name', spec.provider ?? 'openai'),
    keyValue('gen_ai.request.model', model),
    keyValue('gen_ai.response.model', spec.responseModel ?? `${model}-2024-07-18`),
    keyValue('gen_ai.usage.input_tokens', spec.inputTokens ?? 1200),
    keyValue('gen_ai.usage.output_tokens', spec.outputTokens ?? 300),
  ];
  const optional: [string, string | number | undefined][] = [
    ['gen_ai.usage.cache_read.input_tokens', spec.cachedInputTokens],
    ['gen_ai.usage.reasoning.output_tokens', spec.reasoningTokens],
    ['enduser.id', spec.userId],
    ['tokenmeter.prompt.name', spec.promptName],
    ['tokenmeter.billing.mode', spec.billingMode],
    ['tokenmeter.plan', spec.plan],
    ['error.type', spec.error],
    ['tokenmeter.cost.usd', spec.costUsd],
    ['tokenmeter.time_to_first_token_ms', spec.timeToFirstTokenMs],
  ];
  for (const [key, value] of optional) if (value !== undefined) attributes.push(keyValue(key, value));
  for (const [key, value] of Object.entries(spec.extra ?? {})) attributes.push(keyValue(key, value));
  const startNs = BigInt(Math.round(startMs * 1000)) * 1000n;
  return {
    traceId: spec.traceId ?? newTraceId(),
    spanId: spec.spanId ?? newSpanId(),
    name: `${spec.operation ?? 'chat'} ${model}`,
    kind: 3,
    startTimeUnixNano: startNs.toString(),
    endTimeUnixNano: (startNs + BigInt(Math.round(durationMs * 1e6))).toString(),
    attributes,
    status: spec.error ? { code: 2, message: spec.error } : { code: 0 },
  };
}

/** An OTLP/JSON ExportTraceServiceRequest with the given spans grouped by service. */
export function traceRequestJson(specs: CallSpec[], rawSpans: Record<string, unknown>[] = []): Record<string, unknown> {
  const byService = new Map<string, Record<string, unknown>[]>();
  for (const spec of specs) {
    const service = spec.service ?? 'checkout-api';
    byService.set(service, [...(byService.get(service) ?? []), genAiSpanJson(spec)]);
  }
  if (rawSpans.length > 0) byService.set('raw-spans', [...(byService.get('raw-spans') ?? []), ...rawSpans]);
  return {
    resourceSpans: [...byService].map(([service, spans]) => ({
      resource: { attributes: [keyValue('service.name', service)] },
      scopeSpans: [{ scope: { name: 'tokenmeter-test' }, spans }],
    })),
  };
}

/** The same request as OTLP protobuf bytes, encoded by the generated OTLP classes. */
export function traceRequestProtobuf(json: Record<string, unknown>): Buffer {
  const copy = structuredClone(json) as { resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[] };
  for (const resourceSpans of copy.resourceSpans) {
    for (const scopeSpans of resourceSpans.scopeSpans) {
      for (const span of scopeSpans.spans) {
        for (const key of ['traceId', 'spanId']) {
          if (typeof span[key] === 'string') span[key] = Buffer.from(span[key] as string, 'hex');
        }
      }
    }
  }
  const { ExportTraceServiceRequest } = traceService;
  return Buffer.from(ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(copy)).finish());
}

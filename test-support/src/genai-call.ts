// One model call as a test or benchmark describes it, and the GenAI span attributes it becomes
// (docs/contracts.md, "Span attributes"), for every sender: OTLP/JSON, OTLP protobuf, the SDK.

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

export type AttributeValue = string | number | boolean;

export const DEFAULT_MODEL = 'gpt-4o-mini';

/** The span attributes of the call, in a stable order: the GenAI ones, then those the spec sets. */
export function genAiAttributes(spec: CallSpec): [string, AttributeValue][] {
  const model = spec.requestModel ?? DEFAULT_MODEL;
  const attributes: [string, AttributeValue][] = [
    ['gen_ai.operation.name', spec.operation ?? 'chat'],
    ['gen_ai.provider.name', spec.provider ?? 'openai'],
    ['gen_ai.request.model', model],
    ['gen_ai.response.model', spec.responseModel ?? `${model}-2024-07-18`],
    ['gen_ai.usage.input_tokens', spec.inputTokens ?? 1200],
    ['gen_ai.usage.output_tokens', spec.outputTokens ?? 300],
  ];
  const optional: [string, AttributeValue | undefined][] = [
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
  for (const [key, value] of optional) if (value !== undefined) attributes.push([key, value]);
  attributes.push(...Object.entries(spec.extra ?? {}));
  return attributes;
}

/** The span name the GenAI conventions give the call: `{operation} {request model}`. */
export const genAiSpanName = (spec: CallSpec): string =>
  `${spec.operation ?? 'chat'} ${spec.requestModel ?? DEFAULT_MODEL}`;

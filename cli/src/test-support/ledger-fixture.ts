// Test fixtures: an own database on the test PostgreSQL server, filled through the real path
// (OTLP spans → usage sink → ledger).
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

export { createTestDatabase, type TestDatabase } from '@tokenmeter/collector';

export interface FixtureCall {
  at: Date;
  model: string;
  userId: string;
  prompt: string;
  plan: 'free' | 'pro';
  billingMode: 'system' | 'byok';
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  /** Omitted: the sink prices the call itself (or leaves it unpriced). */
  costUsd?: number;
  error?: string;
}

/** Sends the calls as GenAI spans to the sink at `sinkUrl` and waits until it has them. */
export async function sendCalls(sinkUrl: string, calls: FixtureCall[]): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'cli-test-service' }),
    spanProcessors: [
      new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${sinkUrl}/v1/traces` })),
    ],
  });
  const tracer = provider.getTracer('cli-test');
  for (const call of calls) {
    const span = tracer.startSpan(`chat ${call.model}`, {
      kind: SpanKind.CLIENT,
      startTime: call.at,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': call.model,
        'gen_ai.usage.input_tokens': call.inputTokens,
        'gen_ai.usage.output_tokens': call.outputTokens,
        'gen_ai.usage.cache_read.input_tokens': call.cachedInputTokens ?? 0,
        'enduser.id': call.userId,
        'tokenmeter.prompt.name': call.prompt,
        'tokenmeter.plan': call.plan,
        'tokenmeter.billing.mode': call.billingMode,
        ...(call.costUsd !== undefined ? { 'tokenmeter.cost.usd': call.costUsd } : {}),
        ...(call.error ? { 'error.type': call.error } : {}),
      },
    });
    if (call.error) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end(new Date(call.at.getTime() + 1200));
  }
  await provider.forceFlush();
  await provider.shutdown();
}

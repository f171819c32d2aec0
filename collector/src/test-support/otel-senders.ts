import { SpanKind, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { CallSpec } from './genai-spans';

/** The real OpenTelemetry JS SDK exporting spans over OTLP/HTTP protobuf, as a service would. */
export function sdkTracer(otlpHttpUrl: string, service: string) {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'service.instance.id': `${service}-1` }),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: `${otlpHttpUrl}/v1/traces` }), {
        maxQueueSize: 100_000,
        maxExportBatchSize: 512,
        scheduledDelayMillis: 200,
      }),
    ],
  });
  const tracer = provider.getTracer('tokenmeter-collector-tests');
  return {
    /** One CLIENT span per model call, named and attributed per the GenAI conventions. */
    recordCall(spec: CallSpec & { userId: string }): void {
      const model = spec.requestModel ?? 'gpt-4o-mini';
      const operation = spec.operation ?? 'chat';
      const attributes: Attributes = {
        'gen_ai.operation.name': operation,
        'gen_ai.provider.name': spec.provider ?? 'openai',
        'gen_ai.request.model': model,
        'gen_ai.response.model': spec.responseModel ?? `${model}-2024-07-18`,
        'gen_ai.usage.input_tokens': spec.inputTokens ?? 1000,
        'gen_ai.usage.output_tokens': spec.outputTokens ?? 250,
        'enduser.id': spec.userId,
      };
      if (spec.promptName) attributes['tokenmeter.prompt.name'] = spec.promptName;
      if (spec.error) attributes['error.type'] = spec.error;
      const start = spec.startMs ?? Date.now() - 2000;
      const span = tracer.startSpan(`${operation} ${model}`, { kind: SpanKind.CLIENT, attributes, startTime: start });
      if (spec.error) span.setStatus({ code: SpanStatusCode.ERROR, message: spec.error });
      span.end(start + (spec.durationMs ?? 700));
    },
    /** A span that is not a model call (the Collector's filter must drop it). */
    recordOtherSpan(name: string): void {
      tracer.startSpan(name, { kind: SpanKind.SERVER, attributes: { 'http.route': '/api/v1/things' } }).end();
    },
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

/** The real SDK MeterProvider exporting cumulative metrics over OTLP/HTTP protobuf. */
export function sdkMeterProvider(otlpHttpUrl: string, service: string): MeterProvider {
  return new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'service.instance.id': `${service}-1` }),
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: `${otlpHttpUrl}/v1/metrics` }),
        exportIntervalMillis: 1000,
      }),
    ],
  });
}

import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { genAiAttributes, genAiSpanName, type CallSpec } from './genai-call';

/**
 * The real OpenTelemetry JS SDK exporting spans over OTLP/HTTP protobuf, as a service would, with
 * `headers` (the Collector's `Authorization: Bearer <token>`).
 */
export function sdkTracer(
  otlpHttpUrl: string,
  service: string,
  headers: Record<string, string> = {},
) {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': service,
      'service.instance.id': `${service}-1`,
    }),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: `${otlpHttpUrl}/v1/traces`, headers }), {
        maxQueueSize: 100_000,
        maxExportBatchSize: 512,
        scheduledDelayMillis: 200,
      }),
    ],
  });
  const tracer = provider.getTracer('tokenmeter-tests');
  return {
    /** One CLIENT span per model call, named and attributed per the GenAI conventions. */
    recordCall(spec: CallSpec & { userId: string }): void {
      const call = { inputTokens: 1000, outputTokens: 250, ...spec };
      const attributes = Object.fromEntries(genAiAttributes(call));
      const start = spec.startMs ?? Date.now() - 2000;
      const span = tracer.startSpan(genAiSpanName(call), {
        kind: SpanKind.CLIENT,
        attributes,
        startTime: start,
      });
      if (spec.error) span.setStatus({ code: SpanStatusCode.ERROR, message: spec.error });
      span.end(start + (spec.durationMs ?? 700));
    },
    /** A span that is not a model call (the Collector's filter must drop it). */
    recordOtherSpan(name: string): void {
      tracer
        .startSpan(name, { kind: SpanKind.SERVER, attributes: { 'http.route': '/api/v1/things' } })
        .end();
    },
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

/** The real SDK MeterProvider exporting cumulative metrics over OTLP/HTTP protobuf. */
export function sdkMeterProvider(
  otlpHttpUrl: string,
  service: string,
  headers: Record<string, string> = {},
): MeterProvider {
  return new MeterProvider({
    resource: resourceFromAttributes({
      'service.name': service,
      'service.instance.id': `${service}-1`,
    }),
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: `${otlpHttpUrl}/v1/metrics`, headers }),
        exportIntervalMillis: 1000,
      }),
    ],
  });
}

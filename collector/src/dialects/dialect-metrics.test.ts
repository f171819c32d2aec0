import { ValueType } from '@opentelemetry/api';
import { startSink, type RunningSink } from '../sink';
import { sdkMeterProvider } from '@tokenmeter/test-support';
import {
  startTestCollector,
  startTestPrometheus,
  waitFor,
  type TestCollector,
  type TestPrometheus,
} from '@tokenmeter/test-support';
import { createTestDatabase, type TestDatabase } from '@tokenmeter/test-support';

// The metrics a service instrumented by someone else sends under semantic-conventions-genai v0.1.0,
// through the real Collector to the real Prometheus: the names the dashboards read
// (provisioning/src/queries/prometheus-names.ts, OTHER_EMITTER_METRICS and LLM_DURATION_NAMES).

const SERVICE = 'genai-v0-1-service';

describe('genai v0.1.0 metrics through the real Collector', () => {
  let database: TestDatabase;
  let sink: RunningSink;
  let collector: TestCollector;
  let prometheus: TestPrometheus;
  let meterProvider: ReturnType<typeof sdkMeterProvider> | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('dialect_metrics');
    sink = await startSink({ databaseUrl: database.url, port: 0, log: () => undefined });
    collector = await startTestCollector(sink.url, '');
    prometheus = await startTestPrometheus([
      { job: 'otel-collector', target: collector.prometheusTarget },
    ]);
  }, 60_000);

  afterAll(async () => {
    await meterProvider?.shutdown().catch(() => undefined);
    await prometheus?.stop();
    await collector?.stop();
    await sink?.close();
    await database?.drop();
  });

  it('arrive in Prometheus as gen_ai_client_inference_* with the GenAI labels', async () => {
    meterProvider = sdkMeterProvider(collector.otlpHttpUrl, SERVICE, collector.otlpHeaders);
    const meter = meterProvider.getMeter('genai-v0.1.0-emitter');
    const call = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-haiku-4-5',
    };
    meter.createHistogram('gen_ai.client.inference.duration', { unit: 's' }).record(1.2, call);
    meter
      .createHistogram('gen_ai.client.inference.time_to_first_chunk', { unit: 's' })
      .record(0.3, call);
    meter
      .createCounter('gen_ai.client.inference.usage.input_tokens', {
        unit: '{token}',
        valueType: ValueType.INT,
      })
      .add(1500, call);
    meter
      .createCounter('gen_ai.client.inference.usage.output_tokens', {
        unit: '{token}',
        valueType: ValueType.INT,
      })
      .add(200, call);
    await meterProvider.forceFlush();

    const expected: [string, number][] = [
      ['gen_ai_client_inference_duration_seconds_count', 1],
      ['gen_ai_client_inference_time_to_first_chunk_seconds_count', 1],
      ['gen_ai_client_inference_usage_input_tokens_total', 1500],
      ['gen_ai_client_inference_usage_output_tokens_total', 200],
      // The dashboards' pattern for every emitter's model-call durations.
      [
        '{__name__=~"(gen_ai_client_operation_duration_seconds|gen_ai_client_inference_duration_seconds)_count"}',
        1,
      ],
    ];
    for (const [name, value] of expected) {
      const selector = name.startsWith('{')
        ? `${name.slice(0, -1)}, job="${SERVICE}"}`
        : `${name}{job="${SERVICE}"}`;
      const series = await waitFor(
        `${selector} in Prometheus`,
        async () => {
          const result = await prometheus.query(selector);
          return result.length > 0 ? result : undefined;
        },
        60_000,
      );
      expect({ name, value: Number(series[0]!.value[1]) }).toEqual({ name, value });
      expect(series[0]!.metric).toMatchObject({
        gen_ai_provider_name: 'anthropic',
        gen_ai_request_model: 'claude-haiku-4-5',
        gen_ai_operation_name: 'chat',
      });
    }
  });
});

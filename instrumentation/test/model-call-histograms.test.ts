// Where the model-call histograms go: Tokenmeter's own aggregation on the readers setupTokenmeter
// binds (given or built from OTEL_* variables), or the SDK's histograms when no such reader
// exists (a service with its own SDK) or a service's View selects them; nothing is lost either way.
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type Histogram,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { setupTokenmeter, traceModelCall } from '../src';
import { histogramAggregation } from '../src/instruments';
import { metricNamed, startTestTelemetry } from './support/telemetry-harness';

const callWithUsage = () =>
  traceModelCall({ provider: 'openai', requestModel: 'gpt-4o-mini' }, async (call) =>
    call.record({ usage: { inputTokens: 120, outputTokens: 30 } }),
  );

/** count and sum per token type of gen_ai.client.token.usage */
function tokenUsage(metric: MetricData) {
  return metric.dataPoints
    .map((point) => ({
      type: point.attributes['gen_ai.token.type'],
      count: (point.value as Histogram).count,
      sum: (point.value as Histogram).sum,
    }))
    .sort((a, b) => String(a.type).localeCompare(String(b.type)));
}

// NodeSDK's shutdown leaves its providers registered as the API's globals: each test starts afresh.
afterEach(() => {
  metrics.disable();
  trace.disable();
  propagation.disable();
  context.disable();
});

const EXPECTED_USAGE = [
  { type: 'input', count: 1, sum: 120 },
  { type: 'output', count: 1, sum: 30 },
];

it('aggregates them itself on the readers given to setupTokenmeter', async () => {
  const telemetry = startTestTelemetry();
  expect(histogramAggregation.active).toBe(true);
  await callWithUsage();
  const exported = await telemetry.collectMetrics();
  expect(tokenUsage(metricNamed(exported, 'gen_ai.client.token.usage'))).toEqual(EXPECTED_USAGE);
  await telemetry.shutdown();
  expect(histogramAggregation.active).toBe(false);
});

it('aggregates them itself on the readers built from OTEL_METRICS_EXPORTER', async () => {
  const saved = process.env.OTEL_METRICS_EXPORTER;
  process.env.OTEL_METRICS_EXPORTER = 'console';
  const printed: unknown[] = [];
  const dir = jest.spyOn(console, 'dir').mockImplementation((item) => void printed.push(item));
  try {
    const tokenmeter = setupTokenmeter(
      { serviceName: 'env-readers', httpInstrumentation: false, spanProcessors: [] },
      {},
    );
    expect(histogramAggregation.active).toBe(true);
    await callWithUsage();
    await tokenmeter.shutdown(); // the console reader exports once more
  } finally {
    dir.mockRestore();
    if (saved === undefined) delete process.env.OTEL_METRICS_EXPORTER;
    else process.env.OTEL_METRICS_EXPORTER = saved;
  }
  const usage = (printed as MetricData[]).find(
    (metric) => metric.descriptor?.name === 'gen_ai.client.token.usage',
  );
  expect(usage && tokenUsage(usage)).toEqual(EXPECTED_USAGE);
});

it("leaves them to the SDK when a service's View selects them", async () => {
  const telemetry = startTestTelemetry({
    views: [{ instrumentName: 'gen_ai.client.token.usage', name: 'acme.llm.tokens' }],
  });
  expect(histogramAggregation.active).toBe(false);
  await callWithUsage();
  // the service's View applies (a second stream beside Tokenmeter's): the SDK recorded the points
  const exported = await telemetry.collectMetrics();
  expect(tokenUsage(metricNamed(exported, 'acme.llm.tokens'))).toEqual(EXPECTED_USAGE);
  expect(tokenUsage(metricNamed(exported, 'gen_ai.client.token.usage'))).toEqual(EXPECTED_USAGE);
  await telemetry.shutdown();
});

it('records them on the SDK histograms of a service that runs its own OpenTelemetry SDK', async () => {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(provider);
  try {
    expect(histogramAggregation.active).toBe(false);
    await callWithUsage();
    await reader.forceFlush();
    const exported = exporter
      .getMetrics()
      .flatMap((rm) => rm.scopeMetrics)
      .filter((scope) => scope.scope.name === '@tokenmeter/instrumentation')
      .flatMap((scope) => scope.metrics);
    expect(tokenUsage(metricNamed(exported, 'gen_ai.client.token.usage'))).toEqual(EXPECTED_USAGE);
    const duration = metricNamed(exported, 'gen_ai.client.operation.duration');
    expect((duration.dataPoints[0]!.value as Histogram).count).toBe(1);
  } finally {
    await provider.shutdown();
  }
});

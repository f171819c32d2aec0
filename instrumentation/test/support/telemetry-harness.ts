// Tokenmeter set up for real (setupTokenmeter) with in-memory span and metric exporters.
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
  type DataPoint,
  type Histogram,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import type { Attributes } from '@opentelemetry/api';
import { setupTokenmeter, type Tokenmeter, type TokenmeterOptions } from '../../src';

export interface TestTelemetry {
  tokenmeter: Tokenmeter;
  /** Spans ended so far (waits for pending exports: resource detection may delay the first one). */
  finishedSpans(): Promise<ReadableSpan[]>;
  /**
   * Metrics recorded since the previous collect (delta temporality). Observable counters report
   * every label set they ever saw, so their points that did not move (0) are left out.
   */
  collectMetrics(): Promise<MetricData[]>;
  reset(): Promise<void>;
  shutdown(): Promise<void>;
}

export function startTestTelemetry(
  options: TokenmeterOptions = {},
  env: NodeJS.ProcessEnv = {},
): TestTelemetry {
  const spanExporter = new InMemorySpanExporter();
  const spanProcessor = new SimpleSpanProcessor(spanExporter);
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  const tokenmeter = setupTokenmeter(
    {
      serviceName: 'test-service',
      serviceVersion: '1.2.3',
      httpInstrumentation: false,
      ...options,
      spanProcessors: [spanProcessor],
      metricReaders: [reader],
    },
    env,
  );
  const collectMetrics = async (): Promise<MetricData[]> => {
    await reader.forceFlush();
    const metrics = metricExporter
      .getMetrics()
      .flatMap((resourceMetrics) => resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics));
    metricExporter.reset();
    return metrics
      .map((metric) =>
        metric.dataPointType === DataPointType.SUM
          ? { ...metric, dataPoints: metric.dataPoints.filter((point) => point.value !== 0) }
          : metric,
      )
      .filter((metric) => metric.dataPoints.length > 0);
  };
  return {
    tokenmeter,
    async finishedSpans() {
      await spanProcessor.forceFlush();
      return spanExporter.getFinishedSpans();
    },
    collectMetrics,
    async reset() {
      await collectMetrics();
      await spanProcessor.forceFlush();
      spanExporter.reset();
    },
    shutdown: () => tokenmeter.shutdown(),
  };
}

export function metricNamed(metrics: MetricData[], name: string): MetricData {
  const found = metrics.filter((metric) => metric.descriptor.name === name);
  if (found.length !== 1)
    throw new Error(
      `expected exactly one metric ${name}, found ${found.length} in [${metrics.map((m) => m.descriptor.name).join(', ')}]`,
    );
  return found[0]!;
}

/** Data points as plain {attributes, value} for exact comparison; histograms as {count, sum}. */
export function pointsOf(
  metric: MetricData,
): { attributes: Attributes; value: number | { count: number; sum: number | undefined } }[] {
  return (metric.dataPoints as DataPoint<number | Histogram>[]).map((point) => ({
    attributes: point.attributes,
    value:
      typeof point.value === 'number'
        ? point.value
        : { count: point.value.count, sum: point.value.sum },
  }));
}

/**
 * Test telemetry for a whole test file: set up before all tests, cleared after each, shut down
 * after all.
 */
export function useTestTelemetry(
  options: TokenmeterOptions = {},
  env: NodeJS.ProcessEnv = {},
): TestTelemetry {
  let instance: TestTelemetry | undefined;
  const current = (): TestTelemetry => {
    if (!instance)
      throw new Error('test telemetry is only available inside tests (it is set up in beforeAll)');
    return instance;
  };
  beforeAll(() => {
    instance = startTestTelemetry(options, env);
  });
  afterEach(() => current().reset());
  afterAll(() => current().shutdown());
  return {
    get tokenmeter() {
      return current().tokenmeter;
    },
    finishedSpans: () => current().finishedSpans(),
    collectMetrics: () => current().collectMetrics(),
    reset: () => current().reset(),
    shutdown: () => current().shutdown(),
  };
}

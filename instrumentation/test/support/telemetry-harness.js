'use strict';
Object.defineProperty(exports, '__esModule', { value: true });
exports.startTestTelemetry = startTestTelemetry;
exports.metricNamed = metricNamed;
exports.pointsOf = pointsOf;
// Tokenmeter set up for real (setupTokenmeter) with in-memory span and metric exporters.
const sdk_metrics_1 = require('@opentelemetry/sdk-metrics');
const sdk_trace_base_1 = require('@opentelemetry/sdk-trace-base');
const src_1 = require('../../src');
function startTestTelemetry(options = {}, env = {}) {
  const spanExporter = new sdk_trace_base_1.InMemorySpanExporter();
  const spanProcessor = new sdk_trace_base_1.SimpleSpanProcessor(spanExporter);
  const metricExporter = new sdk_metrics_1.InMemoryMetricExporter(
    sdk_metrics_1.AggregationTemporality.DELTA,
  );
  const reader = new sdk_metrics_1.PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  const tokenmeter = (0, src_1.setupTokenmeter)(
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
  const collectMetrics = async () => {
    await reader.forceFlush();
    const metrics = metricExporter
      .getMetrics()
      .flatMap((resourceMetrics) => resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics));
    metricExporter.reset();
    return metrics.filter((metric) => metric.dataPoints.length > 0);
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
function metricNamed(metrics, name) {
  const found = metrics.filter((metric) => metric.descriptor.name === name);
  if (found.length !== 1)
    throw new Error(
      `expected exactly one metric ${name}, found ${found.length} in [${metrics.map((m) => m.descriptor.name).join(', ')}]`,
    );
  return found[0];
}
/** Data points as plain {attributes, value} for exact comparison; histograms as {count, sum}. */
function pointsOf(metric) {
  return metric.dataPoints.map((point) => ({
    attributes: point.attributes,
    value:
      typeof point.value === 'number'
        ? point.value
        : { count: point.value.count, sum: point.value.sum },
  }));
}
//# sourceMappingURL=telemetry-harness.js.map

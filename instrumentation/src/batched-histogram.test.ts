import { ROOT_CONTEXT } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type Histogram,
} from '@opentelemetry/sdk-metrics';
import { BatchedHistogram } from './batched-histogram';

// A real SDK meter with no collection hook: only the batch size or flush() moves points into it.
function sdkHistogram() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ readers: [reader] });
  const histogram = provider.getMeter('test').createHistogram('test.duration', { unit: 's' });
  const points = async () => {
    await reader.forceFlush();
    const metrics = exporter.getMetrics().at(-1)?.scopeMetrics[0]?.metrics ?? [];
    return metrics.flatMap((metric) => {
      expect(metric.dataPointType).toBe(DataPointType.HISTOGRAM);
      return metric.dataPoints.map((point) => ({
        attributes: point.attributes,
        count: (point.value as Histogram).count,
        sum: (point.value as Histogram).sum,
      }));
    });
  };
  return { histogram, points, shutdown: () => provider.shutdown() };
}

describe('BatchedHistogram', () => {
  it('hands a full batch to the SDK at once, with each point’s value and labels', async () => {
    const sdk = sdkHistogram();
    const batched = new BatchedHistogram(sdk.histogram);
    const fast = Object.freeze({ route: 'fast' });
    const slow = Object.freeze({ route: 'slow' });
    for (let i = 0; i < 127; i++) batched.record(1, i % 2 === 0 ? fast : slow, ROOT_CONTEXT);
    expect(await sdk.points()).toEqual([]);
    batched.record(2, slow);
    expect(await sdk.points()).toEqual([
      { attributes: fast, count: 64, sum: 64 },
      { attributes: slow, count: 64, sum: 65 },
    ]);
    await sdk.shutdown();
  });

  it('records what is waiting on flush(), once', async () => {
    const sdk = sdkHistogram();
    const batched = new BatchedHistogram(sdk.histogram);
    batched.record(0.5, { route: 'a' });
    batched.record(1.5, { route: 'a' });
    batched.flush();
    batched.flush();
    expect(await sdk.points()).toEqual([{ attributes: { route: 'a' }, count: 2, sum: 2 }]);
    await sdk.shutdown();
  });
});

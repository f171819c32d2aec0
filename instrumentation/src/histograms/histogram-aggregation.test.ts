import type { Attributes } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type Histogram,
  type MetricData,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import { labelSetFor, labelsWithError } from '../model-call/label-sets';
import { tokenmeterViews } from '../setup/views';
import { HistogramAggregation } from './histogram-aggregation';
import {
  MODEL_CALL_HISTOGRAMS,
  OPERATION_DURATION,
  TIME_TO_FIRST_CHUNK,
  TOKEN_USAGE,
  type HistogramDefinition,
} from './histogram-definitions';
import { ModelCallHistogram } from './model-call-histogram';

const SCOPE = '@tokenmeter/instrumentation';

/** A MeterProvider with Tokenmeter's Views and one in-memory reader; aggregated: our series, else the SDK's histograms. */
function pipeline(
  aggregated: boolean,
  temporality: AggregationTemporality,
  viewCardinalityLimit?: number,
) {
  const exporter = new InMemoryMetricExporter(temporality);
  // a reader's own limit does not apply to instruments a View selects, in the SDK or here
  const reader = new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: 3_600_000,
    cardinalityLimits: { histogram: 2 },
  });
  const aggregation = new HistogramAggregation(SCOPE, MODEL_CALL_HISTOGRAMS, viewCardinalityLimit);
  if (aggregated) aggregation.attach(reader);
  const views = tokenmeterViews().map((view) => ({
    ...view,
    aggregationCardinalityLimit: viewCardinalityLimit,
  }));
  const provider = new MeterProvider({ views, readers: [reader] });
  const meter = provider.getMeter(SCOPE);
  const histograms = new Map<HistogramDefinition, ModelCallHistogram>(
    MODEL_CALL_HISTOGRAMS.map((d) => [
      d,
      new ModelCallHistogram(d, aggregation.seriesOf(d), () => meter),
    ]),
  );
  return {
    aggregation,
    record: (definition: HistogramDefinition, value: number, labels: Attributes) =>
      histograms.get(definition)!.record(value, labels),
    meter,
    /** The scope metrics exported by one collection. */
    async collectScopes(): Promise<ScopeMetrics[]> {
      await reader.forceFlush();
      const exported = exporter.getMetrics();
      exporter.reset();
      return exported.flatMap((rm) => rm.scopeMetrics);
    },
    /** The metrics of the Tokenmeter scope exported by one collection. */
    async collect(): Promise<MetricData[]> {
      const scopes = await this.collectScopes();
      return scopes.filter((s) => s.scope.name === SCOPE).flatMap((s) => s.metrics);
    },
    shutdown: () => provider.shutdown(),
  };
}

/** What a backend receives of a histogram metric, in a stable order. */
function comparable(metrics: MetricData[]) {
  return metrics
    .map((metric) => {
      expect(metric.dataPointType).toBe(DataPointType.HISTOGRAM);
      const { name, description, unit, valueType } = metric.descriptor;
      return {
        descriptor: { name, description, unit, valueType },
        temporality: metric.aggregationTemporality,
        points: metric.dataPoints
          .map((point) => {
            const { buckets, sum, count, min, max } = point.value as Histogram;
            return { attributes: point.attributes, buckets, sum, count, min, max };
          })
          .sort((a, b) => JSON.stringify(a.attributes).localeCompare(JSON.stringify(b.attributes))),
      };
    })
    .sort((a, b) => a.descriptor.name.localeCompare(b.descriptor.name));
}

const pro = labelSetFor({
  operation: 'chat',
  provider: 'openai',
  requestModel: 'gpt-4o-mini',
  billingMode: 'system',
  plan: 'pro',
  promptName: 'recommend',
});
const freeValues = {
  operation: 'embeddings',
  provider: 'openai',
  requestModel: 'text-embedding-3-small',
  billingMode: 'user',
  plan: 'free',
  promptName: undefined,
};
const free = labelSetFor(freeValues);

/** Model-call data points of every kind: bucket boundaries hit exactly, 0, past the last bucket, errors, labels the allow-list drops. */
function recordCalls(record: (d: HistogramDefinition, value: number, labels: Attributes) => void) {
  for (const value of [0, 0.01, 0.0100001, 0.5, 2, 2.5, 81.92, 120]) {
    record(OPERATION_DURATION, value, pro.base);
    record(TIME_TO_FIRST_CHUNK, value / 4, pro.base); // plan and billing mode are not its labels
  }
  record(OPERATION_DURATION, 0.3, labelsWithError(pro, 'RateLimitError'));
  record(OPERATION_DURATION, 1.7, free.base);
  for (const tokens of [1, 4, 5, 1024, 1_000_000, 100_000_000]) {
    record(TOKEN_USAGE, tokens, pro.input);
    record(TOKEN_USAGE, tokens * 3, free.output);
  }
  // a mutable label object with a label no Tokenmeter histogram may carry: the same series as pro.input
  record(TOKEN_USAGE, 7, { ...pro.input, 'enduser.id': 'user-1' });
  // ignored by the SDK's histograms: negative and NaN
  record(TOKEN_USAGE, -1, pro.input);
  record(OPERATION_DURATION, Number.NaN, pro.base);
}

describe.each([
  ['cumulative', AggregationTemporality.CUMULATIVE],
  ['delta', AggregationTemporality.DELTA],
])('histograms aggregated by Tokenmeter, %s temporality', (_name, temporality) => {
  it('export exactly what the SDK histograms export for the same data points', async () => {
    const sdk = pipeline(false, temporality);
    const ours = pipeline(true, temporality);
    expect(sdk.aggregation.active).toBe(false);
    expect(ours.aggregation.active).toBe(true);
    for (const p of [sdk, ours]) recordCalls(p.record);
    const first = comparable(await ours.collect());
    expect(first).toEqual(comparable(await sdk.collect()));
    expect(first.map((m) => m.descriptor.name)).toEqual([
      'gen_ai.client.operation.duration',
      'gen_ai.client.operation.time_to_first_chunk',
      'gen_ai.client.token.usage',
    ]);
    expect(first.every((m) => m.temporality === temporality)).toBe(true);

    // a second interval: delta reports only what moved, cumulative everything
    for (const p of [sdk, ours]) p.record(TOKEN_USAGE, 42, free.input);
    const second = comparable(await ours.collect());
    expect(second).toEqual(comparable(await sdk.collect()));
    expect(second.length).toBe(temporality === AggregationTemporality.DELTA ? 1 : 3);
    await Promise.all([sdk.shutdown(), ours.shutdown()]);
  });

  it("send label sets past the View's cardinality limit to the overflow series, as the SDK does", async () => {
    const sdk = pipeline(false, temporality, 3);
    const ours = pipeline(true, temporality, 3);
    const models = ['a', 'b', 'c', 'd', 'e'].map((requestModel) =>
      labelSetFor({ ...freeValues, requestModel }),
    );
    for (const p of [sdk, ours])
      models.forEach((set, i) => p.record(TOKEN_USAGE, i + 1, set.input));
    const exported = comparable(await ours.collect());
    expect(exported).toEqual(comparable(await sdk.collect()));
    expect(exported[0]!.points.map((p) => p.attributes['otel.metric.overflow'])).toContain(true);
    await Promise.all([sdk.shutdown(), ours.shutdown()]);
  });
});

it('adds its histograms to the scope metrics of the SDK instruments of the same meter', async () => {
  const ours = pipeline(true, AggregationTemporality.CUMULATIVE);
  ours.meter.createCounter('tokenmeter.events').add(1);
  ours.record(OPERATION_DURATION, 0.2, pro.base);
  const scopes = await ours.collectScopes();
  expect(scopes.map((s) => s.scope.name)).toEqual([SCOPE]);
  expect(scopes[0]!.metrics.map((m) => m.descriptor.name)).toEqual([
    'tokenmeter.events',
    'gen_ai.client.operation.duration',
  ]);
  await ours.shutdown();
});

it('takes no data points for a reader the SDK refuses to bind a second time', () => {
  const aggregation = new HistogramAggregation(SCOPE, MODEL_CALL_HISTOGRAMS);
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 3_600_000,
  });
  aggregation.attach(reader);
  const first = new MeterProvider({ readers: [reader] });
  expect(() => new MeterProvider({ readers: [reader] })).toThrow(/can not be bound/);
  expect(aggregation.seriesOf(TOKEN_USAGE)).toHaveLength(1);
  return first.shutdown();
});

import type { Attributes, Context, Histogram, Meter } from '@opentelemetry/api';
import type { HistogramDefinition } from './histogram-definitions';
import type { HistogramSeries } from './histogram-series';

/**
 * Where a model-call histogram's data points go: into the in-process series of the readers that
 * setupTokenmeter attached (HistogramAggregation), or, when none is attached (a service running
 * its own OpenTelemetry SDK), into the SDK histogram of the same name, created on first use, so
 * that nothing is lost either way.
 */
export class ModelCallHistogram {
  private sdk: { meter: Meter; histogram: Histogram } | undefined;

  constructor(
    private readonly definition: HistogramDefinition,
    /** The live list of attached readers' series (see HistogramAggregation.seriesOf). */
    private readonly series: readonly HistogramSeries[],
    /** The meter of the current MeterProvider (asked for on each data point the SDK records). */
    private readonly meter: () => Meter,
  ) {}

  /** `labels` should be a frozen label set that is reused (src/model-call/label-sets.ts). */
  record(value: number, labels: Attributes, context?: Context): void {
    const series = this.series;
    if (series.length === 1) series[0]!.record(value, labels);
    else if (series.length === 0) this.sdkHistogram().record(value, labels, context);
    else for (const s of series) s.record(value, labels);
  }

  private sdkHistogram(): Histogram {
    const meter = this.meter();
    if (this.sdk?.meter !== meter) {
      const { name, description, unit, valueType, boundaries } = this.definition;
      const histogram = meter.createHistogram(name, {
        description,
        unit,
        valueType,
        advice: { explicitBucketBoundaries: [...boundaries] },
      });
      this.sdk = { meter, histogram };
    }
    return this.sdk.histogram;
  }
}

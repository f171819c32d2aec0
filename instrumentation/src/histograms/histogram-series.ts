import type { Attributes, HrTime } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  type IAttributesProcessor,
} from '@opentelemetry/sdk-metrics';

/** One series: the explicit-bucket histogram of one label set, as the SDK keeps it. */
interface Series {
  attributes: Attributes;
  startTime: HrTime;
  counts: number[];
  sum: number;
  count: number;
  min: number;
  max: number;
}

// The SDK's attribute set marking the series that takes every data point past the cardinality limit.
const OVERFLOW_ATTRIBUTES: Attributes = Object.freeze({ 'otel.metric.overflow': true });

/** The key the SDK's series maps use for an attribute set: the sorted name/value pairs. */
function keyOf(attributes: Attributes): string {
  return JSON.stringify(
    Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

export interface HistogramSeriesOptions {
  /** Explicit bucket boundaries, ascending (inclusive upper bounds, as in the SDK). */
  boundaries: readonly number[];
  /** The View's attribute processing (the label allow-list). */
  attributesProcessor: IAttributesProcessor;
  temporality: AggregationTemporality;
  /** Series kept before further label sets go to the overflow series (the SDK's default: 2000). */
  cardinalityLimit: number;
}

/**
 * The explicit-bucket histograms of one instrument for one metric reader, kept per label set:
 * what the metrics SDK's histogram aggregation keeps, with the same buckets, sum, count, min and
 * max, cumulative or delta. A data point finds its series by the identity of its frozen label
 * object (a WeakMap lookup); the SDK instead hashes the labels of every data point. Label objects
 * that are equal after the allow-list share one series, as in the SDK.
 */
export class HistogramSeries {
  private readonly boundaries: readonly number[];
  private readonly processor: IAttributesProcessor;
  readonly temporality: AggregationTemporality;
  private readonly maxSeries: number;
  private byLabels = new WeakMap<Attributes, Series>();
  private byKey = new Map<string, Series>();
  /** When the current reporting interval began: a delta series starts there. */
  private intervalStart: HrTime = millisToHrTime(Date.now());

  constructor(options: HistogramSeriesOptions) {
    this.boundaries = [...options.boundaries];
    this.processor = options.attributesProcessor;
    this.temporality = options.temporality;
    // as the SDK: the limit counts the overflow series
    this.maxSeries = Math.max(1, options.cardinalityLimit - 1);
  }

  record(value: number, labels: Attributes): void {
    // the SDK's histogram instruments ignore negative and NaN values
    if (!(value >= 0)) return;
    const series = this.byLabels.get(labels) ?? this.seriesFor(labels);
    series.count += 1;
    series.sum += value;
    if (value < series.min) series.min = value;
    if (value > series.max) series.max = value;
    const boundaries = this.boundaries;
    let bucket = 0;
    while (bucket < boundaries.length && boundaries[bucket]! < value) bucket++;
    series.counts[bucket]! += 1;
  }

  private seriesFor(labels: Attributes): Series {
    const attributes = this.processor.process(labels);
    const key = keyOf(attributes);
    let series = this.byKey.get(key);
    if (!series) {
      if (this.byKey.size >= this.maxSeries) return this.overflowSeries();
      series = this.newSeries(attributes);
      this.byKey.set(key, series);
    }
    // a label object that may still change is looked up by its contents every time
    if (Object.isFrozen(labels)) this.byLabels.set(labels, series);
    return series;
  }

  private overflowSeries(): Series {
    const key = keyOf(OVERFLOW_ATTRIBUTES);
    let series = this.byKey.get(key);
    if (!series) {
      series = this.newSeries(OVERFLOW_ATTRIBUTES);
      this.byKey.set(key, series);
    }
    return series;
  }

  private newSeries(attributes: Attributes): Series {
    return {
      attributes,
      startTime:
        this.temporality === AggregationTemporality.DELTA
          ? this.intervalStart
          : millisToHrTime(Date.now()),
      counts: new Array<number>(this.boundaries.length + 1).fill(0),
      sum: 0,
      count: 0,
      min: Infinity,
      max: -Infinity,
    };
  }

  /**
   * The data points of every series with data: all of them since the start (cumulative), or those
   * recorded since the previous collection, which are then forgotten (delta).
   */
  collect(endTime: HrTime = millisToHrTime(Date.now())): DataPoint<Histogram>[] {
    const series = [...this.byKey.values()];
    if (this.temporality === AggregationTemporality.DELTA) {
      this.byKey = new Map();
      this.byLabels = new WeakMap();
      this.intervalStart = endTime;
    }
    const boundaries = [...this.boundaries];
    return series.map((s) => ({
      attributes: s.attributes,
      startTime: s.startTime,
      endTime,
      value: {
        buckets: { boundaries, counts: [...s.counts] },
        sum: s.sum,
        count: s.count,
        min: s.min,
        max: s.max,
      },
    }));
  }
}

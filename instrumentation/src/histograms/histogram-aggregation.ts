import type { Attributes } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import {
  DataPointType,
  InstrumentType,
  type CollectionResult,
  type HistogramMetricData,
  type IMetricReader,
  type MetricCollectOptions,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import { METRIC_LABELS } from '@tokenmeter/conventions';
import { reportInternalError } from '../diagnostics';
import { AllowListLabels } from '../setup/allow-list-labels';
import type { HistogramDefinition } from './histogram-definitions';
import { HistogramSeries } from './histogram-series';

/**
 * Histograms aggregated in-process and exported through the metric readers they are attached to,
 * in the instrumentation scope of their meter, as the SDK would export the same histograms: same
 * names, units, descriptions, buckets, label allow-list (METRIC_LABELS), cardinality limit, and
 * the temporality each reader asks for. A reader is attached before the SDK binds it to its
 * MeterProvider: the SDK's metric producer handed to the reader is wrapped so that every
 * collection (periodic export, forceFlush, a Prometheus scrape) also reports these histograms.
 */
export class HistogramAggregation {
  /** Per histogram, the series of each reader bound so far (arrays changed in place). */
  private readonly seriesByDefinition: Map<HistogramDefinition, HistogramSeries[]>;
  private readonly bound = new Map<IMetricReader, Map<HistogramDefinition, HistogramSeries>>();

  constructor(
    private readonly scopeName: string,
    private readonly definitions: readonly HistogramDefinition[],
    /**
     * Series per histogram and reader before the overflow series: as the SDK applies to an
     * instrument a View selects, the View's aggregationCardinalityLimit (Tokenmeter's Views set
     * none: the SDK's default, 2000), never the reader's cardinality selector.
     */
    private readonly cardinalityLimit = 2000,
  ) {
    this.seriesByDefinition = new Map(definitions.map((d) => [d, []]));
  }

  /**
   * The live list of `definition`'s series, one per bound reader: empty while no reader is bound
   * (the data points then go to the SDK's own histogram instead).
   */
  seriesOf(definition: HistogramDefinition): readonly HistogramSeries[] {
    const series = this.seriesByDefinition.get(definition);
    if (!series) throw new Error(`histogram ${definition.name} is not aggregated here`);
    return series;
  }

  /** Whether at least one reader reports these histograms. */
  get active(): boolean {
    return this.bound.size > 0;
  }

  /** Makes `reader` report these histograms once a MeterProvider binds it (call before that). */
  attach(reader: IMetricReader): void {
    const setMetricProducer = reader.setMetricProducer.bind(reader);
    reader.setMetricProducer = (sdkProducer: MetricProducer) => {
      const own = this.seriesFor(reader);
      setMetricProducer(this.producerOf(sdkProducer, own));
      // bound (the SDK refuses a reader bound before): from now on its series take data points
      this.bound.set(reader, own);
      for (const [definition, series] of own) this.seriesByDefinition.get(definition)!.push(series);
    };
  }

  /** Stops aggregating for every reader (after their MeterProvider shut down). */
  detachAll(): void {
    this.bound.clear();
    for (const series of this.seriesByDefinition.values()) series.length = 0;
  }

  private seriesFor(reader: IMetricReader): Map<HistogramDefinition, HistogramSeries> {
    const temporality = reader.selectAggregationTemporality(InstrumentType.HISTOGRAM);
    const own = new Map<HistogramDefinition, HistogramSeries>();
    for (const definition of this.definitions) {
      const allowed = (METRIC_LABELS as Record<string, readonly string[]>)[definition.name];
      const series = new HistogramSeries({
        boundaries: definition.boundaries,
        attributesProcessor: allowed ? new AllowListLabels(allowed) : { process: keep },
        temporality,
        cardinalityLimit: this.cardinalityLimit,
      });
      own.set(definition, series);
    }
    return own;
  }

  private producerOf(
    sdkProducer: MetricProducer,
    own: Map<HistogramDefinition, HistogramSeries>,
  ): MetricProducer {
    return {
      collect: async (options?: MetricCollectOptions): Promise<CollectionResult> => {
        const result = await sdkProducer.collect(options);
        try {
          this.addTo(result, own);
        } catch (error) {
          reportInternalError('histogram collection', error);
        }
        return result;
      },
    };
  }

  private addTo(result: CollectionResult, own: Map<HistogramDefinition, HistogramSeries>): void {
    const endTime = millisToHrTime(Date.now());
    const metrics: HistogramMetricData[] = [];
    for (const [definition, series] of own) {
      const dataPoints = series.collect(endTime);
      if (dataPoints.length === 0) continue;
      metrics.push({
        descriptor: {
          name: definition.name,
          description: definition.description,
          unit: definition.unit,
          valueType: definition.valueType,
        },
        aggregationTemporality: series.temporality,
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints,
      });
    }
    if (metrics.length === 0) return;
    const scopes = result.resourceMetrics.scopeMetrics;
    const scope = scopes.find((s) => s.scope.name === this.scopeName && !s.scope.version);
    if (scope) scope.metrics.push(...metrics);
    else scopes.push({ scope: { name: this.scopeName }, metrics });
  }
}

const keep = (attributes: Attributes): Attributes => attributes;

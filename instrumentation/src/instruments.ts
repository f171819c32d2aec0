import {
  metrics,
  ValueType,
  type Attributes,
  type ObservableResult,
  type Counter,
  type Meter,
  type MeterProvider,
} from '@opentelemetry/api';
import {
  METRIC_TOKENMETER_CACHE_REQUESTS,
  METRIC_TOKENMETER_EVENTS,
  METRIC_TOKENMETER_EXPORT_DROPPED,
  METRIC_TOKENMETER_LLM_COST,
  METRIC_TOKENMETER_LLM_UNPRICED_TOKENS,
} from '@tokenmeter/conventions';
import { HistogramAggregation } from './histograms/histogram-aggregation';
import {
  MODEL_CALL_HISTOGRAMS,
  OPERATION_DURATION,
  TIME_TO_FIRST_CHUNK,
  TOKEN_USAGE,
  type HistogramDefinition,
} from './histograms/histogram-definitions';
import { ModelCallHistogram } from './histograms/model-call-histogram';

export const METER_NAME = '@tokenmeter/instrumentation';

/**
 * The model-call histograms, aggregated in-process for the metric readers setupTokenmeter
 * attaches (in this meter's scope); process-wide, as the readers are.
 */
export const histogramAggregation = new HistogramAggregation(METER_NAME, MODEL_CALL_HISTOGRAMS);

/**
 * A monotonic sum per label set, kept here and reported by an observable counter at collection.
 * Adding is a Map update instead of a metrics-SDK record (which copies and hashes the attributes):
 * the cost counter is on every model call's hot path.
 */
export class SummingCounter {
  private readonly sums = new Map<string, { attributes: Attributes; value: number }>();

  /** `key` identifies `attributes` (the same key must always come with equal attributes). */
  add(key: string, value: number, attributes: Attributes): void {
    const entry = this.sums.get(key);
    if (entry) entry.value += value;
    else this.sums.set(key, { attributes, value });
  }

  observe(result: ObservableResult): void {
    for (const { attributes, value } of this.sums.values()) result.observe(value, attributes);
  }
}

/**
 * Process-wide, so totals stay cumulative when the MeterProvider is replaced; reported by the
 * observable counter instruments() creates on each provider.
 */
export const costTotals = new SummingCounter();

/**
 * The model-call histograms, process-wide: aggregated for setupTokenmeter's readers, else recorded
 * on the SDK histograms of the current MeterProvider (whose instruments(), cost counter included,
 * are then looked up on every data point).
 */
export const modelCallHistograms = {
  operationDuration: histogramOf(OPERATION_DURATION),
  tokenUsage: histogramOf(TOKEN_USAGE),
  timeToFirstChunk: histogramOf(TIME_TO_FIRST_CHUNK),
};

function histogramOf(definition: HistogramDefinition): ModelCallHistogram {
  return new ModelCallHistogram(
    definition,
    histogramAggregation.seriesOf(definition),
    () => instruments().meter,
  );
}

export interface Instruments {
  meter: Meter;
  unpricedTokens: Counter;
  cacheRequests: Counter;
  events: Counter;
  exportDropped: Counter;
}

let cachedFor: MeterProvider | undefined;
let cached: Instruments | undefined;

/**
 * The package's instruments on the current global MeterProvider. The OpenTelemetry API has no
 * proxy for meters, so instruments are re-created when the global provider changes (after setup,
 * which creates them on its own provider at once).
 */
export function instruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (cached && cachedFor === provider) return cached;
  const meter = provider.getMeter(METER_NAME);
  cached = {
    meter,
    unpricedTokens: meter.createCounter(METRIC_TOKENMETER_LLM_UNPRICED_TOKENS, {
      description: 'Tokens of model calls whose model has no price in the catalog',
      unit: '{token}',
      valueType: ValueType.INT,
    }),
    cacheRequests: meter.createCounter(METRIC_TOKENMETER_CACHE_REQUESTS, {
      description: 'Cache lookups by result (hit or miss)',
      unit: '{request}',
      valueType: ValueType.INT,
    }),
    events: meter.createCounter(METRIC_TOKENMETER_EVENTS, {
      description: 'Domain events (e.g. recommendation.generated) by name and type',
      unit: '{event}',
      valueType: ValueType.INT,
    }),
    exportDropped: meter.createCounter(METRIC_TOKENMETER_EXPORT_DROPPED, {
      description: 'Telemetry dropped before export (e.g. a full span export queue)',
      unit: '{item}',
      valueType: ValueType.INT,
    }),
  };
  meter
    .createObservableCounter(METRIC_TOKENMETER_LLM_COST, {
      description: 'Cost of model calls in USD at catalog prices (both billing modes)',
      unit: '{USD}',
    })
    .addCallback((result) => costTotals.observe(result));
  cachedFor = provider;
  return cached;
}

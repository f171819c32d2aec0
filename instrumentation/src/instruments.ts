import {
  metrics,
  ValueType,
  type Attributes,
  type ObservableResult,
  type Counter,
  type MeterProvider,
} from '@opentelemetry/api';
import {
  GEN_AI_DURATION_BUCKETS_S,
  GEN_AI_TIME_TO_FIRST_CHUNK_BUCKETS_S,
  GEN_AI_TOKEN_USAGE_BUCKETS,
  METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
  METRIC_GEN_AI_CLIENT_TIME_TO_FIRST_CHUNK,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
  METRIC_TOKENMETER_CACHE_REQUESTS,
  METRIC_TOKENMETER_EVENTS,
  METRIC_TOKENMETER_EXPORT_DROPPED,
  METRIC_TOKENMETER_LLM_COST,
  METRIC_TOKENMETER_LLM_UNPRICED_TOKENS,
} from '@tokenmeter/conventions';
import { BatchedHistogram } from './batched-histogram';

export const METER_NAME = '@tokenmeter/instrumentation';

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

/** Process-wide, so totals stay cumulative when the MeterProvider is replaced. */
const costTotals = new SummingCounter();

export interface Instruments {
  operationDuration: BatchedHistogram;
  tokenUsage: BatchedHistogram;
  timeToFirstChunk: BatchedHistogram;
  costUsd: SummingCounter;
  unpricedTokens: Counter;
  cacheRequests: Counter;
  events: Counter;
  exportDropped: Counter;
}

let cachedFor: MeterProvider | undefined;
let cached: Instruments | undefined;

/**
 * The package's instruments on the current global MeterProvider. The OpenTelemetry API has no
 * proxy for meters, so instruments are re-created when the global provider changes (after setup).
 */
export function instruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (cached && cachedFor === provider) return cached;
  const meter = provider.getMeter(METER_NAME);
  cached = {
    operationDuration: new BatchedHistogram(
      meter.createHistogram(METRIC_GEN_AI_CLIENT_OPERATION_DURATION, {
        description: 'GenAI operation duration',
        unit: 's',
        advice: { explicitBucketBoundaries: [...GEN_AI_DURATION_BUCKETS_S] },
      }),
    ),
    tokenUsage: new BatchedHistogram(
      meter.createHistogram(METRIC_GEN_AI_CLIENT_TOKEN_USAGE, {
        description: 'Number of input and output tokens used per GenAI operation',
        unit: '{token}',
        valueType: ValueType.INT,
        advice: { explicitBucketBoundaries: [...GEN_AI_TOKEN_USAGE_BUCKETS] },
      }),
    ),
    timeToFirstChunk: new BatchedHistogram(
      meter.createHistogram(METRIC_GEN_AI_CLIENT_TIME_TO_FIRST_CHUNK, {
        description: 'Time from the start of a streamed GenAI operation to its first output chunk',
        unit: 's',
        advice: { explicitBucketBoundaries: [...GEN_AI_TIME_TO_FIRST_CHUNK_BUCKETS_S] },
      }),
    ),
    costUsd: costTotals,
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
  const histograms = [cached.operationDuration, cached.tokenUsage, cached.timeToFirstChunk];
  meter
    .createObservableCounter(METRIC_TOKENMETER_LLM_COST, {
      description: 'Cost of model calls in USD at catalog prices (both billing modes)',
      unit: '{USD}',
    })
    .addCallback((result) => {
      // The SDK runs a meter's callbacks before it collects the meter's instruments: the
      // histogram points still waiting in a batch are recorded in time for this collection.
      for (const histogram of histograms) histogram.flush();
      costTotals.observe(result);
    });
  cachedFor = provider;
  return cached;
}

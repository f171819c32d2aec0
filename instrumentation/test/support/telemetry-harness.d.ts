import { type MetricData } from '@opentelemetry/sdk-metrics';
import { type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Attributes } from '@opentelemetry/api';
import { type Tokenmeter, type TokenmeterOptions } from '../../src';
export interface TestTelemetry {
  tokenmeter: Tokenmeter;
  /** Spans ended so far (waits for pending exports: resource detection may delay the first one). */
  finishedSpans(): Promise<ReadableSpan[]>;
  /** Metrics recorded since the previous collect (delta temporality). */
  collectMetrics(): Promise<MetricData[]>;
  reset(): Promise<void>;
  shutdown(): Promise<void>;
}
export declare function startTestTelemetry(
  options?: TokenmeterOptions,
  env?: NodeJS.ProcessEnv,
): TestTelemetry;
export declare function metricNamed(metrics: MetricData[], name: string): MetricData;
/** Data points as plain {attributes, value} for exact comparison; histograms as {count, sum}. */
export declare function pointsOf(metric: MetricData): {
  attributes: Attributes;
  value:
    | number
    | {
        count: number;
        sum: number | undefined;
      };
}[];

import { AggregationType, type ViewOptions } from '@opentelemetry/sdk-metrics';
import {
  GEN_AI_DURATION_BUCKETS_S,
  GEN_AI_TIME_TO_FIRST_CHUNK_BUCKETS_S,
  GEN_AI_TOKEN_USAGE_BUCKETS,
  HTTP_SERVER_DURATION_BUCKETS_S,
  METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
  METRIC_GEN_AI_CLIENT_TIME_TO_FIRST_CHUNK,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
  METRIC_LABELS,
} from '@tokenmeter/conventions';
import { AllowListLabels } from './allow-list-labels';

const HISTOGRAM_BUCKETS: Record<string, readonly number[]> = {
  [METRIC_GEN_AI_CLIENT_OPERATION_DURATION]: GEN_AI_DURATION_BUCKETS_S,
  [METRIC_GEN_AI_CLIENT_TOKEN_USAGE]: GEN_AI_TOKEN_USAGE_BUCKETS,
  [METRIC_GEN_AI_CLIENT_TIME_TO_FIRST_CHUNK]: GEN_AI_TIME_TO_FIRST_CHUNK_BUCKETS_S,
  [METRIC_HTTP_SERVER_REQUEST_DURATION]: HTTP_SERVER_DURATION_BUCKETS_S,
};

/**
 * One view per Tokenmeter metric (whoever records it, e.g. another GenAI instrumentation): only
 * the allow-listed attributes become labels, so enduser.id and other unbounded values never do;
 * histograms get the semconv buckets plus a 2 s boundary.
 */
export function tokenmeterViews(): ViewOptions[] {
  return Object.entries(METRIC_LABELS).map(([instrumentName, labels]) => {
    const buckets = HISTOGRAM_BUCKETS[instrumentName];
    return {
      instrumentName,
      attributesProcessors: [new AllowListLabels(labels)],
      ...(buckets
        ? {
            aggregation: {
              type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM,
              options: { boundaries: [...buckets] },
            },
          }
        : {}),
    };
  });
}

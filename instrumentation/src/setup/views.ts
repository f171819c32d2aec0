import { AggregationType, type ViewOptions } from '@opentelemetry/sdk-metrics';
import {
  HTTP_SERVER_DURATION_BUCKETS_S,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
  METRIC_LABELS,
} from '@tokenmeter/conventions';
import { MODEL_CALL_HISTOGRAMS } from '../histograms/histogram-definitions';
import { AllowListLabels } from './allow-list-labels';

const HISTOGRAM_BUCKETS: Record<string, readonly number[]> = {
  ...Object.fromEntries(MODEL_CALL_HISTOGRAMS.map((h) => [h.name, h.boundaries])),
  [METRIC_HTTP_SERVER_REQUEST_DURATION]: HTTP_SERVER_DURATION_BUCKETS_S,
};

/**
 * One view per Tokenmeter metric (whoever records it, e.g. another GenAI instrumentation): only
 * the allow-listed attributes become labels, so enduser.id and other unbounded values never do;
 * histograms get the semconv buckets plus a 2 s boundary. The model-call histograms follow the same
 * rules when setupTokenmeter aggregates them itself (src/histograms/histogram-aggregation.ts).
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

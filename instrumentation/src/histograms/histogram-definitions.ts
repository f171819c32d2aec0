import { ValueType } from '@opentelemetry/api';
import {
  GEN_AI_DURATION_BUCKETS_S,
  GEN_AI_TIME_TO_FIRST_CHUNK_BUCKETS_S,
  GEN_AI_TOKEN_USAGE_BUCKETS,
  METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
  METRIC_GEN_AI_CLIENT_TIME_TO_FIRST_CHUNK,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
} from '@tokenmeter/conventions';

/** A histogram of the metric contract: what both its SDK instrument and its own aggregation use. */
export interface HistogramDefinition {
  name: string;
  description: string;
  unit: string;
  valueType: ValueType;
  boundaries: readonly number[];
}

export const OPERATION_DURATION: HistogramDefinition = {
  name: METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
  description: 'GenAI operation duration',
  unit: 's',
  valueType: ValueType.DOUBLE,
  boundaries: GEN_AI_DURATION_BUCKETS_S,
};

export const TOKEN_USAGE: HistogramDefinition = {
  name: METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
  description: 'Number of input and output tokens used per GenAI operation',
  unit: '{token}',
  valueType: ValueType.INT,
  boundaries: GEN_AI_TOKEN_USAGE_BUCKETS,
};

export const TIME_TO_FIRST_CHUNK: HistogramDefinition = {
  name: METRIC_GEN_AI_CLIENT_TIME_TO_FIRST_CHUNK,
  description: 'Time from the start of a streamed GenAI operation to its first output chunk',
  unit: 's',
  valueType: ValueType.DOUBLE,
  boundaries: GEN_AI_TIME_TO_FIRST_CHUNK_BUCKETS_S,
};

/** The model-call histograms, in the order they are exported. */
export const MODEL_CALL_HISTOGRAMS: readonly HistogramDefinition[] = [
  OPERATION_DURATION,
  TOKEN_USAGE,
  TIME_TO_FIRST_CHUNK,
];

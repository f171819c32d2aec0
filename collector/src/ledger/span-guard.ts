import { AttributeValueError } from '../otlp/attribute-values';
import type { SpanView } from '../otlp/span-view';

/**
 * Why a span was rejected, as the `reason` label of tokenmeter_sink_spans_rejected_total: a short,
 * fixed set (the message sent back to the sender says more).
 */
export type RejectionKind =
  /** trace or span id of the wrong length */
  | 'invalid_id'
  /** start or end time missing, not a number, or the end before the start */
  | 'invalid_time'
  /** an attribute value nested too deep or too large to read */
  | 'invalid_attribute'
  /** the span mapping refused the span (no model, bad token counts, outside retention …) */
  | 'invalid_span'
  /** the mapping failed unexpectedly on this span (logged) */
  | 'unmappable_span'
  /** PostgreSQL refused the row */
  | 'refused_by_database';

const TRACE_ID_BYTES = 16;
const SPAN_ID_BYTES = 8;
/** The largest time a JavaScript Date holds (±100 000 000 days from 1970), in nanoseconds. */
const MAX_DATE_NS = 8.64e15 * 1e6;

/**
 * What makes any span unusable, whatever it describes: checked before the mapping, so that such a
 * span is rejected with a clear reason instead of failing somewhere inside it.
 */
export function genericProblem(
  span: SpanView,
): { kind: RejectionKind; reason: string } | undefined {
  if (span.traceIdLength !== TRACE_ID_BYTES) {
    return {
      kind: 'invalid_id',
      reason: `span has no valid trace_id (${TRACE_ID_BYTES} bytes expected)`,
    };
  }
  if (span.spanIdLength !== SPAN_ID_BYTES) {
    return {
      kind: 'invalid_id',
      reason: `span has no valid span_id (${SPAN_ID_BYTES} bytes expected)`,
    };
  }
  const startNs = span.startTimeUnixNano;
  const endNs = span.endTimeUnixNano;
  if (!(startNs > 0 && startNs <= MAX_DATE_NS)) {
    return { kind: 'invalid_time', reason: `span ${span.spanIdHex()} has no usable start time (${startNs})` };
  }
  if (!(endNs >= startNs && endNs <= MAX_DATE_NS)) {
    return {
      kind: 'invalid_time',
      reason: `span ${span.spanIdHex()} ends before it starts or has no usable end time (${endNs})`,
    };
  }
  return undefined;
}

/** The rejection for an error thrown while mapping one span. */
export function mappingFailure(error: unknown): { kind: RejectionKind; reason: string } {
  if (error instanceof AttributeValueError)
    return { kind: 'invalid_attribute', reason: error.message };
  return {
    kind: 'unmappable_span',
    reason: `span could not be mapped: ${(error as Error)?.message ?? String(error)}`,
  };
}

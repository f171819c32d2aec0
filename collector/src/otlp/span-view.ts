// What the span mapping reads of an OTLP trace request, whichever way it was decoded: protobuf read in
// place (./protobuf-request) or JSON decoded into the generated objects (./decoded-request).
import type { AttributeValue } from './attribute-values';

/** The attributes of a span or a resource, in the order they were sent (repeated keys included). */
export interface AttributeList {
  readonly attributeCount: number;
  attributeKey(index: number): string;
  /** The attribute's value as a plain value (./attribute-values plainValue); throws AttributeValueError as it does. */
  attributeValue(index: number): AttributeValue;
}

export interface SpanView extends AttributeList {
  /** Bytes of the trace and span ids (0 when absent). */
  readonly traceIdLength: number;
  readonly spanIdLength: number;
  traceIdHex(): string;
  spanIdHex(): string;
  readonly name: string;
  readonly startTimeUnixNano: number;
  readonly endTimeUnixNano: number;
  /** The span status code (0, unset, when the span has no status). */
  readonly statusCode: number;
}

/**
 * A decoded request, resource by resource. `span` may hand out the same object for every span
 * (a cursor): it is valid until the next call.
 */
export interface TraceRequestView {
  readonly resourceCount: number;
  resourceAttributes(resource: number): AttributeList;
  spanCount(resource: number): number;
  span(resource: number, index: number): SpanView;
}

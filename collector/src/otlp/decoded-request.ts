// The span view (./span-view) of a request decoded into the generated OTLP objects: the JSON path,
// and the reference the in-place protobuf reader is tested against. A field absent from the body is
// null in these objects; a key or name absent reads as proto3 has it, the empty string.
import { plainValue, type AttributeValue } from './attribute-values';
import { int64ToNumber, type OtlpKeyValue, type OtlpSpan, type OtlpTraceRequest } from './otlp-types';
import type { AttributeList, SpanView, TraceRequestView } from './span-view';

class KeyValues implements AttributeList {
  constructor(private readonly keyValues: readonly OtlpKeyValue[]) {}

  get attributeCount(): number {
    return this.keyValues.length;
  }

  attributeKey(index: number): string {
    return this.keyValues[index]!.key ?? '';
  }

  attributeValue(index: number): AttributeValue {
    return plainValue(this.keyValues[index]!.value);
  }
}

const NO_ATTRIBUTES: readonly OtlpKeyValue[] = [];

/** An attribute list over OTLP KeyValue objects. */
export function keyValueList(keyValues: readonly OtlpKeyValue[] | null | undefined): AttributeList {
  return new KeyValues(keyValues ?? NO_ATTRIBUTES);
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

// The span's fields are read when the mapping asks for them, inside its guard against the unexpected.
class DecodedSpan implements SpanView {
  constructor(private readonly span: OtlpSpan) {}

  get attributeCount(): number {
    return (this.span.attributes ?? NO_ATTRIBUTES).length;
  }

  attributeKey(index: number): string {
    return this.span.attributes[index]!.key ?? '';
  }

  attributeValue(index: number): AttributeValue {
    return plainValue(this.span.attributes[index]!.value);
  }

  get traceIdLength(): number {
    return this.span.traceId?.length ?? 0;
  }

  get spanIdLength(): number {
    return this.span.spanId?.length ?? 0;
  }

  traceIdHex(): string {
    return hex(this.span.traceId);
  }

  spanIdHex(): string {
    return hex(this.span.spanId);
  }

  get name(): string {
    return this.span.name ?? '';
  }

  get startTimeUnixNano(): number {
    return int64ToNumber(this.span.startTimeUnixNano);
  }

  get endTimeUnixNano(): number {
    return int64ToNumber(this.span.endTimeUnixNano);
  }

  get statusCode(): number {
    return this.span.status?.code ?? 0;
  }
}

/** The span view of one decoded span. */
export function decodedSpan(span: OtlpSpan): SpanView {
  return new DecodedSpan(span);
}

/** The span view of a decoded request; each span's objects are let go once its view is handed out. */
export function decodedRequest(request: OtlpTraceRequest): TraceRequestView {
  const resources = request.resourceSpans.map((resourceSpans) => ({
    attributes: keyValueList(resourceSpans.resource?.attributes),
    spans: resourceSpans.scopeSpans.flatMap((scopeSpans) => scopeSpans.spans) as (OtlpSpan | undefined)[],
  }));
  return {
    resourceCount: resources.length,
    resourceAttributes: (resource) => resources[resource]!.attributes,
    spanCount: (resource) => resources[resource]!.spans.length,
    span: (resource, index) => {
      const spans = resources[resource]!.spans;
      const span = spans[index]!;
      // So that garbage collections during the mapping copy only the spans still to be mapped.
      spans[index] = undefined;
      return decodedSpan(span);
    },
  };
}

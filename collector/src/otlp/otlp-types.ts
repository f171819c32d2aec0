// The shape of a decoded OTLP trace request as the generated protobufjs classes of
// @opentelemetry/otlp-transformer produce it (their published .d.ts declares only the root).
// int64 fields are protobufjs Long objects (or plain numbers when small).

export interface LongLike {
  low: number;
  high: number;
  unsigned: boolean;
  toNumber(): number;
}

export type Int64 = number | LongLike;

export interface OtlpAnyValue {
  stringValue?: string | null;
  boolValue?: boolean | null;
  intValue?: Int64 | null;
  doubleValue?: number | null;
  arrayValue?: { values: OtlpAnyValue[] } | null;
  kvlistValue?: { values: OtlpKeyValue[] } | null;
  bytesValue?: Uint8Array | null;
}

export interface OtlpKeyValue {
  /** null when the KeyValue has no key (the generated classes' default), as any absent field. */
  key: string;
  value?: OtlpAnyValue | null;
}

export interface OtlpSpan {
  traceId: Uint8Array;
  spanId: Uint8Array;
  name: string | null;
  kind: number;
  startTimeUnixNano: Int64;
  endTimeUnixNano: Int64;
  attributes: OtlpKeyValue[];
  status?: { code: number; message?: string | null } | null;
}

export interface OtlpScopeSpans {
  spans: OtlpSpan[];
}

export interface OtlpResourceSpans {
  resource?: { attributes: OtlpKeyValue[] } | null;
  scopeSpans: OtlpScopeSpans[];
}

export interface OtlpTraceRequest {
  resourceSpans: OtlpResourceSpans[];
}

/** Span status code ERROR (opentelemetry.proto.trace.v1.Status.StatusCode). */
export const STATUS_CODE_ERROR = 2;

export function int64ToNumber(value: Int64 | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

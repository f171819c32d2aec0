import { randomBytes } from 'node:crypto';
import { genAiAttributes, genAiSpanName, type AttributeValue, type CallSpec } from '@tokenmeter/test-support';
import { traceService } from '../otlp/trace-messages';

export type { CallSpec };

type JsonKeyValue = { key: string; value: Record<string, unknown> };

/** One attribute in OTLP/JSON form (whole numbers as intValue). */
export function keyValue(key: string, value: AttributeValue): JsonKeyValue {
  if (typeof value === 'string') return { key, value: { stringValue: value } };
  if (typeof value === 'boolean') return { key, value: { boolValue: value } };
  return { key, value: Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value } };
}

export const newTraceId = (): string => randomBytes(16).toString('hex');
export const newSpanId = (): string => randomBytes(8).toString('hex');

/** One span in OTLP/JSON form (ids as hex, times as decimal-string nanoseconds). */
export function genAiSpanJson(spec: CallSpec): Record<string, unknown> {
  const startMs = spec.startMs ?? Date.now() - 1000;
  const durationMs = spec.durationMs ?? 850;
  const attributes = genAiAttributes(spec).map(([key, value]) => keyValue(key, value));
  const startNs = BigInt(Math.round(startMs * 1000)) * 1000n;
  return {
    traceId: spec.traceId ?? newTraceId(),
    spanId: spec.spanId ?? newSpanId(),
    name: genAiSpanName(spec),
    kind: 3,
    startTimeUnixNano: startNs.toString(),
    endTimeUnixNano: (startNs + BigInt(Math.round(durationMs * 1e6))).toString(),
    attributes,
    status: spec.error ? { code: 2, message: spec.error } : { code: 0 },
  };
}

/** An OTLP/JSON ExportTraceServiceRequest with the given spans grouped by service. */
export function traceRequestJson(specs: CallSpec[], rawSpans: Record<string, unknown>[] = []): Record<string, unknown> {
  const byService = new Map<string, Record<string, unknown>[]>();
  for (const spec of specs) {
    const service = spec.service ?? 'checkout-api';
    byService.set(service, [...(byService.get(service) ?? []), genAiSpanJson(spec)]);
  }
  if (rawSpans.length > 0) byService.set('raw-spans', [...(byService.get('raw-spans') ?? []), ...rawSpans]);
  return {
    resourceSpans: [...byService].map(([service, spans]) => ({
      resource: { attributes: [keyValue('service.name', service)] },
      scopeSpans: [{ scope: { name: 'tokenmeter-test' }, spans }],
    })),
  };
}

/** The same request as OTLP protobuf bytes, encoded by the generated OTLP classes. */
export function traceRequestProtobuf(json: Record<string, unknown>): Buffer {
  const copy = structuredClone(json) as { resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[] };
  for (const resourceSpans of copy.resourceSpans) {
    for (const scopeSpans of resourceSpans.scopeSpans) {
      for (const span of scopeSpans.spans) {
        for (const key of ['traceId', 'spanId']) {
          if (typeof span[key] === 'string') span[key] = Buffer.from(span[key] as string, 'hex');
        }
      }
    }
  }
  const { ExportTraceServiceRequest } = traceService;
  return Buffer.from(ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(copy)).finish());
}

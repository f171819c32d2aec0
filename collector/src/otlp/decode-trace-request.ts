import { decodedRequest } from './decoded-request';
import type { OtlpTraceRequest } from './otlp-types';
import { PayloadError } from './payload-error';
import { NoTraceRequestFields, readProtobufRequest } from './protobuf-request';
import type { TraceRequestView } from './span-view';
import { traceService } from './trace-messages';

export type OtlpEncoding = 'protobuf' | 'json';

const { ExportTraceServiceRequest } = traceService;

/** The OTLP/HTTP encoding named by a Content-Type header, or a 400 for anything else. */
export function encodingOf(contentType: string | undefined): OtlpEncoding {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf') {
    return 'protobuf';
  }
  if (mediaType === 'application/json') return 'json';
  throw new PayloadError(
    400,
    `unsupported Content-Type "${contentType ?? ''}": send OTLP as application/x-protobuf or application/json`,
  );
}

/**
 * Reads an OTLP ExportTraceServiceRequest body (already decompressed) for the mapping: protobuf in
 * place, JSON through the generated objects. Refuses what decodeTraceRequest refuses, with its errors.
 */
export function readTraceRequest(body: Buffer, encoding: OtlpEncoding): TraceRequestView {
  if (body.length === 0) throw new PayloadError(400, EMPTY_BODY);
  if (encoding === 'json') return decodedRequest(decodeJson(body));
  try {
    return readProtobufRequest(body);
  } catch (error) {
    if (error instanceof NoTraceRequestFields) throw new PayloadError(400, NO_FIELDS);
    throw new PayloadError(400, `${MALFORMED_PROTOBUF}${(error as Error).message}`);
  }
}

const EMPTY_BODY = 'empty body: expected an OTLP ExportTraceServiceRequest';
const MALFORMED_PROTOBUF = 'malformed protobuf ExportTraceServiceRequest: ';
// Bytes that decode only into unknown fields are not a trace request (a real, empty export is 0 bytes).
const NO_FIELDS = 'malformed protobuf: the body holds no ExportTraceServiceRequest fields';

/** Decodes an OTLP ExportTraceServiceRequest body (already decompressed) into the generated objects. */
export function decodeTraceRequest(body: Buffer, encoding: OtlpEncoding): OtlpTraceRequest {
  if (body.length === 0) throw new PayloadError(400, EMPTY_BODY);
  return encoding === 'protobuf' ? decodeProtobuf(body) : decodeJson(body);
}

function decodeProtobuf(body: Buffer): OtlpTraceRequest {
  let request: OtlpTraceRequest;
  try {
    request = ExportTraceServiceRequest.decode(body);
  } catch (error) {
    throw new PayloadError(400, `${MALFORMED_PROTOBUF}${(error as Error).message}`);
  }
  if (request.resourceSpans.length === 0) throw new PayloadError(400, NO_FIELDS);
  return request;
}

function decodeJson(body: Buffer): OtlpTraceRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new PayloadError(400, `malformed JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new PayloadError(400, 'wrong JSON shape: expected an OTLP ExportTraceServiceRequest object');
  }
  const object = parsed as Record<string, unknown>;
  if (!('resourceSpans' in object)) {
    throw new PayloadError(400, 'wrong JSON shape: an OTLP ExportTraceServiceRequest needs "resourceSpans"');
  }
  hexIdsToBytes(object);
  try {
    return ExportTraceServiceRequest.fromObject(object);
  } catch (error) {
    throw new PayloadError(400, `wrong JSON shape: ${(error as Error).message.replace(/^\.opentelemetry\.proto\.[\w.]+?\.(?=\w+:)/, '')}`);
  }
}

const HEX_ID = /^(?:[0-9a-fA-F]{2})*$/;

// OTLP/JSON writes trace and span ids as hex, while the generated fromObject reads bytes as base64.
// A malformed id becomes empty bytes, which the span mapping then rejects with a reason.
function hexIdsToBytes(request: Record<string, unknown>): void {
  for (const resourceSpans of arrayOrEmpty(request.resourceSpans)) {
    for (const scopeSpans of arrayOrEmpty((resourceSpans as Record<string, unknown>)?.scopeSpans)) {
      for (const span of arrayOrEmpty((scopeSpans as Record<string, unknown>)?.spans)) {
        if (span === null || typeof span !== 'object') continue;
        const fields = span as Record<string, unknown>;
        for (const key of ['traceId', 'spanId', 'parentSpanId']) {
          const id = fields[key];
          if (typeof id === 'string') fields[key] = HEX_ID.test(id) ? Buffer.from(id, 'hex') : Buffer.alloc(0);
        }
        fields.links = undefined;
      }
    }
  }
}

function arrayOrEmpty(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

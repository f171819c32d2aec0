import type { OtlpEncoding } from './decode-trace-request';
import { traceService } from './trace-messages';

export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

/** An ExportTraceServiceResponse in the request's encoding; partial success only when spans were rejected. */
export function encodeTraceResponse(
  encoding: OtlpEncoding,
  partial: PartialSuccess | undefined,
): { contentType: string; body: Buffer | string } {
  const partialSuccess =
    partial && partial.rejectedSpans > 0
      ? { rejectedSpans: partial.rejectedSpans, errorMessage: partial.errorMessage }
      : undefined;
  if (encoding === 'json') {
    return { contentType: 'application/json', body: JSON.stringify(partialSuccess ? { partialSuccess } : {}) };
  }
  const message = traceService.ExportTraceServiceResponse.fromObject(partialSuccess ? { partialSuccess } : {});
  return {
    contentType: 'application/x-protobuf',
    body: Buffer.from(traceService.ExportTraceServiceResponse.encode(message).finish()),
  };
}

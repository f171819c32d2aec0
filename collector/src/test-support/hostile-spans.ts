// Spans and bodies no well-behaved sender produces, for the hostile-input and fault tests.
import { traceService } from '../otlp/trace-messages';
import { genAiSpanJson, traceRequestJson, traceRequestProtobuf } from './genai-spans';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Writer } = require('protobufjs/minimal') as { Writer: { create(): ProtobufWriter } };
interface ProtobufWriter {
  uint32(value: number): ProtobufWriter;
  bytes(value: Uint8Array): ProtobufWriter;
  finish(): Uint8Array;
}

/** A length-delimited protobuf field. */
const field = (number: number, bytes: Uint8Array): Buffer =>
  Buffer.from(
    Writer.create()
      .uint32((number << 3) | 2)
      .bytes(bytes)
      .finish(),
  );

/**
 * The protobuf bytes of an AnyValue that is a kvlist nested `depth` levels deep. Written by hand, inside
 * out, because the generated encoder recurses once per level and exhausts the stack itself.
 */
export function deepKvlistBytes(depth: number): Buffer {
  let value = field(1, Buffer.from('leaf'));
  for (let level = 0; level < depth; level++) {
    const keyValue = Buffer.concat([field(1, Buffer.from('nested')), field(2, value)]);
    value = field(6, field(1, keyValue)); // AnyValue.kvlist_value { values: [keyValue] }
  }
  return value;
}

/** The same value as OTLP/JSON text (JSON.stringify, too, recurses once per level). */
export function deepKvlistJsonText(depth: number): string {
  return `${'{"kvlistValue":{"values":[{"key":"nested","value":'.repeat(depth)}{"stringValue":"leaf"}${'}]}}'.repeat(depth)}`;
}

/**
 * An OTLP protobuf request: `valid` model calls of `service`, then one more model call of `service`
 * carrying the attribute `deep` nested `depth` levels. ExportTraceServiceRequest has one repeated
 * field, so two encoded requests concatenated are one request holding the spans of both.
 */
export function protobufWithDeepAttribute(
  service: string,
  valid: number,
  depth: number,
): { body: Buffer; deepSpanId: string } {
  const validRequest = traceRequestProtobuf(
    traceRequestJson(Array.from({ length: valid }, (_, i) => ({ service, userId: `valid-${i}` }))),
  );
  const deepSpan = genAiSpanJson({ userId: 'deep' });
  const { Span } = spanMessages();
  const spanBytes = Buffer.concat([
    Buffer.from(
      Span.encode(
        Span.fromObject({
          ...deepSpan,
          traceId: Buffer.from(deepSpan.traceId as string, 'hex'),
          spanId: Buffer.from(deepSpan.spanId as string, 'hex'),
        }),
      ).finish(),
    ),
    field(9, Buffer.concat([field(1, Buffer.from('deep')), field(2, deepKvlistBytes(depth))])), // Span.attributes
  ]);
  const resource = field(
    1,
    field(
      1,
      Buffer.concat([
        field(1, Buffer.from('service.name')),
        field(2, field(1, Buffer.from(service))),
      ]),
    ),
  );
  const resourceSpans = Buffer.concat([resource, field(2, field(2, spanBytes))]); // scope_spans { spans }
  return {
    body: Buffer.concat([validRequest, field(1, resourceSpans)]),
    deepSpanId: deepSpan.spanId as string,
  };
}

interface SpanMessage {
  fromObject(object: Record<string, unknown>): unknown;
  encode(message: unknown): { finish(): Uint8Array };
}

function spanMessages(): { Span: SpanMessage } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const root = require('@opentelemetry/otlp-transformer/build/src/generated/root') as {
    opentelemetry: { proto: { trace: { v1: { Span: SpanMessage } } } };
  };
  void traceService; // the generated classes configured by ../otlp/trace-messages (int64 as numbers)
  return { Span: root.opentelemetry.proto.trace.v1.Span };
}

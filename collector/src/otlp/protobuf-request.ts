// An OTLP ExportTraceServiceRequest read in place: one pass over the protobuf bytes, with the reads of
// the generated decoders (./trace-messages) in their order, so that it refuses exactly the bodies they
// refuse, with the same errors. What the mapping may read is kept as byte offsets in number arrays;
// attribute keys are interned (./interned-keys) and values are decoded only when the mapping asks for
// them. No object per span, attribute or value: decoding a request into the generated objects was
// about a third of the sink's CPU per span, garbage collection included.
import { MAX_ATTRIBUTE_DEPTH, plainValue, type AttributeValue } from './attribute-values';
import { internedKey, type BufferSlices } from './interned-keys';
import type { AttributeList, SpanView, TraceRequestView } from './span-view';
import { decodeAnyValueAt, protobufReader, type ProtobufReader } from './trace-messages';

const NONE = -1;

/** Reads `body` (a whole ExportTraceServiceRequest); throws what the generated decoder throws. */
export function readProtobufRequest(body: Buffer): ProtobufRequest {
  const request = new ProtobufRequest(body);
  request.read();
  return request;
}

export class ProtobufRequest implements TraceRequestView {
  private readonly reader: ProtobufReader;

  // Resources: their attributes (of the last `resource` field, as the generated decoder keeps) and spans.
  private readonly resourceAttributeFirst: number[] = [];
  private readonly resourceAttributeCount: number[] = [];
  private readonly resourceSpanFirst: number[] = [];
  private readonly resourceSpanCount: number[] = [];

  // Spans: [start, end) of the ids and name in the body, times, status code, attributes.
  readonly spanTraceId: number[] = [];
  readonly spanTraceIdEnd: number[] = [];
  readonly spanSpanId: number[] = [];
  readonly spanSpanIdEnd: number[] = [];
  readonly spanName: number[] = [];
  readonly spanNameEnd: number[] = [];
  readonly spanStart: number[] = [];
  readonly spanEnd: number[] = [];
  readonly spanStatus: number[] = [];
  readonly spanAttributeFirst: number[] = [];
  readonly spanAttributeCount: number[] = [];

  // Attributes of resources and spans: interned key, and the AnyValue's start and declared length.
  readonly attributeKeys: string[] = [];
  readonly attributeValue: number[] = [];
  readonly attributeValueLength: number[] = [];

  private readonly spanCursor = new ProtobufSpan(this);
  private readonly resourceCursor = new ResourceAttributes(this);

  readonly slices: BufferSlices;

  constructor(readonly body: Buffer) {
    this.reader = protobufReader(body);
    this.slices = body as unknown as BufferSlices;
  }

  get resourceCount(): number {
    return this.resourceSpanFirst.length;
  }

  resourceAttributes(resource: number): AttributeList {
    const cursor = this.resourceCursor;
    cursor.first = this.resourceAttributeFirst[resource]!;
    cursor.attributeCount = this.resourceAttributeCount[resource]!;
    return cursor;
  }

  spanCount(resource: number): number {
    return this.resourceSpanCount[resource]!;
  }

  span(resource: number, index: number): SpanView {
    const cursor = this.spanCursor;
    cursor.at(this.resourceSpanFirst[resource]! + index);
    return cursor;
  }

  /** The plain value of attribute `index`, decoded now. */
  plainValueOf(index: number): AttributeValue {
    const start = this.attributeValue[index]!;
    if (start === NONE) return null;
    const length = this.attributeValueLength[index]!;
    const r = this.reader;
    r.pos = start;
    const end = start + length;
    // The fields of a scalar AnyValue, the last of each kept; an array or map goes through the
    // generated decoder and plainValue, which bound its depth and size.
    let text = NONE;
    let textEnd = 0;
    let int: number | undefined;
    let double: number | undefined;
    let bool: boolean | undefined;
    let bytes = NONE;
    let bytesEnd = 0;
    while (r.pos < end) {
      const tag = r.uint32();
      switch (tag >>> 3) {
        case 1:
          textEnd = stringEnd(r);
          text = r.pos;
          r.pos = textEnd;
          break;
        case 2:
          bool = r.bool();
          break;
        case 3:
          int = r.int64();
          break;
        case 4:
          double = r.double();
          break;
        case 5:
        case 6:
          return plainValue(decodeAnyValueAt(r, start, length));
        case 7: {
          const size = r.uint32();
          bytes = r.pos;
          r.skip(size);
          bytesEnd = r.pos;
          break;
        }
        default:
          r.skipType(tag & 7);
      }
    }
    // The precedence of plainValue over the fields of one AnyValue.
    if (text !== NONE) return this.slices.utf8Slice(text, textEnd);
    if (int !== undefined) return int;
    if (double !== undefined) return double;
    if (bool !== undefined) return bool;
    if (bytes !== NONE) return this.body.toString('base64', bytes, bytesEnd);
    return null;
  }

  // ---- the walk, one method per message, as the generated decoders read them ----

  read(): void {
    const r = this.reader;
    let resourceSpans = 0;
    while (r.pos < r.len) {
      const tag = r.uint32();
      if (tag >>> 3 === 1) {
        this.readResourceSpans(r.uint32());
        resourceSpans++;
      } else r.skipType(tag & 7);
    }
    if (resourceSpans === 0) throw new NoTraceRequestFields();
  }

  private readResourceSpans(length: number): void {
    const r = this.reader;
    const end = r.pos + length;
    this.resourceAttributeFirst.push(0);
    this.resourceAttributeCount.push(0);
    const resource = this.resourceSpanFirst.length;
    this.resourceSpanFirst.push(this.spanStart.length);
    while (r.pos < end) {
      const tag = r.uint32();
      switch (tag >>> 3) {
        case 1: {
          const first = this.attributeKeys.length;
          this.readResource(r.uint32());
          this.resourceAttributeFirst[resource] = first;
          this.resourceAttributeCount[resource] = this.attributeKeys.length - first;
          break;
        }
        case 2:
          this.readScopeSpans(r.uint32());
          break;
        case 3:
          skipString(r);
          break;
        default:
          r.skipType(tag & 7);
      }
    }
    this.resourceSpanCount.push(this.spanStart.length - this.resourceSpanFirst[resource]!);
  }

  private readResource(length: number): void {
    const r = this.reader;
    const end = r.pos + length;
    while (r.pos < end) {
      const tag = r.uint32();
      switch (tag >>> 3) {
        case 1:
          this.readAttribute(r.uint32());
          break;
        case 2:
          r.uint32();
          break;
        case 3:
          skipMessage(r, r.uint32(), ENTITY_REF);
          break;
        default:
          r.skipType(tag & 7);
      }
    }
  }

  private readScopeSpans(length: number): void {
    const r = this.reader;
    const end = r.pos + length;
    while (r.pos < end) {
      const tag = r.uint32();
      switch (tag >>> 3) {
        case 1:
          skipMessage(r, r.uint32(), INSTRUMENTATION_SCOPE);
          break;
        case 2:
          this.readSpan(r.uint32());
          break;
        case 3:
          skipString(r);
          break;
        default:
          r.skipType(tag & 7);
      }
    }
  }

  private readSpan(length: number): void {
    const r = this.reader;
    const end = r.pos + length;
    let traceId = 0;
    let traceIdEnd = 0;
    let spanId = 0;
    let spanIdEnd = 0;
    let name = 0;
    let nameEnd = 0;
    let startNs = 0;
    let endNs = 0;
    let status = 0;
    const firstAttribute = this.attributeKeys.length;
    while (r.pos < end) {
      const tag = r.uint32();
      switch (tag >>> 3) {
        case 1: {
          const size = r.uint32();
          traceId = r.pos;
          r.skip(size);
          traceIdEnd = r.pos;
          break;
        }
        case 2: {
          const size = r.uint32();
          spanId = r.pos;
          r.skip(size);
          spanIdEnd = r.pos;
          break;
        }
        case 3:
          skipString(r);
          break;
        case 4:
          r.skip(r.uint32());
          break;
        case 16:
          r.fixed32();
          break;
        case 5:
          nameEnd = stringEnd(r);
          name = r.pos;
          r.pos = nameEnd;
          break;
        case 6:
          r.int32();
          break;
        case 7:
          startNs = r.fixed64();
          break;
        case 8:
          endNs = r.fixed64();
          break;
        case 9:
          this.readAttribute(r.uint32());
          break;
        case 10:
        case 12:
        case 14:
          r.uint32();
          break;
        case 11:
          skipMessage(r, r.uint32(), EVENT);
          break;
        case 13:
          skipMessage(r, r.uint32(), LINK);
          break;
        case 15:
          status = readStatusCode(r, r.uint32());
          break;
        default:
          r.skipType(tag & 7);
      }
    }
    this.spanTraceId.push(traceId);
    this.spanTraceIdEnd.push(traceIdEnd);
    this.spanSpanId.push(spanId);
    this.spanSpanIdEnd.push(spanIdEnd);
    this.spanName.push(name);
    this.spanNameEnd.push(nameEnd);
    this.spanStart.push(startNs);
    this.spanEnd.push(endNs);
    this.spanStatus.push(status);
    this.spanAttributeFirst.push(firstAttribute);
    this.spanAttributeCount.push(this.attributeKeys.length - firstAttribute);
  }

  /** A KeyValue of a resource or span: its key interned, its value's place kept and checked. */
  private readAttribute(length: number): void {
    const r = this.reader;
    const end = r.pos + length;
    let key = '';
    let value = NONE;
    let valueLength = 0;
    while (r.pos < end) {
      const tag = r.uint32();
      switch (tag >>> 3) {
        case 1: {
          const keyEnd = stringEnd(r);
          key = internedKey(this.body, this.slices, r.pos, keyEnd);
          r.pos = keyEnd;
          break;
        }
        case 2:
          valueLength = r.uint32();
          value = r.pos;
          skipAnyValue(r, valueLength, 0);
          break;
        default:
          r.skipType(tag & 7);
      }
    }
    this.attributeKeys.push(key);
    this.attributeValue.push(value);
    this.attributeValueLength.push(valueLength);
  }
}

/** Bytes that decode only into unknown fields: no ExportTraceServiceRequest field at all. */
export class NoTraceRequestFields extends Error {
  constructor() {
    super('the body holds no ExportTraceServiceRequest fields');
    this.name = 'NoTraceRequestFields';
  }
}

class ResourceAttributes implements AttributeList {
  first = 0;
  attributeCount = 0;

  constructor(private readonly request: ProtobufRequest) {}

  attributeKey(index: number): string {
    return this.request.attributeKeys[this.first + index]!;
  }

  attributeValue(index: number): AttributeValue {
    return this.request.plainValueOf(this.first + index);
  }
}

class ProtobufSpan implements SpanView {
  private index = 0;
  private first = 0;
  attributeCount = 0;

  constructor(private readonly request: ProtobufRequest) {}

  at(index: number): void {
    this.index = index;
    this.first = this.request.spanAttributeFirst[index]!;
    this.attributeCount = this.request.spanAttributeCount[index]!;
  }

  attributeKey(index: number): string {
    return this.request.attributeKeys[this.first + index]!;
  }

  attributeValue(index: number): AttributeValue {
    return this.request.plainValueOf(this.first + index);
  }

  get traceIdLength(): number {
    return this.request.spanTraceIdEnd[this.index]! - this.request.spanTraceId[this.index]!;
  }

  get spanIdLength(): number {
    return this.request.spanSpanIdEnd[this.index]! - this.request.spanSpanId[this.index]!;
  }

  traceIdHex(): string {
    return this.request.slices.hexSlice(
      this.request.spanTraceId[this.index]!,
      this.request.spanTraceIdEnd[this.index]!,
    );
  }

  spanIdHex(): string {
    return this.request.slices.hexSlice(
      this.request.spanSpanId[this.index]!,
      this.request.spanSpanIdEnd[this.index]!,
    );
  }

  get name(): string {
    return this.request.slices.utf8Slice(
      this.request.spanName[this.index]!,
      this.request.spanNameEnd[this.index]!,
    );
  }

  get startTimeUnixNano(): number {
    return this.request.spanStart[this.index]!;
  }

  get endTimeUnixNano(): number {
    return this.request.spanEnd[this.index]!;
  }

  get statusCode(): number {
    return this.request.spanStatus[this.index]!;
  }
}

// ---- messages walked only for their errors: the reads of the generated decoders, nothing kept ----

/** Where a string field that starts at the reader ends: protobufjs's Buffer reader cuts a string at the body's end. */
function stringEnd(r: ProtobufReader): number {
  const length = r.uint32();
  return Math.min(r.pos + length, r.len);
}

function skipString(r: ProtobufReader): void {
  r.pos = stringEnd(r);
}

// The generated decoders, with ./trace-messages' bound on nesting: beyond MAX_ATTRIBUTE_DEPTH an
// AnyValue's bytes are skipped (the mapping then rejects its span if it reads that attribute).
function skipAnyValue(r: ProtobufReader, length: number, depth: number): void {
  if (depth > MAX_ATTRIBUTE_DEPTH) {
    const end = r.pos + length;
    if (end > r.len) throw new RangeError(`index out of range: ${end} > ${r.len}`);
    r.pos = end;
    return;
  }
  const end = r.pos + length;
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag >>> 3) {
      case 1:
        skipString(r);
        break;
      case 2:
        r.bool();
        break;
      case 3:
        r.int64();
        break;
      case 4:
        r.double();
        break;
      case 5:
        skipValues(r, r.uint32(), depth + 1, false);
        break;
      case 6:
        skipValues(r, r.uint32(), depth + 1, true);
        break;
      case 7:
        r.skip(r.uint32());
        break;
      default:
        r.skipType(tag & 7);
    }
  }
}

/** An ArrayValue (AnyValues) or a KeyValueList (KeyValues) inside an attribute value. */
function skipValues(r: ProtobufReader, length: number, depth: number, keyValues: boolean): void {
  const end = r.pos + length;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) {
      if (keyValues) skipKeyValue(r, r.uint32(), depth);
      else skipAnyValue(r, r.uint32(), depth);
    } else r.skipType(tag & 7);
  }
}

function skipKeyValue(r: ProtobufReader, length: number, depth: number): void {
  const end = r.pos + length;
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag >>> 3) {
      case 1:
        skipString(r);
        break;
      case 2:
        skipAnyValue(r, r.uint32(), depth);
        break;
      default:
        r.skipType(tag & 7);
    }
  }
}

/** How the generated decoder reads a field of a message that this reader only walks past. */
type FieldRead = 'string' | 'bytes' | 'keyValue' | 'uint32' | 'fixed32' | 'fixed64';

/** A walked message's fields by number, from 0 (others are skipped by wire type, as the generated decoder does). */
type WalkedFields = readonly (FieldRead | undefined)[];

const INSTRUMENTATION_SCOPE: WalkedFields = [undefined, 'string', 'string', 'keyValue', 'uint32'];
const ENTITY_REF: WalkedFields = [undefined, 'string', 'string', 'string', 'string'];
const EVENT: WalkedFields = [undefined, 'fixed64', 'string', 'keyValue', 'uint32'];
const LINK: WalkedFields = [undefined, 'bytes', 'bytes', 'string', 'keyValue', 'uint32', 'fixed32'];

function skipMessage(r: ProtobufReader, length: number, fields: WalkedFields): void {
  const end = r.pos + length;
  while (r.pos < end) {
    const tag = r.uint32();
    switch (fields[tag >>> 3]) {
      case 'string':
        skipString(r);
        break;
      case 'bytes':
        r.skip(r.uint32());
        break;
      case 'keyValue':
        skipKeyValue(r, r.uint32(), 0);
        break;
      case 'uint32':
        r.uint32();
        break;
      case 'fixed32':
        r.fixed32();
        break;
      case 'fixed64':
        r.fixed64();
        break;
      default:
        r.skipType(tag & 7);
    }
  }
}

/** A Status message's code (0 when absent: each Status replaces the span's previous one). */
function readStatusCode(r: ProtobufReader, length: number): number {
  const end = r.pos + length;
  let code = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag >>> 3) {
      case 2:
        skipString(r);
        break;
      case 3:
        code = r.int32();
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  return code;
}

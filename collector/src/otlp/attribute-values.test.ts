import { deepKvlistJsonText, protobufWithDeepAttribute } from '../test-support/hostile-spans';
import {
  AttributeValueError,
  MAX_ATTRIBUTE_DEPTH,
  MAX_ATTRIBUTE_VALUES,
  plainValue,
} from './attribute-values';
import { decodeTraceRequest } from './decode-trace-request';
import type { OtlpAnyValue } from './otlp-types';

/** A number inside `depth` arrays. */
function nestedArrays(depth: number): OtlpAnyValue {
  let value: OtlpAnyValue = { intValue: 7 };
  for (let level = 0; level < depth; level++) value = { arrayValue: { values: [value] } };
  return value;
}

describe('plainValue', () => {
  it('turns nested arrays and maps into plain JSON values, keys in order, the last of a repeated key winning', () => {
    const value: OtlpAnyValue = {
      kvlistValue: {
        values: [
          { key: 'a', value: { stringValue: 'x' } },
          {
            key: 'list',
            value: {
              arrayValue: {
                values: [
                  { boolValue: true },
                  { doubleValue: 1.5 },
                  { kvlistValue: { values: [{ key: 'k', value: { intValue: 3 } }] } },
                ],
              },
            },
          },
          { key: 'bytes', value: { bytesValue: Buffer.from('hi') } },
          { key: 'empty', value: {} },
          { key: 'a', value: { stringValue: 'y' } },
        ],
      },
    };
    expect(plainValue(value)).toEqual({
      a: 'y',
      list: [true, 1.5, { k: 3 }],
      bytes: 'aGk=',
      empty: null,
    });
    expect(Object.keys(plainValue(value) as object)).toEqual(['a', 'list', 'bytes', 'empty']);
  });

  it(`reads values nested ${MAX_ATTRIBUTE_DEPTH} levels and refuses one level more`, () => {
    expect(JSON.stringify(plainValue(nestedArrays(MAX_ATTRIBUTE_DEPTH)))).toBe(
      `${'['.repeat(MAX_ATTRIBUTE_DEPTH)}7${']'.repeat(MAX_ATTRIBUTE_DEPTH)}`,
    );
    expect(() => plainValue(nestedArrays(MAX_ATTRIBUTE_DEPTH + 1))).toThrow(AttributeValueError);
    expect(() => plainValue(nestedArrays(100_000))).toThrow(/nested deeper than/);
  });

  it(`refuses a value holding more than ${MAX_ATTRIBUTE_VALUES} values`, () => {
    const wide = (n: number): OtlpAnyValue => ({
      arrayValue: { values: Array.from({ length: n }, () => ({ stringValue: 's' })) },
    });
    expect((plainValue(wide(MAX_ATTRIBUTE_VALUES - 1)) as unknown[]).length).toBe(
      MAX_ATTRIBUTE_VALUES - 1,
    );
    expect(() => plainValue(wide(MAX_ATTRIBUTE_VALUES))).toThrow(/more than 10000 values/);
  });
});

describe('decoding attribute values nested thousands of levels deep', () => {
  it(`decodes a value of exactly ${MAX_ATTRIBUTE_DEPTH} nested maps whole`, () => {
    const { body } = protobufWithDeepAttribute('deep-svc', 0, MAX_ATTRIBUTE_DEPTH);
    const span = decodeTraceRequest(body, 'protobuf').resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    let value = plainValue(span.attributes.find((a) => a.key === 'deep')!.value) as Record<
      string,
      unknown
    >;
    for (let level = 1; level < MAX_ATTRIBUTE_DEPTH; level++)
      value = value.nested as Record<string, unknown>;
    expect(value).toEqual({ nested: 'leaf' });
  });

  it('decodes the protobuf request without exhausting the stack, the deep value standing for a refusal', () => {
    const { body, deepSpanId } = protobufWithDeepAttribute('deep-svc', 2, 5000);
    const request = decodeTraceRequest(body, 'protobuf');
    const spans = request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    expect(spans).toHaveLength(3);
    const deep = spans.find((span) => Buffer.from(span.spanId).toString('hex') === deepSpanId)!;
    const attribute = deep.attributes.find((a) => a.key === 'deep')!;
    expect(() => plainValue(attribute.value)).toThrow(AttributeValueError);
  });

  it('decodes the JSON request the same way', () => {
    const span =
      '{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","name":"x","startTimeUnixNano":"1","endTimeUnixNano":"2","attributes":[{"key":"deep","value":DEEP}]}';
    const body = `{"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"spans":[${span.replace('DEEP', deepKvlistJsonText(5000))}]}]}]}`;
    const request = decodeTraceRequest(Buffer.from(body), 'json');
    const attribute = request.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.attributes[0]!;
    expect(() => plainValue(attribute.value)).toThrow(/nested deeper than 32 levels/);
  });

  it('still refuses a truncated deep value as malformed protobuf', () => {
    const { body } = protobufWithDeepAttribute('deep-svc', 1, 100);
    expect(() => decodeTraceRequest(body.subarray(0, body.length - 20), 'protobuf')).toThrow(
      /malformed protobuf/,
    );
  });
});

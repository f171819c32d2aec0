import { PricingCatalog } from '@tokenmeter/conventions';
import fc from 'fast-check';
import { realisticCalls } from '../bench/realistic-calls';
import { requestRows } from '../ledger/request-rows';
import { traceRequestJson, traceRequestProtobuf } from '../test-support/genai-spans';
import { protobufWithDeepAttribute } from '../test-support/hostile-spans';
import { MAX_ATTRIBUTE_DEPTH, plainValue } from './attribute-values';
import { decodeTraceRequest, readTraceRequest } from './decode-trace-request';
import { decodedRequest } from './decoded-request';
import { PayloadError } from './payload-error';
import { readProtobufRequest } from './protobuf-request';
import type { TraceRequestView } from './span-view';

// Property: the in-place protobuf reader (the sink's path) and the generated decoder (objects, then
// the same mapping) agree on every body: the same 400 and message, or the same ledger rows and the
// same verdict for every span.
const NOW_MS = Date.UTC(2026, 0, 15, 12);
const catalog = PricingCatalog.load();
const RUNS = 400;
/** Schema-guided requests are the likeliest to reach a rare field with a rare wire type: more of them. */
const SCHEMA_RUNS = 2000;

async function outcome(read: () => TraceRequestView): Promise<unknown> {
  let request: TraceRequestView;
  try {
    request = read();
  } catch (error) {
    if (error instanceof PayloadError) return { status: error.status, message: error.message };
    throw error;
  }
  const { rows, ignored, rejections, droppedAttributes, unexpected } = await requestRows(
    request,
    { catalog, retentionDays: 30 },
    NOW_MS,
  );
  return {
    rows: rows.text,
    count: rows.count,
    days: [...rows.days],
    ignored,
    rejections: { count: rejections.count, byKind: rejections.byKind, reasons: rejections.reasons },
    droppedAttributes,
    unexpected: unexpected === undefined ? undefined : String(unexpected),
  };
}

async function expectSameOutcome(body: Uint8Array): Promise<void> {
  const bytes = Buffer.from(body);
  const inPlace = await outcome(() => readTraceRequest(Buffer.from(bytes), 'protobuf'));
  const generated = await outcome(() =>
    decodedRequest(decodeTraceRequest(Buffer.from(bytes), 'protobuf')),
  );
  expect(inPlace).toEqual(generated);
}

// ---- protobuf wire format, written by hand so that any field may get any wire type ----

const varint = (value: bigint): number[] => {
  const bytes: number[] = [];
  let rest = BigInt.asUintN(64, value);
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    bytes.push(rest > 0n ? low | 0x80 : low);
  } while (rest > 0n);
  return bytes;
};
const fixed = (value: bigint, size: 4 | 8): number[] => {
  const bytes: number[] = [];
  let rest = BigInt.asUintN(size * 8, value);
  for (let i = 0; i < size; i++) {
    bytes.push(Number(rest & 0xffn));
    rest >>= 8n;
  }
  return bytes;
};
const utf8 = (text: string): number[] => [...Buffer.from(text, 'utf8')];

/** One field: its number, wire type and payload (for wire type 2, the bytes after the length). */
interface Field {
  no: number;
  wire: number;
  payload: number[];
}
const encode = (fields: readonly Field[]): number[] =>
  fields.flatMap(({ no, wire, payload }) => [
    ...varint(BigInt(no * 8 + wire)),
    ...(wire === 2 ? [...varint(BigInt(payload.length)), ...payload] : payload),
  ]);

const bytesField = (no: number, bytes: number[]): Field => ({ no, wire: 2, payload: bytes });
const messageField = (no: number, fields: readonly Field[]): Field =>
  bytesField(no, encode(fields));
const varintField = (no: number, value: bigint): Field => ({ no, wire: 0, payload: varint(value) });
const fixedField = (no: number, value: bigint, size: 4 | 8): Field => ({
  no,
  wire: size === 8 ? 1 : 5,
  payload: fixed(value, size),
});

/** A field nobody knows, of any wire type (3 and 4, groups, included; 6 and 7 are invalid). */
const unknownField: fc.Arbitrary<Field> = fc.oneof(
  fc.record({
    no: fc.integer({ min: 17, max: 2000 }),
    wire: fc.constant(0),
    payload: fc.bigInt(0n, 2n ** 64n - 1n).map(varint),
  }),
  fc.record({
    no: fc.integer({ min: 17, max: 2000 }),
    wire: fc.constant(2),
    payload: fc.array(fc.nat(255), { maxLength: 12 }),
  }),
  fc.record({
    no: fc.integer({ min: 17, max: 2000 }),
    wire: fc.constantFrom(1, 5),
    payload: fc.array(fc.nat(255), { minLength: 4, maxLength: 8 }),
  }),
  fc.record({
    no: fc.integer({ min: 1, max: 2000 }),
    wire: fc.integer({ min: 3, max: 7 }),
    payload: fc.array(fc.nat(255), { maxLength: 4 }),
  }),
);

/**
 * Schema-guided requests: known fields of every message, in any order and number; with `noise`,
 * now and then an unknown field or a known one of the wrong wire type (1 field in `noise`).
 */
function requestOf(noise: number): fc.Arbitrary<Field[]> {
  function messageOf(known: fc.Arbitrary<Field>[], maxFields = 6, minFields = 0): fc.Arbitrary<Field[]> {
    const field = fc.oneof(...known);
    if (noise === 0) return fc.array(field, { minLength: minFields, maxLength: maxFields });
    const wrongWire = fc
      .record({ field, wire: fc.integer({ min: 0, max: 7 }) })
      .map(({ field, wire }) => ({ ...field, wire }));
    return fc.array(
      fc.oneof(
        { weight: noise, arbitrary: field },
        { weight: 1, arbitrary: unknownField },
        { weight: 1, arbitrary: wrongWire },
      ),
      { minLength: minFields, maxLength: maxFields },
    );
  }

  const KEYS = [
    'service.name',
    'gen_ai.operation.name',
    'gen_ai.provider.name',
    'gen_ai.system',
    'gen_ai.request.model',
    'gen_ai.response.model',
    'gen_ai.usage.input_tokens',
    'gen_ai.usage.output_tokens',
    'gen_ai.usage.cache_read.input_tokens',
    'gen_ai.usage.reasoning_tokens',
    'gen_ai.response.finish_reasons',
    'gen_ai.prompt.0.content',
    'gen_ai.conversation.id',
    'tokenmeter.prompt.name',
    'tokenmeter.user.id',
    'tokenmeter.cost.usd',
    'tokenmeter.streaming',
    'enduser.id',
    'error.type',
    'server.address',
    'custom.note',
  ];
  const TEXTS = [
    'chat',
    'embeddings',
    'openai',
    'anthropic',
    'gpt-4o-mini',
    'gpt-4.1-2025-04-14',
    'claude-sonnet-4-5',
    '',
    ' user-1 ',
    'stop',
    'timeout',
    '12',
    'a\u0000b',
    'tab\there',
  ];

  const text = fc.oneof(
    fc.constantFrom(...TEXTS),
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'binary', maxLength: 6 }),
  );
  const anyValue: fc.Arbitrary<Field[]> = fc.letrec<{ value: Field[]; keyValue: Field[] }>(
    (tie) => ({
      value: messageOf(
        [
          text.map((t) => bytesField(1, utf8(t))),
          fc.boolean().map((b) => varintField(2, b ? 1n : 0n)),
          fc
            .oneof(fc.bigInt(-5n, 100_000n), fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n))
            .map((n) => varintField(3, n)),
          fc
            .oneof(fc.double(), fc.constantFrom(0.5, 1e-3, 12))
            .map((d) => ({
              no: 4,
              wire: 1,
              payload: [...new Uint8Array(new Float64Array([d]).buffer)],
            })),
          fc.array(tie('value'), { maxLength: 3, depthIdentifier: 'value' }).map((values) =>
            messageField(
              5,
              values.map((value) => messageField(1, value)),
            ),
          ),
          fc.array(tie('keyValue'), { maxLength: 3, depthIdentifier: 'value' }).map((keyValues) =>
            messageField(
              6,
              keyValues.map((keyValue) => messageField(1, keyValue)),
            ),
          ),
          fc.array(fc.nat(255), { maxLength: 6 }).map((bytes) => bytesField(7, bytes)),
        ],
        3,
      ),
      keyValue: messageOf(
        [
          fc.oneof(fc.constantFrom(...KEYS), text).map((key) => bytesField(1, utf8(key))),
          tie('value').map((value) => messageField(2, value)),
        ],
        3,
      ),
    }),
  ).value;
  const keyValue = messageOf(
    [
      fc.constantFrom(...KEYS).map((key) => bytesField(1, utf8(key))),
      anyValue.map((value) => messageField(2, value)),
    ],
    3,
  );
  /** Mostly a well-formed attribute: a known key and a value. */
  const attribute: fc.Arbitrary<Field> = fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom(...KEYS), anyValue)
        .map(([key, value]) => messageField(9, [bytesField(1, utf8(key)), messageField(2, value)])),
    },
    { weight: 1, arbitrary: keyValue.map((fields) => messageField(9, fields)) },
  );

  const stringAttribute = (key: string, value: string): Field => messageField(9, [bytesField(1, utf8(key)), messageField(2, [bytesField(1, utf8(value))])]);
const intAttribute = (key: string, value: number): Field => messageField(9, [bytesField(1, utf8(key)), messageField(2, [varintField(3, BigInt(value))])]);
const MODEL_CALL = [
  stringAttribute('gen_ai.operation.name', 'chat'),
  stringAttribute('gen_ai.provider.name', 'openai'),
  stringAttribute('gen_ai.request.model', 'gpt-4o-mini'),
  intAttribute('gen_ai.usage.input_tokens', 1200),
  intAttribute('gen_ai.usage.output_tokens', 80),
];
const NOW_NS = BigInt(NOW_MS) * 1_000_000n;
  const time = fc.oneof(
    { weight: 8, arbitrary: fc.bigInt(NOW_NS - 3_600_000_000_000n, NOW_NS + 60_000_000_000n) },
    { weight: 1, arbitrary: fc.bigInt(0n, 2n ** 64n - 1n) },
  );
  const id = (size: number): fc.Arbitrary<number[]> =>
    fc.oneof(
      { weight: 6, arbitrary: fc.array(fc.nat(255), { minLength: size, maxLength: size }) },
      { weight: 1, arbitrary: fc.array(fc.nat(255), { maxLength: 17 }) },
    );
  const status = messageOf(
    [
      text.map((t) => bytesField(2, utf8(t))),
      fc.integer({ min: -1, max: 3 }).map((code) => varintField(3, BigInt(code))),
    ],
    3,
  );
  const event = messageOf(
    [
      time.map((t) => fixedField(1, t, 8)),
      text.map((t) => bytesField(2, utf8(t))),
      keyValue.map((kv) => messageField(3, kv)),
    ],
    3,
  );
  const link = messageOf(
    [
      id(16).map((bytes) => bytesField(1, bytes)),
      id(8).map((bytes) => bytesField(2, bytes)),
      text.map((t) => bytesField(3, utf8(t))),
      keyValue.map((kv) => messageField(4, kv)),
      fc.nat(9).map((n) => varintField(5, BigInt(n))),
      fc.nat().map((n) => fixedField(6, BigInt(n), 4)),
    ],
    3,
  );
  const count = (no: number): fc.Arbitrary<Field> => fc.nat(9).map((n) => varintField(no, BigInt(n)));

  const span: fc.Arbitrary<Field[]> = fc
    .record({
      traceId: id(16),
      spanId: id(8),
      start: time,
      duration: fc.bigInt(0n, 10_000_000_000n),
      call: fc.boolean(),
      attributes: fc.array(attribute, { maxLength: 10 }),
      extra: messageOf(
        [
          text.map((t) => bytesField(5, utf8(t))),
          fc.integer({ min: 0, max: 5 }).map((kind) => varintField(6, BigInt(kind))),
          status.map((fields) => messageField(15, fields)),
          event.map((fields) => messageField(11, fields)),
          id(8).map((bytes) => bytesField(4, bytes)),
          time.map((t) => fixedField(8, t, 8)),
          attribute,
          text.map((t) => bytesField(3, utf8(t))),
          fc.nat().map((flags) => fixedField(16, BigInt(flags), 4)),
          link.map((fields) => messageField(13, fields)),
          count(10),
          count(12),
          count(14),
        ],
        4,
      ),
    })
    .map(({ traceId, spanId, start, duration, call, attributes, extra }) => [
      bytesField(1, traceId),
      bytesField(2, spanId),
      fixedField(7, start, 8),
      fixedField(8, start + duration, 8),
      // Half the spans start as a model call, so that the attributes after decide what is stored.
      ...(call ? MODEL_CALL : []),
      ...attributes,
      ...extra,
    ]);
  const scopeSpans = messageOf(
    [
      span.map((fields) => messageField(2, fields)),
      messageOf(
        [
          text.map((t) => bytesField(1, utf8(t))),
          text.map((t) => bytesField(2, utf8(t))),
          keyValue.map((kv) => messageField(3, kv)),
          count(4),
        ],
        2,
      ).map((scope) => messageField(1, scope)),
    ],
    4,
    1,
  );
  const resource = messageOf(
    [
      attribute.map((field) => ({ ...field, no: 1 })),
      count(2),
      messageOf([1, 2, 3, 4].map((no) => text.map((t) => bytesField(no, utf8(t)))), 3).map((ref) => messageField(3, ref)),
    ],
    3,
  );
  const resourceSpans = messageOf(
    [
      resource.map((fields) => messageField(1, fields)),
      scopeSpans.map((fields) => messageField(2, fields)),
    ],
    4,
    1,
  );
  return messageOf([resourceSpans.map((fields) => messageField(1, fields))], 3, 1);
}

/** A schema-guided request, clean or noisy, sometimes cut short. */
const schemaGuided = fc
  .tuple(fc.oneof(requestOf(0), requestOf(60), requestOf(8)), fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat() }))
  .map(([fields, cut]) => {
    const bytes = encode(fields);
    return Uint8Array.from(cut === null ? bytes : bytes.slice(0, cut % (bytes.length + 1)));
  });

const VALID = traceRequestProtobuf(
  traceRequestJson(
    realisticCalls(6, 7, NOW_MS, 3_600_000).map((spec) => ({
      ...spec,
      extra: { ...spec.extra, 'custom.list': 'x' },
    })),
  ),
);

type Mutation =
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'cut'; at: number };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.nat(255) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.array(fc.nat(255), { minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    kind: fc.constant('delete' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 8 }),
  }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
);

function mutated(body: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  const bytes = [...body];
  for (const change of mutations) {
    const at = change.at % (bytes.length + 1);
    if (change.kind === 'set' && at < bytes.length) bytes[at] = change.byte;
    else if (change.kind === 'insert') bytes.splice(at, 0, ...change.bytes);
    else if (change.kind === 'delete') bytes.splice(at, change.length);
    else if (change.kind === 'cut') bytes.length = at;
  }
  return Uint8Array.from(bytes);
}

describe('the in-place protobuf reader', () => {
  it('refuses arbitrary bytes as the generated decoder does, and maps what it accepts alike', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), expectSameOutcome), {
      numRuns: RUNS,
    });
  });

  it('agrees with the generated decoder on schema-guided requests (unknown fields, wrong wire types, truncation)', async () => {
    await fc.assert(fc.asyncProperty(schemaGuided, expectSameOutcome), { numRuns: SCHEMA_RUNS });
  });

  it('agrees with the generated decoder on mutations of a valid request', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) =>
        expectSameOutcome(mutated(VALID, mutations)),
      ),
      { numRuns: RUNS },
    );
  });

  it('maps a valid request to the same rows as the generated decoder, all of them stored', async () => {
    const inPlace = (await outcome(() => readTraceRequest(VALID, 'protobuf'))) as { count: number };
    expect(inPlace.count).toBe(6);
    await expectSameOutcome(VALID);
  });

  it('reads attribute values nested past the depth bound as the generated decoder does, truncated or not', async () => {
    const attempt = (read: () => unknown): unknown => {
      try {
        return read();
      } catch (error) {
        return `${(error as Error).name}: ${(error as Error).message}`;
      }
    };
    for (const depth of [MAX_ATTRIBUTE_DEPTH, MAX_ATTRIBUTE_DEPTH + 1, MAX_ATTRIBUTE_DEPTH + 2, 5000]) {
      const { body } = protobufWithDeepAttribute('deep-svc', 1, depth);
      const inPlace = readProtobufRequest(body).span(1, 0);
      const generated = decodeTraceRequest(body, 'protobuf').resourceSpans[1]!.scopeSpans[0]!.spans[0]!;
      const deep = [...Array(inPlace.attributeCount).keys()].find((i) => inPlace.attributeKey(i) === 'deep')!;
      const expected = attempt(() => plainValue(generated.attributes.find((a) => a.key === 'deep')!.value));
      expect(attempt(() => inPlace.attributeValue(deep))).toEqual(expected);
      expect(typeof expected === 'string').toBe(depth > MAX_ATTRIBUTE_DEPTH);
      for (let cut = body.length; cut > body.length - 400 && cut > 0; cut -= 7) await expectSameOutcome(body.subarray(0, cut));
    }
  });
});

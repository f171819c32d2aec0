import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { startSink, type RunningSink } from '../sink';
import { rollupMismatches } from '../test-support/ledger-checks';
import { genAiSpanJson, traceRequestProtobuf } from '../test-support/genai-spans';
import { createTestDatabase, withClient, type TestDatabase } from '@tokenmeter/test-support';

// Property: whatever spans a request holds next to valid ones, the sink answers 200 (never 500,
// never a refusal of the whole request), stores every valid span exactly once, also when the request
// is delivered twice, and keeps every rollup equal to the ledger.
const TOKEN = 'property-token';
const RUNS = 60;
let database: TestDatabase;
let sink: RunningSink;

beforeAll(async () => {
  database = await createTestDatabase('property');
  sink = await startSink({
    databaseUrl: database.url,
    port: 0,
    ingestToken: TOKEN,
    log: () => undefined,
  });
});

afterAll(async () => {
  await sink?.close();
  await database?.drop();
});

type Json = Record<string, unknown>;

const GEN_AI_KEYS = [
  'gen_ai.operation.name',
  'gen_ai.provider.name',
  'gen_ai.system',
  'gen_ai.request.model',
  'gen_ai.response.model',
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.prompt_tokens',
  'gen_ai.usage.completion_tokens',
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.reasoning.output_tokens',
  'enduser.id',
  'tokenmeter.prompt.name',
  'tokenmeter.billing.mode',
  'tokenmeter.plan',
  'tokenmeter.cost.usd',
  'tokenmeter.pricing.version',
  'tokenmeter.streaming',
  'tokenmeter.time_to_first_token_ms',
  'tokenmeter.output_tokens_per_s',
  'error.type',
  'gen_ai.input.messages',
];

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('chat', 'gpt-4o-mini', 'openai', '', ' ', '\u0000', '\ud800'),
);
const number = fc.oneof(
  fc.double().map((d) => (Number.isFinite(d) ? { doubleValue: d } : { doubleValue: String(d) })),
  fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n).map((i) => ({ intValue: i.toString() })),
  fc.constantFrom(
    { doubleValue: 1e300 },
    { intValue: '-1' },
    { doubleValue: 'NaN' },
    { intValue: '9007199254740993' },
  ),
);

/** OTLP/JSON AnyValue trees, a few levels deep, sometimes nested past the sink's bound. */
const { anyValue } = fc.letrec<{ anyValue: Json }>((tie) => ({
  anyValue: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text.map((s) => ({ stringValue: s })),
    number,
    fc.boolean().map((b) => ({ boolValue: b })),
    fc
      .uint8Array({ maxLength: 16 })
      .map((bytes) => ({ bytesValue: Buffer.from(bytes).toString('base64') })),
    fc.array(tie('anyValue'), { maxLength: 4 }).map((values) => ({ arrayValue: { values } })),
    fc
      .array(fc.record({ key: text, value: tie('anyValue') }), { maxLength: 4 })
      .map((values) => ({ kvlistValue: { values } })),
    fc.integer({ min: 30, max: 40 }).map((depth) => {
      let value: Json = { stringValue: 'bottom' };
      for (let level = 0; level < depth; level++) value = { arrayValue: { values: [value] } };
      return value;
    }),
  ),
}));

const attribute = fc.record({
  key: fc.oneof(fc.constantFrom(...GEN_AI_KEYS), text),
  value: anyValue,
});
const hexBytes = (valid: number): fc.Arbitrary<string> =>
  fc
    .oneof(fc.uint8Array({ minLength: valid, maxLength: valid }), fc.uint8Array({ maxLength: 20 }))
    .map((b) => Buffer.from(b).toString('hex'));
const nowNs = BigInt(Date.now()) * 1_000_000n;
const time = fc.oneof(
  fc.bigInt(nowNs - 3_600_000_000_000n, nowNs).map(String),
  fc.bigInt(0n, 2n ** 64n - 1n).map(String),
  fc.constantFrom('0', '1', 'not-a-time'),
);

/** A span as a sender might write it, well formed or not. */
const arbitrarySpan: fc.Arbitrary<Json> = fc.record({
  traceId: hexBytes(16),
  spanId: hexBytes(8),
  name: text,
  kind: fc.integer({ min: 0, max: 5 }),
  startTimeUnixNano: time,
  endTimeUnixNano: time,
  attributes: fc.array(attribute, { maxLength: 12 }),
  status: fc.record({ code: fc.integer({ min: 0, max: 2 }), message: text }),
});

/** A model-call span that looks valid but breaks in one place. */
const almostValidSpan: fc.Arbitrary<Json> = fc
  .tuple(fc.constantFrom(...GEN_AI_KEYS.slice(0, 21)), anyValue)
  .map(([key, value]) => {
    const span = genAiSpanJson({ userId: 'almost' });
    (span.attributes as Json[]).push({ key, value });
    return span;
  });

let run = 0;

it('stores every valid span exactly once and never answers 500, whatever spans come with them', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 8 }),
      fc.array(fc.oneof(arbitrarySpan, almostValidSpan), { minLength: 1, maxLength: 12 }),
      fc.constantFrom('protobuf', 'json'),
      fc.boolean(),
      fc.boolean(),
      async (validCount, others, encoding, gzip, twice) => {
        const service = `prop-${++run}`;
        const valid = Array.from({ length: validCount }, (_, i) =>
          genAiSpanJson({ userId: `valid-${i}`, startMs: Date.now() - 10_000 + i }),
        );
        const spans = [...valid, ...others].sort(() => Math.random() - 0.5);
        const request = {
          resourceSpans: [
            {
              resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
              scopeSpans: [{ spans }],
            },
          ],
        };
        const raw =
          encoding === 'json'
            ? Buffer.from(JSON.stringify(request))
            : traceRequestProtobuf(request);
        const body = gzip ? gzipSync(raw) : raw;
        const headers: Record<string, string> = {
          authorization: `Bearer ${TOKEN}`,
          'content-type': encoding === 'json' ? 'application/json' : 'application/x-protobuf',
          ...(gzip ? { 'content-encoding': 'gzip' } : {}),
        };
        for (let delivery = 0; delivery < (twice ? 2 : 1); delivery++) {
          const response = await fetch(`${sink.url}/v1/traces`, { method: 'POST', headers, body });
          const answer = await response.text();
          expect({
            status: response.status,
            answer: response.status === 200 ? '' : answer,
          }).toEqual({ status: 200, answer: '' });
        }
        const stored = await withClient(
          database.url,
          async (client) =>
            (
              await client.query<{ span_id: string; copies: number }>(
                'SELECT span_id, count(*)::int AS copies FROM tokenmeter.llm_calls WHERE service = $1 GROUP BY span_id',
                [service],
              )
            ).rows,
        );
        const copies = new Map(stored.map((row) => [row.span_id, row.copies]));
        for (const span of valid) expect(copies.get(span.spanId as string)).toBe(1);
        for (const count of copies.values()) expect(count).toBe(1);
      },
    ),
    { numRuns: RUNS },
  );
  expect(await rollupMismatches(database.url)).toEqual([]);
});

import { PricingCatalog } from '@tokenmeter/conventions';
import { CONTENT_KEYS, storedAttributeNames } from '../dialects';
import { readTraceRequest } from '../otlp/decode-trace-request';
import { readProtobufRequest } from '../otlp/protobuf-request';
import type { SpanView } from '../otlp/span-view';
import { genAiSpanJson, traceRequestJson, traceRequestProtobuf, type CallSpec } from '../test-support/genai-spans';
import type { LlmCall } from './llm-call';
import { UserIdPseudonyms } from './user-pseudonyms';
import { serviceOf, spanToCall, type SpanContext, type SpanVerdict } from './span-to-call';

const catalog = PricingCatalog.load();
// Half a millisecond past: start times travel as nanoseconds in a double (±128 ns), and the row keeps
// whole milliseconds.
const START_MS = Date.UTC(2026, 10, 20, 12, 0, 0, 250) + 0.5;
const CONTEXT: SpanContext = { service: 'checkout-api', catalog, oldestAcceptedMs: 0, newestAcceptedMs: Date.UTC(2027, 0, 1) };

type JsonKeyValue = { key: string; value: Record<string, unknown> };

/** Spans as the sink sees them: OTLP/JSON encoded to protobuf and decoded by the generated classes. */
/** The span as the sink reads it (protobuf, in place). */
function decodedSpan(span: Record<string, unknown>): SpanView {
  return readProtobufRequest(traceRequestProtobuf(traceRequestJson([], [span]))).span(0, 0);
}

/** A span of the spec with extra raw OTLP attributes appended (arrays, maps, bytes, duplicates …). */
function spanOf(spec: CallSpec, extraAttributes: JsonKeyValue[] = []): SpanView {
  const json = genAiSpanJson({ startMs: START_MS, ...spec });
  (json.attributes as JsonKeyValue[]).push(...extraAttributes);
  return decodedSpan(json);
}

/** A span with exactly these attributes. */
function spanWith(attributes: JsonKeyValue[], fields: Record<string, unknown> = {}): SpanView {
  return decodedSpan({ ...genAiSpanJson({ startMs: START_MS }), attributes, ...fields });
}

const text = (key: string, value: string): JsonKeyValue => ({ key, value: { stringValue: value } });
const int = (key: string, value: number): JsonKeyValue => ({ key, value: { intValue: String(value) } });
const double = (key: string, value: number): JsonKeyValue => ({ key, value: { doubleValue: value } });
const bool = (key: string, value: boolean): JsonKeyValue => ({ key, value: { boolValue: value } });
const MODEL_CALL = [text('gen_ai.operation.name', 'chat'), text('gen_ai.request.model', 'gpt-4o-mini')];
/** A model call the catalog prices (a call without token counts or provider is stored unpriced, with the reason). */
const PRICED_CALL = [...MODEL_CALL, text('gen_ai.provider.name', 'openai'), int('gen_ai.usage.input_tokens', 10), int('gen_ai.usage.output_tokens', 2)];

function callOf(verdict: SpanVerdict): LlmCall {
  if (verdict.kind !== 'call') throw new Error(`expected a call, got ${JSON.stringify(verdict)}`);
  return verdict.call;
}

const mapped = (span: SpanView, context: Partial<SpanContext> = {}): LlmCall => callOf(spanToCall(span, { ...CONTEXT, ...context }));
const storedAttributes = (call: LlmCall): unknown => JSON.parse(call.attributes);
/** A context whose allow-list also has these names, as TOKENMETER_SINK_STORED_ATTRIBUTES adds them. */
const listed = (...names: string[]): Partial<SpanContext> => ({ storedAttributes: storedAttributeNames(names) });

function rejection(span: SpanView, context: Partial<SpanContext> = {}): string {
  const verdict = spanToCall(span, { ...CONTEXT, ...context });
  if (verdict.kind !== 'rejected') throw new Error(`expected a rejection, got ${verdict.kind}`);
  return verdict.reason;
}

describe('spanToCall', () => {
  it('maps every attribute of the span contract to its column', () => {
    const span = spanOf({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      durationMs: 1250,
      operation: 'chat',
      provider: 'anthropic',
      requestModel: 'claude-sonnet-4-5',
      responseModel: 'claude-sonnet-4-5-20250929',
      inputTokens: 1000,
      outputTokens: 400,
      cachedInputTokens: 600,
      reasoningTokens: 100,
      userId: 'usr_42',
      promptName: 'support-chat',
      billingMode: 'byok',
      plan: 'free',
      error: 'timeout',
      costUsd: 0.0123,
      timeToFirstTokenMs: 250,
      extra: { 'tokenmeter.pricing.version': '2026-01-01', 'tokenmeter.output_tokens_per_s': 400 },
    });
    expect(mapped(span)).toEqual({
      ts: new Date(Math.floor(START_MS)),
      durationMs: expect.closeTo(1250, 3),
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      service: 'checkout-api',
      provider: 'anthropic',
      operation: 'chat',
      requestModel: 'claude-sonnet-4-5',
      responseModel: 'claude-sonnet-4-5-20250929',
      promptName: 'support-chat',
      userId: 'usr_42',
      billingMode: 'byok',
      plan: 'free',
      status: 'error',
      errorType: 'timeout',
      inputTokens: 1000,
      outputTokens: 400,
      cachedInputTokens: 600,
      reasoningTokens: 100,
      totalTokens: 1400,
      costUsd: 0.0123,
      pricingVersion: '2026-01-01',
      unpricedReason: null,
      streaming: true,
      timeToFirstTokenMs: 250,
      outputTokensPerS: 400,
      cacheWriteInputTokens: 0,
      costSource: 'computed',
      reportedCostUsd: null,
      sessionId: null,
      promptVersion: null,
      serviceTier: null,
      attributes: '{}',
    });
  });

  it('fills what the span leaves out: catalog price, defaults, success, output rate from the stream timing', () => {
    const call = mapped(spanOf({ inputTokens: 1000, outputTokens: 200, cachedInputTokens: 400, durationMs: 1250, timeToFirstTokenMs: 250 }));
    const priced = catalog.price('openai', 'gpt-4o-mini-2024-07-18', { inputTokens: 1000, outputTokens: 200, cachedInputTokens: 400, reasoningTokens: 0 }, START_MS)!;
    expect(call).toMatchObject({
      provider: 'openai',
      billingMode: 'system',
      plan: 'pro',
      status: 'success',
      errorType: null,
      promptName: null,
      userId: null,
      reasoningTokens: 0,
      totalTokens: 1200,
      costUsd: priced.costUsd,
      pricingVersion: catalog.version,
      streaming: true,
      timeToFirstTokenMs: 250,
      outputTokensPerS: expect.closeTo(200, 3),
    });
    expect(mapped(spanOf({ timeToFirstTokenMs: undefined }))).toMatchObject({ streaming: false, timeToFirstTokenMs: null, outputTokensPerS: null });
    expect(mapped(spanWith([...MODEL_CALL, bool('tokenmeter.streaming', true)]))).toMatchObject({ streaming: true, outputTokensPerS: null });
  });

  it('prices by the answered model first, then the requested one, and leaves unknown models unpriced (never 0)', () => {
    const usage = { inputTokens: 1200, outputTokens: 300, cachedInputTokens: 0, reasoningTokens: 0 };
    const bySnapshot = catalog.price('openai', 'gpt-4.1-2025-04-14', usage, START_MS)!;
    expect(mapped(spanOf({ requestModel: 'gpt-4o-mini', responseModel: 'gpt-4.1-2025-04-14' })).costUsd).toBe(bySnapshot.costUsd);
    const byRequest = catalog.price('openai', 'gpt-4o-mini', usage, START_MS)!;
    expect(mapped(spanOf({ requestModel: 'gpt-4o-mini', responseModel: 'not-in-the-catalog' })).costUsd).toBe(byRequest.costUsd);
    expect(mapped(spanOf({ provider: 'acme', requestModel: 'ranker', responseModel: 'ranker' }))).toMatchObject({
      costUsd: null,
      pricingVersion: null,
      unpricedReason: `unknown model: no price for acme model ranker in pricing ${catalog.version}`,
    });
    const onlyResponse = mapped(spanWith([text('gen_ai.operation.name', 'chat'), text('gen_ai.response.model', 'gpt-4o-mini-2024-07-18')]));
    expect(onlyResponse).toMatchObject({ requestModel: 'gpt-4o-mini-2024-07-18', responseModel: 'gpt-4o-mini-2024-07-18', provider: '_OTHER' });
  });

  it('prices by the service tier that served the call (openai.response.service_tier)', () => {
    const spec = { requestModel: 'gpt-4o-mini', responseModel: 'gpt-4o-mini-2024-07-18', inputTokens: 1_000_000, outputTokens: 1_000_000, cachedInputTokens: 0 };
    // gpt-4o-mini: 0.15 + 0.60 per million standard; flex is half the standard price
    expect(mapped(spanOf(spec, [text('openai.response.service_tier', 'default')])).costUsd).toBe(0.75);
    expect(mapped(spanOf(spec, [text('openai.response.service_tier', 'flex')])).costUsd).toBe(0.375);
    expect(mapped(spanOf(spec, [text('openai.response.service_tier', 'priority')]))).toMatchObject({
      costUsd: null,
      unpricedReason: expect.stringMatching(/^service tier priority has no price for openai model gpt-4o-mini-2024-07-18/),
    });
  });

  it('keeps a call whose counts the catalog cannot price unpriced, with the reason in its own column', () => {
    const call = mapped(spanOf({ inputTokens: 100, cachedInputTokens: 500 }));
    expect(call.costUsd).toBeNull();
    expect(call.unpricedReason).toMatch(/^invalid usage: cachedInputTokens \(500\) exceed inputTokens \(100\)/);
    expect(storedAttributes(call)).toEqual({});
  });

  it('reads the names of older emitters when the current ones are absent', () => {
    const legacy = mapped(spanWith([...MODEL_CALL, text('gen_ai.system', 'openai'), int('gen_ai.usage.prompt_tokens', 70), int('gen_ai.usage.completion_tokens', 30)]));
    expect(legacy).toMatchObject({ provider: 'openai', inputTokens: 70, outputTokens: 30, totalTokens: 100, attributes: '{}' });
    const both = mapped(
      spanWith([
        ...MODEL_CALL,
        text('gen_ai.system', 'az'),
        text('gen_ai.provider.name', 'openai'),
        int('gen_ai.usage.input_tokens', 5),
        int('gen_ai.usage.prompt_tokens', 70),
        int('gen_ai.usage.output_tokens', 6),
        int('gen_ai.usage.completion_tokens', 30),
      ]),
    );
    expect(both).toMatchObject({ provider: 'openai', inputTokens: 5, outputTokens: 6 });
  });

  it('accepts numbers given as text and text given as numbers; the last of repeated keys wins', () => {
    const call = mapped(
      spanWith([
        ...PRICED_CALL,
        text('gen_ai.usage.input_tokens', ' 120 '),
        int('gen_ai.usage.output_tokens', 1),
        int('gen_ai.usage.output_tokens', 20),
        int('enduser.id', 42),
        bool('tokenmeter.prompt.name', true),
        text('custom.dup', 'first'),
        text('custom.dup', 'second'),
      ]),
      listed('custom.dup'),
    );
    expect(call).toMatchObject({ inputTokens: 120, outputTokens: 20, userId: '42', promptName: 'true' });
    expect(storedAttributes(call)).toEqual({ 'custom.dup': 'second' });
  });

  it('trims text columns, cuts them at 512 characters and falls back to the defaults for unknown billing modes and plans', () => {
    const call = mapped(
      spanWith([
        ...MODEL_CALL,
        text('enduser.id', `  ${'u'.repeat(600)}  `),
        text('tokenmeter.prompt.name', '   '),
        text('tokenmeter.billing.mode', 'BYOK'),
        text('tokenmeter.plan', 'enterprise'),
        int('tokenmeter.streaming', 1),
      ]),
    );
    expect(call).toMatchObject({ userId: 'u'.repeat(512), promptName: null, billingMode: 'system', plan: 'pro', streaming: false });
  });

  it('marks a span with status ERROR failed, with error type _OTHER when error.type is absent', () => {
    const failed = spanWith(MODEL_CALL, { status: { code: 2, message: 'boom' } });
    expect(mapped(failed)).toMatchObject({ status: 'error', errorType: '_OTHER' });
    expect(mapped(spanWith([...MODEL_CALL, text('error.type', 'rate_limit')]))).toMatchObject({ status: 'error', errorType: 'rate_limit' });
  });

  it('stores the other attributes with their types, never message content, with unstorable characters made storable', () => {
    const call = mapped(
      spanOf({ extra: { 'server.address': 'api.openai.com', 'gen_ai.request.max_tokens': 2048, 'gen_ai.request.temperature': 0.2, 'custom.flag': false } }, [
        { key: 'gen_ai.response.finish_reasons', value: { arrayValue: { values: [{ stringValue: 'stop' }, { intValue: '3' }] } } },
        { key: 'custom.map', value: { kvlistValue: { values: [{ key: 'inner\u0000key', value: { stringValue: 'x\u0000y' } }, { key: 'n', value: { doubleValue: 1.5 } }] } } },
        { key: 'custom.bytes', value: { bytesValue: Buffer.from('hello').toString('base64') } },
        { key: 'custom.empty', value: {} },
        double('custom.nan', Number.NaN),
        double('custom.inf', Number.POSITIVE_INFINITY),
        text('custom.long', 'é'.repeat(3000)),
        text('custom\u0000key', 'a\u0000b'),
        text('gen_ai.input.messages', '[{"role":"user","content":"secret"}]'),
        text('gen_ai.output.messages', 'secret'),
        text('gen_ai.system_instructions', 'secret'),
        text('gen_ai.tool.definitions', 'secret'),
        text('gen_ai.prompt', 'secret'),
        text('gen_ai.completion', 'secret'),
      ]),
      listed('custom.flag', 'custom.map', 'custom.bytes', 'custom.empty', 'custom.nan', 'custom.inf', 'custom.long', 'custom\u0000key'),
    );
    expect(storedAttributes(call)).toEqual({
      'server.address': 'api.openai.com',
      'gen_ai.request.max_tokens': 2048,
      'gen_ai.request.temperature': 0.2,
      'custom.flag': false,
      'gen_ai.response.finish_reasons': ['stop', 3],
      'custom.map': { innerkey: 'xy', n: 1.5 },
      'custom.bytes': Buffer.from('hello').toString('base64'),
      'custom.empty': null,
      'custom.nan': 'NaN',
      'custom.inf': 'Infinity',
      'custom.long': 'é'.repeat(2048),
      customkey: 'ab',
    });
  });

  it('stores only the allow-list: other attributes are dropped and counted, content apart from the rest', () => {
    const verdict = spanToCall(
      spanWith([
        ...PRICED_CALL,
        text('server.address', 'api.openai.com'),
        text('custom.note', 'not listed'),
        text('http.request.header.authorization', 'Bearer sk-live'),
        text('gen_ai.prompt.0.content', 'secret'),
        text('input.value', 'secret'),
      ]),
      CONTEXT,
    );
    expect(verdict).toMatchObject({ kind: 'call', droppedContent: 2, droppedNotAllowed: 2 });
    expect(storedAttributes(callOf(verdict))).toEqual({ 'server.address': 'api.openai.com' });
  });

  it('stores the HMAC pseudonym of the user id, whichever dialect named it, when a key is set', () => {
    const userIds = new UserIdPseudonyms('tokenmeter-test-key-0123456789abcdef');
    const expected = '56e3a2bac35c9006b6cfd093b51f87bc11340ad2834d2e5d3d62516d11beef94'; // Python's hmac, user-42
    for (const key of ['enduser.id', 'user.id', 'llm.user', 'traceloop.association.properties.user_id', 'ai.telemetry.metadata.userId']) {
      expect([key, mapped(spanWith([...PRICED_CALL, text(key, ' user-42 ')]), { userIds }).userId]).toEqual([key, expected]);
    }
    expect(mapped(spanWith(PRICED_CALL), { userIds }).userId).toBeNull();
    expect(mapped(spanWith([...PRICED_CALL, text('enduser.id', 'user-42')])).userId).toBe('user-42');
  });

  it('refuses to list message content or a ledger field among the stored attributes', () => {
    for (const name of ['gen_ai.input.messages', 'gen_ai.prompt.0.content', 'llm.input_messages.1.message.content']) {
      expect(() => storedAttributeNames([name])).toThrow(/holds message content/);
    }
    expect(() => storedAttributeNames(['enduser.id'])).toThrow(/ledger field/);
    expect(CONTENT_KEYS.filter((key) => storedAttributeNames().has(key))).toEqual([]);
  });

  it('writes keys and values that need JSON escapes as JSON.stringify does', () => {
    const awkward = ['quote"d', 'back\\slash', 'new\nline\ttab\r', 'bell\u0007', 'ünïcødé ✓ \u2028'];
    const call = mapped(
      spanWith([...PRICED_CALL, ...awkward.map((value, i) => text(`${awkward[(i + 1) % awkward.length]}.key`, value))]),
      listed(...awkward.map((value) => `${value}.key`)),
    );
    expect(JSON.parse(call.attributes)).toEqual(Object.fromEntries(awkward.map((value, i) => [`${awkward[(i + 1) % awkward.length]}.key`, value])));
    expect(call.attributes).toBe(JSON.stringify(Object.fromEntries(awkward.map((value, i) => [`${awkward[(i + 1) % awkward.length]}.key`, value]))));
  });

  it('replaces lone surrogates (possible in OTLP/JSON only) in text columns and attributes', () => {
    const json = genAiSpanJson({ startMs: START_MS, userId: 'u\ud800', extra: { 'custom.\udc00': 'x\ud800y\ud83d\ude00' } });
    const request = readTraceRequest(Buffer.from(JSON.stringify(traceRequestJson([], [json]))), 'json');
    const call = mapped(request.span(0, 0), listed('custom.\udc00'));
    expect(call.userId).toBe('u\ufffd');
    expect(storedAttributes(call)).toEqual({ 'custom.\ufffd': 'x\ufffdy\ud83d\ude00' });
  });

  it('ignores spans that are not model calls, and agent, workflow and tool spans even with a model and totals', () => {
    expect(spanToCall(spanWith([text('http.route', '/x')]), CONTEXT)).toEqual({ kind: 'ignored' });
    expect(spanToCall(spanWith([text('gen_ai.operation.name', '')]), CONTEXT)).toEqual({ kind: 'ignored' });
    for (const operation of ['execute_tool', 'invoke_agent', 'create_agent', 'invoke_workflow', 'plan']) {
      expect(spanToCall(spanWith([text('gen_ai.operation.name', operation)]), CONTEXT)).toEqual({ kind: 'ignored' });
      // An agent span repeats the totals of the model calls under it: never billed twice.
      expect(spanToCall(spanWith([text('gen_ai.operation.name', operation), ...PRICED_CALL.slice(1)]), CONTEXT)).toEqual({ kind: 'ignored' });
    }
  });

  it('rejects model-call spans it cannot store, saying why', () => {
    expect(rejection(spanWith([text('gen_ai.operation.name', 'chat')]))).toMatch(/has gen_ai\.operation\.name but no gen_ai\.request\.model/);
    expect(rejection(spanWith(MODEL_CALL, { traceId: 'abcd' }))).toMatch(/no valid trace_id/);
    expect(rejection(spanWith(MODEL_CALL, { spanId: '0000000000000000' }))).toMatch(/all-zero span_id/);
    expect(rejection(spanWith(MODEL_CALL, { startTimeUnixNano: '0' }))).toMatch(/no start time/);
    expect(rejection(spanOf({}), { oldestAcceptedMs: START_MS + 1 })).toMatch(/before the retention window/);
    expect(rejection(spanOf({}), { newestAcceptedMs: START_MS - 1 })).toMatch(/more than a day in the future/);
    expect(rejection(spanWith([...MODEL_CALL, text('gen_ai.usage.input_tokens', 'many')]))).toMatch(/gen_ai\.usage\.input_tokens must be a non-negative integer, got "many"/);
    expect(rejection(spanWith([...MODEL_CALL, double('gen_ai.usage.output_tokens', 1.5)]))).toMatch(/gen_ai\.usage\.output_tokens must be a non-negative integer/);
    expect(rejection(spanWith([...MODEL_CALL, int('gen_ai.usage.cache_read.input_tokens', -1)]))).toMatch(/cache_read\.input_tokens must be a non-negative integer/);
    expect(rejection(spanWith([...MODEL_CALL, double('tokenmeter.cost.usd', -0.5)]))).toMatch(/tokenmeter\.cost\.usd must be a non-negative number/);
    expect(rejection(spanWith([...MODEL_CALL, double('tokenmeter.cost.usd', 5e9)]))).toMatch(/not a plausible cost/);
    expect(rejection(spanWith([...MODEL_CALL, text('tokenmeter.time_to_first_token_ms', 'soon')]))).toMatch(/time_to_first_token_ms must be a non-negative number/);
    const arrayModel = { key: 'gen_ai.request.model', value: { arrayValue: { values: [{ stringValue: 'a' }] } } };
    expect(rejection(spanWith([text('gen_ai.operation.name', 'chat'), arrayModel]))).toMatch(/gen_ai\.request\.model must be a string/);
  });

  it('refuses implausible values, each with its reason: token counts, durations, first-token times, rates, costs', () => {
    for (const value of [Number.NaN, -5, 1e300, Number.POSITIVE_INFINITY]) {
      expect(rejection(spanWith([...PRICED_CALL.slice(0, 3), double('gen_ai.usage.input_tokens', value)]))).toMatch(/gen_ai\.usage\.input_tokens must be a non-negative integer/);
    }
    expect(rejection(spanWith([...MODEL_CALL, int('llm.token_count.completion', -1)]))).toMatch(/llm\.token_count\.completion must be a non-negative integer/);
    const startNs = BigInt(Math.floor(START_MS)) * 1_000_000n;
    const lasting = (ms: number) => ({ startTimeUnixNano: String(startNs), endTimeUnixNano: String(startNs + BigInt(ms) * 1_000_000n) });
    expect(rejection(spanWith(PRICED_CALL, lasting(25 * 3_600_000)))).toMatch(/lasts 90000000 ms, more than a day/);
    expect(rejection(spanWith([...PRICED_CALL, int('tokenmeter.time_to_first_token_ms', 900)], lasting(500)))).toMatch(/time_to_first_token_ms of span \w+ \(900 ms\) is longer than the span itself \(500 ms\)/);
    expect(rejection(spanWith([...PRICED_CALL, double('gen_ai.response.time_to_first_chunk', 0.9)], lasting(500)))).toMatch(/time_to_first_chunk .*\(900 ms\)/);
    expect(rejection(spanWith([...PRICED_CALL, double('tokenmeter.time_to_first_token_ms', Number.NaN)]))).toMatch(/must be a non-negative number/);
    expect(rejection(spanWith([...PRICED_CALL, double('tokenmeter.output_tokens_per_s', 5e6)]))).toMatch(/output_tokens_per_s 5000000 is not a plausible rate/);
    expect(rejection(spanWith([...PRICED_CALL, double('gen_ai.usage.cost', 2e9)]))).toMatch(/gen_ai\.usage\.cost 2000000000 is not a plausible cost/);
    expect(rejection(spanWith([...PRICED_CALL, double('llm.cost.total', -1)]))).toMatch(/llm\.cost\.total must be a non-negative number/);
    // A rate computed from a stream's timing that no model reaches is left out, not refused.
    expect(mapped(spanWith([...PRICED_CALL, int('gen_ai.usage.output_tokens', 500_000), int('tokenmeter.time_to_first_token_ms', 499)], lasting(500))).outputTokensPerS).toBeNull();
  });

  it('refuses spans with an overlong attribute key, too many attributes or too much to store', () => {
    expect(rejection(spanWith([...PRICED_CALL, text('k'.repeat(300), 'v')]))).toMatch(/attribute key of 300 characters \(at most 256\)/);
    const many = Array.from({ length: 1100 }, (_, i) => int(`custom.n${i}`, i));
    expect(rejection(spanWith([...PRICED_CALL, ...many]))).toMatch(/1105 attributes \(at most 1024\)/);
    const big = Array.from({ length: 40 }, (_, i) => text(`custom.big${i}`, 'x'.repeat(2000)));
    expect(rejection(spanWith([...PRICED_CALL, ...big]), listed(...big.map(({ key }) => key)))).toMatch(/other attributes take \d+ characters \(at most 65536\)/);
    // Content attributes count for the number of attributes, not for what is stored.
    const content = Array.from({ length: 40 }, (_, i) => text(`llm.input_messages.${i}.message.content`, 'x'.repeat(2000)));
    expect(mapped(spanWith([...PRICED_CALL, ...content])).attributes).toBe('{}');
  });

  it('reads every dialect’s names, the first name of a field in the table winning over later ones', () => {
    const openInference = mapped(
      spanWith([
        text('openinference.span.kind', 'LLM'),
        text('llm.provider', 'azure'),
        text('llm.system', 'openai'),
        text('llm.model_name', 'gpt-4o-mini'),
        int('llm.token_count.prompt', 900),
        int('llm.token_count.completion', 100),
        int('llm.token_count.prompt_details.cache_read', 300),
        text('session.id', 's-1'),
        text('user.id', 'u-1'),
      ]),
    );
    expect(openInference).toMatchObject({ operation: 'chat', provider: 'azure.ai.openai', requestModel: 'gpt-4o-mini', inputTokens: 900, outputTokens: 100, cachedInputTokens: 300, sessionId: 's-1', userId: 'u-1' });
    // gen_ai.provider.name comes before gen_ai.system, whatever the order on the span.
    const both = mapped(spanWith([...MODEL_CALL, text('gen_ai.system', 'az.ai.openai'), text('gen_ai.provider.name', 'openai')]));
    expect(both.provider).toBe('openai');
    expect(mapped(spanWith([...MODEL_CALL, text('gen_ai.system', 'az.ai.openai')])).provider).toBe('azure.ai.openai');
  });

  it('adds the cache tokens of dialects that count them beside the input, and prices cache writes with the catalog', () => {
    const besides = mapped(
      spanWith([
        text('ai.operationId', 'ai.generateText.doGenerate'),
        text('ai.model.provider', 'openai.chat'),
        text('ai.model.id', 'gpt-4o-mini'),
        int('ai.usage.inputTokens', 100),
        int('ai.usage.cachedInputTokens', 900),
        int('ai.usage.outputTokens', 50),
      ]),
    );
    const usage = { inputTokens: 1000, outputTokens: 50, cachedInputTokens: 900, cacheWriteInputTokens: 0, reasoningTokens: 0 };
    expect(besides).toMatchObject({ provider: 'openai', inputTokens: 1000, cachedInputTokens: 900, totalTokens: 1050, costUsd: catalog.price('openai', 'gpt-4o-mini', usage, START_MS)!.costUsd, costSource: 'computed' });
    const writes = mapped(spanWith([...PRICED_CALL, int('gen_ai.usage.cache_write.input_tokens', 4), text('openai.response.service_tier', 'flex')]));
    expect(writes).toMatchObject({ inputTokens: 10, cacheWriteInputTokens: 4, serviceTier: 'flex' });
    expect(writes.costUsd).toBe(catalog.price('openai', 'gpt-4o-mini', { inputTokens: 10, outputTokens: 2, cachedInputTokens: 0, cacheWriteInputTokens: 4, reasoningTokens: 0 }, START_MS, { serviceTier: 'flex' })!.costUsd);
  });

  it('keeps a provider-reported cost beside the computed one, and counts it only when the catalog cannot price the call', () => {
    const priced = mapped(spanWith([...PRICED_CALL, double('gen_ai.usage.cost', 0.5)]));
    expect(priced).toMatchObject({ costSource: 'computed', reportedCostUsd: 0.5 });
    expect(priced.costUsd).not.toBe(0.5);
    const reported = mapped(spanWith([...MODEL_CALL, text('gen_ai.system', 'openrouter'), int('gen_ai.usage.input_tokens', 10), double('gen_ai.usage.cost', 0.0042)]));
    expect(reported).toMatchObject({ costSource: 'reported', costUsd: 0.0042, reportedCostUsd: 0.0042, pricingVersion: null });
    expect(reported.unpricedReason).toBeNull();
    expect(storedAttributes(reported)).toEqual({});
  });

  it('stores a call it cannot price as unpriced with the reason, never as $0', () => {
    const noTokens = mapped(spanWith([...MODEL_CALL, text('gen_ai.provider.name', 'openai'), int('acme.tokens', 100)]), listed('acme.tokens'));
    expect(noTokens).toMatchObject({ costUsd: null, costSource: 'unpriced', inputTokens: 0 });
    expect(noTokens.unpricedReason).toMatch(/^no token counts under any name of the dialect table/);
    expect(storedAttributes(noTokens)).toEqual({ 'acme.tokens': 100 });
    // A failed call without usage was not billed: 0, computed.
    const failed = mapped(spanWith([...MODEL_CALL, text('gen_ai.provider.name', 'openai'), text('error.type', 'timeout')]));
    expect(failed).toMatchObject({ costUsd: 0, costSource: 'computed', status: 'error' });
    const unknownModel = mapped(spanWith([...PRICED_CALL.slice(0, 1), text('gen_ai.request.model', 'ranker-9'), ...PRICED_CALL.slice(2)]));
    expect(unknownModel).toMatchObject({ costUsd: null, costSource: 'unpriced' });
    expect(unknownModel.unpricedReason).toMatch(/^unknown model: no price for openai model ranker-9 in pricing /);
    expect(storedAttributes(unknownModel)).toEqual({});
  });

  it('normalises error types to a class name and streaming flags of every dialect', () => {
    expect(mapped(spanWith([...PRICED_CALL, text('error.type', "<class 'openai.BadRequestError'>")]))).toMatchObject({ status: 'error', errorType: 'BadRequestError' });
    expect(mapped(spanWith([...PRICED_CALL, bool('llm.is_streaming', true)])).streaming).toBe(true);
    expect(mapped(spanWith([...PRICED_CALL, bool('gen_ai.request.stream', true)])).streaming).toBe(true);
    expect(mapped(spanWith([...PRICED_CALL, bool('gen_ai.is_streaming', true)])).streaming).toBe(true);
    expect(mapped(spanWith([...PRICED_CALL, text('llm.invocation_parameters', '{"model":"gpt-4o-mini","stream":true}')])).streaming).toBe(true);
    expect(mapped(spanWith([...PRICED_CALL, double('gen_ai.response.time_to_first_chunk', 0.25)]))).toMatchObject({ streaming: true, timeToFirstTokenMs: 250 });
    const stream = mapped(spanWith([text('ai.operationId', 'ai.streamText.doStream'), text('ai.model.id', 'gpt-4o-mini'), int('ai.usage.outputTokens', 5)]));
    expect(stream).toMatchObject({ operation: 'chat', streaming: true, provider: '_OTHER' });
  });

  it("reads OpenInference's requested model from llm.invocation_parameters: llm.model_name is then the answered one, and a refused call without it is stored", () => {
    const kind = text('openinference.span.kind', 'LLM');
    const parameters = text('llm.invocation_parameters', '{"model": "o4-mini", "temperature": 7}');
    const answered = mapped(spanWith([kind, parameters, text('llm.model_name', 'o4-mini-2025-04-16'), text('llm.system', 'openai'), int('llm.token_count.prompt', 10)]));
    expect(answered).toMatchObject({ requestModel: 'o4-mini', responseModel: 'o4-mini-2025-04-16', streaming: false });
    const refused = mapped(spanWith([kind, parameters, text('llm.system', 'openai')], { status: { code: 2, message: 'BadRequestError: Error code: 400' } }));
    expect(refused).toMatchObject({ requestModel: 'o4-mini', responseModel: null, status: 'error', errorType: '_OTHER', costUsd: 0 });
    // Parameters that are not a JSON object are not read; llm.model_name stands for the requested model.
    const unread = mapped(spanWith([kind, text('llm.invocation_parameters', 'model=o4-mini'), text('llm.model_name', 'o4-mini-2025-04-16')]));
    expect(unread).toMatchObject({ requestModel: 'o4-mini-2025-04-16', responseModel: null });
  });

  it('measures the duration from the span times and never negative', () => {
    const startNs = BigInt(Math.floor(START_MS)) * 1_000_000n;
    expect(mapped(spanWith(MODEL_CALL, { startTimeUnixNano: String(startNs), endTimeUnixNano: String(startNs + 1_500_000n) })).durationMs).toBeCloseTo(1.5, 3);
    expect(mapped(spanWith(MODEL_CALL, { startTimeUnixNano: String(startNs), endTimeUnixNano: String(startNs - 1n) })).durationMs).toBe(0);
  });
});

describe('serviceOf', () => {
  it('names the service of a resource, or unknown_service', () => {
    const request = readProtobufRequest(traceRequestProtobuf({
      resourceSpans: [
        { resource: { attributes: [text('host.name', 'h'), text('service.name', ' billing\u0000 ')] }, scopeSpans: [] },
        { resource: { attributes: [int('service.name', 7)] }, scopeSpans: [] },
        { resource: { attributes: [text('service.name', '')] }, scopeSpans: [] },
        { scopeSpans: [] },
      ],
    }));
    expect([0, 1, 2, 3].map((resource) => serviceOf(request.resourceAttributes(resource)))).toEqual(['billing', '7', 'unknown_service', 'unknown_service']);
  });
});

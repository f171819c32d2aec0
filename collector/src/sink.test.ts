import { gzipSync } from 'node:zlib';
import { PricingCatalog } from '@tokenmeter/conventions';
import { startSink, type RunningSink } from './sink';
import { createTestDatabase, testPool, withClient, type TestDatabase } from '@tokenmeter/test-support';
import { genAiSpanJson, traceRequestJson, traceRequestProtobuf, type CallSpec } from './test-support/genai-spans';
import { traceService } from './otlp/trace-messages';
import { rollupMismatches } from './test-support/ledger-checks';

const TOKEN = 'sink-test-token';
let database: TestDatabase;
let sink: RunningSink;

beforeAll(async () => {
  database = await createTestDatabase('sink');
  sink = await startSink({ databaseUrl: database.url, port: 0, ingestToken: TOKEN, maxBodyBytes: 256 * 1024, storedAttributes: ['custom.note'], log: () => undefined });
});

afterAll(async () => {
  await sink?.close();
  await database?.drop();
});

async function post(body: Buffer | string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${sink.url}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-protobuf', ...headers },
    body,
  });
}

const postProtobuf = (specs: CallSpec[]): Promise<Response> =>
  post(gzipSync(traceRequestProtobuf(traceRequestJson(specs))), { 'content-encoding': 'gzip' });

const query = <T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> =>
  withClient(database.url, async (client) => (await client.query<T>(sql, params)).rows);

async function rowsOfService(service: string): Promise<Record<string, unknown>[]> {
  return query('SELECT * FROM tokenmeter.llm_calls WHERE service = $1 ORDER BY ts', [service]);
}

describe('usage sink', () => {
  it('stores a gzip protobuf batch as ledger rows, prices unpriced spans with the catalog and keeps the rollup equal to the ledger', async () => {
    const startMs = Date.now() - 60_000;
    const specs: CallSpec[] = [
      { service: 'svc-proto', startMs, userId: 'user-1', promptName: 'summarise', inputTokens: 1000, outputTokens: 200, cachedInputTokens: 400 },
      { service: 'svc-proto', startMs: startMs + 1, userId: 'user-2', error: 'timeout', plan: 'free', billingMode: 'byok' },
      { service: 'svc-proto', startMs: startMs + 2, userId: 'user-3', provider: 'acme', requestModel: 'unknown-model-x', responseModel: 'unknown-model-x' },
      { service: 'svc-proto', startMs: startMs + 3, userId: 'user-4', costUsd: 0.5, timeToFirstTokenMs: 250, durationMs: 1250, outputTokens: 500 },
    ];
    const response = await postProtobuf(specs);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-protobuf');
    const decoded = traceService.ExportTraceServiceResponse.decode(new Uint8Array(await response.arrayBuffer())) as {
      partialSuccess?: unknown;
    };
    expect(decoded.partialSuccess ?? null).toBeNull();

    const byUser = new Map((await rowsOfService('svc-proto')).map((row) => [row.user_id, row]));
    expect(byUser.size).toBe(4);
    const rows = ['user-1', 'user-2', 'user-3', 'user-4'].map((user) => byUser.get(user)!);
    const expectedCost = PricingCatalog.load().price('openai', 'gpt-4o-mini-2024-07-18', {
      inputTokens: 1000, outputTokens: 200, cachedInputTokens: 400, reasoningTokens: 0,
    }, new Date(startMs))!;
    expect(rows[0]).toMatchObject({
      provider: 'openai', operation: 'chat', request_model: 'gpt-4o-mini', response_model: 'gpt-4o-mini-2024-07-18',
      user_id: 'user-1', prompt_name: 'summarise', billing_mode: 'system', plan: 'pro', status: 'success',
      input_tokens: '1000', output_tokens: '200', cached_input_tokens: '400', total_tokens: '1200',
      pricing_version: expectedCost.pricingVersion, streaming: false,
    });
    expect(Number(rows[0]!.cost_usd)).toBeCloseTo(expectedCost.costUsd, 9);
    expect(rows[1]).toMatchObject({ status: 'error', error_type: 'timeout', plan: 'free', billing_mode: 'byok' });
    expect(rows[2]).toMatchObject({
      provider: 'acme', cost_usd: null, pricing_version: null,
      unpriced_reason: 'unknown model: no price for acme model unknown-model-x in pricing genai-prices@0.1.8',
    });
    expect(rows[3]).toMatchObject({ cost_usd: '0.5000000000', streaming: true, time_to_first_token_ms: 250 });
    expect(rows[3]!.output_tokens_per_s).toBeCloseTo(500, 2);
    expect(await rollupMismatches(database.url)).toEqual([]);
  });

  it('accepts plain OTLP/JSON and answers in JSON', async () => {
    const body = JSON.stringify(traceRequestJson([{ service: 'svc-json', userId: 'u-json' }]));
    const response = await post(body, { 'content-type': 'application/json' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    expect(await rowsOfService('svc-json')).toHaveLength(1);
  });

  it('stores nothing twice when a batch is delivered again, and leaves the rollup unchanged', async () => {
    const request = traceRequestJson(
      Array.from({ length: 50 }, (_, i) => ({ service: 'svc-dup', userId: `user-${i % 5}`, startMs: Date.now() - 5000 + i })),
    );
    const bytes = gzipSync(traceRequestProtobuf(request));
    expect((await post(bytes, { 'content-encoding': 'gzip' })).status).toBe(200);
    const rollupBefore = await query(`SELECT * FROM tokenmeter.llm_usage_daily WHERE service = 'svc-dup' ORDER BY user_id`);
    expect((await post(bytes, { 'content-encoding': 'gzip' })).status).toBe(200);
    expect(await rowsOfService('svc-dup')).toHaveLength(50);
    expect(await query(`SELECT * FROM tokenmeter.llm_usage_daily WHERE service = 'svc-dup' ORDER BY user_id`)).toEqual(rollupBefore);
    expect(await rollupMismatches(database.url)).toEqual([]);
  });

  it('rejects malformed, empty, oversize and unauthenticated requests with the right 4xx and keeps serving', async () => {
    const valid = traceRequestProtobuf(traceRequestJson([{ service: 'svc-bad' }]));
    const cases: [string, () => Promise<Response>, number, RegExp][] = [
      ['garbage bytes', () => post(Buffer.from('\xff\xfe this is not protobuf \x00\x01', 'latin1')), 400, /malformed protobuf/],
      ['truncated protobuf', () => post(valid.subarray(0, valid.length - 7)), 400, /malformed protobuf/],
      ['JSON of the wrong shape', () => post(JSON.stringify({ resourceSpans: 'nope' }), { 'content-type': 'application/json' }), 400, /wrong JSON shape/],
      ['a JSON array', () => post('[1,2,3]', { 'content-type': 'application/json' }), 400, /wrong JSON shape/],
      ['broken JSON', () => post('{"resourceSpans": [', { 'content-type': 'application/json' }), 400, /malformed JSON/],
      ['an empty body', () => post(''), 400, /empty body/],
      ['a wrong content type', () => post('hello', { 'content-type': 'text/plain' }), 400, /unsupported Content-Type/],
      ['a broken gzip stream', () => post(Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' }), 400, /unreadable body/],
      ['an oversize body', () => post(Buffer.alloc(300 * 1024, 1)), 413, /larger than/],
      ['a gzip bomb over the limit', () => post(gzipSync(Buffer.alloc(2 * 1024 * 1024)), { 'content-encoding': 'gzip' }), 413, /larger than/],
      ['a wrong token', () => post(valid, { authorization: 'Bearer wrong' }), 401, /bearer token/],
      ['no token', () => post(valid, { authorization: '' }), 401, /bearer token/],
    ];
    for (const [name, send, status, message] of cases) {
      const response = await send();
      expect({ name, status: response.status }).toEqual({ name, status });
      expect(((await response.json()) as { message: string }).message).toMatch(message);
    }
    expect((await post(valid)).status).toBe(200);
    expect(await rowsOfService('svc-bad')).toHaveLength(1);
    expect((await fetch(`${sink.url}/healthz`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  it('reports invalid spans as OTLP partial success and stores the valid spans of the same batch', async () => {
    const good = genAiSpanJson({ userId: 'kept' });
    const noModel = genAiSpanJson({});
    (noModel.attributes as { key: string }[]).splice(2, 2); // drop request and response model
    const badTokens = genAiSpanJson({ extra: {} });
    (badTokens.attributes as { key: string; value: unknown }[])[4]!.value = { stringValue: 'many' };
    const badId = { ...genAiSpanJson({}), spanId: 'xyz' };
    const notGenAi = { ...genAiSpanJson({}), attributes: [{ key: 'http.route', value: { stringValue: '/x' } }] };
    const nul = genAiSpanJson({ userId: 'nul\u0000user', extra: { 'custom.note': 'a\u0000b\ud800' } });
    const request = traceRequestJson([], [good, noModel, badTokens, badId, notGenAi, nul]);
    const response = await post(JSON.stringify(request), { 'content-type': 'application/json' });
    expect(response.status).toBe(200);
    const { partialSuccess } = (await response.json()) as { partialSuccess: { rejectedSpans: number; errorMessage: string } };
    expect(partialSuccess.rejectedSpans).toBe(3);
    expect(partialSuccess.errorMessage).toMatch(/3 span\(s\) rejected/);
    expect(partialSuccess.errorMessage).toMatch(/gen_ai\.request\.model/);
    const rows = await rowsOfService('raw-spans');
    expect(rows.map((row) => row.user_id).sort()).toEqual(['kept', 'nuluser']);
    expect(rows.find((row) => row.user_id === 'nuluser')!.attributes).toEqual({ 'custom.note': 'ab\ufffd' });
  });

  it("rejects the model calls of a resource whose service.name is not text, saying so, and stores the other resource's", async () => {
    const request = traceRequestJson([{ service: 'svc-named', userId: 'named' }]) as {
      resourceSpans: { resource: { attributes: unknown[] }; scopeSpans: unknown[] }[];
    };
    request.resourceSpans.push({
      resource: { attributes: [{ key: 'service.name', value: { arrayValue: { values: [{ stringValue: 'a' }] } } }] },
      scopeSpans: structuredClone(request.resourceSpans[0]!.scopeSpans),
    });
    const response = await post(JSON.stringify(request), { 'content-type': 'application/json' });
    expect(response.status).toBe(200);
    const { partialSuccess } = (await response.json()) as { partialSuccess: { rejectedSpans: number; errorMessage: string } };
    expect(partialSuccess.rejectedSpans).toBe(1);
    expect(partialSuccess.errorMessage).toMatch(/resource service\.name must be a string/);
    expect((await rowsOfService('svc-named')).map((row) => row.user_id)).toEqual(['named']);
  });

  it('reports database reachability on /healthz and its own metrics on /metrics', async () => {
    const health = await fetch(`${sink.url}/healthz`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await health.json()).toEqual({ status: 'ok', database: 'up' });
    const metrics = await (await fetch(`${sink.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    for (const name of [
      'tokenmeter_sink_spans_accepted_total', 'tokenmeter_sink_spans_rejected_total', 'tokenmeter_sink_rows_written_total',
      'tokenmeter_sink_batch_duration_seconds_bucket', 'tokenmeter_sink_requests_total', 'tokenmeter_sink_database_up',
    ]) {
      expect(metrics).toContain(name);
    }
  });

  it('answers /healthz and /metrics only with the token, and says up or down without internals', async () => {
    for (const path of ['/healthz', '/metrics']) {
      const missing = await fetch(`${sink.url}${path}`);
      const wrong = await fetch(`${sink.url}${path}`, { headers: { authorization: 'Bearer not-the-token' } });
      expect([path, missing.status, wrong.status]).toEqual([path, 401, 401]);
      expect(await missing.text()).not.toMatch(/tokenmeter_sink_|database/);
    }
    const health = await fetch(`${sink.url}/healthz`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(Object.keys((await health.json()) as object).sort()).toEqual(['database', 'status']);
  });

  it('lists each price it used in model_prices, once, with its source and catalog version', async () => {
    await sink.recordModelPrices();
    const rows = await query<{ model: string; price_source: string; catalog_version: string; first_used_at: Date | null }>(
      `SELECT model, price_source, catalog_version, first_used_at FROM tokenmeter.model_prices WHERE provider = 'openai' AND model = 'gpt-4o-mini'`);
    expect(rows).toEqual([
      { model: 'gpt-4o-mini', price_source: 'catalog', catalog_version: PricingCatalog.load().version, first_used_at: expect.any(Date) },
    ]);
  });

  it('drops whole daily partitions past retention and keeps the rollup', async () => {
    const dayMs = 24 * 60 * 60 * 1000;
    expect((await postProtobuf([{ service: 'svc-old', startMs: Date.now() - 20 * dayMs }])).status).toBe(200);
    const rollupCalls = async () =>
      (await query<{ calls: string }>(`SELECT sum(calls)::text AS calls FROM tokenmeter.llm_usage_daily WHERE service = 'svc-old'`))[0]!.calls;
    expect(await rollupCalls()).toBe('1');
    const { dropExpiredPartitions } = await import('./db/retention');
    const pool = testPool(database.url, 10);
    try {
      const dropped = await dropExpiredPartitions(pool, 10);
      expect(dropped).toHaveLength(1);
      expect(dropped[0]).toMatch(/^llm_calls_p\d{8}$/);
    } finally {
      await pool.end();
    }
    expect(await rowsOfService('svc-old')).toHaveLength(0);
    expect(await rollupCalls()).toBe('1');
    // The sink keeps writing after retention dropped partitions.
    expect((await postProtobuf([{ service: 'svc-new' }])).status).toBe(200);
    expect(await rowsOfService('svc-new')).toHaveLength(1);
  });
});

import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { request } from 'node:http';
import { traceService } from '../otlp/trace-messages';
import { startSink, type RunningSink } from '../sink';
import { rollupMismatches } from '../test-support/ledger-checks';
import { genAiSpanJson, traceRequestJson, traceRequestProtobuf } from '../test-support/genai-spans';
import { createTestDatabase, withClient, type TestDatabase } from '@tokenmeter/test-support';
import { deepKvlistJsonText, protobufWithDeepAttribute } from '../test-support/hostile-spans';

const TOKEN = 'hostile-token';
let database: TestDatabase;
let sink: RunningSink;
const logged: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase('hostile');
  sink = await startSink({
    databaseUrl: database.url,
    port: 0,
    ingestToken: TOKEN,
    maxBodyBytes: 1024 * 1024,
    // `deep` is stored (allow-listed), so a value nested too deep is a problem of that span.
    storedAttributes: ['deep'],
    log: (m) => logged.push(m),
  });
});

afterAll(async () => {
  await sink?.close();
  await database?.drop();
});

const post = (body: Buffer | string, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${sink.url}/v1/traces`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/x-protobuf',
      ...headers,
    },
    body,
  });

const usersOf = async (service: string): Promise<string[]> =>
  withClient(database.url, async (client) =>
    (
      await client.query<{ user_id: string }>(
        'SELECT user_id FROM tokenmeter.llm_calls WHERE service = $1 ORDER BY user_id',
        [service],
      )
    ).rows.map((r) => r.user_id),
  );

async function partialSuccess(
  response: Response,
): Promise<{ rejectedSpans: number; errorMessage: string }> {
  expect(response.status).toBe(200);
  if (response.headers.get('content-type')?.includes('json')) {
    return (
      (await response.json()) as { partialSuccess: { rejectedSpans: number; errorMessage: string } }
    ).partialSuccess;
  }
  const decoded = traceService.ExportTraceServiceResponse.decode(
    new Uint8Array(await response.arrayBuffer()),
  ) as {
    partialSuccess: { rejectedSpans: number; errorMessage: string };
  };
  return {
    rejectedSpans: Number(decoded.partialSuccess.rejectedSpans),
    errorMessage: decoded.partialSuccess.errorMessage,
  };
}

async function rejectedByReason(): Promise<Record<string, number>> {
  const text = await (await fetch(`${sink.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
  const counts: Record<string, number> = {};
  for (const [, reason, value] of text.matchAll(
    /^tokenmeter_sink_spans_rejected_total\{reason="(\w+)"\} (\d+)$/gm,
  ))
    counts[reason!] = Number(value);
  return counts;
}

describe('a bad span is rejected alone, the rest of its request stored', () => {
  it('rejects spans whose times are not numbers, end before they start or are missing, saying so, and stores the others', async () => {
    const spans = [
      genAiSpanJson({ userId: 'good-1' }),
      { ...genAiSpanJson({ userId: 'nan-start' }), startTimeUnixNano: 'not-a-time' },
      { ...genAiSpanJson({ userId: 'ends-first' }), endTimeUnixNano: '1000' },
      {
        ...genAiSpanJson({ userId: 'no-times' }),
        startTimeUnixNano: undefined,
        endTimeUnixNano: undefined,
      },
      genAiSpanJson({ userId: 'good-2' }),
    ];
    const json = traceRequestJson([], spans);
    const response = await post(JSON.stringify(json), { 'content-type': 'application/json' });
    const partial = await partialSuccess(response);
    expect(partial.rejectedSpans).toBe(3);
    expect(partial.errorMessage).toMatch(/no usable start time/);
    expect(partial.errorMessage).toMatch(/ends before it starts/);
    expect(await usersOf('raw-spans')).toEqual(['good-1', 'good-2']);
    expect((await rejectedByReason()).invalid_time).toBe(3);
  });

  it('rejects a span with a kvlist attribute nested 3,000 deep (protobuf) and stores the others of the request', async () => {
    const { body } = protobufWithDeepAttribute('deep-proto', 4, 3000);
    const partial = await partialSuccess(
      await post(gzipSync(body), { 'content-encoding': 'gzip' }),
    );
    expect(partial).toEqual({
      rejectedSpans: 1,
      errorMessage: '1 span(s) rejected: attribute nested deeper than 32 levels',
    });
    expect(await usersOf('deep-proto')).toEqual(['valid-0', 'valid-1', 'valid-2', 'valid-3']);
    expect((await rejectedByReason()).invalid_attribute).toBe(1);
  });

  it('does the same for OTLP/JSON', async () => {
    const valid = JSON.stringify(genAiSpanJson({ userId: 'json-valid' }));
    const deep = JSON.stringify(
      genAiSpanJson({ userId: 'json-deep', extra: { deep: 'DEEP' } }),
    ).replace('{"stringValue":"DEEP"}', deepKvlistJsonText(3000));
    const body = `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"deep-json"}}]},"scopeSpans":[{"spans":[${valid},${deep}]}]}]}`;
    const partial = await partialSuccess(await post(body, { 'content-type': 'application/json' }));
    expect(partial.rejectedSpans).toBe(1);
    expect(await usersOf('deep-json')).toEqual(['json-valid']);
  });

  it('rejects the spans of a resource whose service.name is nested too deep, and stores the other resource', async () => {
    const deepResource = `{"resource":{"attributes":[{"key":"service.name","value":${deepKvlistJsonText(100)}}]},"scopeSpans":[{"spans":[${JSON.stringify(genAiSpanJson({}))}]}]}`;
    const good = JSON.stringify(
      traceRequestJson([{ service: 'beside-deep', userId: 'kept' }]),
    ).slice('{"resourceSpans":['.length, -2);
    const partial = await partialSuccess(
      await post(`{"resourceSpans":[${deepResource},${good}]}`, {
        'content-type': 'application/json',
      }),
    );
    expect(partial).toEqual({
      rejectedSpans: 1,
      errorMessage: '1 span(s) rejected: resource attribute nested deeper than 32 levels',
    });
    expect(await usersOf('beside-deep')).toEqual(['kept']);
  });
});

describe('hostile bodies get a 4xx or 503, never a 500, and the sink keeps serving', () => {
  const valid = traceRequestProtobuf(traceRequestJson([{ service: 'after-hostile', userId: 'u' }]));

  it('answers each with the status that says why', async () => {
    const bomb = Buffer.alloc(64 * 1024 * 1024);
    const cases: [string, () => Promise<Response>, number][] = [
      ['a deflate bomb', () => post(deflateSync(bomb), { 'content-encoding': 'deflate' }), 413],
      ['a brotli bomb', () => post(brotliCompressSync(bomb), { 'content-encoding': 'br' }), 413],
      ['an unknown Content-Encoding', () => post(valid, { 'content-encoding': 'zstd' }), 415],
      ['gzip declared, plain bytes sent', () => post(valid, { 'content-encoding': 'gzip' }), 400],
      ['protobuf of unknown fields only', () => post(Buffer.from([0x7a, 0x02, 0x01, 0x02])), 400],
      [
        'a length prefix past the end',
        () => post(Buffer.from([0x0a, 0xff, 0xff, 0x03, 0x01])),
        400,
      ],
      [
        'JSON nested 100,000 deep',
        () =>
          post(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, {
            'content-type': 'application/json',
          }),
        400,
      ],
      [
        'a JSON string for a span list',
        () =>
          post('{"resourceSpans":[{"scopeSpans":[{"spans":"x"}]}]}', {
            'content-type': 'application/json',
          }),
        400,
      ],
    ];
    for (const [name, send, status] of cases) {
      const response = await send();
      expect({ name, status: response.status }).toEqual({ name, status });
      expect(((await response.json()) as { message: string }).message.length).toBeGreaterThan(0);
    }
    expect((await post(valid)).status).toBe(200);
    expect(await usersOf('after-hostile')).toEqual(['u']);
    expect(logged.filter((line) => /internal error/.test(line))).toEqual([]);
  });

  it('reads deflate, brotli and chunked bodies as well as gzip', async () => {
    const body = (service: string): Buffer =>
      traceRequestProtobuf(traceRequestJson([{ service, userId: 'u' }]));
    expect(
      (await post(deflateSync(body('via-deflate')), { 'content-encoding': 'deflate' })).status,
    ).toBe(200);
    expect(
      (await post(brotliCompressSync(body('via-brotli')), { 'content-encoding': 'br' })).status,
    ).toBe(200);
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(`${sink.url}/v1/traces`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${TOKEN}`,
          'content-type': 'application/x-protobuf',
          'content-encoding': 'gzip',
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      const bytes = gzipSync(body('via-chunks'));
      req.write(bytes.subarray(0, 10));
      req.end(bytes.subarray(10));
    });
    expect(chunked).toBe(200);
    for (const service of ['via-deflate', 'via-brotli', 'via-chunks'])
      expect(await usersOf(service)).toEqual(['u']);
  });

  it('survives a client that declares a longer body than it sends and hangs up', async () => {
    await new Promise<void>((resolve) => {
      const req = request(`${sink.url}/v1/traces`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${TOKEN}`,
          'content-type': 'application/x-protobuf',
          'content-length': 100_000,
        },
      });
      req.on('error', () => resolve());
      req.write(valid.subarray(0, 10), () => setTimeout(() => req.destroy(), 100));
    });
    expect((await fetch(`${sink.url}/healthz`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await post(valid)).status).toBe(200);
    expect(await rollupMismatches(database.url)).toEqual([]);
  });
});

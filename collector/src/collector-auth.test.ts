import { SpanKind } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { Metadata } from '@grpc/grpc-js';
import { startSink, type RunningSink } from './sink';
import { traceRequestJson, traceRequestProtobuf } from './test-support/genai-spans';
import {
  createTestDatabase,
  freePort,
  genAiAttributes,
  otelcolBinary,
  startCollector,
  waitFor,
  withClient,
  type RunningCollector,
  type TestDatabase,
} from '@tokenmeter/test-support';

// Authenticated ingest through the real Collector (otelcol.yaml, bearertokenauth): services need
// the OTLP token on both receivers, and the Collector needs the sink's token to deliver.

const OTLP_TOKEN = 'otlp-token-of-the-services';
const SINK_TOKEN = 'token-of-the-sink';
let database: TestDatabase;
let sink: RunningSink;
let collector: RunningCollector;

const ports = async () => ({
  otlpGrpc: await freePort(),
  otlpHttp: await freePort(),
  prometheusExporter: await freePort(),
  telemetry: await freePort(),
});

const storedFor = (service: string): Promise<number> =>
  withClient(database.url, async (client) =>
    Number((await client.query('SELECT count(*) FROM tokenmeter.llm_calls WHERE service = $1', [service])).rows[0].count),
  );

const postHttp = (service: string, authorization?: string): Promise<Response> =>
  fetch(`${collector.otlpHttpUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', ...(authorization ? { authorization } : {}) },
    body: traceRequestProtobuf(traceRequestJson([{ service }])),
  });

/** One model-call span of `service`, as the SDK hands it to an exporter. */
function modelCallSpan(service: string): ReadableSpan {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  provider
    .getTracer('auth-test')
    .startSpan('chat gpt-4o-mini', { kind: SpanKind.CLIENT, attributes: Object.fromEntries(genAiAttributes({ inputTokens: 100, outputTokens: 10 })) })
    .end();
  return memory.getFinishedSpans()[0]!;
}

async function exportGrpc(service: string, authorization?: string): Promise<ExportResult> {
  const metadata = new Metadata();
  if (authorization) metadata.set('authorization', authorization);
  const exporter = new GrpcTraceExporter({ url: `http://127.0.0.1:${collectorGrpcPort}`, metadata });
  try {
    return await new Promise<ExportResult>((resolve) => exporter.export([modelCallSpan(service)], resolve));
  } finally {
    await exporter.shutdown();
  }
}

let collectorGrpcPort: number;

beforeAll(async () => {
  database = await createTestDatabase('collector_auth');
  sink = await startSink({ databaseUrl: database.url, port: 0, ingestToken: SINK_TOKEN, log: () => undefined });
  const collectorPorts = await ports();
  collectorGrpcPort = collectorPorts.otlpGrpc;
  collector = await startCollector({ binary: otelcolBinary(), ports: collectorPorts, sinkUrl: sink.url, ingestToken: SINK_TOKEN, otlpToken: OTLP_TOKEN });
}, 60_000);

afterAll(async () => {
  await collector?.process.stop();
  await sink?.close();
  await database?.drop();
});

it('OTLP/HTTP: refuses a missing or wrong token with 401 and delivers with the right one', async () => {
  expect((await postHttp('auth-http-missing')).status).toBe(401);
  expect((await postHttp('auth-http-wrong', 'Bearer not-the-token')).status).toBe(401);
  expect((await postHttp('auth-http-scheme', OTLP_TOKEN)).status).toBe(401);
  expect((await postHttp('auth-http-right', `Bearer ${OTLP_TOKEN}`)).status).toBe(200);
  await waitFor('the authenticated call in the ledger', async () => ((await storedFor('auth-http-right')) === 1 ? true : undefined), 30_000);
  expect([await storedFor('auth-http-missing'), await storedFor('auth-http-wrong'), await storedFor('auth-http-scheme')]).toEqual([0, 0, 0]);
});

it('OTLP/gRPC: refuses a missing or wrong token (UNAUTHENTICATED) and delivers with the right one', async () => {
  const missing = await exportGrpc('auth-grpc-missing');
  const wrong = await exportGrpc('auth-grpc-wrong', 'Bearer not-the-token');
  expect([missing.code, wrong.code]).toEqual([ExportResultCode.FAILED, ExportResultCode.FAILED]);
  expect(String(wrong.error)).toMatch(/UNAUTHENTICATED|16/);
  expect((await exportGrpc('auth-grpc-right', `Bearer ${OTLP_TOKEN}`)).code).toBe(ExportResultCode.SUCCESS);
  await waitFor('the authenticated call in the ledger', async () => ((await storedFor('auth-grpc-right')) === 1 ? true : undefined), 30_000);
  expect([await storedFor('auth-grpc-missing'), await storedFor('auth-grpc-wrong')]).toEqual([0, 0]);
});

it('a Collector with the wrong sink token delivers nothing: the sink answers 401', async () => {
  const misconfigured = await startCollector({ binary: otelcolBinary(), ports: await ports(), sinkUrl: sink.url, ingestToken: 'not-the-sink-token', otlpToken: OTLP_TOKEN });
  try {
    const response = await fetch(`${misconfigured.otlpHttpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', authorization: `Bearer ${OTLP_TOKEN}` },
      body: traceRequestProtobuf(traceRequestJson([{ service: 'auth-wrong-sink-token' }])),
    });
    expect(response.status).toBe(200); // the Collector accepted it; its export to the sink fails
    const refused = await waitFor(
      'the sink to refuse the export',
      async () => {
        const metrics = await (await fetch(`${sink.url}/metrics`, { headers: { authorization: `Bearer ${SINK_TOKEN}` } })).text();
        return /^tokenmeter_sink_requests_total\{code="401"\} [1-9]/m.test(metrics) ? true : undefined;
      },
      30_000,
    );
    expect(refused).toBe(true);
    expect(await storedFor('auth-wrong-sink-token')).toBe(0);
  } finally {
    await misconfigured.process.stop();
  }
});

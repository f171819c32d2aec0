// Test fixtures: an own database on the test PostgreSQL server, filled through the real path
// (OTLP spans → usage sink → ledger).
import { randomBytes } from 'node:crypto';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Client } from 'pg';

export function testServerUrl(): string {
  const url = process.env.TOKENMETER_TEST_DATABASE_URL;
  if (!url) {
    throw new Error(
      'TOKENMETER_TEST_DATABASE_URL is not set: these tests need a PostgreSQL server. Run them through `npm test` (scripts/test.sh), which provides it.',
    );
  }
  return url;
}

async function onServer(sql: string): Promise<void> {
  const client = new Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `tm_cli_${label}_${randomBytes(4).toString('hex')}`;
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(testServerUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

export interface FixtureCall {
  at: Date;
  model: string;
  userId: string;
  prompt: string;
  plan: 'free' | 'pro';
  billingMode: 'system' | 'byok';
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  costUsd: number;
  error?: string;
}

/** Sends the calls as GenAI spans to the sink at `sinkUrl` and waits until it has them. */
export async function sendCalls(sinkUrl: string, calls: FixtureCall[]): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'cli-test-service' }),
    spanProcessors: [
      new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${sinkUrl}/v1/traces` })),
    ],
  });
  const tracer = provider.getTracer('cli-test');
  for (const call of calls) {
    const span = tracer.startSpan(`chat ${call.model}`, {
      kind: SpanKind.CLIENT,
      startTime: call.at,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': call.model,
        'gen_ai.usage.input_tokens': call.inputTokens,
        'gen_ai.usage.output_tokens': call.outputTokens,
        'gen_ai.usage.cache_read.input_tokens': call.cachedInputTokens ?? 0,
        'enduser.id': call.userId,
        'tokenmeter.prompt.name': call.prompt,
        'tokenmeter.plan': call.plan,
        'tokenmeter.billing.mode': call.billingMode,
        'tokenmeter.cost.usd': call.costUsd,
        ...(call.error ? { 'error.type': call.error } : {}),
      },
    });
    if (call.error) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end(new Date(call.at.getTime() + 1200));
  }
  await provider.forceFlush();
  await provider.shutdown();
}

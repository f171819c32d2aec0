// Test fixtures: calls sent through the real path (OTLP spans → usage sink → ledger).
import { startSink } from '@tokenmeter/collector';
import { createTestDatabase, sdkTracer } from '@tokenmeter/test-support';

export interface FixtureCall {
  at: Date;
  /** The calling service (`service.name`); 'cli-test-service' when omitted. */
  service?: string;
  model: string;
  userId: string;
  prompt: string;
  plan: 'free' | 'pro';
  billingMode: 'system' | 'byok';
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  /** Omitted: the sink prices the call itself (or leaves it unpriced). */
  costUsd?: number;
  error?: string;
}

const DEFAULT_SERVICE = 'cli-test-service';

/** Sends the calls as GenAI spans to the sink at `sinkUrl` and waits until it has them. */
export async function sendCalls(sinkUrl: string, calls: FixtureCall[]): Promise<void> {
  const services = [...new Set(calls.map((call) => call.service ?? DEFAULT_SERVICE))];
  for (const service of services) {
    const tracer = sdkTracer(sinkUrl, service);
    for (const call of calls.filter((c) => (c.service ?? DEFAULT_SERVICE) === service)) {
      tracer.recordCall({
        startMs: call.at.getTime(),
        durationMs: 1200,
        requestModel: call.model,
        responseModel: call.model,
        inputTokens: call.inputTokens,
        outputTokens: call.outputTokens,
        cachedInputTokens: call.cachedInputTokens ?? 0,
        userId: call.userId,
        promptName: call.prompt,
        plan: call.plan,
        billingMode: call.billingMode,
        costUsd: call.costUsd,
        error: call.error,
      });
    }
    await tracer.flush();
    await tracer.shutdown();
  }
}

export interface FixtureLedger {
  /** The ledger database's URL, for the report. */
  url: string;
  /** Stops the sink and drops the database. */
  close(): Promise<void>;
}

/** A fresh test database filled with `calls` through the real usage sink (migrations included). */
export async function ledgerOf(name: string, calls: FixtureCall[]): Promise<FixtureLedger> {
  const database = await createTestDatabase(name);
  const usageSink = await startSink({
    databaseUrl: database.url,
    port: 0,
    log: () => undefined,
    processMetrics: false,
  });
  try {
    if (calls.length > 0) await sendCalls(usageSink.url, calls);
  } finally {
    await usageSink.close();
  }
  return { url: database.url, close: () => database.drop() };
}

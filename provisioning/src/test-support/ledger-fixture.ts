import type { Client } from 'pg';

/** One model call as a ledger row (the columns the catalog reads). */
export interface FixtureCall {
  ts: Date;
  service: string;
  userId: string | null;
  promptName: string | null;
  provider: string;
  model: string;
  billingMode: 'system' | 'byok';
  plan: 'free' | 'pro';
  status: 'success' | 'error';
  errorType?: string;
  operation?: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  reasoningTokens?: number;
  /** null = unpriced model. */
  costUsd: string | null;
  durationMs: number;
}

/** Creates the daily partitions the calls need and inserts them into tokenmeter.llm_calls. */
export async function insertCalls(client: Client, calls: FixtureCall[]): Promise<void> {
  const days = new Set(calls.map((call) => call.ts.toISOString().slice(0, 10)));
  for (const day of days)
    await client.query('SELECT tokenmeter.ensure_llm_calls_partition($1::date)', [day]);
  let n = 0;
  for (const call of calls) {
    n += 1;
    await client.query(
      `INSERT INTO tokenmeter.llm_calls (ts, duration_ms, trace_id, span_id, service, provider, operation, request_model,
         response_model, prompt_name, user_id, billing_mode, plan, status, error_type, input_tokens, output_tokens,
         cached_input_tokens, reasoning_tokens, total_tokens, cost_usd, pricing_version, unpriced_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $15::bigint + $16::bigint, $19,
         CASE WHEN $19::numeric IS NULL THEN NULL ELSE 'test' END,
         CASE WHEN $19::numeric IS NULL THEN 'unknown model: no price in the test catalog' END)`,
      [
        call.ts,
        call.durationMs,
        `trace${n}`.padEnd(32, '0'),
        `span${n}`.padEnd(16, '0'),
        call.service,
        call.provider,
        call.operation ?? 'chat',
        call.model,
        call.promptName,
        call.userId,
        call.billingMode,
        call.plan,
        call.status,
        call.errorType ?? null,
        call.inputTokens,
        call.outputTokens,
        call.cachedInputTokens ?? 0,
        call.reasoningTokens ?? 0,
        call.costUsd,
      ],
    );
  }
}

import type { Client } from 'pg';
import { ROLLUPS } from '@tokenmeter/conventions';
import { rebuildRollups, storedIn } from '@tokenmeter/collector';

// A realistic synthetic ledger for the query benchmark, generated inside PostgreSQL: usage skewed
// towards heavy users, each user on a few prompts, each prompt on one model and service.

const MODELS = [
  ['openai', 'gpt-4o', 2.5, 10],
  ['openai', 'gpt-4o-mini', 0.15, 0.6],
  ['anthropic', 'claude-sonnet-4', 3, 15],
  ['anthropic', 'claude-haiku-4', 0.8, 4],
  ['gcp.gemini', 'gemini-2.5-flash', 0.3, 2.5],
  ['meta', 'local-llama', 0, 0],
] as const;

const sqlArray = (values: readonly (string | number)[]): string =>
  `ARRAY[${values.map((v) => (typeof v === 'number' ? String(v) : `'${v}'`)).join(', ')}]`;

export interface LedgerShape {
  rows: number;
  days: number;
  users: number;
}

/** Inserts `rows` calls spread over the last `days` days and `users` users, then builds the rollup. */
export async function generateLedger(client: Client, shape: LedgerShape): Promise<void> {
  await client.query(
    `SELECT tokenmeter.ensure_llm_calls_partition(d::date)
     FROM generate_series((now() AT TIME ZONE 'UTC')::date - $1::int, (now() AT TIME ZONE 'UTC')::date, interval '1 day') AS d`,
    [shape.days],
  );
  // Time slices in order, each sorted by time: rows land as the sink writes them (in time order),
  // so each day's partition and the rollup are laid out by day as in production.
  const batches = 30;
  const perBatch = Math.ceil(shape.rows / batches);
  for (let batch = 0; batch < batches; batch++) {
    const first = batch * perBatch + 1;
    const last = Math.min(shape.rows, first + perBatch - 1);
    await client.query(
      `
      INSERT INTO tokenmeter.llm_calls (ts, duration_ms, trace_id, span_id, service, provider, operation, request_model,
        response_model, prompt_name, user_id, billing_mode, plan, status, error_type, input_tokens, output_tokens,
        cached_input_tokens, reasoning_tokens, total_tokens, cost_usd, pricing_version)
      SELECT ts, 200 + random() * 4800, md5(g::text), left(md5((g::bigint * 7919)::text), 16),
        (ARRAY['api', 'worker', 'batch'])[p % 3 + 1], (${sqlArray(MODELS.map((m) => m[0]))})[p % 6 + 1], 'chat',
        (${sqlArray(MODELS.map((m) => m[1]))})[p % 6 + 1], (${sqlArray(MODELS.map((m) => m[1]))})[p % 6 + 1],
        'prompt-' || p, 'user-' || lpad(u::text, 5, '0'),
        CASE WHEN u % 10 = 0 THEN 'byok' ELSE 'system' END, CASE WHEN u % 5 = 0 THEN 'free' ELSE 'pro' END,
        CASE WHEN e THEN 'error' ELSE 'success' END, CASE WHEN e THEN 'timeout' END,
        input, output, cached, 0, input + output,
        CASE WHEN p % 6 = 5 THEN NULL
          ELSE round(((input * (${sqlArray(MODELS.map((m) => m[2]))})[p % 6 + 1]
            + output * (${sqlArray(MODELS.map((m) => m[3]))})[p % 6 + 1]) / 1e6)::numeric, 10) END,
        'bench'
      FROM (
        SELECT g, now() - make_interval(days => $1) + (($5::float8 + random()) / $6) * make_interval(days => $1) AS ts,
          u, (u % 20 + floor(random() * 3)::int) % 20 AS p,
          random() < 0.02 AS e, input, floor(random() * 1000)::int + 20 AS output,
          CASE WHEN random() < 0.3 THEN input / 2 ELSE 0 END AS cached
        FROM (
          SELECT g, floor($2 * power(random(), 2))::int AS u, floor(random() * 4000)::int + 100 AS input
          FROM generate_series($3::int, $4::int) AS g
        ) AS draw
      ) AS calls
      ORDER BY ts`,
      [shape.days, shape.users, first, last, batch, batches],
    );
  }
  // As after the sink's last day closing: every day before today folded in, today still open.
  await rebuildRollups(client, new Date().toISOString().slice(0, 10));
  await client.query('VACUUM ANALYZE tokenmeter.llm_calls');
  for (const rollup of ROLLUPS) await client.query(`VACUUM ANALYZE ${storedIn(rollup)}`);
}

import { withClient } from './test-database';

const query = (databaseUrl: string, sql: string): Promise<unknown[]> =>
  withClient(databaseUrl, async (client) => (await client.query(sql)).rows);

/** The rollup recomputed from the ledger, next to the maintained one: they must be equal. */
export async function rollupMismatches(databaseUrl: string): Promise<unknown[]> {
  const dimensions = 'day, service, user_id, prompt_name, provider, model, billing_mode, plan, status';
  const measures = 'calls, errors, input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, total_tokens, cost_usd, unpriced_calls';
  return query(databaseUrl, `
    WITH expected AS (
      SELECT (ts AT TIME ZONE 'UTC')::date AS day, service, user_id, prompt_name, provider, request_model AS model,
        billing_mode, plan, status, count(*) AS calls, count(*) FILTER (WHERE status = 'error') AS errors,
        sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
        sum(cached_input_tokens) AS cached_input_tokens, sum(reasoning_tokens) AS reasoning_tokens,
        sum(total_tokens) AS total_tokens, coalesce(sum(cost_usd), 0) AS cost_usd,
        count(*) FILTER (WHERE cost_usd IS NULL) AS unpriced_calls
      FROM tokenmeter.llm_calls GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9),
    actual AS (SELECT ${dimensions}, ${measures} FROM tokenmeter.llm_usage_daily
      WHERE day >= (SELECT coalesce(min(day), current_date) FROM expected))
    (SELECT 'missing from rollup' AS problem, * FROM (SELECT * FROM expected EXCEPT SELECT * FROM actual) m)
    UNION ALL
    (SELECT 'not in ledger' AS problem, * FROM (SELECT * FROM actual EXCEPT SELECT * FROM expected) n)`);
}

-- Up Migration
-- All-time and per-month figures: every dimension but the user, per UTC month, maintained by the sink
-- in the same statement as the other rollups (a year of history is twelve months of rows, not
-- thousands of hours).
CREATE TABLE tokenmeter.llm_usage_monthly (
  month date NOT NULL,
  service text NOT NULL,
  prompt_name text,
  provider text NOT NULL,
  model text NOT NULL,
  billing_mode text NOT NULL,
  plan text NOT NULL,
  status text NOT NULL,
  calls bigint NOT NULL DEFAULT 0,
  errors bigint NOT NULL DEFAULT 0,
  input_tokens bigint NOT NULL DEFAULT 0,
  output_tokens bigint NOT NULL DEFAULT 0,
  cached_input_tokens bigint NOT NULL DEFAULT 0,
  reasoning_tokens bigint NOT NULL DEFAULT 0,
  total_tokens bigint NOT NULL DEFAULT 0,
  cost_usd numeric(20, 10) NOT NULL DEFAULT 0,
  unpriced_calls bigint NOT NULL DEFAULT 0,
  duration_ms_sum double precision NOT NULL DEFAULT 0,
  duration_ms_max double precision NOT NULL DEFAULT 0,
  CONSTRAINT llm_usage_monthly_dimensions UNIQUE NULLS NOT DISTINCT
    (month, service, prompt_name, provider, model, billing_mode, plan, status)
) WITH (fillfactor = 70);

-- Existing data, from the hourly rollup (which already holds the days retention dropped).
INSERT INTO tokenmeter.llm_usage_monthly (month, service, prompt_name, provider, model, billing_mode, plan, status,
  calls, errors, input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, total_tokens, cost_usd,
  unpriced_calls, duration_ms_sum, duration_ms_max)
SELECT date_trunc('month', hour AT TIME ZONE 'UTC')::date, service, prompt_name, provider, model, billing_mode, plan,
  status, sum(calls), sum(errors), sum(input_tokens), sum(output_tokens), sum(cached_input_tokens),
  sum(reasoning_tokens), sum(total_tokens), sum(cost_usd), sum(unpriced_calls), sum(duration_ms_sum),
  max(duration_ms_max)
FROM tokenmeter.llm_usage_hourly
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

-- Down Migration
DROP TABLE tokenmeter.llm_usage_monthly;

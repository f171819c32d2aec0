-- Up Migration
-- All-time and per-month figures: llm_usage_hourly's columns per UTC month, maintained by the sink
-- in the same statement as the other rollups (a year of history is twelve months of rows, not
-- thousands of hours).
CREATE TABLE tokenmeter.llm_usage_monthly (LIKE tokenmeter.llm_usage_hourly INCLUDING DEFAULTS)
  WITH (fillfactor = 70);
ALTER TABLE tokenmeter.llm_usage_monthly RENAME COLUMN hour TO month;
ALTER TABLE tokenmeter.llm_usage_monthly ALTER COLUMN month TYPE date;
ALTER TABLE tokenmeter.llm_usage_monthly ADD CONSTRAINT llm_usage_monthly_dimensions UNIQUE NULLS NOT DISTINCT
  (month, service, prompt_name, provider, model, billing_mode, plan, status);

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

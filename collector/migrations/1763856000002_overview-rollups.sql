-- Up Migration
-- Two narrower rollups, maintained by the sink in the same statement as llm_usage_daily, so that
-- dashboard figures over weeks read thousands of rows instead of the per-user daily rollup's
-- hundreds of thousands:
--   llm_usage_hourly      every dimension but the user, per UTC hour (period totals, model mix,
--                         prompts, daily charts; a period's partial edges are at most an hour of
--                         ledger rows)
--   llm_usage_daily_users per UTC day, user, billing mode and plan (active users, top users, quotas)
CREATE TABLE tokenmeter.llm_usage_hourly (
  hour timestamptz NOT NULL,
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
  CONSTRAINT llm_usage_hourly_dimensions UNIQUE NULLS NOT DISTINCT
    (hour, service, prompt_name, provider, model, billing_mode, plan, status)
) WITH (fillfactor = 70);

CREATE TABLE tokenmeter.llm_usage_daily_users (
  day date NOT NULL,
  user_id text,
  billing_mode text NOT NULL,
  plan text NOT NULL,
  calls bigint NOT NULL DEFAULT 0,
  total_tokens bigint NOT NULL DEFAULT 0,
  cost_usd numeric(20, 10) NOT NULL DEFAULT 0,
  CONSTRAINT llm_usage_daily_users_dimensions UNIQUE NULLS NOT DISTINCT (day, user_id, billing_mode, plan)
) WITH (fillfactor = 70);

-- Existing data: hours from the ledger; days whose ledger partitions retention already dropped keep
-- their totals from llm_usage_daily, at the day's first hour.
INSERT INTO tokenmeter.llm_usage_hourly (hour, service, prompt_name, provider, model, billing_mode, plan, status,
  calls, errors, input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, total_tokens, cost_usd,
  unpriced_calls, duration_ms_sum, duration_ms_max)
SELECT date_trunc('hour', ts, 'UTC'), service, prompt_name, provider, request_model, billing_mode, plan, status,
  count(*), count(*) FILTER (WHERE status = 'error'), sum(input_tokens), sum(output_tokens),
  sum(cached_input_tokens), sum(reasoning_tokens), sum(total_tokens), coalesce(sum(cost_usd), 0),
  count(*) FILTER (WHERE cost_usd IS NULL), sum(duration_ms), max(duration_ms)
FROM tokenmeter.llm_calls
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

INSERT INTO tokenmeter.llm_usage_hourly (hour, service, prompt_name, provider, model, billing_mode, plan, status,
  calls, errors, input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, total_tokens, cost_usd,
  unpriced_calls, duration_ms_sum, duration_ms_max)
SELECT day::timestamp AT TIME ZONE 'UTC', service, prompt_name, provider, model, billing_mode, plan, status,
  sum(calls), sum(errors), sum(input_tokens), sum(output_tokens), sum(cached_input_tokens), sum(reasoning_tokens),
  sum(total_tokens), sum(cost_usd), sum(unpriced_calls), sum(duration_ms_sum), max(duration_ms_max)
FROM tokenmeter.llm_usage_daily AS d
WHERE NOT EXISTS (
  SELECT 1 FROM tokenmeter.llm_calls
  WHERE ts >= d.day::timestamp AT TIME ZONE 'UTC' AND ts < (d.day + 1)::timestamp AT TIME ZONE 'UTC')
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

INSERT INTO tokenmeter.llm_usage_daily_users (day, user_id, billing_mode, plan, calls, total_tokens, cost_usd)
SELECT day, user_id, billing_mode, plan, sum(calls), sum(total_tokens), sum(cost_usd)
FROM tokenmeter.llm_usage_daily
GROUP BY 1, 2, 3, 4;

-- Down Migration
DROP TABLE tokenmeter.llm_usage_daily_users;
DROP TABLE tokenmeter.llm_usage_hourly;

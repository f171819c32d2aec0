-- Up Migration
-- Tokenmeter's cost ledger: one row per model call (llm_calls), the daily rollup the sink maintains
-- in the same transaction as each insert (llm_usage_daily), and the price catalog (model_prices).
CREATE SCHEMA IF NOT EXISTS tokenmeter;

CREATE TABLE tokenmeter.llm_calls (
  ts timestamptz NOT NULL,
  duration_ms double precision NOT NULL,
  trace_id text NOT NULL,
  span_id text NOT NULL,
  service text NOT NULL,
  provider text NOT NULL,
  operation text NOT NULL,
  request_model text NOT NULL,
  response_model text,
  prompt_name text,
  user_id text,
  billing_mode text NOT NULL DEFAULT 'system' CHECK (billing_mode IN ('system', 'byok')),
  plan text NOT NULL DEFAULT 'pro' CHECK (plan IN ('free', 'pro')),
  status text NOT NULL CHECK (status IN ('success', 'error')),
  error_type text,
  input_tokens bigint NOT NULL DEFAULT 0,
  output_tokens bigint NOT NULL DEFAULT 0,
  cached_input_tokens bigint NOT NULL DEFAULT 0,
  reasoning_tokens bigint NOT NULL DEFAULT 0,
  total_tokens bigint NOT NULL DEFAULT 0,
  -- NULL = the model has no price in the catalog (never 0 for an unknown model).
  cost_usd numeric(20, 10),
  pricing_version text,
  streaming boolean NOT NULL DEFAULT false,
  time_to_first_token_ms double precision,
  output_tokens_per_s double precision,
  attributes jsonb NOT NULL DEFAULT '{}',
  -- Span identity: a redelivered span inserts nothing (ON CONFLICT DO NOTHING).
  PRIMARY KEY (ts, trace_id, span_id)
) PARTITION BY RANGE (ts);

-- Per-user drill-down (SPEC B8) reads one user's calls over a period.
CREATE INDEX llm_calls_user_ts ON tokenmeter.llm_calls (user_id, ts);

CREATE TABLE tokenmeter.llm_usage_daily (
  day date NOT NULL,
  service text NOT NULL,
  user_id text,
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
  -- Sum of the priced calls; unpriced_calls counts the others.
  cost_usd numeric(20, 10) NOT NULL DEFAULT 0,
  unpriced_calls bigint NOT NULL DEFAULT 0,
  duration_ms_sum double precision NOT NULL DEFAULT 0,
  duration_ms_max double precision NOT NULL DEFAULT 0,
  CONSTRAINT llm_usage_daily_dimensions UNIQUE NULLS NOT DISTINCT
    (day, service, user_id, prompt_name, provider, model, billing_mode, plan, status)
);

CREATE INDEX llm_usage_daily_day ON tokenmeter.llm_usage_daily (day);

CREATE TABLE tokenmeter.model_prices (
  provider text NOT NULL,
  model text NOT NULL,
  effective_from date NOT NULL,
  input_per_mtok numeric NOT NULL,
  output_per_mtok numeric NOT NULL,
  cached_input_per_mtok numeric NOT NULL,
  -- NULL = same as output_per_mtok.
  reasoning_per_mtok numeric,
  source text NOT NULL,
  catalog_version text NOT NULL,
  PRIMARY KEY (provider, model, effective_from)
);

-- Daily partitions (UTC days), created on demand by the sink before it inserts into a new day.
-- Serialised by an advisory lock so that concurrent writers never race on the same CREATE.
CREATE FUNCTION tokenmeter.ensure_llm_calls_partition(day date) RETURNS text
LANGUAGE plpgsql AS $fn$
DECLARE
  partition_name text := 'llm_calls_p' || to_char(day, 'YYYYMMDD');
BEGIN
  IF to_regclass('tokenmeter.' || partition_name) IS NULL THEN
    PERFORM pg_advisory_xact_lock(hashtext('tokenmeter.llm_calls partitions'));
    EXECUTE format(
      'CREATE TABLE IF NOT EXISTS tokenmeter.%I PARTITION OF tokenmeter.llm_calls FOR VALUES FROM (%L) TO (%L)',
      partition_name,
      (day::timestamp AT TIME ZONE 'UTC'),
      ((day + 1)::timestamp AT TIME ZONE 'UTC'));
  END IF;
  RETURN partition_name;
END
$fn$;

-- Retention: drops whole daily partitions that end on or before `cutoff` (rows are never deleted
-- one by one). The daily rollup is kept: all-time figures read from it.
CREATE FUNCTION tokenmeter.drop_llm_calls_partitions_before(cutoff date) RETURNS SETOF text
LANGUAGE plpgsql AS $fn$
DECLARE
  partition record;
BEGIN
  FOR partition IN
    SELECT c.relname
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'tokenmeter.llm_calls'::regclass
      AND c.relname ~ '^llm_calls_p[0-9]{8}$'
      AND to_date(substr(c.relname, 12), 'YYYYMMDD') < cutoff
    ORDER BY c.relname
  LOOP
    EXECUTE format('DROP TABLE tokenmeter.%I', partition.relname);
    RETURN NEXT partition.relname;
  END LOOP;
END
$fn$;

-- Down Migration
-- The schema stays: it also holds the migrations table.
DROP FUNCTION tokenmeter.drop_llm_calls_partitions_before(date);
DROP FUNCTION tokenmeter.ensure_llm_calls_partition(date);
DROP TABLE tokenmeter.model_prices;
DROP TABLE tokenmeter.llm_usage_daily;
DROP TABLE tokenmeter.llm_calls;

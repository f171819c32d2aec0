-- Up Migration
-- The weekly per-user rollup and the monthly one no longer cost every insert: their tables now hold
-- closed UTC days only, folded in from their daily and hourly siblings (which the sink keeps in the
-- insert's transaction) once a day has closed. A view under each former name adds the open days, so
-- readers see every day as before. Rows of a day already closed (late spans) still reach the tables
-- in the insert's transaction.
--
-- rollup_watermark.closed_before: the first UTC day not yet folded in; every day before it is in the
-- *_closed tables, no day from it on is.
CREATE TABLE tokenmeter.rollup_watermark (
  single_row boolean PRIMARY KEY DEFAULT true CHECK (single_row),
  closed_before date NOT NULL
);

-- The existing tables already hold every day, including today and any future-dated one. A database
-- without data has nothing closed: the sink's first closing folds the days before today.
INSERT INTO tokenmeter.rollup_watermark (closed_before)
SELECT CASE WHEN max(day) IS NULL THEN '-infinity'::date
  ELSE greatest((now() AT TIME ZONE 'UTC')::date, max(day)) + 1 END
FROM tokenmeter.llm_usage_daily;

ALTER TABLE tokenmeter.llm_usage_weekly_users RENAME TO llm_usage_weekly_users_closed;
ALTER TABLE tokenmeter.llm_usage_monthly RENAME TO llm_usage_monthly_closed;

-- The views name the first open day as a literal, so that the planner sees that a period of closed
-- days needs nothing from the open days' source (a parameter would be estimated at a third of it).
-- Moving the watermark therefore redefines them, in the same transaction. Sums of bigint columns are
-- cast back to bigint so that each view keeps its table's column types.
CREATE FUNCTION tokenmeter.set_rollup_watermark(first_open_day date) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  UPDATE tokenmeter.rollup_watermark SET closed_before = first_open_day;

  EXECUTE format($view$
    CREATE OR REPLACE VIEW tokenmeter.llm_usage_weekly_users AS
    SELECT week, user_id, billing_mode, plan, calls, total_tokens, cost_usd
    FROM tokenmeter.llm_usage_weekly_users_closed
    UNION ALL
    SELECT date_trunc('week', day::timestamp)::date, user_id, billing_mode, plan, sum(calls)::bigint,
      sum(total_tokens)::bigint, sum(cost_usd)
    FROM tokenmeter.llm_usage_daily_users
    WHERE day >= %L::date
    GROUP BY 1, 2, 3, 4
  $view$, first_open_day);

  EXECUTE format($view$
    CREATE OR REPLACE VIEW tokenmeter.llm_usage_monthly AS
    SELECT month, service, prompt_name, provider, model, billing_mode, plan, status, calls, errors, input_tokens,
      output_tokens, cached_input_tokens, reasoning_tokens, total_tokens, cost_usd, unpriced_calls, duration_ms_sum,
      duration_ms_max
    FROM tokenmeter.llm_usage_monthly_closed
    UNION ALL
    SELECT date_trunc('month', hour AT TIME ZONE 'UTC')::date, service, prompt_name, provider, model, billing_mode,
      plan, status, sum(calls)::bigint, sum(errors)::bigint, sum(input_tokens)::bigint, sum(output_tokens)::bigint,
      sum(cached_input_tokens)::bigint, sum(reasoning_tokens)::bigint, sum(total_tokens)::bigint, sum(cost_usd),
      sum(unpriced_calls)::bigint, sum(duration_ms_sum), max(duration_ms_max)
    FROM tokenmeter.llm_usage_hourly
    WHERE hour >= (%L::date)::timestamp AT TIME ZONE 'UTC'
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  $view$, first_open_day);
END
$fn$;

SELECT tokenmeter.set_rollup_watermark(closed_before) FROM tokenmeter.rollup_watermark;

-- Down Migration
-- The tables take the open days back (the views' totals per key), then every insert maintains them again.
CREATE TEMP TABLE weekly_users_all ON COMMIT DROP AS
SELECT week, user_id, billing_mode, plan, sum(calls) AS calls, sum(total_tokens) AS total_tokens, sum(cost_usd) AS cost_usd
FROM tokenmeter.llm_usage_weekly_users GROUP BY 1, 2, 3, 4;
CREATE TEMP TABLE monthly_all ON COMMIT DROP AS
SELECT month, service, prompt_name, provider, model, billing_mode, plan, status, sum(calls) AS calls, sum(errors) AS errors,
  sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, sum(cached_input_tokens) AS cached_input_tokens,
  sum(reasoning_tokens) AS reasoning_tokens, sum(total_tokens) AS total_tokens, sum(cost_usd) AS cost_usd,
  sum(unpriced_calls) AS unpriced_calls, sum(duration_ms_sum) AS duration_ms_sum, max(duration_ms_max) AS duration_ms_max
FROM tokenmeter.llm_usage_monthly GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
DROP VIEW tokenmeter.llm_usage_weekly_users;
DROP VIEW tokenmeter.llm_usage_monthly;
DROP FUNCTION tokenmeter.set_rollup_watermark(date);
DROP TABLE tokenmeter.rollup_watermark;
ALTER TABLE tokenmeter.llm_usage_weekly_users_closed RENAME TO llm_usage_weekly_users;
ALTER TABLE tokenmeter.llm_usage_monthly_closed RENAME TO llm_usage_monthly;
TRUNCATE tokenmeter.llm_usage_weekly_users, tokenmeter.llm_usage_monthly;
INSERT INTO tokenmeter.llm_usage_weekly_users SELECT * FROM weekly_users_all;
INSERT INTO tokenmeter.llm_usage_monthly SELECT * FROM monthly_all;

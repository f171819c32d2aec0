-- Up Migration
-- User figures without a ledger scan (issue 18). llm_usage_hourly_users, per UTC hour, user, billing
-- mode and plan, is maintained by every insert in place of llm_usage_daily_users and kept 35 days
-- (conventions/src/ledger-schema: HOURLY_USERS_ROLLUP.keptDays; the day closing drops older hours):
-- a period's partial first day is read there by whole hours, only its partial first and last hours
-- from the ledger. llm_usage_daily_users becomes a closed-days rollup like the weekly one: its table
-- holds the closed UTC days, folded in from the hourly rollup when a day closes, and a view under its
-- former name adds the open days. A batch's calls fall into as many hours as days, so the insert
-- upserts as many rows as before.
CREATE TABLE tokenmeter.llm_usage_hourly_users (
  hour timestamptz NOT NULL,
  user_id text,
  billing_mode text NOT NULL,
  plan text NOT NULL,
  calls bigint NOT NULL DEFAULT 0,
  total_tokens bigint NOT NULL DEFAULT 0,
  cost_usd numeric(20, 10) NOT NULL DEFAULT 0,
  CONSTRAINT llm_usage_hourly_users_dimensions UNIQUE NULLS NOT DISTINCT (hour, user_id, billing_mode, plan)
) WITH (fillfactor = 70);

-- Every hour the ledger still holds (the day closing drops the old ones).
INSERT INTO tokenmeter.llm_usage_hourly_users (hour, user_id, billing_mode, plan, calls, total_tokens, cost_usd)
SELECT date_trunc('hour', ts, 'UTC'), user_id, billing_mode, plan, count(*), sum(total_tokens), coalesce(sum(cost_usd), 0)
FROM tokenmeter.llm_calls
GROUP BY 1, 2, 3, 4
ORDER BY 1;

-- The open days now come from the hourly rollup.
ALTER TABLE tokenmeter.llm_usage_daily_users RENAME TO llm_usage_daily_users_closed;
DELETE FROM tokenmeter.llm_usage_daily_users_closed
WHERE day >= (SELECT closed_before FROM tokenmeter.rollup_watermark);

-- As in migration 0005, with the per-user views' open days from the hourly per-user rollup; the
-- owner's rights and fixed search path of migration 0010 are restated (a replacement resets them).
CREATE OR REPLACE FUNCTION tokenmeter.set_rollup_watermark(first_open_day date) RETURNS void LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  UPDATE tokenmeter.rollup_watermark SET closed_before = first_open_day;

  EXECUTE format($view$
    CREATE OR REPLACE VIEW tokenmeter.llm_usage_daily_users AS
    SELECT day, user_id, billing_mode, plan, calls, total_tokens, cost_usd
    FROM tokenmeter.llm_usage_daily_users_closed
    UNION ALL
    SELECT (hour AT TIME ZONE 'UTC')::date, user_id, billing_mode, plan, sum(calls)::bigint,
      sum(total_tokens)::bigint, sum(cost_usd)
    FROM tokenmeter.llm_usage_hourly_users
    WHERE hour >= (%L::date)::timestamp AT TIME ZONE 'UTC'
    GROUP BY 1, 2, 3, 4
  $view$, first_open_day);

  EXECUTE format($view$
    CREATE OR REPLACE VIEW tokenmeter.llm_usage_weekly_users AS
    SELECT week, user_id, billing_mode, plan, calls, total_tokens, cost_usd
    FROM tokenmeter.llm_usage_weekly_users_closed
    UNION ALL
    SELECT date_trunc('week', hour AT TIME ZONE 'UTC')::date, user_id, billing_mode, plan, sum(calls)::bigint,
      sum(total_tokens)::bigint, sum(cost_usd)
    FROM tokenmeter.llm_usage_hourly_users
    WHERE hour >= (%L::date)::timestamp AT TIME ZONE 'UTC'
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
-- The daily per-user table takes its open days back, then the view is dropped and the function
-- reads the open days from it again (migration 0005's definition, with migration 0010's rights).
INSERT INTO tokenmeter.llm_usage_daily_users_closed (day, user_id, billing_mode, plan, calls, total_tokens, cost_usd)
SELECT (hour AT TIME ZONE 'UTC')::date, user_id, billing_mode, plan, sum(calls), sum(total_tokens), sum(cost_usd)
FROM tokenmeter.llm_usage_hourly_users
WHERE hour >= (SELECT closed_before FROM tokenmeter.rollup_watermark)::timestamp AT TIME ZONE 'UTC'
GROUP BY 1, 2, 3, 4;
DROP VIEW tokenmeter.llm_usage_daily_users, tokenmeter.llm_usage_weekly_users;
ALTER TABLE tokenmeter.llm_usage_daily_users_closed RENAME TO llm_usage_daily_users;
DROP TABLE tokenmeter.llm_usage_hourly_users;
CREATE OR REPLACE FUNCTION tokenmeter.set_rollup_watermark(first_open_day date) RETURNS void LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
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

-- Up Migration
-- Active and top users over weeks: per ISO week (from Monday, UTC) and user, maintained by the sink in
-- the same statement as the other rollups. A 30-day period then reads its whole weeks here (one row
-- per user and week) and only its remaining days from llm_usage_daily_users.
CREATE TABLE tokenmeter.llm_usage_weekly_users (LIKE tokenmeter.llm_usage_daily_users INCLUDING DEFAULTS)
  WITH (fillfactor = 70);
ALTER TABLE tokenmeter.llm_usage_weekly_users RENAME COLUMN day TO week;
ALTER TABLE tokenmeter.llm_usage_weekly_users ADD CONSTRAINT llm_usage_weekly_users_dimensions UNIQUE NULLS NOT DISTINCT
  (week, user_id, billing_mode, plan);

INSERT INTO tokenmeter.llm_usage_weekly_users (week, user_id, billing_mode, plan, calls, total_tokens, cost_usd)
SELECT date_trunc('week', day)::date, user_id, billing_mode, plan, sum(calls), sum(total_tokens), sum(cost_usd)
FROM tokenmeter.llm_usage_daily_users
GROUP BY 1, 2, 3, 4
ORDER BY 1;

-- Rows arrive in time order, so a block-range index finds a period's rows at almost no upkeep cost.
CREATE INDEX llm_usage_daily_users_day_brin ON tokenmeter.llm_usage_daily_users USING brin (day);
CREATE INDEX llm_usage_weekly_users_week_brin ON tokenmeter.llm_usage_weekly_users USING brin (week);

-- Down Migration
DROP INDEX tokenmeter.llm_usage_daily_users_day_brin;
DROP TABLE tokenmeter.llm_usage_weekly_users;

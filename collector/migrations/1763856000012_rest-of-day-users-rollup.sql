-- Up Migration
-- User figures whose partial first day costs one row per user (issue 18):
-- llm_usage_users_rest_of_day, per UTC hour `from_hour`, user, billing mode and plan, holds the user's
-- calls from that hour to the end of its UTC day (conventions/src/ledger-schema:
-- REST_OF_DAY_USERS_ROLLUP). A period starting inside a closed day reads that day's whole hours as
-- the rows of its first whole hour, instead of one row per user and hour of llm_usage_hourly_users.
-- Like llm_usage_hourly_users it holds closed UTC days of the last 35 only and costs the insert
-- nothing but late spans of a closed day: the day closing folds each day in from the hourly per-user
-- rollup, and drops the hours older than 35 days.
CREATE TABLE tokenmeter.llm_usage_users_rest_of_day (
  from_hour timestamptz NOT NULL,
  user_id text,
  billing_mode text NOT NULL,
  plan text NOT NULL,
  calls bigint NOT NULL DEFAULT 0,
  total_tokens bigint NOT NULL DEFAULT 0,
  cost_usd numeric(20, 10) NOT NULL DEFAULT 0,
  CONSTRAINT llm_usage_users_rest_of_day_dimensions UNIQUE NULLS NOT DISTINCT (from_hour, user_id, billing_mode, plan)
);

-- The closed days the hourly per-user rollup holds (the last 35): each of its rows counts in the
-- buckets of every hour of its day up to its own.
INSERT INTO tokenmeter.llm_usage_users_rest_of_day (from_hour, user_id, billing_mode, plan, calls, total_tokens, cost_usd)
SELECT from_hour, user_id, billing_mode, plan, sum(calls), sum(total_tokens), sum(cost_usd)
FROM tokenmeter.llm_usage_hourly_users
  CROSS JOIN LATERAL generate_series(date_trunc('day', hour, 'UTC'), hour, interval '1 hour') AS rest(from_hour)
GROUP BY 1, 2, 3, 4
ORDER BY 1, 2, 3, 4;

-- Down Migration
DROP TABLE tokenmeter.llm_usage_users_rest_of_day;

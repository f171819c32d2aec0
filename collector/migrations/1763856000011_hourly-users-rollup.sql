-- Up Migration
-- User figures without a ledger scan (issue 18): llm_usage_hourly_users, per UTC hour, user, billing
-- mode and plan, of closed UTC days only (before rollup_watermark.closed_before), kept 35 days
-- (conventions/src/ledger-schema: HOURLY_USERS_ROLLUP). A user-figure period reads the whole hours of
-- its partial first and last days here, and only its partial first and last hours from the ledger.
-- It costs the insert nothing but late spans of a closed day: the day closing folds each day in from
-- the ledger once the day has closed, and drops the hours older than 35 days.
CREATE TABLE tokenmeter.llm_usage_hourly_users (
  hour timestamptz NOT NULL,
  user_id text,
  billing_mode text NOT NULL,
  plan text NOT NULL,
  calls bigint NOT NULL DEFAULT 0,
  total_tokens bigint NOT NULL DEFAULT 0,
  cost_usd numeric(20, 10) NOT NULL DEFAULT 0,
  CONSTRAINT llm_usage_hourly_users_dimensions UNIQUE NULLS NOT DISTINCT (hour, user_id, billing_mode, plan)
);

-- The closed days the ledger still holds, from 35 days before the first open day on.
INSERT INTO tokenmeter.llm_usage_hourly_users (hour, user_id, billing_mode, plan, calls, total_tokens, cost_usd)
SELECT date_trunc('hour', ts, 'UTC'), user_id, billing_mode, plan, count(*), sum(total_tokens), coalesce(sum(cost_usd), 0)
FROM tokenmeter.llm_calls
WHERE ts < (SELECT closed_before::timestamp AT TIME ZONE 'UTC' FROM tokenmeter.rollup_watermark)
  AND ts >= (SELECT (closed_before - 35)::timestamp AT TIME ZONE 'UTC' FROM tokenmeter.rollup_watermark)
GROUP BY 1, 2, 3, 4
ORDER BY 1, 2, 3, 4;

-- Down Migration
DROP TABLE tokenmeter.llm_usage_hourly_users;

-- Up Migration
-- The rollup is updated in place by every batch: leave room on each page so those updates stay HOT
-- (no index maintenance), and drop the day index, which the unique index (leading with day) covers.
DROP INDEX tokenmeter.llm_usage_daily_day;
ALTER TABLE tokenmeter.llm_usage_daily SET (fillfactor = 70);

-- Down Migration
ALTER TABLE tokenmeter.llm_usage_daily RESET (fillfactor);
CREATE INDEX llm_usage_daily_day ON tokenmeter.llm_usage_daily (day);

-- Up Migration
-- Prices now come from the pinned @pydantic/genai-prices data plus the operator's overrides.
-- A ledger row the sink cannot price says why (unknown model, unpriced service tier, invalid counts).
ALTER TABLE tokenmeter.llm_calls ADD COLUMN unpriced_reason text;

-- model_prices becomes the list of the prices the sink has used: each price the first time it
-- costs a call, with where it comes from (the base catalog or an override), its service tier, its
-- cache-write prices and its long-context tiers. A catalog price with no start date in the catalog
-- applies since the catalog has the model: its effective_from is -infinity. Rows written before this
-- migration (the whole former hand-written list) keep first_used_at NULL.
ALTER TABLE tokenmeter.model_prices
  ADD COLUMN price_source text NOT NULL DEFAULT 'catalog' CHECK (price_source IN ('catalog', 'override')),
  ADD COLUMN service_tier text NOT NULL DEFAULT 'standard',
  ADD COLUMN cache_write_per_mtok numeric,
  ADD COLUMN cache_write_1h_per_mtok numeric,
  -- [{"aboveInputTokens": 200000, "inputPerMTok": 2.5, ...}]: from that many prompt tokens on, the whole call.
  ADD COLUMN tiers jsonb,
  ADD COLUMN first_used_at timestamptz,
  ALTER COLUMN cached_input_per_mtok DROP NOT NULL,
  DROP CONSTRAINT model_prices_pkey,
  ADD PRIMARY KEY (provider, model, service_tier, price_source, effective_from);

-- Down Migration
DELETE FROM tokenmeter.model_prices
WHERE price_source <> 'catalog' OR service_tier <> 'standard' OR cached_input_per_mtok IS NULL
  OR effective_from = '-infinity';
ALTER TABLE tokenmeter.model_prices
  DROP CONSTRAINT model_prices_pkey,
  DROP COLUMN price_source,
  DROP COLUMN service_tier,
  DROP COLUMN cache_write_per_mtok,
  DROP COLUMN cache_write_1h_per_mtok,
  DROP COLUMN tiers,
  DROP COLUMN first_used_at,
  ALTER COLUMN cached_input_per_mtok SET NOT NULL,
  ADD PRIMARY KEY (provider, model, effective_from);
ALTER TABLE tokenmeter.llm_calls DROP COLUMN unpriced_reason;

-- Up Migration
-- Spans from every GenAI emitter (collector/src/dialects): where each row's cost comes from, the
-- input tokens written to a provider cache, and the attribution fields other dialects carry.
--
-- cost_source: computed  = priced with the catalog (by the sink, or by the instrumentation at call time)
--              reported  = no catalog price; cost_usd is the cost the provider reported on the span
--              unpriced  = no cost at all (cost_usd NULL); attributes->>'tokenmeter.pricing.error' says why
-- reported_cost_usd keeps the provider's own figure beside the computed one whenever the span has it.
ALTER TABLE tokenmeter.llm_calls
  ADD COLUMN cost_source text NOT NULL DEFAULT 'computed'
    CHECK (cost_source IN ('computed', 'reported', 'unpriced')),
  ADD COLUMN reported_cost_usd numeric(20, 10),
  -- Part of input_tokens, as cached_input_tokens is.
  ADD COLUMN cache_write_input_tokens bigint NOT NULL DEFAULT 0,
  ADD COLUMN session_id text,
  ADD COLUMN prompt_version text,
  ADD COLUMN service_tier text;

UPDATE tokenmeter.llm_calls SET cost_source = 'unpriced' WHERE cost_usd IS NULL;

-- Down Migration
ALTER TABLE tokenmeter.llm_calls
  DROP COLUMN service_tier,
  DROP COLUMN prompt_version,
  DROP COLUMN session_id,
  DROP COLUMN cache_write_input_tokens,
  DROP COLUMN reported_cost_usd,
  DROP COLUMN cost_source;

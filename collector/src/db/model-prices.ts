import type { Pool } from 'pg';
import type { PricingCatalog } from '@tokenmeter/instrumentation/pricing';

/** Upserts the pricing catalog into tokenmeter.model_prices (the price list dashboards show, docs/features.md B12). */
export async function syncModelPrices(pool: Pool, catalog: PricingCatalog): Promise<number> {
  const entries = catalog.entries();
  await pool.query(
    `INSERT INTO tokenmeter.model_prices AS p (provider, model, effective_from, input_per_mtok, output_per_mtok,
       cached_input_per_mtok, reasoning_per_mtok, source, catalog_version)
     SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::numeric[], $5::numeric[], $6::numeric[],
       $7::numeric[], $8::text[], $9::text[])
     ON CONFLICT (provider, model, effective_from) DO UPDATE SET
       input_per_mtok = EXCLUDED.input_per_mtok, output_per_mtok = EXCLUDED.output_per_mtok,
       cached_input_per_mtok = EXCLUDED.cached_input_per_mtok, reasoning_per_mtok = EXCLUDED.reasoning_per_mtok,
       source = EXCLUDED.source, catalog_version = EXCLUDED.catalog_version`,
    [
      entries.map((e) => e.provider),
      entries.map((e) => e.model),
      entries.map((e) => e.effectiveFrom),
      entries.map((e) => e.inputPerMTok),
      entries.map((e) => e.outputPerMTok),
      entries.map((e) => e.cachedInputPerMTok),
      entries.map((e) => e.reasoningPerMTok ?? null),
      entries.map((e) => e.source),
      entries.map(() => catalog.version),
    ],
  );
  return entries.length;
}

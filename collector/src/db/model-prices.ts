import type { Pool } from 'pg';
import type { EffectivePrice } from '@tokenmeter/conventions';

const UPSERT = `INSERT INTO tokenmeter.model_prices AS p (provider, model, service_tier, price_source, effective_from,
    input_per_mtok, output_per_mtok, cached_input_per_mtok, cache_write_per_mtok, cache_write_1h_per_mtok,
    reasoning_per_mtok, tiers, source, catalog_version, first_used_at)
  SELECT provider, model, service_tier, price_source, effective_from, input, output, cached, cache_write,
    cache_write_1h, reasoning, tiers, source, catalog_version, now()
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::numeric[], $7::numeric[],
    $8::numeric[], $9::numeric[], $10::numeric[], $11::numeric[], $12::jsonb[], $13::text[], $14::text[])
    AS u(provider, model, service_tier, price_source, effective_from, input, output, cached, cache_write,
      cache_write_1h, reasoning, tiers, source, catalog_version)
  ON CONFLICT (provider, model, service_tier, price_source, effective_from) DO UPDATE SET
    input_per_mtok = EXCLUDED.input_per_mtok, output_per_mtok = EXCLUDED.output_per_mtok,
    cached_input_per_mtok = EXCLUDED.cached_input_per_mtok, cache_write_per_mtok = EXCLUDED.cache_write_per_mtok,
    cache_write_1h_per_mtok = EXCLUDED.cache_write_1h_per_mtok, reasoning_per_mtok = EXCLUDED.reasoning_per_mtok,
    tiers = EXCLUDED.tiers, source = EXCLUDED.source, catalog_version = EXCLUDED.catalog_version,
    first_used_at = coalesce(p.first_used_at, EXCLUDED.first_used_at)`;

/** Upserts prices into tokenmeter.model_prices, the price list the Models page shows (docs/features.md B12). */
export async function upsertModelPrices(
  pool: Pool,
  prices: readonly EffectivePrice[],
): Promise<number> {
  if (prices.length === 0) return 0;
  const column = <T>(read: (price: EffectivePrice) => T): T[] => prices.map(read);
  await pool.query(UPSERT, [
    column((p) => p.provider),
    column((p) => p.model),
    column((p) => p.serviceTier),
    column((p) => p.source),
    column((p) => p.effectiveFrom ?? '-infinity'),
    column((p) => p.inputPerMTok),
    column((p) => p.outputPerMTok),
    column((p) => p.cachedInputPerMTok ?? null),
    column((p) => p.cacheWritePerMTok ?? null),
    column((p) => p.cacheWrite1hPerMTok ?? null),
    column((p) => p.reasoningPerMTok ?? null),
    column((p) => (p.tiers ? JSON.stringify(p.tiers) : null)),
    column((p) => p.reference),
    column((p) => p.catalogVersion),
  ]);
  return prices.length;
}

/**
 * Collects the prices the catalog uses for the first time (PricingCatalog.onFirstUse) and writes
 * them in one statement when flushed; a failed write keeps them for the next flush.
 */
export class UsedPriceRecorder {
  private pending: EffectivePrice[] = [];

  constructor(private readonly pool: Pool) {}

  add(price: EffectivePrice): void {
    this.pending.push(price);
  }

  async flush(): Promise<number> {
    const batch = this.pending;
    if (batch.length === 0) return 0;
    this.pending = [];
    try {
      return await upsertModelPrices(this.pool, batch);
    } catch (error) {
      this.pending = [...batch, ...this.pending];
      throw error;
    }
  }
}

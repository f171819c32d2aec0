import type { Pool } from 'pg';
import { PricingCatalog, type EffectivePrice } from '@tokenmeter/conventions';
import { createMigratedTestDatabase, testPool, type TestDatabase } from '@tokenmeter/test-support';
import { UsedPriceRecorder } from './model-prices';

let database: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  database = await createMigratedTestDatabase('model_prices');
  pool = testPool(database.url);
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

const at = Date.parse('2026-11-01T12:00:00Z');
const usage = { inputTokens: 10, outputTokens: 5 };

describe('UsedPriceRecorder', () => {
  it('writes each price the catalog uses for the first time, and keeps them when a write fails', async () => {
    const catalog = PricingCatalog.load();
    const recorder = new UsedPriceRecorder(pool);
    catalog.onFirstUse((price) => recorder.add(price));
    catalog.price('anthropic', 'claude-sonnet-4-5-20250929', usage, at);
    catalog.price('anthropic', 'claude-sonnet-4-5', usage, at);

    await pool.query('ALTER TABLE tokenmeter.model_prices RENAME TO model_prices_away');
    await expect(recorder.flush()).rejects.toThrow(/model_prices/);
    await pool.query('ALTER TABLE tokenmeter.model_prices_away RENAME TO model_prices');
    catalog.price('gcp.gemini', 'gemini-2.5-pro', usage, at, { serviceTier: 'batch' });

    expect(await recorder.flush()).toBe(2);
    expect(await recorder.flush()).toBe(0);
    const { rows } = await pool.query<Record<string, unknown>>(
      `SELECT provider, model, service_tier, price_source, effective_from::text, input_per_mtok::float8 AS input,
         cached_input_per_mtok::float8 AS cached, cache_write_per_mtok::float8 AS cache_write,
         cache_write_1h_per_mtok::float8 AS cache_write_1h, tiers, catalog_version
       FROM tokenmeter.model_prices ORDER BY provider`,
    );
    expect(rows).toEqual([
      {
        provider: 'anthropic', model: 'claude-sonnet-4-5', service_tier: 'standard', price_source: 'catalog',
        effective_from: '-infinity', input: 3, cached: 0.3, cache_write: 3.75, cache_write_1h: 6,
        tiers: [{ aboveInputTokens: 200000, inputPerMTok: 6, outputPerMTok: 22.5, cachedInputPerMTok: 0.6, cacheWritePerMTok: 7.5, cacheWrite1hPerMTok: 12 }],
        catalog_version: 'genai-prices@0.1.8',
      },
      {
        provider: 'google', model: 'gemini-2.5-pro', service_tier: 'batch', price_source: 'catalog',
        effective_from: '-infinity', input: 0.625, cached: 0.0625, cache_write: null, cache_write_1h: null,
        tiers: [{ aboveInputTokens: 200000, inputPerMTok: 1.25, outputPerMTok: 7.5, cachedInputPerMTok: 0.125 }],
        catalog_version: 'genai-prices@0.1.8',
      },
    ]);
  });

  it('refuses nothing valid: an operator price with every optional field left out', async () => {
    const price: EffectivePrice = {
      provider: 'openai', model: 'house-model', effectiveFrom: '2026-01-01', serviceTier: 'standard',
      inputPerMTok: 1, outputPerMTok: 2, source: 'override', catalogVersion: 'genai-prices@0.1.8+acme', reference: 'contract',
    };
    const recorder = new UsedPriceRecorder(pool);
    recorder.add(price);
    expect(await recorder.flush()).toBe(1);
  });
});

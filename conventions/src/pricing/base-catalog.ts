import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  calcPrice,
  TieredPrices,
  type ModelInfo,
  type ModelPrice as CatalogModelPrice,
  type Provider,
  type Usage,
} from '@pydantic/genai-prices';
import { catalogProviderId } from './catalog-providers';
import { baseModelName, modelNameCandidates } from './model-names';
import type { CheckedUsage } from './usage';
import type { EffectivePrice, PriceTier } from './types';

// The bundled data of the pinned package is the base price list. Nothing here calls its
// updatePrices: prices change only with the package version, so pricing_version names every price.
const packageJson = join(dirname(require.resolve('@pydantic/genai-prices')), '..', 'package.json');
export const BASE_CATALOG_VERSION = `genai-prices@${(JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version}`;

/** One catalog model, found once per (provider, model) name pair and kept. */
export interface CatalogModel {
  /** A provider holding only this model: pricing through it skips the search over all providers. */
  provider: Provider;
  /** A name the model's match rule accepts. */
  matchName: string;
  info: ModelInfo;
}

const NO_USAGE: Usage = {};

function find(providerId: string, model: string): CatalogModel | undefined {
  const found = calcPrice(NO_USAGE, model, { providerId });
  if (!found) return undefined;
  const { fallback_model_providers: _fallbacks, models: _models, ...provider } = found.provider;
  return { provider: { ...provider, models: [found.model] }, matchName: model, info: found.model };
}

/**
 * The catalog model a call's (provider, model) names: the name as given, then without a hosting
 * prefix (`models/gemini-2.5-flash`), then a `provider/model` name under that provider
 * (`openai/gpt-4o` sent through a router), then without dated or `-latest` suffixes.
 */
export function findCatalogModel(provider: string, model: string): CatalogModel | undefined {
  const providerId = catalogProviderId(provider);
  const name = model.trim().toLowerCase();
  const found =
    find(providerId, name) ??
    (name.includes('/') ? find(providerId, baseModelName(name)) : undefined);
  if (found) return found;
  const slash = name.indexOf('/');
  if (slash > 0) {
    const prefixed = find(catalogProviderId(name.slice(0, slash)), name.slice(slash + 1));
    if (prefixed) return prefixed;
  }
  for (const candidate of modelNameCandidates(name).slice(1)) {
    const stripped = find(providerId, candidate);
    if (stripped) return stripped;
  }
  return undefined;
}

/** genai-prices usage keys for our counts (its input and output include the parts, like ours). */
export function catalogUsage(usage: CheckedUsage): Usage {
  return {
    input_tokens: usage.input,
    output_tokens: usage.output,
    cache_read_tokens: usage.cacheRead,
    cache_write_tokens: usage.cacheWrite,
    cache_write_1h_tokens: usage.cacheWrite1h,
    output_reasoning_tokens: usage.reasoning,
  };
}

/** The total USD of a call at a moment, and the catalog's price record in force then. */
export function catalogCost(
  model: CatalogModel,
  usage: Usage,
  at: Date,
): { usd: number; modelPrice: CatalogModelPrice } | undefined {
  const result = calcPrice(usage, model.matchName, { provider: model.provider, timestamp: at });
  return result ? { usd: result.total_price, modelPrice: result.model_price } : undefined;
}

const FIELD_OF_PRICE_KEY = {
  input_mtok: 'inputPerMTok',
  output_mtok: 'outputPerMTok',
  cache_read_mtok: 'cachedInputPerMTok',
  cache_write_mtok: 'cacheWritePerMTok',
  cache_write_1h_mtok: 'cacheWrite1hPerMTok',
  output_reasoning_mtok: 'reasoningPerMTok',
} as const;

type PriceField = (typeof FIELD_OF_PRICE_KEY)[keyof typeof FIELD_OF_PRICE_KEY];

function effectiveFromOf(info: ModelInfo, modelPrice: CatalogModelPrice): string | null {
  if (!Array.isArray(info.prices)) return null;
  const dated = info.prices.find((conditional) => conditional.prices === modelPrice);
  return dated?.constraint?.type === 'start_date' ? dated.constraint.start_date : null;
}

/** The catalog's price record in our terms (the base price and the long-context tiers). */
export function describeCatalogPrice(
  provider: string,
  model: CatalogModel,
  modelPrice: CatalogModelPrice,
  serviceTier: string,
  factor: number,
): EffectivePrice {
  const base: Partial<Record<PriceField, number>> = {};
  const tiers = new Map<number, PriceTier>();
  for (const [key, field] of Object.entries(FIELD_OF_PRICE_KEY) as [string, PriceField][]) {
    const value = modelPrice[key];
    if (typeof value === 'number') base[field] = value * factor;
    else if (value instanceof TieredPrices || (value && typeof value === 'object')) {
      const tiered = value as TieredPrices;
      base[field] = tiered.base * factor;
      for (const tier of tiered.tiers) {
        let entry = tiers.get(tier.start);
        if (!entry) tiers.set(tier.start, (entry = { aboveInputTokens: tier.start }));
        entry[field] = tier.price * factor;
      }
    }
  }
  const urls = model.provider.pricing_urls ?? [];
  return {
    provider,
    model: model.info.id,
    effectiveFrom: effectiveFromOf(model.info, modelPrice),
    serviceTier,
    inputPerMTok: base.inputPerMTok ?? 0,
    outputPerMTok: base.outputPerMTok ?? 0,
    cachedInputPerMTok: base.cachedInputPerMTok,
    cacheWritePerMTok: base.cacheWritePerMTok,
    cacheWrite1hPerMTok: base.cacheWrite1hPerMTok,
    reasoningPerMTok: base.reasoningPerMTok,
    ...(tiers.size > 0 && {
      tiers: [...tiers.values()].sort((a, b) => a.aboveInputTokens - b.aboveInputTokens),
    }),
    source: 'catalog',
    catalogVersion: BASE_CATALOG_VERSION,
    reference: `${BASE_CATALOG_VERSION} ${model.provider.id}/${model.info.id}${urls.length > 0 ? ` (${urls[0]})` : ''}`,
  };
}

export { PricingCatalog, PRICING_FILE_ENV } from './pricing-catalog';
export { priceModelCall, type ModelCallPricing, type ModelCallToPrice } from './price-model-call';
export { BASE_CATALOG_VERSION } from './base-catalog';
export { modelNameCandidates } from './model-names';
export { normalizedTier, STANDARD_TIER } from './service-tier';
export type {
  EffectivePrice,
  ModelPrice,
  PriceOptions,
  PricedCost,
  PriceTier,
  TokenUsage,
} from './types';

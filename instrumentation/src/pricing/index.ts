export { PricingCatalog, PRICING_FILE_ENV } from './pricing-catalog';
export { costOf } from './cost';
export { modelNameCandidates } from './model-names';
export type { ModelPrice, PriceOptions, TokenUsage, PricedCost } from './types';

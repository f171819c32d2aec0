import type { PricingCatalog } from './pricing-catalog';
import type { PricedCost, TokenUsage } from './types';

/** What is known of a call at pricing time. */
export interface ModelCallToPrice {
  provider: string;
  requestModel: string;
  /** The model that answered (often a dated snapshot of the requested one). */
  responseModel?: string | null;
  usage: TokenUsage;
  at: Date | number;
  /** openai.response.service_tier or an equivalent; absent = standard. */
  serviceTier?: string;
}

export type ModelCallPricing =
  | { priced: PricedCost; unpricedReason?: undefined }
  | { priced?: undefined; unpricedReason: string };

/**
 * Prices a call by the answered model first (the more precise name), then by the requested one;
 * when neither has a price, says why. Throws RangeError on inconsistent token counts.
 */
export function priceModelCall(catalog: PricingCatalog, call: ModelCallToPrice): ModelCallPricing {
  const options = call.serviceTier ? { serviceTier: call.serviceTier } : undefined;
  const answered =
    call.responseModel && call.responseModel !== call.requestModel ? call.responseModel : undefined;
  const priced =
    (answered ? catalog.price(call.provider, answered, call.usage, call.at, options) : undefined) ??
    catalog.price(call.provider, call.requestModel, call.usage, call.at, options);
  if (priced) return { priced };
  const names = answered ? [answered, call.requestModel] : [call.requestModel];
  return { unpricedReason: catalog.unpricedReason(call.provider, names, call.at, options) };
}

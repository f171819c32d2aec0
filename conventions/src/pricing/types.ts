/**
 * Token counts of one call. Input includes cache reads and writes; output includes reasoning.
 * cacheWriteInputTokens counts every cache write, the one-hour writes (cacheWrite1hInputTokens)
 * included, as Anthropic reports them (cache_creation_input_tokens and its ephemeral_1h part).
 */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  cacheWriteInputTokens?: number;
  cacheWrite1hInputTokens?: number;
  reasoningTokens?: number;
}

/**
 * An operator's price (TOKENMETER_PRICING_FILE or setupTokenmeter({ prices })): USD per million
 * tokens of one model, valid from `effectiveFrom` until the next entry of the same model and tier.
 */
export interface ModelPrice {
  provider: string;
  model: string;
  /** First day (UTC, YYYY-MM-DD) the price applies. */
  effectiveFrom: string;
  inputPerMTok: number;
  outputPerMTok: number;
  cachedInputPerMTok: number;
  /** Defaults to inputPerMTok. */
  cacheWritePerMTok?: number;
  /** Defaults to cacheWritePerMTok. */
  cacheWrite1hPerMTok?: number;
  /** Defaults to outputPerMTok. */
  reasoningPerMTok?: number;
  /** The service tier the price is for (e.g. `priority`); absent = the standard tier. */
  serviceTier?: string;
  /** Where the price was read (URL, contract). */
  source: string;
  /** Other names of the same model (e.g. a host's id), matched like the model name. */
  aliases?: string[];
  note?: string;
}

/** A long-context tier: from `aboveInputTokens` prompt tokens on, the whole call is at these prices. */
export interface PriceTier {
  aboveInputTokens: number;
  inputPerMTok?: number;
  outputPerMTok?: number;
  cachedInputPerMTok?: number;
  cacheWritePerMTok?: number;
  cacheWrite1hPerMTok?: number;
  reasoningPerMTok?: number;
}

/** The price in force for one model at one moment, from the base catalog or an operator override. */
export interface EffectivePrice {
  /** The provider as the price list names it: the catalog's provider id, or the override's provider. */
  provider: string;
  /** The model as the price list names it (the catalog's model id or the override's model). */
  model: string;
  /** First day (YYYY-MM-DD) the price applies; null = since the catalog has the model. */
  effectiveFrom: string | null;
  serviceTier: string;
  inputPerMTok: number;
  outputPerMTok: number;
  /** Undefined: the catalog has no cache-read price (cached tokens are then priced as input). */
  cachedInputPerMTok?: number;
  cacheWritePerMTok?: number;
  cacheWrite1hPerMTok?: number;
  reasoningPerMTok?: number;
  tiers?: PriceTier[];
  source: 'catalog' | 'override';
  /** The catalog version or the override set the price comes from. */
  catalogVersion: string;
  /** Where the price was read (the catalog's pricing page, or the override's source). */
  reference: string;
}

export interface PriceOptions {
  /** The service tier that served the call (openai.response.service_tier and equivalents). */
  serviceTier?: string;
}

export interface PricedCost {
  costUsd: number;
  pricingVersion: string;
  price: EffectivePrice;
  source: 'catalog' | 'override';
}

/** USD per million tokens of one model, valid from `effectiveFrom` until the next entry of the same model. */
export interface ModelPrice {
  provider: string;
  model: string;
  /** First day (UTC, YYYY-MM-DD) the price applies. */
  effectiveFrom: string;
  inputPerMTok: number;
  outputPerMTok: number;
  cachedInputPerMTok: number;
  /** Defaults to outputPerMTok. */
  reasoningPerMTok?: number;
  /** Where the price was read (URL and page name). */
  source: string;
  /** Other names of the same model (e.g. a host's id), matched like the model name. */
  aliases?: string[];
  note?: string;
}

export interface TokenUsage {
  /** Prompt tokens, including cached ones. */
  inputTokens: number;
  /** Completion tokens, including reasoning ones. */
  outputTokens: number;
  cachedInputTokens?: number;
  /** Input tokens written to a provider cache (part of inputTokens). */
  cacheWriteInputTokens?: number;
  reasoningTokens?: number;
}

/** What else than tokens the price of a call depends on. */
export interface PriceOptions {
  serviceTier?: string;
}

export interface PricedCost {
  costUsd: number;
  pricingVersion: string;
  price: ModelPrice;
}

// The base catalog (genai-prices) lists standard prices only. Batch and flex are half the standard
// price on every token type: OpenAI "Batch API: save 50% on inputs and outputs" and "Flex processing:
// priced at Batch API rates" (https://platform.openai.com/docs/pricing), Anthropic Message Batches
// "50% discount" (https://docs.anthropic.com/en/docs/build-with-claude/batch-processing), Gemini
// Batch Mode "50% of the standard cost" (https://ai.google.dev/gemini-api/docs/batch-mode).
// Priority and scale tiers differ per model, so they are priced only by an operator override with
// that serviceTier; without one the call is left unpriced, with the reason, rather than guessed.

/** The tier name every standard price is stored under. */
export const STANDARD_TIER = 'standard';

const STANDARD_NAMES = new Set(['', 'standard', 'default', 'auto', 'on_demand']);

const DISCOUNT_OF_STANDARD: Readonly<Record<string, number>> = { batch: 0.5, flex: 0.5 };

/** The tier name prices are looked up under: lower case, and `standard` for the usual names of it. */
export function normalizedTier(serviceTier: string | undefined): string {
  const tier = (serviceTier ?? '').trim().toLowerCase();
  return STANDARD_NAMES.has(tier) ? STANDARD_TIER : tier;
}

/** The factor on the standard price for a tier priced by rule, or undefined when there is none. */
export function standardPriceFactor(tier: string): number | undefined {
  return tier === STANDARD_TIER ? 1 : DISCOUNT_OF_STANDARD[tier];
}

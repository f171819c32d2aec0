import type { ModelPrice, TokenUsage } from './types';

function tokenCount(name: string, value: number | undefined): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${String(value)}`);
  }
  return value;
}

// Rounded to 1e-10 USD (the ledger's numeric(20,10)) so sums of prices do not carry float noise.
const ROUNDING = 1e10;

/**
 * Cost in USD: uncached input, cached input, non-reasoning output and reasoning output, each at its
 * own price. Throws RangeError on negative or non-finite counts and on cached > input or
 * reasoning > output (the usage is then not in the "input includes cached" form this expects).
 */
export function costOf(price: ModelPrice, usage: TokenUsage): number {
  const input = tokenCount('inputTokens', usage.inputTokens);
  const output = tokenCount('outputTokens', usage.outputTokens);
  const cached = tokenCount('cachedInputTokens', usage.cachedInputTokens);
  const reasoning = tokenCount('reasoningTokens', usage.reasoningTokens);
  if (cached > input) {
    throw new RangeError(
      `cachedInputTokens (${cached}) exceed inputTokens (${input}); inputTokens must include cached tokens`,
    );
  }
  if (reasoning > output) {
    throw new RangeError(
      `reasoningTokens (${reasoning}) exceed outputTokens (${output}); outputTokens must include reasoning tokens`,
    );
  }
  const reasoningPrice = price.reasoningPerMTok ?? price.outputPerMTok;
  const micro =
    (input - cached) * price.inputPerMTok +
    cached * price.cachedInputPerMTok +
    (output - reasoning) * price.outputPerMTok +
    reasoning * reasoningPrice;
  return Math.round((micro / 1e6) * ROUNDING) / ROUNDING;
}

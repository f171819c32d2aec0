import type { TokenUsage } from './types';

function tokenCount(name: string, value: number | undefined): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${String(value)}`);
  }
  return value;
}

/** Token counts with every part present, checked to be in the "input includes cached" form. */
export interface CheckedUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  cacheWrite1h: number;
  reasoning: number;
}

/**
 * Throws RangeError on negative or non-finite counts and on parts larger than their whole (cached
 * and cache writes > input, 1 h writes > writes, reasoning > output): such counts follow another
 * convention and are never guessed at.
 */
export function checkedUsage(usage: TokenUsage): CheckedUsage {
  const input = tokenCount('inputTokens', usage.inputTokens);
  const output = tokenCount('outputTokens', usage.outputTokens);
  const cacheRead = tokenCount('cachedInputTokens', usage.cachedInputTokens);
  const cacheWrite = tokenCount('cacheWriteInputTokens', usage.cacheWriteInputTokens);
  const cacheWrite1h = tokenCount('cacheWrite1hInputTokens', usage.cacheWrite1hInputTokens);
  const reasoning = tokenCount('reasoningTokens', usage.reasoningTokens);
  if (cacheRead > input) {
    throw new RangeError(
      `cachedInputTokens (${cacheRead}) exceed inputTokens (${input}); inputTokens must include cached tokens`,
    );
  }
  if (cacheRead + cacheWrite > input) {
    throw new RangeError(
      `cachedInputTokens + cacheWriteInputTokens (${cacheRead + cacheWrite}) exceed inputTokens (${input}); inputTokens must include cache reads and writes`,
    );
  }
  if (cacheWrite1h > cacheWrite) {
    throw new RangeError(
      `cacheWrite1hInputTokens (${cacheWrite1h}) exceed cacheWriteInputTokens (${cacheWrite}); cacheWriteInputTokens must include the 1 h writes`,
    );
  }
  if (reasoning > output) {
    throw new RangeError(
      `reasoningTokens (${reasoning}) exceed outputTokens (${output}); outputTokens must include reasoning tokens`,
    );
  }
  return { input, output, cacheRead, cacheWrite, cacheWrite1h, reasoning };
}

// Rounded to 1e-10 USD (the ledger's numeric(20,10)) so sums of prices do not carry float noise.
const ROUNDING = 1e10;

export function roundUsd(usd: number): number {
  return Math.round(usd * ROUNDING) / ROUNDING;
}

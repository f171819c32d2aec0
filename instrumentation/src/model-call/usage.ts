import type { TokenUsage } from '../pricing';
import { warnOnce } from '../diagnostics';

/** Token counts as reported by a caller or provider; anything may be missing or wrong. */
export type ReportedUsage = { [K in keyof TokenUsage]?: number | null };

function count(field: string, value: unknown, context: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.round(value);
  warnOnce(
    `usage:${context}:${field}`,
    `${context}: ignored ${field}=${typeof value === 'number' ? String(value) : JSON.stringify(value)} (token counts must be finite numbers >= 0)`,
  );
  return undefined;
}

/**
 * Valid token usage from reported counts, or undefined when neither input nor output is known.
 * Invalid counts are dropped with a warning; a missing input or output count is taken as 0;
 * cached and reasoning counts are capped at the input and output they are part of.
 */
export function sanitizeUsage(
  reported: ReportedUsage | undefined,
  context: string,
): TokenUsage | undefined {
  if (!reported || typeof reported !== 'object') return undefined;
  const input = count('inputTokens', reported.inputTokens, context);
  const output = count('outputTokens', reported.outputTokens, context);
  if (input === undefined && output === undefined) return undefined;
  const usage: TokenUsage = { inputTokens: input ?? 0, outputTokens: output ?? 0 };
  const cached = count('cachedInputTokens', reported.cachedInputTokens, context);
  if (cached !== undefined) {
    if (cached > usage.inputTokens) {
      warnOnce(
        `usage:${context}:cached>input`,
        `${context}: cachedInputTokens (${cached}) exceed inputTokens (${usage.inputTokens}); capped (inputTokens must include cached tokens)`,
      );
    }
    usage.cachedInputTokens = Math.min(cached, usage.inputTokens);
  }
  const reasoning = count('reasoningTokens', reported.reasoningTokens, context);
  if (reasoning !== undefined) {
    if (reasoning > usage.outputTokens) {
      warnOnce(
        `usage:${context}:reasoning>output`,
        `${context}: reasoningTokens (${reasoning}) exceed outputTokens (${usage.outputTokens}); capped (outputTokens must include reasoning tokens)`,
      );
    }
    usage.reasoningTokens = Math.min(reasoning, usage.outputTokens);
  }
  return usage;
}

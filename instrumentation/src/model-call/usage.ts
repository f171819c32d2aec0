import type { TokenUsage } from '@tokenmeter/conventions';
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

/** A count that is part of a total (cached of input, reasoning of output), capped at the total. */
function partOf(
  field: string,
  value: unknown,
  totalField: string,
  total: number,
  context: string,
): number | undefined {
  const part = count(field, value, context);
  if (part === undefined) return undefined;
  if (part > total) {
    warnOnce(
      `usage:${context}:${field}>${totalField}`,
      `${context}: ${field} (${part}) exceed ${totalField} (${total}); capped (${totalField} must include them)`,
    );
  }
  return Math.min(part, total);
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
  const cached = partOf(
    'cachedInputTokens',
    reported.cachedInputTokens,
    'inputTokens',
    usage.inputTokens,
    context,
  );
  if (cached !== undefined) usage.cachedInputTokens = cached;
  const reasoning = partOf(
    'reasoningTokens',
    reported.reasoningTokens,
    'outputTokens',
    usage.outputTokens,
    context,
  );
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  return usage;
}

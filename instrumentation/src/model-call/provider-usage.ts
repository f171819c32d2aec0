// Provider usage objects → Tokenmeter's usage (input includes cached, output includes reasoning).
import type { ReportedUsage } from './usage';

type Num = number | null | undefined;

export interface OpenAIChatUsage {
  prompt_tokens?: Num;
  completion_tokens?: Num;
  prompt_tokens_details?: { cached_tokens?: Num } | null;
  completion_tokens_details?: { reasoning_tokens?: Num } | null;
}

export interface OpenAIResponsesUsage {
  input_tokens?: Num;
  output_tokens?: Num;
  input_tokens_details?: { cached_tokens?: Num } | null;
  output_tokens_details?: { reasoning_tokens?: Num } | null;
}

/** Anthropic Messages API: input_tokens excludes cache reads and cache writes. */
export interface AnthropicUsage {
  input_tokens?: Num;
  output_tokens?: Num;
  cache_read_input_tokens?: Num;
  cache_creation_input_tokens?: Num;
}

/** Gemini usageMetadata: candidatesTokenCount excludes thoughtsTokenCount. */
export interface GeminiUsageMetadata {
  promptTokenCount?: Num;
  candidatesTokenCount?: Num;
  cachedContentTokenCount?: Num;
  thoughtsTokenCount?: Num;
}

function sum(...values: Num[]): number | undefined {
  let total: number | undefined;
  for (const value of values) if (typeof value === 'number') total = (total ?? 0) + value;
  return total;
}

export const usageFrom = {
  openaiChat(usage: OpenAIChatUsage | null | undefined): ReportedUsage | undefined {
    if (!usage) return undefined;
    return {
      inputTokens: usage.prompt_tokens,
      outputTokens: usage.completion_tokens ?? 0,
      cachedInputTokens: usage.prompt_tokens_details?.cached_tokens,
      reasoningTokens: usage.completion_tokens_details?.reasoning_tokens,
    };
  },
  openaiResponses(usage: OpenAIResponsesUsage | null | undefined): ReportedUsage | undefined {
    if (!usage) return undefined;
    return {
      inputTokens: usage.input_tokens,
      outputTokens: usage.output_tokens,
      cachedInputTokens: usage.input_tokens_details?.cached_tokens,
      reasoningTokens: usage.output_tokens_details?.reasoning_tokens,
    };
  },
  anthropic(usage: AnthropicUsage | null | undefined): ReportedUsage | undefined {
    if (!usage) return undefined;
    return {
      inputTokens: sum(
        usage.input_tokens,
        usage.cache_read_input_tokens,
        usage.cache_creation_input_tokens,
      ),
      outputTokens: usage.output_tokens,
      cachedInputTokens: usage.cache_read_input_tokens,
    };
  },
  gemini(usage: GeminiUsageMetadata | null | undefined): ReportedUsage | undefined {
    if (!usage) return undefined;
    return {
      inputTokens: usage.promptTokenCount,
      outputTokens: sum(usage.candidatesTokenCount, usage.thoughtsTokenCount),
      cachedInputTokens: usage.cachedContentTokenCount,
      reasoningTokens: usage.thoughtsTokenCount,
    };
  },
};

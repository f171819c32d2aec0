// What an OpenAI answer (whole or streamed) tells about a call.
import type { Attributes } from '@opentelemetry/api';
import type { ModelCallOutcome } from '../model-call/model-call';
import {
  usageFrom,
  type OpenAIChatUsage,
  type OpenAIResponsesUsage,
} from '../model-call/provider-usage';
import * as conventions from '@tokenmeter/conventions';

// Read once (an imported name is a getter call on the package's re-export object at every use).
const { ATTR_GEN_AI_RESPONSE_FINISH_REASONS, ATTR_GEN_AI_RESPONSE_ID } = conventions;

interface ChatChoice {
  finish_reason?: string | null;
  delta?: {
    content?: string | null;
    refusal?: string | null;
    tool_calls?: unknown[] | null;
  } | null;
}

export interface ChatCompletionLike {
  id?: string;
  model?: string;
  choices?: ChatChoice[];
  usage?: OpenAIChatUsage | null;
}

export interface ResponseLike {
  id?: string;
  model?: string;
  status?: string;
  usage?: OpenAIResponsesUsage | null;
}

export interface ResponseStreamEventLike {
  type?: string;
  response?: ResponseLike;
}

export interface EmbeddingsLike {
  model?: string;
  usage?: { prompt_tokens?: number | null } | null;
}

function responseAttributes(
  id: string | undefined,
  finishReasons?: string[],
): Attributes | undefined {
  const hasReasons = finishReasons !== undefined && finishReasons.length > 0;
  if (!id && !hasReasons) return undefined;
  const attributes: Attributes = {};
  if (id) attributes[ATTR_GEN_AI_RESPONSE_ID] = id;
  if (hasReasons) attributes[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = finishReasons;
  return attributes;
}

function finishReasonsOf(choices: ChatChoice[] | undefined): string[] {
  const reasons: string[] = [];
  for (const choice of choices ?? []) if (choice.finish_reason) reasons.push(choice.finish_reason);
  return reasons;
}

export function chatCompletionOutcome(result: ChatCompletionLike): ModelCallOutcome {
  return {
    responseModel: result.model,
    usage: usageFrom.openaiChat(result.usage),
    attributes: responseAttributes(result.id, finishReasonsOf(result.choices)),
  };
}

/** A streamed chat chunk carries output when a choice has content, a refusal or tool-call deltas. */
export function chatChunkHasOutput(chunk: ChatCompletionLike): boolean {
  for (const choice of chunk.choices ?? []) {
    const delta = choice.delta;
    if (
      delta &&
      (delta.content || delta.refusal || (delta.tool_calls && delta.tool_calls.length > 0))
    )
      return true;
  }
  return false;
}

export function chatChunkHasFinishReason(chunk: ChatCompletionLike): boolean {
  for (const choice of chunk.choices ?? []) if (choice.finish_reason) return true;
  return false;
}

/** The final chunk OpenAI sends when stream_options.include_usage is set: usage, no choices. */
export function isUsageOnlyChunk(chunk: ChatCompletionLike): boolean {
  return !!chunk.usage && (chunk.choices?.length ?? 0) === 0;
}

export function responseOutcome(result: ResponseLike): ModelCallOutcome {
  return {
    responseModel: result.model,
    usage: usageFrom.openaiResponses(result.usage),
    attributes: responseAttributes(result.id),
  };
}

export function responseEventHasOutput(event: ResponseStreamEventLike): boolean {
  return typeof event.type === 'string' && event.type.endsWith('.delta');
}

export const RESPONSE_FAILURE_EVENTS = new Set(['response.failed', 'error']);

export function embeddingsOutcome(result: EmbeddingsLike): ModelCallOutcome {
  const input = result.usage?.prompt_tokens;
  return {
    responseModel: result.model,
    usage:
      input === undefined || input === null ? undefined : { inputTokens: input, outputTokens: 0 },
  };
}

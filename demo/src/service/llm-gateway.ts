// The demo service's model calls, through the official `openai` client instrumented by Tokenmeter.
// SYSTEM calls use the operator's key; BYOK calls use the end user's own key (one client per key).
import OpenAI from 'openai';
import { instrumentOpenAI } from '@tokenmeter/instrumentation';
import type { BillingMode } from '@tokenmeter/conventions';

export interface ChatRequest {
  model: string;
  system: string;
  user: string;
  stream: boolean;
  maxTokens?: number;
  billingMode: BillingMode;
  /** The end user's provider key (BYOK). */
  userKey?: string;
}

/** What one model call cost in tokens, as the product shows it to its users (and the traffic generator tallies). */
export interface LlmUsage {
  model: string;
  responseModel?: string;
  status: 'success' | 'error';
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  reasoningTokens: number;
}

export interface ChatResult {
  text: string;
  usage: LlmUsage;
}

/** A model call that failed after the client's retries; carries what the product reports. */
export class LlmCallError extends Error {
  constructor(
    message: string,
    readonly usage: LlmUsage,
  ) {
    super(message);
    this.name = 'LlmCallError';
  }
}

type OpenAIUsage = OpenAI.Completions.CompletionUsage | null | undefined;

function usageOf(model: string, responseModel: string | undefined, usage: OpenAIUsage): LlmUsage {
  return {
    model,
    responseModel,
    status: 'success',
    inputTokens: usage?.prompt_tokens ?? 0,
    outputTokens: usage?.completion_tokens ?? 0,
    cachedInputTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
    reasoningTokens: usage?.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

const MAX_BYOK_CLIENTS = 500;

export class LlmGateway {
  private readonly system: OpenAI;
  private readonly byok = new Map<string, OpenAI>();

  constructor(
    private readonly baseURL: string,
    systemKey: string,
    private readonly timeoutMs = 60_000,
  ) {
    this.system = this.client(systemKey);
  }

  private client(apiKey: string): OpenAI {
    return instrumentOpenAI(
      new OpenAI({ apiKey, baseURL: this.baseURL, timeout: this.timeoutMs, maxRetries: 2 }),
    );
  }

  private clientFor(request: ChatRequest): OpenAI {
    if (request.billingMode !== 'byok') return this.system;
    if (!request.userKey) throw new Error("BYOK requests need the user's provider key");
    let client = this.byok.get(request.userKey);
    if (!client) {
      if (this.byok.size >= MAX_BYOK_CLIENTS) this.byok.clear();
      client = this.client(request.userKey);
      this.byok.set(request.userKey, client);
    }
    return client;
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    const client = this.clientFor(request);
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
      { role: 'system', content: request.system },
      { role: 'user', content: request.user },
    ];
    try {
      if (!request.stream) {
        const completion = await client.chat.completions.create({
          model: request.model,
          messages,
          max_completion_tokens: request.maxTokens,
        });
        return {
          text: completion.choices[0]?.message.content ?? '',
          usage: usageOf(request.model, completion.model, completion.usage),
        };
      }
      const stream = await client.chat.completions.create({
        model: request.model,
        messages,
        max_completion_tokens: request.maxTokens,
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = '';
      let responseModel: string | undefined;
      let usage: OpenAIUsage;
      for await (const chunk of stream) {
        responseModel = chunk.model || responseModel;
        text += chunk.choices[0]?.delta.content ?? '';
        if (chunk.usage) usage = chunk.usage;
      }
      return { text, usage: usageOf(request.model, responseModel, usage) };
    } catch (error) {
      if (error instanceof LlmCallError) throw error;
      throw new LlmCallError(
        `the model provider failed: ${(error as Error).message}`,
        failed(request.model),
      );
    }
  }

  /** Health check of the provider: lists the models (no tokens spent). */
  async ping(): Promise<void> {
    await this.system.models.list({ timeout: 3000, maxRetries: 0 });
  }
}

function failed(model: string): LlmUsage {
  return {
    model,
    status: 'error',
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    reasoningTokens: 0,
  };
}

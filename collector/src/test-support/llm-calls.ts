import type { LlmCall } from '../ledger/llm-call';

// Each call gets its own trace and span id; by default it started an hour ago.
let sequence = 0;
export function testCall(overrides: Partial<LlmCall> = {}): LlmCall {
  sequence++;
  return {
    ts: new Date(Date.now() - 3_600_000 + sequence),
    durationMs: 800 + sequence,
    traceId: sequence.toString(16).padStart(32, 'a'),
    spanId: sequence.toString(16).padStart(16, 'b'),
    service: 'writer-test',
    provider: 'openai',
    operation: 'chat',
    requestModel: 'gpt-4o-mini',
    responseModel: 'gpt-4o-mini-2024-07-18',
    promptName: 'summarise',
    userId: `user-${sequence % 3}`,
    billingMode: 'system',
    plan: 'pro',
    status: 'success',
    errorType: null,
    inputTokens: 1000,
    outputTokens: 200,
    cachedInputTokens: 0,
    reasoningTokens: 0,
    totalTokens: 1200,
    costUsd: 0.00027,
    pricingVersion: '2026-11-01',
    streaming: false,
    timeToFirstTokenMs: null,
    outputTokensPerS: null,
    cacheWriteInputTokens: 0,
    costSource: 'computed',
    reportedCostUsd: null,
    sessionId: null,
    promptVersion: null,
    serviceTier: null,
    attributes: '{}',
    ...overrides,
  };
}

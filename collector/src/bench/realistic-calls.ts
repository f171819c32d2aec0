import type { CallSpec } from '../test-support/genai-spans';

/** A deterministic pseudo-random source, so every benchmark run sends the same traffic. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ModelProfile {
  provider: string;
  model: string;
  snapshot: string;
  operation: string;
  weight: number;
  reasoning?: boolean;
}

const MODELS: ModelProfile[] = [
  { provider: 'openai', model: 'gpt-4o-mini', snapshot: 'gpt-4o-mini-2024-07-18', operation: 'chat', weight: 30 },
  { provider: 'openai', model: 'gpt-4.1', snapshot: 'gpt-4.1-2025-04-14', operation: 'chat', weight: 12 },
  { provider: 'openai', model: 'o4-mini', snapshot: 'o4-mini-2025-04-16', operation: 'chat', weight: 6, reasoning: true },
  { provider: 'openai', model: 'text-embedding-3-small', snapshot: 'text-embedding-3-small', operation: 'embeddings', weight: 15 },
  { provider: 'anthropic', model: 'claude-sonnet-4-5', snapshot: 'claude-sonnet-4-5-20250929', operation: 'chat', weight: 14 },
  { provider: 'anthropic', model: 'claude-haiku-4-5', snapshot: 'claude-haiku-4-5-20251001', operation: 'chat', weight: 8 },
  { provider: 'gcp.gemini', model: 'gemini-2.5-flash', snapshot: 'gemini-2.5-flash', operation: 'generate_content', weight: 8 },
  { provider: 'mistral_ai', model: 'mistral-small', snapshot: 'mistral-small-2506', operation: 'chat', weight: 4 },
  { provider: 'meta', model: 'llama-3.3-70b-instruct', snapshot: 'llama-3.3-70b-instruct', operation: 'chat', weight: 2 },
  { provider: 'acme', model: 'in-house-ranker-v2', snapshot: 'in-house-ranker-v2', operation: 'chat', weight: 1 },
];

// Each feature (prompt) is built on one model, as in production; 5 % of its calls fall back to another.
const PROMPTS: { name: string; model: string }[] = [
  { name: 'node-recommendations', model: 'gpt-4.1' },
  { name: 'channel-summary', model: 'gpt-4o-mini' },
  { name: 'fee-explainer', model: 'gpt-4o-mini' },
  { name: 'support-chat', model: 'claude-sonnet-4-5' },
  { name: 'search-rerank', model: 'text-embedding-3-small' },
  { name: 'invoice-extract', model: 'gemini-2.5-flash' },
  { name: 'onboarding-tips', model: 'claude-haiku-4-5' },
  { name: 'risk-notes', model: 'o4-mini' },
  { name: 'weekly-digest', model: 'mistral-small' },
  { name: 'sql-assistant', model: 'llama-3.3-70b-instruct' },
  { name: 'ranker-experiment', model: 'in-house-ranker-v2' },
];
const SERVICES = ['lightning-api', 'recommendation-worker', 'support-bot'];
const ERRORS = ['timeout', 'rate_limit_exceeded', '500', 'context_length_exceeded'];
const FINISH = ['stop', 'length', 'tool_calls'];

/** Live traffic: the last hour, never before today's UTC midnight (earlier days are closed, ledger/day-closing). */
export function liveSpreadMs(nowMs: number): number {
  return Math.min(3_600_000, nowMs % 86_400_000);
}

/**
 * Model calls as a production service makes them: a few hundred users with a fixed plan and
 * billing mode, a handful of prompts, a weighted model mix, 3 % errors, a third streamed, cached
 * prompt tokens on repeated prompts, over the last `spreadMs`.
 */
export function realisticCalls(count: number, seed = 42, nowMs = Date.now(), spreadMs = liveSpreadMs(nowMs)): CallSpec[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const totalWeight = MODELS.reduce((sum, model) => sum + model.weight, 0);
  const byWeight = (): ModelProfile => {
    let r = random() * totalWeight;
    for (const model of MODELS) if ((r -= model.weight) < 0) return model;
    return MODELS[0]!;
  };
  const modelOf = new Map(MODELS.map((model) => [model.model, model]));
  const calls: CallSpec[] = [];
  for (let i = 0; i < count; i++) {
    // Features are used as often as their model's weight says.
    const weighted = byWeight();
    const prompt = PROMPTS.find((p) => p.model === weighted.model) ?? PROMPTS[0]!;
    const profile = random() < 0.05 && weighted.operation !== 'embeddings' ? modelOf.get('gpt-4o-mini')! : weighted;
    const user = Math.floor(random() ** 2 * 400);
    const embeddings = profile.operation === 'embeddings';
    const inputTokens = embeddings ? 50 + Math.floor(random() * 500) : 300 + Math.floor(random() * 6000);
    const outputTokens = embeddings ? 0 : 20 + Math.floor(random() * 1200);
    const streamed = !embeddings && random() < 0.33;
    const durationMs = embeddings ? 40 + random() * 200 : 300 + outputTokens * (8 + random() * 20);
    const failed = random() < 0.03;
    calls.push({
      service: SERVICES[user % SERVICES.length],
      startMs: nowMs - spreadMs * (1 - i / count) + random() * 1000,
      durationMs,
      operation: profile.operation,
      provider: profile.provider,
      requestModel: profile.model,
      responseModel: profile.snapshot,
      inputTokens,
      outputTokens: failed ? 0 : outputTokens,
      cachedInputTokens: random() < 0.4 ? Math.floor(inputTokens * 0.6) : undefined,
      reasoningTokens: profile.reasoning && !failed ? Math.floor(outputTokens * 0.5) : undefined,
      userId: `usr_${(user * 2654435761 % 4294967296).toString(16).padStart(8, '0')}`,
      promptName: prompt.name,
      billingMode: user % 7 === 0 ? 'byok' : 'system',
      plan: user % 5 === 0 ? 'free' : 'pro',
      error: failed ? pick(ERRORS) : undefined,
      // The first token comes before the end of the call (the sink refuses a stream timing longer
      // than its span); the random draw is kept so the traffic stays the same otherwise.
      timeToFirstTokenMs: streamed ? Math.min(150 + random() * 600, durationMs * 0.8) : undefined,
      extra: {
        'gen_ai.response.id': `resp_${i.toString(36)}_${Math.floor(random() * 1e9).toString(36)}`,
        'gen_ai.response.finish_reasons': pick(FINISH),
        'gen_ai.request.temperature': 0.2,
        'gen_ai.request.max_tokens': 2048,
        'server.address': `api.${profile.provider.replace(/\W/g, '')}.example`,
      },
    });
  }
  return calls;
}

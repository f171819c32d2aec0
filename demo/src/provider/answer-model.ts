// What the simulated provider answers, as a pure function of the request: the same seed and the
// same request content always give the same tokens, latency and failures, whatever the order or
// concurrency of requests, so a seeded traffic run is reproducible end to end.
import { SeededRandom } from '../random';
import { demoModel, type DemoModel } from '../world';

export interface SimulationSettings {
  seed: string;
  /** Chance that one attempt fails transiently (429 or 503; the openai client retries those). */
  transientErrorRate: number;
  /** Chance that a request is refused for good (400 context_length_exceeded; never retried). */
  rejectRate: number;
  /** Multiplies every delay: 1 is realistic, 0 answers at once. */
  latencyScale: number;
}

export const DEFAULT_SIMULATION: SimulationSettings = {
  seed: 'tokenmeter-demo',
  transientErrorRate: 0.03,
  rejectRate: 0.02,
  latencyScale: 1,
};

export interface AnsweredUsage {
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  reasoningTokens: number;
}

export type Answer =
  | { kind: 'failure'; status: number; type: string; code: string | null; message: string }
  | {
      kind: 'completion';
      model: DemoModel;
      usage: AnsweredUsage;
      text: string;
      finishReason: 'stop' | 'length';
      firstTokenMs: number;
      generationMs: number;
    };

const WORDS = (
  'channel liquidity route fee inbound outbound peer capacity balance rebalance node payment ' +
  'forward uptime htlc policy base rate ppm reliable close open splice onchain sats routing ' +
  'success failure probe graph hub wallet upgrade backup watchtower'
).split(' ');

/** Tokens of a prompt, at the usual ~4 characters per token plus a little per message. */
export function estimateTokens(text: string, messages = 1): number {
  return Math.ceil(text.length / 4) + 4 * messages;
}

/** The provider's answer to one chat request attempt (`attempt` 0 is the first try). */
export function answerChat(
  settings: SimulationSettings,
  request: {
    model: string;
    promptText: string;
    messages: number;
    maxTokens?: number;
    attempt: number;
  },
): Answer {
  const model = demoModel(request.model);
  if (!model) {
    return {
      kind: 'failure',
      status: 404,
      type: 'invalid_request_error',
      code: 'model_not_found',
      message: `The model \`${request.model}\` does not exist or you do not have access to it.`,
    };
  }
  const random = new SeededRandom(settings.seed, model.name, request.promptText);
  if (random.chance(settings.rejectRate)) {
    return {
      kind: 'failure',
      status: 400,
      type: 'invalid_request_error',
      code: 'context_length_exceeded',
      message: "This model's maximum context length was exceeded by the request's messages.",
    };
  }
  const attemptRandom = new SeededRandom(
    settings.seed,
    model.name,
    request.promptText,
    'attempt',
    request.attempt,
  );
  if (attemptRandom.chance(settings.transientErrorRate)) {
    return attemptRandom.chance(0.7)
      ? {
          kind: 'failure',
          status: 429,
          type: 'requests',
          code: 'rate_limit_exceeded',
          message: 'Rate limit reached for requests per minute.',
        }
      : {
          kind: 'failure',
          status: 503,
          type: 'server_error',
          code: null,
          message: 'The engine is currently overloaded, please try again later.',
        };
  }

  const promptTokens = estimateTokens(request.promptText, request.messages);
  // Prompt caching applies from 1024 tokens, in 128-token steps of the shared prefix.
  const cachedTokens =
    promptTokens >= 1024 && random.chance(0.55)
      ? Math.floor(random.int(1024, promptTokens) / 128) * 128
      : 0;
  let visible = Math.round(random.around(320, 220, 24, 900));
  let reasoning = model.reasoning ? Math.round(random.around(380, 300, 0, 1600)) : 0;
  let finishReason: 'stop' | 'length' = 'stop';
  if (request.maxTokens !== undefined && visible + reasoning > request.maxTokens) {
    reasoning = Math.min(reasoning, Math.floor(request.maxTokens / 2));
    visible = Math.max(0, request.maxTokens - reasoning);
    finishReason = 'length';
  }
  const words: string[] = [];
  for (let i = 0; i < visible; i++) words.push(random.pick(WORDS));
  const speed = model.tokensPerSecond * random.around(1, 0.25, 0.5, 1.5);
  return {
    kind: 'completion',
    model,
    usage: {
      promptTokens,
      cachedTokens,
      completionTokens: visible + reasoning,
      reasoningTokens: reasoning,
    },
    text: words.join(' '),
    finishReason,
    firstTokenMs:
      settings.latencyScale *
      (model.firstTokenMs * random.around(1, 0.35, 0.4, 2.5) + (reasoning / speed) * 1000),
    generationMs: settings.latencyScale * (visible / speed) * 1000,
  };
}

// The known data set the browser test loads into a real PostgreSQL (through the real usage sink)
// and a real Prometheus, and whose figures it then expects to see on the pages.

export const SERVICE = 'node-insights';

export interface KnownCall {
  /** Position in "today" (see callTimes): today's calls all fall inside the last hour and today's UTC date. */
  today?: number;
  daysAgo?: number;
  user: string;
  prompt: string;
  model: string;
  plan: 'free' | 'pro';
  billingMode: 'system' | 'byok';
  errorType?: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costUsd: number;
  durationMs: number;
}

const alice = { user: 'user-alice-0001', plan: 'pro', billingMode: 'system' } as const;
const bob = { user: 'user-bob-000002', plan: 'free', billingMode: 'system' } as const;
const carol = { user: 'user-carol-0003', plan: 'pro', billingMode: 'byok' } as const;

export const KNOWN_CALLS: KnownCall[] = [
  { today: 0, ...alice, prompt: 'summarize-ticket', model: 'gpt-4.1-mini', inputTokens: 1200, outputTokens: 300, cachedInputTokens: 200, costUsd: 0.0125, durationMs: 850 },
  { today: 1, ...bob, prompt: 'draft-reply', model: 'gpt-4.1-mini', inputTokens: 800, outputTokens: 200, cachedInputTokens: 0, costUsd: 0.004, durationMs: 640 },
  { today: 2, ...bob, prompt: 'draft-reply', model: 'gpt-4.1-mini', inputTokens: 900, outputTokens: 250, cachedInputTokens: 0, costUsd: 0.0045, durationMs: 700 },
  { today: 3, ...bob, prompt: 'classify-intent', model: 'gpt-4.1-mini', errorType: 'timeout', inputTokens: 500, outputTokens: 0, cachedInputTokens: 0, costUsd: 0.001, durationMs: 2600 },
  { today: 4, ...bob, prompt: 'draft-reply', model: 'gpt-4.1-mini', inputTokens: 700, outputTokens: 150, cachedInputTokens: 0, costUsd: 0.0035, durationMs: 600 },
  { daysAgo: 1, ...carol, prompt: 'summarize-ticket', model: 'gpt-5', inputTokens: 3000, outputTokens: 1200, cachedInputTokens: 1000, costUsd: 0.048, durationMs: 1900 },
  { daysAgo: 2, ...alice, prompt: 'summarize-ticket', model: 'gpt-5', inputTokens: 2500, outputTokens: 900, cachedInputTokens: 0, costUsd: 0.039, durationMs: 1700 },
  { daysAgo: 5, ...alice, prompt: 'classify-intent', model: 'gpt-4.1-mini', inputTokens: 400, outputTokens: 20, cachedInputTokens: 0, costUsd: 0.0008, durationMs: 300 },
  { daysAgo: 9, ...carol, prompt: 'draft-reply', model: 'gpt-5', inputTokens: 1500, outputTokens: 600, cachedInputTokens: 0, costUsd: 0.025, durationMs: 1200 },
  { daysAgo: 12, ...alice, prompt: 'summarize-ticket', model: 'gpt-5', inputTokens: 2800, outputTokens: 1000, cachedInputTokens: 0, costUsd: 0.045, durationMs: 2100 },
];

/**
 * Start time of each call. Today's calls are spread over at most the last 50 minutes and never
 * before today's UTC midnight, so "last hour" and "today" figures hold whenever the test runs.
 */
export function callTimes(now: Date): Date[] {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const step = Math.min(10 * 60_000, (now.getTime() - midnight) / 6);
  return KNOWN_CALLS.map((call) =>
    call.today !== undefined
      ? new Date(now.getTime() - 60_000 - call.today * step)
      : new Date(now.getTime() - (call.daysAgo ?? 0) * 86_400_000)
  );
}

/** Prometheus counters: every increment happens 40 minutes before the test starts. */
export const PROM_KNOWN: {
  routes: Array<{ route: string; ok: number; serverErrors: number; seconds: number }>;
  llmRequests: Array<{ model: string; plan: string; billingMode: string; errorType?: string; count: number; seconds: number }>;
  events: Array<{ name: string; type: string; count: number }>;
  cache: { hit: number; miss: number };
  health: Array<{ component: string; up: number }>;
  /** The dependency checks last ran this many minutes before the test starts. */
  lastCheckMinutesAgo: number;
  /** Streamed calls' time to first chunk: calls per second, and the share of calls at or under each bound. */
  timeToFirstChunk: { callsPerSecond: number; bucketShares: Array<[string, number]> };
} = {
  routes: [
    { route: '/api/v1/node/{pubkey}/info', ok: 60, serverErrors: 0, seconds: 0.04 },
    { route: '/api/v1/recommendations', ok: 21, serverErrors: 3, seconds: 0.3 },
  ],
  llmRequests: [
    { model: 'gpt-4.1-mini', plan: 'free', billingMode: 'system', count: 3, seconds: 0.7 },
    { model: 'gpt-4.1-mini', plan: 'free', billingMode: 'system', errorType: 'timeout', count: 1, seconds: 2.6 },
    { model: 'gpt-4.1-mini', plan: 'pro', billingMode: 'system', count: 1, seconds: 0.85 },
    { model: 'gpt-5', plan: 'pro', billingMode: 'byok', count: 2, seconds: 1.8 },
  ],
  events: [
    { name: 'recommendation.generated', type: 'upgrade', count: 9 },
    { name: 'recommendation.viewed', type: 'upgrade', count: 4 },
    { name: 'recommendation.implemented', type: 'upgrade', count: 2 },
  ],
  cache: { hit: 30, miss: 10 },
  health: [
    { component: 'postgres', up: 1 },
    { component: 'redis', up: 0 },
    { component: 'openai', up: 1 },
  ],
  lastCheckMinutesAgo: 5,
  timeToFirstChunk: {
    callsPerSecond: 0.1,
    bucketShares: [
      ['0.1', 0.2],
      ['0.25', 0.6],
      ['0.5', 0.9],
      ['1', 1],
      ['+Inf', 1],
    ],
  },
};

export const KNOWN_FIGURES = {
  requests: KNOWN_CALLS.length,
  activeUsers: new Set(KNOWN_CALLS.map((call) => call.user)).size,
  costUsd: KNOWN_CALLS.reduce((sum, call) => sum + call.costUsd, 0),
  apiCallsLastHour: PROM_KNOWN.routes.reduce((sum, route) => sum + route.ok + route.serverErrors, 0),
  llmRequestsLastHour: PROM_KNOWN.llmRequests.reduce((sum, series) => sum + series.count, 0),
  recommendationsGeneratedLastHour: PROM_KNOWN.events.find((event) => event.name === 'recommendation.generated')!.count,
  cacheHitRate: PROM_KNOWN.cache.hit / (PROM_KNOWN.cache.hit + PROM_KNOWN.cache.miss),
};

import type { FixtureCall } from './ledger-fixture';

// The known data set of the SQL tests: a few calls placed relative to today's UTC midnight (D0),
// chosen so that every figure the panels show can be worked out by hand.

const DAY_MS = 86_400_000;
export const D0 = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
/** D0 − `days` days + `time` (HH:MM[:SS.mmm]). */
export const at = (days: number, time: string): Date => {
  const [h = 0, m = 0, s = 0] = time.split(':').map(Number);
  return new Date(D0.getTime() - days * DAY_MS + ((h * 60 + m) * 60 + s) * 1000);
};
/** D0 − `days` as YYYY-MM-DD. */
export const dayOf = (days: number): string => at(days, '0:0').toISOString().slice(0, 10);

export const ALICE = 'user-alice-0001';
export const BOB = 'user-bob-0002';
export const CAROL = 'carol';

const gpt = { provider: 'openai', model: 'gpt-4o' } as const;
const claude = { provider: 'anthropic', model: 'claude-sonnet-4' } as const;
const mistral = { provider: 'mistral_ai', model: 'mistral-small' } as const;
const api = { service: 'api', billingMode: 'system', plan: 'pro', status: 'success' } as const;
const carolFree = {
  ...api,
  ...mistral,
  userId: CAROL,
  promptName: 'recommend',
  plan: 'free',
} as const;

/** The period most tests read: two partial days at the edges and whole days between. */
export const PERIOD = { from: at(9, '06:00'), to: at(2, '18:00') };

export const KNOWN_CALLS: FixtureCall[] = [
  // Before and after PERIOD.
  {
    ...api,
    ...gpt,
    ts: at(9, '05:00'),
    userId: ALICE,
    promptName: 'summarize',
    inputTokens: 1000,
    outputTokens: 100,
    costUsd: '1.0',
    durationMs: 500,
  },
  {
    ...api,
    ...gpt,
    ts: at(2, '19:00'),
    userId: ALICE,
    promptName: 'chat',
    inputTokens: 999,
    outputTokens: 99,
    costUsd: '2.0',
    durationMs: 400,
  },
  // Inside PERIOD: 12 calls.
  {
    ...api,
    ...gpt,
    ts: at(9, '06:00'),
    userId: ALICE,
    promptName: 'summarize',
    inputTokens: 2000,
    outputTokens: 200,
    cachedInputTokens: 500,
    costUsd: '0.0125',
    durationMs: 800,
  },
  {
    ...api,
    ...claude,
    ts: at(9, '12:00'),
    userId: BOB,
    promptName: 'chat',
    billingMode: 'byok',
    inputTokens: 3000,
    outputTokens: 300,
    costUsd: '0.0135',
    durationMs: 1200,
  },
  {
    ...api,
    ...gpt,
    ts: at(8, '10:00'),
    userId: ALICE,
    promptName: 'chat',
    status: 'error',
    errorType: 'timeout',
    inputTokens: 100,
    outputTokens: 0,
    costUsd: '0.00025',
    durationMs: 3000,
  },
  {
    ...carolFree,
    ts: at(8, '11:00'),
    inputTokens: 400,
    outputTokens: 100,
    costUsd: '0.00007',
    durationMs: 300,
  },
  {
    ...carolFree,
    ts: at(8, '11:10'),
    inputTokens: 400,
    outputTokens: 100,
    costUsd: '0.00007',
    durationMs: 300,
  },
  {
    ...carolFree,
    ts: at(8, '11:20'),
    inputTokens: 400,
    outputTokens: 100,
    costUsd: '0.00007',
    durationMs: 300,
  },
  {
    ...carolFree,
    ts: at(8, '11:30'),
    inputTokens: 400,
    outputTokens: 100,
    costUsd: '0.00007',
    durationMs: 300,
  },
  {
    ...api,
    ...gpt,
    service: 'batch',
    ts: at(5, '09:00'),
    userId: ALICE,
    promptName: 'summarize',
    inputTokens: 10000,
    outputTokens: 1000,
    costUsd: '0.035',
    durationMs: 2000,
  },
  {
    ...api,
    provider: 'openai',
    model: 'unpriced-model',
    ts: at(5, '09:30'),
    userId: null,
    promptName: null,
    inputTokens: 50,
    outputTokens: 50,
    costUsd: null,
    durationMs: 100,
  },
  {
    ...api,
    ...claude,
    ts: at(3, '23:59:59.999'),
    userId: BOB,
    promptName: 'summarize',
    billingMode: 'byok',
    inputTokens: 1000,
    outputTokens: 500,
    reasoningTokens: 200,
    costUsd: '0.0105',
    durationMs: 900,
  },
  {
    ...api,
    ...gpt,
    ts: at(2, '17:00'),
    userId: ALICE,
    promptName: 'chat',
    inputTokens: 1500,
    outputTokens: 500,
    costUsd: '0.00875',
    durationMs: 600,
  },
  {
    ...api,
    ...claude,
    ts: at(2, '18:00'),
    userId: BOB,
    promptName: 'chat',
    billingMode: 'byok',
    inputTokens: 500,
    outputTokens: 100,
    costUsd: '0.003',
    durationMs: 700,
  },
  // Today, in its first seconds: carol goes over the FREE quota (4 > 3).
  ...[1, 2, 3, 4].map((s) => ({
    ...carolFree,
    ts: at(0, `00:00:0${s}`),
    inputTokens: 100,
    outputTokens: 10,
    costUsd: '0.00001',
    durationMs: 50,
  })),
  {
    ...api,
    ...claude,
    ts: at(0, '00:00:05'),
    userId: BOB,
    promptName: 'chat',
    billingMode: 'byok',
    inputTokens: 100,
    outputTokens: 10,
    costUsd: '0.0005',
    durationMs: 50,
  },
];

/** Every dashboard variable at "All". */
export const ALL_VARS = {
  service: ['api', 'batch'],
  model: ['claude-sonnet-4', 'gpt-4o', 'mistral-small', 'unpriced-model'],
  billing_mode: ['system', 'byok'],
  plan: ['free', 'pro'],
  free_quota: '3',
  user: '',
};

// The demo's product world, shared by the simulated provider, the demo service and the traffic
// generator: which models exist, which prompts (features) the product has, and who its users are.
import type { BillingMode, Plan } from '@tokenmeter/conventions';
import { SeededRandom } from './random';

export interface DemoModel {
  /** Name the product requests. */
  name: string;
  /** Dated snapshot the provider answers with (gen_ai.response.model). */
  snapshot: string;
  /** Whether the model reports reasoning tokens. */
  reasoning: boolean;
  /** Typical output speed, tokens per second. */
  tokensPerSecond: number;
  /** Typical time to first token, ms. */
  firstTokenMs: number;
}

export const DEMO_MODELS: readonly DemoModel[] = [
  {
    name: 'gpt-5.4-mini',
    snapshot: 'gpt-5.4-mini-2026-03-05',
    reasoning: true,
    tokensPerSecond: 160,
    firstTokenMs: 380,
  },
  {
    name: 'gpt-5.4',
    snapshot: 'gpt-5.4-2026-03-05',
    reasoning: true,
    tokensPerSecond: 75,
    firstTokenMs: 900,
  },
  {
    name: 'gpt-4.1-mini',
    snapshot: 'gpt-4.1-mini-2025-04-14',
    reasoning: false,
    tokensPerSecond: 120,
    firstTokenMs: 320,
  },
  {
    name: 'o4-mini',
    snapshot: 'o4-mini-2025-04-16',
    reasoning: true,
    tokensPerSecond: 110,
    firstTokenMs: 1400,
  },
  {
    name: 'gpt-4o-mini',
    snapshot: 'gpt-4o-mini-2024-07-18',
    reasoning: false,
    tokensPerSecond: 140,
    firstTokenMs: 300,
  },
];

export function demoModel(name: string): DemoModel | undefined {
  return DEMO_MODELS.find((model) => model.name === name || model.snapshot === name);
}

/** The product's prompts (features): the tokenmeter.prompt.name of their calls. */
export const PROMPTS = {
  nodePriorities: 'node_priorities',
  assistantChat: 'assistant_chat',
  channelSummary: 'channel_summary',
  feeAdvice: 'fee_advice',
} as const;
export type PromptName = (typeof PROMPTS)[keyof typeof PROMPTS];

/** Which model a prompt runs on for a plan (FREE gets the small models). */
export function modelFor(prompt: PromptName, plan: Plan): string {
  if (plan === 'free') return prompt === PROMPTS.assistantChat ? 'gpt-4o-mini' : 'gpt-5.4-mini';
  switch (prompt) {
    case PROMPTS.nodePriorities:
      return 'gpt-5.4';
    case PROMPTS.feeAdvice:
      return 'o4-mini';
    case PROMPTS.channelSummary:
      return 'gpt-4.1-mini';
    default:
      return 'gpt-5.4-mini';
  }
}

/** Recommendation kinds the node_priorities prompt produces (the event.type label). */
export const RECOMMENDATION_TYPES = [
  'open_channel',
  'close_channel',
  'rebalance',
  'adjust_fees',
  'upgrade_node',
] as const;
export type RecommendationType = (typeof RECOMMENDATION_TYPES)[number];

export interface DemoUser {
  id: string;
  plan: Plan;
  billingMode: BillingMode;
  /** Relative activity: a few heavy users and a long tail. */
  weight: number;
  /** The Lightning node the user operates (33-byte compressed public key, hex). */
  pubkey: string;
}

/** `count` users drawn from `seed`: ~35 % FREE, and a quarter of PRO users on their own key (BYOK). */
export function demoUsers(seed: string, count: number): DemoUser[] {
  const random = new SeededRandom(seed, 'users');
  const users: DemoUser[] = [];
  for (let i = 0; i < count; i++) {
    const plan: Plan = random.chance(0.35) ? 'free' : 'pro';
    const billingMode: BillingMode = plan === 'pro' && random.chance(0.25) ? 'byok' : 'system';
    users.push({
      id: `usr_${random.hex(12)}`,
      plan,
      billingMode,
      weight: 1 / (i + 1) ** 0.8,
      pubkey: `0${random.pick(['2', '3'])}${random.hex(64)}`,
    });
  }
  return users;
}

// What the demo's users ask the assistant (the `prompt` of POST /api/v1/complete).
import type { SeededRandom } from '../random';
import { PROMPTS, type PromptName } from '../world';

const TOPICS = [
  'inbound liquidity',
  'my largest channel',
  'routing fees',
  'failed forwards',
  'a new peer',
  'channel rebalancing',
  'on-chain fees',
  'uptime',
];

export function questionFor(random: SeededRandom, prompt: PromptName): string {
  const topic = random.pick(TOPICS);
  switch (prompt) {
    case PROMPTS.channelSummary:
      return `Summarise the last week of my channels, with attention to ${topic}. ${'Include every channel with its balance and forwards. '.repeat(random.int(2, 30))}`;
    case PROMPTS.feeAdvice:
      return `What fee policy should I set, considering ${topic}? My current base fee is ${random.int(0, 1000)} msat and rate ${random.int(1, 2000)} ppm.`;
    default:
      return `How should I think about ${topic} for a node with ${random.int(2, 150)} channels?`;
  }
}

// The demo product's prompt templates. The system prompts are long on purpose, as real ones are:
// their shared prefix is what the provider's prompt cache serves (cached input tokens).
import { RECOMMENDATION_TYPES } from '../world';
import type { NodeInfo } from './node-directory';

const HOUSE_RULES = [
  'You are the routing assistant of a Lightning Network node management product.',
  'Answer for node operators: be concrete, cite channel and fee figures, never invent balances.',
  'Prefer actions that improve routing reliability over actions that only raise revenue.',
  'When liquidity is unbalanced, explain the direction of the imbalance and the cost to fix it.',
  'Fee advice must state the base fee in millisatoshis and the proportional rate in ppm.',
  'Never advise closing a channel that forwarded payments in the last seven days without saying so.',
  'Keep every recommendation actionable within one day and explain its expected effect.',
].join('\n');

/** About 1,300 tokens of stable instructions: long enough for the provider's prompt cache. */
const PRIORITIES_SYSTEM = `${HOUSE_RULES}\n\nKinds of recommendation you may give: ${RECOMMENDATION_TYPES.join(', ')}.\n${'Scoring guide: weigh uptime, channel count, capacity and fee policy against the network median. '.repeat(50)}`;

const ASSISTANT_SYSTEM = `${HOUSE_RULES}\n${"Answer the operator's question in at most three short paragraphs. ".repeat(12)}`;

export function prioritiesPrompt(
  node: NodeInfo,
  requestId: string,
): { system: string; user: string } {
  return {
    system: PRIORITIES_SYSTEM,
    user: `Request ${requestId}. Rank the three most valuable actions for this node:\n${JSON.stringify(node)}`,
  };
}

export function assistantPrompt(
  question: string,
  requestId: string,
): { system: string; user: string } {
  return { system: ASSISTANT_SYSTEM, user: `Request ${requestId}.\n${question}` };
}

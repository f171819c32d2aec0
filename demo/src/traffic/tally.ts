// What a traffic run sent, counted the way the ledger counts it: one call per model call (failed
// ones included, with no tokens), tokens as the provider reported them, cost from the pricing
// catalog at the time of the call.
import { GEN_AI_PROVIDER, priceModelCall, PricingCatalog } from '@tokenmeter/conventions';
import type { LlmUsage } from '../service/llm-gateway';

/** One model call as the demo service reports it. */
export type CallRecord = LlmUsage;

export interface Totals {
  calls: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  reasoningTokens: number;
  totalTokens: number;
  costUsd: number;
}

const emptyTotals = (): Totals => ({
  calls: 0,
  errors: 0,
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  reasoningTokens: 0,
  totalTokens: 0,
  costUsd: 0,
});

function addTo(totals: Totals, call: CallRecord, costUsd: number): void {
  totals.calls++;
  if (call.status === 'error') totals.errors++;
  totals.inputTokens += call.inputTokens;
  totals.outputTokens += call.outputTokens;
  totals.cachedInputTokens += call.cachedInputTokens;
  totals.reasoningTokens += call.reasoningTokens;
  totals.totalTokens += call.inputTokens + call.outputTokens;
  totals.costUsd += costUsd;
}

/** The cost of one call as the instrumentation prices it: answering snapshot first, then the requested model. */
export function costOf(
  catalog: PricingCatalog,
  call: CallRecord,
  at: Date,
): { costUsd: number; pricingVersion: string } | undefined {
  if (call.status === 'error' && call.inputTokens + call.outputTokens === 0) return undefined;
  const usage = {
    inputTokens: call.inputTokens,
    outputTokens: call.outputTokens,
    cachedInputTokens: call.cachedInputTokens,
    reasoningTokens: call.reasoningTokens,
  };
  const { priced } = priceModelCall(catalog, {
    provider: GEN_AI_PROVIDER.openai,
    requestModel: call.model,
    responseModel: call.responseModel,
    usage,
    at,
  });
  return priced && { costUsd: priced.costUsd, pricingVersion: priced.pricingVersion };
}

export class Tally {
  readonly total = emptyTotals();
  readonly byModel = new Map<string, Totals>();
  readonly byUser = new Map<string, Totals>();
  /** Service requests that failed outside a model call (HTTP 4xx/5xx without model usage, network errors). */
  httpFailures = 0;
  /** Service requests answered, model calls or not. */
  httpRequests = 0;

  constructor(readonly catalog: PricingCatalog = PricingCatalog.load()) {}

  add(
    call: CallRecord,
    userId: string | undefined,
    at: Date,
    costUsd = costOf(this.catalog, call, at)?.costUsd ?? 0,
  ): void {
    addTo(this.total, call, costUsd);
    const model = this.byModel.get(call.model) ?? emptyTotals();
    addTo(model, call, costUsd);
    this.byModel.set(call.model, model);
    if (userId !== undefined) {
      const user = this.byUser.get(userId) ?? emptyTotals();
      addTo(user, call, costUsd);
      this.byUser.set(userId, user);
    }
  }

  merge(other: Tally): this {
    for (const key of Object.keys(this.total) as (keyof Totals)[])
      this.total[key] += other.total[key];
    for (const [target, source] of [
      [this.byModel, other.byModel],
      [this.byUser, other.byUser],
    ] as const) {
      for (const [key, totals] of source) {
        const into = target.get(key) ?? emptyTotals();
        for (const field of Object.keys(totals) as (keyof Totals)[]) into[field] += totals[field];
        target.set(key, into);
      }
    }
    this.httpFailures += other.httpFailures;
    this.httpRequests += other.httpRequests;
    return this;
  }

  toJSON(): {
    total: Totals;
    byModel: Record<string, Totals>;
    httpRequests: number;
    httpFailures: number;
  } {
    return {
      total: { ...this.total },
      byModel: Object.fromEntries(this.byModel),
      httpRequests: this.httpRequests,
      httpFailures: this.httpFailures,
    };
  }
}

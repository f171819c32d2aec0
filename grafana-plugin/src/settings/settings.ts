/** What the operator sets on the Configuration page; saved in the plugin's jsonData. */
export interface TokenmeterSettings {
  prometheusUid: string;
  postgresUid: string;
  /** Cost over the selected period: orange at `costWarnUsd`, red at `costCriticalUsd`. */
  costWarnUsd: number;
  costCriticalUsd: number;
  /** p95 model-call latency. */
  latencyWarnMs: number;
  latencyCriticalMs: number;
  /** Error rate as a fraction (0.05 = 5 %). */
  errorRateWarn: number;
  errorRateCritical: number;
  monthlyBudgetUsd: number;
  /** FREE plan: executions per user per UTC day. */
  freeDailyQuota: number;
}

export type TokenmeterJsonData = Partial<TokenmeterSettings>;

// The alert thresholds (docs/features.md D1) — the one place to change them. After editing, run
// `npm run generate -w provisioning` to rewrite provisioning/grafana/alerting/rules.yaml (the
// dashboards' colour thresholds follow the same numbers).
import { DEFAULT_FREE_QUOTA } from '../../queries/variables';

export const ALERT_THRESHOLDS = {
  /** Cost of all model calls over `costWindow` above which "High LLM cost" fires, USD. */
  costUsd: 100,
  /** The window the cost rule sums over (Grafana relative time range). */
  costWindow: '24h',
  /** p95 model-call latency above which "Slow model calls" fires, ms. */
  p95LatencyMs: 2000,
  /** Share of failed model calls above which "High LLM error rate" fires, percent. */
  errorRatePercent: 5,
  /** Monthly budget, USD: "Monthly budget at risk" fires when the month-end projection exceeds it. */
  monthlyBudgetUsd: 1000,
  /** FREE plan executions per user per day (docs/features.md A4): "FREE quota exceeded" fires above it. */
  freeDailyQuota: DEFAULT_FREE_QUOTA,
} as const;

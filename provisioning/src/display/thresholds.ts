// The one place for the thresholds and colours every screen and alert rule uses (docs/features.md
// D1, E1): the provisioned dashboards, the app plugin's defaults and the alert rules read them from
// here. After editing, run `npm run generate -w provisioning` to rewrite provisioning/grafana.
import { DEFAULT_FREE_QUOTA } from '../queries/variables';

/** docs/features.md E1: green normal, orange to watch, red critical; one accent colour for AI usage. */
export const COLOURS = {
  ok: 'green',
  watch: 'orange',
  critical: 'red',
  /** Accent for AI usage (model calls, tokens, cost). */
  ai: 'purple',
  neutral: 'text',
} as const;

/** Share of an alert threshold from which a figure turns orange ("to watch"). */
export const WATCH_SHARE = 0.8;

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
  /** Minutes without any model call from a service that sent some the day before: "Service went silent". */
  silentServiceMinutes: 60,
} as const;

/** A figure's colour levels: orange from `watch`, red from `critical` (both in the figure's unit). */
export interface Levels {
  watch: number;
  critical: number;
}

const levels = (critical: number): Levels => ({ watch: critical * WATCH_SHARE, critical });

/** The colour levels of each figure with a good and a bad side, derived from the alert thresholds. */
export const DISPLAY_LEVELS = {
  /** Cost of a period, a user or a prompt, USD. */
  costUsd: levels(ALERT_THRESHOLDS.costUsd),
  /** Month-end projection against the monthly budget, USD. */
  monthlyBudgetUsd: levels(ALERT_THRESHOLDS.monthlyBudgetUsd),
  /** p95 / average model-call latency, ms. */
  latencyMs: levels(ALERT_THRESHOLDS.p95LatencyMs),
  /** Share of failed model calls or HTTP 5xx responses (0–1). */
  errorRate: levels(ALERT_THRESHOLDS.errorRatePercent / 100),
  /** HTTP p95 latency, ms (no alert rule: services differ too much). */
  httpLatencyMs: { watch: 500, critical: 1000 },
} as const satisfies Record<string, Levels>;

export type LevelName = keyof typeof DISPLAY_LEVELS;

/** A threshold step as Grafana's JSON writes it (`null` is the base step, minus infinity). */
export interface ThresholdStep {
  color: string;
  value: number | null;
}

/** Green below `watch`, orange from it, red from `critical`. */
export function risingSteps({ watch, critical }: Levels): ThresholdStep[] {
  if (!(watch <= critical)) {
    throw new Error(`Threshold "watch" (${watch}) must not exceed "critical" (${critical})`);
  }
  return [
    { color: COLOURS.ok, value: null },
    { color: COLOURS.watch, value: watch },
    { color: COLOURS.critical, value: critical },
  ];
}

/** Red below `watchFrom` (down), orange up to `okFrom`, green from it. */
export function fallingSteps(watchFrom: number, okFrom: number): ThresholdStep[] {
  return [
    { color: COLOURS.critical, value: null },
    { color: COLOURS.watch, value: watchFrom },
    { color: COLOURS.ok, value: okFrom },
  ];
}

/** One colour whatever the value (AI usage figures that have no good or bad level). */
export function accentSteps(color: string = COLOURS.ai): ThresholdStep[] {
  return [{ color, value: null }];
}

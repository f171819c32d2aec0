import { ThresholdsMode, type ThresholdsConfig } from '@grafana/data';

/** docs/features.md E1: green normal, orange to watch, red critical; one accent colour for AI usage. */
export const STATUS_COLORS = { ok: 'green', watch: 'orange', critical: 'red' } as const;
export const AI_ACCENT = 'purple';

/** Green below `watchAt`, orange from `watchAt`, red from `criticalAt`. */
export function statusThresholds(watchAt: number, criticalAt: number): ThresholdsConfig {
  if (!(watchAt <= criticalAt)) {
    throw new Error(`Threshold "watch" (${watchAt}) must not exceed "critical" (${criticalAt})`);
  }
  return {
    mode: ThresholdsMode.Absolute,
    steps: [
      { value: -Infinity, color: STATUS_COLORS.ok },
      { value: watchAt, color: STATUS_COLORS.watch },
      { value: criticalAt, color: STATUS_COLORS.critical },
    ],
  };
}

/** A 1 up / 0 down gauge: red below 1, green at 1. */
export const UP_DOWN_THRESHOLDS: ThresholdsConfig = {
  mode: ThresholdsMode.Absolute,
  steps: [
    { value: -Infinity, color: STATUS_COLORS.critical },
    { value: 1, color: STATUS_COLORS.ok },
  ],
};

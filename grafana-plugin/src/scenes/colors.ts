import { ThresholdsMode, type ThresholdsConfig } from '@grafana/data';
import { COLOURS, risingSteps } from '@tokenmeter/provisioning/display';

/** docs/features.md E1, from the one place the dashboards share (@tokenmeter/provisioning/display). */
export const STATUS_COLORS = { ok: COLOURS.ok, watch: COLOURS.watch, critical: COLOURS.critical } as const;
export const AI_ACCENT = COLOURS.ai;

/** Green below `watchAt`, orange from `watchAt`, red from `criticalAt` (the dashboards' steps). */
export function statusThresholds(watchAt: number, criticalAt: number): ThresholdsConfig {
  return {
    mode: ThresholdsMode.Absolute,
    steps: risingSteps({ watch: watchAt, critical: criticalAt }).map((step) => ({
      color: step.color,
      value: step.value ?? -Infinity,
    })),
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

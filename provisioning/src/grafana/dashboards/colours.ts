// docs/features.md E1: green normal, orange to watch, red critical; one accent colour for AI usage.
export const COLOURS = {
  ok: 'green',
  watch: 'orange',
  critical: 'red',
  /** Accent for AI usage (model calls, tokens, cost). */
  ai: 'purple',
  neutral: 'text',
} as const;

export interface ThresholdStep {
  color: string;
  value: number | null;
}

/** Green below `watchFrom`, orange from it, red from `criticalFrom`. */
export function risingThresholds(watchFrom: number, criticalFrom: number): ThresholdStep[] {
  return [
    { color: COLOURS.ok, value: null },
    { color: COLOURS.watch, value: watchFrom },
    { color: COLOURS.critical, value: criticalFrom },
  ];
}

/** Red below `watchFrom` (down), orange up to `okFrom`, green from it. */
export function fallingThresholds(watchFrom: number, okFrom: number): ThresholdStep[] {
  return [
    { color: COLOURS.critical, value: null },
    { color: COLOURS.watch, value: watchFrom },
    { color: COLOURS.ok, value: okFrom },
  ];
}

/** One colour whatever the value (AI usage figures that have no good or bad level). */
export function accent(color: string = COLOURS.ai): ThresholdStep[] {
  return [{ color, value: null }];
}

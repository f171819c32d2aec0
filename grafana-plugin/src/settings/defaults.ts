import { ALERT_THRESHOLDS, DISPLAY_LEVELS } from '@tokenmeter/provisioning/display';
import { DATASOURCES } from '@tokenmeter/provisioning/queries';
import type { TokenmeterJsonData, TokenmeterSettings } from './settings';

/** The dashboards' colour levels and the alert rules' thresholds (one place: @tokenmeter/provisioning/display). */
export const DEFAULT_SETTINGS: TokenmeterSettings = {
  prometheusUid: DATASOURCES.prometheus,
  postgresUid: DATASOURCES.postgres,
  costWarnUsd: DISPLAY_LEVELS.costUsd.watch,
  costCriticalUsd: DISPLAY_LEVELS.costUsd.critical,
  latencyWarnMs: DISPLAY_LEVELS.latencyMs.watch,
  latencyCriticalMs: DISPLAY_LEVELS.latencyMs.critical,
  errorRateWarn: DISPLAY_LEVELS.errorRate.watch,
  errorRateCritical: DISPLAY_LEVELS.errorRate.critical,
  monthlyBudgetUsd: ALERT_THRESHOLDS.monthlyBudgetUsd,
  freeDailyQuota: ALERT_THRESHOLDS.freeDailyQuota,
};

/** Saved jsonData over the defaults; a missing or non-numeric value falls back to its default. */
export function resolveSettings(jsonData: TokenmeterJsonData | undefined): TokenmeterSettings {
  const settings: TokenmeterSettings = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(DEFAULT_SETTINGS) as Array<keyof TokenmeterSettings>) {
    const saved = jsonData?.[key];
    if (typeof DEFAULT_SETTINGS[key] === 'number') {
      if (typeof saved === 'number' && Number.isFinite(saved)) {
        (settings as unknown as Record<string, number>)[key] = saved;
      }
    } else if (typeof saved === 'string' && saved.trim() !== '') {
      (settings as unknown as Record<string, string>)[key] = saved.trim();
    }
  }
  return settings;
}

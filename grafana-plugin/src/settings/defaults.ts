import { DATASOURCES } from '@tokenmeter/provisioning/queries';
import type { TokenmeterJsonData, TokenmeterSettings } from './settings';

/** docs/features.md D1 defaults: cost above 100 USD, p95 above 2000 ms, error rate above 5 %; docs/features.md A4: 3 executions a day. */
export const DEFAULT_SETTINGS: TokenmeterSettings = {
  prometheusUid: DATASOURCES.prometheus,
  postgresUid: DATASOURCES.postgres,
  costWarnUsd: 80,
  costCriticalUsd: 100,
  latencyWarnMs: 1500,
  latencyCriticalMs: 2000,
  errorRateWarn: 0.02,
  errorRateCritical: 0.05,
  monthlyBudgetUsd: 1000,
  freeDailyQuota: 3,
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

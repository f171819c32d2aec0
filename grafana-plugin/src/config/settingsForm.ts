import type { TokenmeterSettings } from '../settings/settings';

/** One input of the Configuration page. Error rates are typed in percent, stored as fractions. */
export interface SettingsField {
  key: keyof TokenmeterSettings;
  label: string;
  description: string;
  kind: 'uid' | 'number' | 'percent' | 'integer';
}

export const SETTINGS_FIELDS: SettingsField[] = [
  { key: 'prometheusUid', label: 'Prometheus datasource uid', description: 'Aggregates, rates, latency, health', kind: 'uid' },
  { key: 'postgresUid', label: 'PostgreSQL datasource uid', description: 'The cost ledger (one row per call)', kind: 'uid' },
  { key: 'costWarnUsd', label: 'Cost: watch from (USD)', description: 'Cost over the selected period turns orange', kind: 'number' },
  { key: 'costCriticalUsd', label: 'Cost: critical from (USD)', description: 'Cost over the selected period turns red', kind: 'number' },
  { key: 'latencyWarnMs', label: 'Latency: watch from (ms)', description: 'Latency turns orange', kind: 'number' },
  { key: 'latencyCriticalMs', label: 'Latency: critical from (ms)', description: 'Latency turns red (p95 alert default 2000 ms)', kind: 'number' },
  { key: 'errorRateWarn', label: 'Error rate: watch from (%)', description: 'Error rate turns orange', kind: 'percent' },
  { key: 'errorRateCritical', label: 'Error rate: critical from (%)', description: 'Error rate turns red (alert default 5 %)', kind: 'percent' },
  { key: 'monthlyBudgetUsd', label: 'Monthly budget (USD)', description: 'Month-end projection turns orange at 80 %, red above', kind: 'number' },
  { key: 'freeDailyQuota', label: 'FREE plan daily quota (executions)', description: 'Per user per UTC day', kind: 'integer' },
];

export type SettingsFormValues = Record<keyof TokenmeterSettings, string>;

export function toFormValues(settings: TokenmeterSettings): SettingsFormValues {
  const values = {} as SettingsFormValues;
  for (const field of SETTINGS_FIELDS) {
    const value = settings[field.key];
    values[field.key] = field.kind === 'percent' ? String(Math.round((value as number) * 100 * 1e6) / 1e6) : String(value);
  }
  return values;
}

export type ParseResult = { ok: true; settings: TokenmeterSettings } | { ok: false; errors: Partial<Record<keyof TokenmeterSettings, string>> };

/** Form values back to settings; every bad input gets a message and nothing is saved. */
export function parseFormValues(values: SettingsFormValues): ParseResult {
  const errors: Partial<Record<keyof TokenmeterSettings, string>> = {};
  const parsed: Record<string, string | number> = {};
  for (const field of SETTINGS_FIELDS) {
    const raw = (values[field.key] ?? '').trim();
    if (field.kind === 'uid') {
      if (!/^[A-Za-z0-9_-]{1,40}$/.test(raw)) {
        errors[field.key] = 'A datasource uid: 1–40 letters, digits, "-" or "_"';
      }
      parsed[field.key] = raw;
      continue;
    }
    const number = raw === '' ? NaN : Number(raw);
    if (!Number.isFinite(number) || number < 0) {
      errors[field.key] = 'Enter a number of 0 or more';
    } else if (field.kind === 'integer' && !Number.isInteger(number)) {
      errors[field.key] = 'Enter a whole number';
    } else if (field.kind === 'percent' && number > 100) {
      errors[field.key] = 'Enter a percentage between 0 and 100';
    }
    parsed[field.key] = field.kind === 'percent' ? number / 100 : number;
  }
  const pairs: Array<[keyof TokenmeterSettings, keyof TokenmeterSettings]> = [
    ['costWarnUsd', 'costCriticalUsd'],
    ['latencyWarnMs', 'latencyCriticalMs'],
    ['errorRateWarn', 'errorRateCritical'],
  ];
  for (const [watch, critical] of pairs) {
    if (!errors[watch] && !errors[critical] && (parsed[watch] as number) > (parsed[critical] as number)) {
      errors[watch] = 'The watch level must not exceed the critical level';
    }
  }
  if (Object.keys(errors).length > 0) {
    return { ok: false, errors };
  }
  return { ok: true, settings: parsed as unknown as TokenmeterSettings };
}

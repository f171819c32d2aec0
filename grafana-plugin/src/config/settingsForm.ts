import { ALERT_THRESHOLDS as T } from '@tokenmeter/provisioning/display';
import type { TokenmeterSettings } from '../settings/settings';

/**
 * Where the alert thresholds really live. This page only recolours the app's panels: Grafana reads
 * provisioned alert rules from files at start, and changing them from here would need a
 * service-account token with alerting rights kept by the plugin, which Tokenmeter does not hold.
 */
export const ALERT_THRESHOLDS_NOTICE = {
  title: 'These settings colour the app’s panels; they do not change the alert rules',
  body:
    `The alert rules are provisioned from provisioning/grafana/alerting/rules.yaml, which Grafana reads at start: ` +
    `cost above ${T.costUsd} USD over ${T.costWindow}, p95 latency above ${T.p95LatencyMs} ms, ` +
    `error rate above ${T.errorRatePercent} %, month-end projection above a ${T.monthlyBudgetUsd} USD budget, ` +
    `more than ${T.freeDailyQuota} executions a day for a FREE-plan user. To change them, edit ` +
    `provisioning/src/display/thresholds.ts, run "npm run generate -w provisioning" and restart Grafana.`,
} as const;

/** One input of the Configuration page. Error rates are typed in percent, stored as fractions. */
export interface SettingsField {
  key: keyof TokenmeterSettings;
  label: string;
  description: string;
  kind: 'uid' | 'number' | 'percent' | 'integer';
}

export const SETTINGS_FIELDS: SettingsField[] = [
  {
    key: 'prometheusUid',
    label: 'Prometheus datasource uid',
    description: 'Aggregates, rates, latency, health',
    kind: 'uid',
  },
  {
    key: 'postgresUid',
    label: 'PostgreSQL datasource uid',
    description: 'The cost ledger (one row per call)',
    kind: 'uid',
  },
  {
    key: 'costWarnUsd',
    label: 'Cost: watch from (USD)',
    description: 'Cost over the selected period turns orange',
    kind: 'number',
  },
  {
    key: 'costCriticalUsd',
    label: 'Cost: critical from (USD)',
    description: 'Cost over the selected period turns red',
    kind: 'number',
  },
  { key: 'latencyWarnMs', label: 'Latency: watch from (ms)', description: 'Latency turns orange', kind: 'number' },
  {
    key: 'latencyCriticalMs',
    label: 'Latency: critical from (ms)',
    description: `Latency turns red (the p95 alert rule fires above ${T.p95LatencyMs} ms)`,
    kind: 'number',
  },
  {
    key: 'errorRateWarn',
    label: 'Error rate: watch from (%)',
    description: 'Error rate turns orange',
    kind: 'percent',
  },
  {
    key: 'errorRateCritical',
    label: 'Error rate: critical from (%)',
    description: `Error rate turns red (the alert rule fires above ${T.errorRatePercent} %)`,
    kind: 'percent',
  },
  {
    key: 'monthlyBudgetUsd',
    label: 'Monthly budget (USD)',
    description: `Month-end projection turns orange at 80 %, red above (the alert rule uses ${T.monthlyBudgetUsd} USD)`,
    kind: 'number',
  },
  {
    key: 'freeDailyQuota',
    label: 'FREE plan daily quota (executions)',
    description: `Per user per UTC day (the alert rule uses ${T.freeDailyQuota})`,
    kind: 'integer',
  },
];

export type SettingsFormValues = Record<keyof TokenmeterSettings, string>;

export function toFormValues(settings: TokenmeterSettings): SettingsFormValues {
  const values = {} as SettingsFormValues;
  for (const field of SETTINGS_FIELDS) {
    const value = settings[field.key];
    values[field.key] =
      field.kind === 'percent' ? String(Math.round((value as number) * 100 * 1e6) / 1e6) : String(value);
  }
  return values;
}

export type ParseResult =
  { ok: true; settings: TokenmeterSettings } | { ok: false; errors: Partial<Record<keyof TokenmeterSettings, string>> };

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

import { DATASOURCES } from './datasources';
import { hoursOverlappingPeriod } from './sql-period';

/**
 * The custom all value of every multi-value variable: what Grafana substitutes, raw, when "All" is
 * selected, so that "All" means every call ever recorded rather than the options seen in the period.
 * One text serves both languages of the overview dashboard:
 *  - PromQL (`label=~"..."`): an RE2 regex whose alternative `.*` matches every value, none included;
 *  - SQL (`col IN (${v}) OR (${v}) IS NULL`, see variableFilter): `NULL` followed by a comment, so the
 *    filter is `col IN (NULL) OR (NULL) IS NULL`, which PostgreSQL folds to true when planning.
 * docs/contracts.md, "Dashboard variables".
 */
export const ALL_VALUE = 'NULL/*|.*|.*/';

/** A dashboard template variable the catalog's queries use. */
export type TemplateVariable =
  | {
      name: string;
      label: string;
      type: 'query';
      datasourceUid: string;
      /** Returns one column of option values. */
      expr: string;
      multi: true;
      includeAll: true;
      allValue: typeof ALL_VALUE;
    }
  | {
      name: string;
      label: string;
      type: 'custom';
      options: readonly string[];
      multi: true;
      includeAll: true;
      allValue: typeof ALL_VALUE;
    }
  | { name: string; label: string; type: 'textbox'; default: string };

/** Executions per user per day a FREE-plan user may make (docs/features.md A4); the `free_quota` variable's default. */
export const DEFAULT_FREE_QUOTA = 3;

export const TEMPLATE_VARIABLES = {
  service: {
    name: 'service',
    label: 'Service',
    type: 'query',
    datasourceUid: DATASOURCES.postgres,
    expr: `SELECT DISTINCT service FROM tokenmeter.llm_usage_hourly WHERE ${hoursOverlappingPeriod('hour')} ORDER BY 1`,
    multi: true,
    includeAll: true,
    allValue: ALL_VALUE,
  },
  model: {
    name: 'model',
    label: 'Model',
    type: 'query',
    datasourceUid: DATASOURCES.postgres,
    expr: `SELECT DISTINCT model FROM tokenmeter.llm_usage_hourly WHERE ${hoursOverlappingPeriod('hour')} ORDER BY 1`,
    multi: true,
    includeAll: true,
    allValue: ALL_VALUE,
  },
  billing_mode: {
    name: 'billing_mode',
    label: 'Billing mode',
    type: 'custom',
    options: ['system', 'byok'],
    multi: true,
    includeAll: true,
    allValue: ALL_VALUE,
  },
  plan: {
    name: 'plan',
    label: 'Plan',
    type: 'custom',
    options: ['free', 'pro'],
    multi: true,
    includeAll: true,
    allValue: ALL_VALUE,
  },
  free_quota: {
    name: 'free_quota',
    label: 'FREE daily quota',
    type: 'textbox',
    default: String(DEFAULT_FREE_QUOTA),
  },
  user: { name: 'user', label: 'User id', type: 'textbox', default: '' },
} as const satisfies Record<string, TemplateVariable>;

export type TemplateVariableName = keyof typeof TEMPLATE_VARIABLES;

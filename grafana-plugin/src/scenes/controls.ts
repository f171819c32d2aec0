import {
  ConstantVariable,
  CustomVariable,
  QueryVariable,
  SceneControlsSpacer,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
  SceneVariableSet,
  TextBoxVariable,
  VariableValueSelectors,
  type SceneObject,
  type SceneVariable,
} from '@grafana/scenes';
import { VariableHide, VariableRefresh } from '@grafana/schema';
import {
  TEMPLATE_VARIABLES,
  type CatalogQuery,
  type TemplateVariable,
  type TemplateVariableName,
} from '@tokenmeter/provisioning/queries';
import type { TokenmeterSettings } from '../settings/settings';
import { datasourceFor } from './catalogQueries';
import { RefreshIndicator } from './RefreshIndicator';

/** docs/features.md B1: every page opens on the last 30 days. */
export const DEFAULT_TIME_RANGE = { from: 'now-30d', to: 'now' } as const;
/** docs/features.md B2: refresh every 60 s. */
export const DEFAULT_REFRESH = '1m';
export const REFRESH_INTERVALS = ['30s', '1m', '5m', '15m', '1h'];
/** Quick ranges offered besides custom ones (B1: 1h, 24h, 7d, 30d, this month). */
export const QUICK_RANGES = [
  { from: 'now-1h', to: 'now', display: 'Last 1 hour' },
  { from: 'now-24h', to: 'now', display: 'Last 24 hours' },
  { from: 'now-7d', to: 'now', display: 'Last 7 days' },
  { from: 'now-30d', to: 'now', display: 'Last 30 days' },
  { from: 'now/M', to: 'now', display: 'This month' },
];

export function pageTimeRange(): SceneTimeRange {
  return new SceneTimeRange({ ...DEFAULT_TIME_RANGE });
}

/** A catalog template variable as a scene variable; `free_quota` takes the configured quota. */
export function templateVariable(name: TemplateVariableName, settings: TokenmeterSettings): SceneVariable {
  const variable: TemplateVariable = TEMPLATE_VARIABLES[name];
  if (name === 'free_quota') {
    return new ConstantVariable({
      name,
      value: String(settings.freeDailyQuota),
      skipUrlSync: true,
      hide: VariableHide.hideVariable,
    });
  }
  switch (variable.type) {
    case 'query': {
      const query: CatalogQuery = {
        id: `variable_${name}`,
        title: variable.label,
        description: variable.label,
        language: 'sql',
        datasourceUid: variable.datasourceUid,
        expr: variable.expr,
      };
      return new QueryVariable({
        name,
        label: variable.label,
        datasource: datasourceFor(query, settings),
        query: { refId: 'variable', rawSql: variable.expr, rawQuery: true, editorMode: 'code', format: 'table' },
        includeAll: variable.includeAll,
        allValue: variable.allValue,
        defaultToAll: true,
        isMulti: variable.multi,
        refresh: VariableRefresh.onTimeRangeChanged,
      });
    }
    case 'custom':
      return new CustomVariable({
        name,
        label: variable.label,
        query: variable.options.join(','),
        includeAll: variable.includeAll,
        allValue: variable.allValue,
        defaultToAll: true,
        isMulti: variable.multi,
      });
    case 'textbox':
      return new TextBoxVariable({ name, label: variable.label, value: variable.default });
  }
}

/** The filters every catalog query reads (service, model, billing mode, plan) and the FREE quota. */
export function filterVariables(settings: TokenmeterSettings, extra: SceneVariable[] = []): SceneVariableSet {
  const names: TemplateVariableName[] = ['service', 'model', 'billing_mode', 'plan', 'free_quota'];
  return new SceneVariableSet({ variables: [...names.map((name) => templateVariable(name, settings)), ...extra] });
}

/** Variable selectors, then the period and the 1-minute auto-refresh with its indicator. */
export function pageControls(): SceneObject[] {
  return [
    new VariableValueSelectors({}),
    new SceneControlsSpacer(),
    new RefreshIndicator({}),
    new SceneTimePicker({ isOnCanvas: true, quickRanges: QUICK_RANGES }),
    new SceneRefreshPicker({ refresh: DEFAULT_REFRESH, intervals: REFRESH_INTERVALS, isOnCanvas: true, withText: true }),
  ];
}

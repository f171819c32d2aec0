import { TEMPLATE_VARIABLES, type TemplateVariableName } from '../../queries/variables';
import { POSTGRES_DATASOURCE, type Json } from './panels';

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  variables: TemplateVariableName[];
  panels: Json[];
  /** Default period (docs/features.md B1). */
  from?: string;
}

function templateVariable(name: TemplateVariableName): Json {
  const variable = TEMPLATE_VARIABLES[name];
  const base = { name: variable.name, label: variable.label, hide: 0, skipUrlSync: false };
  switch (variable.type) {
    case 'query':
      return {
        ...base,
        type: 'query',
        datasource: POSTGRES_DATASOURCE,
        query: variable.expr,
        refresh: 2,
        sort: 1,
        multi: true,
        includeAll: true,
        allValue: variable.allValue,
        current: { selected: true, text: ['All'], value: ['$__all'] },
        options: [],
      };
    case 'custom':
      return {
        ...base,
        type: 'custom',
        query: variable.options.join(','),
        multi: true,
        includeAll: true,
        allValue: variable.allValue,
        current: { selected: true, text: ['All'], value: ['$__all'] },
        options: [],
      };
    default:
      return {
        ...base,
        type: 'textbox',
        query: variable.default,
        current: { selected: false, text: variable.default, value: variable.default },
        options: [],
      };
  }
}

const LINKS = [
  {
    title: 'Tokenmeter',
    type: 'dashboards',
    tags: ['tokenmeter'],
    asDropdown: true,
    includeVars: true,
    keepTime: true,
    icon: 'external link',
    targetBlank: false,
    tooltip: '',
  },
];

/** A provisioned dashboard: uid set, no id (Grafana assigns it), auto-refresh every minute (docs/features.md B2). */
export function dashboard(spec: DashboardSpec): Json {
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['tokenmeter', ...spec.tags],
    editable: true,
    graphTooltip: 1,
    refresh: '1m',
    schemaVersion: 42,
    time: { from: spec.from ?? 'now-7d', to: 'now' },
    timepicker: { refresh_intervals: ['30s', '1m', '5m', '15m', '1h'] },
    timezone: 'utc',
    fiscalYearStartMonth: 0,
    liveNow: false,
    links: LINKS,
    annotations: { list: [] },
    templating: { list: spec.variables.map(templateVariable) },
    panels: spec.panels,
  };
}

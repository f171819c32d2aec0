import { DATASOURCES } from '../../queries/datasources';
import { getQuery, type QueryId } from '../../queries';
import type { CatalogQuery } from '../../queries/types';
import { accent, COLOURS, type ThresholdStep } from './colours';
import {
  DATASOURCE_TYPES,
  PIE_OPTIONS,
  TABLE_LAYOUTS,
  decimalsOf,
  keepOnlyFields,
  queryTarget,
  type TableName,
} from '../../display';

export type Json = Record<string, unknown>;

/** A panel before layout: its width and height in grid units, placed by `layoutRows`. */
export interface PanelDraft {
  w: number;
  h: number;
  panel: Json;
}

export function datasourceRef(query: CatalogQuery): Json {
  return { type: DATASOURCE_TYPES[query.language], uid: query.datasourceUid };
}

/** A panel target that runs catalog query `id` verbatim (the linter checks it stays so). */
export function target(id: QueryId, refId = 'A', promFormat?: 'table'): Json {
  return { ...queryTarget(getQuery(id), refId, { promFormat }) };
}

interface PanelOptions {
  title: string;
  queries: QueryId[];
  w: number;
  h: number;
  description?: string;
  unit?: string;
  decimals?: number;
  thresholds?: ThresholdStep[];
  overrides?: Json[];
  options?: Json;
  custom?: Json;
  transformations?: Json[];
  mappings?: Json[];
  /** The panel's own relative time range (Grafana's "Relative time"), e.g. `7d`, instead of the page's. */
  timeFrom?: string;
}

function panel(type: string, o: PanelOptions): PanelDraft {
  const first = getQuery(o.queries[0] as QueryId);
  const mixed = new Set(o.queries.map((id) => getQuery(id).datasourceUid)).size > 1;
  const unit = o.unit ?? first.unit ?? 'short';
  const decimals = o.decimals ?? decimalsOf(unit);
  return {
    w: o.w,
    h: o.h,
    panel: {
      type,
      title: o.title,
      description: o.description ?? o.queries.map((id) => getQuery(id).description).join(' '),
      datasource: mixed ? { type: 'datasource', uid: '-- Mixed --' } : datasourceRef(first),
      targets: o.queries.map((id, i) =>
        target(id, String.fromCharCode(65 + i), type === 'table' ? 'table' : undefined),
      ),
      fieldConfig: {
        defaults: {
          unit,
          ...(decimals !== undefined ? { decimals } : {}),
          color: { mode: type === 'timeseries' ? 'palette-classic' : 'thresholds' },
          thresholds: { mode: 'absolute', steps: o.thresholds ?? accent(COLOURS.ai) },
          ...(o.mappings ? { mappings: o.mappings } : {}),
          ...(o.custom ? { custom: o.custom } : {}),
        },
        overrides: o.overrides ?? [],
      },
      options: o.options ?? {},
      ...(o.transformations ? { transformations: o.transformations } : {}),
      ...(o.timeFrom ? { timeFrom: o.timeFrom } : {}),
    },
  };
}

/** Overrides one field's unit / colour / axis (by column or series name). */
export function fieldOverride(name: string, properties: Record<string, unknown>): Json {
  return {
    matcher: { id: 'byName', options: name },
    properties: Object.entries(properties).map(([id, value]) => ({ id, value })),
  };
}

/** Hides a table column that links or colours still read (Grafana 13: `hideFrom.viz`). */
export function hiddenColumn(name: string): Json {
  return fieldOverride(name, { 'custom.hideFrom': { legend: false, tooltip: false, viz: true } });
}

export function stat(o: PanelOptions & { fields?: string; textMode?: string }): PanelDraft {
  return panel('stat', {
    ...o,
    options: {
      reduceOptions: { calcs: ['lastNotNull'], fields: o.fields ?? '', values: false },
      colorMode: 'value',
      graphMode: 'none',
      textMode: o.textMode ?? 'value_and_name',
      justifyMode: 'auto',
      orientation: 'auto',
      ...o.options,
    },
  });
}

export function timeseries(o: PanelOptions & { bars?: boolean }): PanelDraft {
  return panel('timeseries', {
    ...o,
    custom: {
      drawStyle: o.bars ? 'bars' : 'line',
      fillOpacity: o.bars ? 80 : 10,
      lineWidth: 2,
      showPoints: 'auto',
      ...o.custom,
    },
    thresholds: o.thresholds,
    options: {
      tooltip: { mode: 'multi', sort: 'desc' },
      legend: { displayMode: 'list', placement: 'bottom', showLegend: true },
      ...o.options,
    },
  });
}

/**
 * The shared layout of table `name` (../../display/tables.ts) as field overrides: each column's
 * header, narrowest width and unit, and the data-only columns hidden.
 */
export function tableLayoutOverrides(name: TableName): Json[] {
  const layout = TABLE_LAYOUTS[name];
  return [
    ...layout.columns.map((column) =>
      fieldOverride(column.field, {
        displayName: column.header,
        'custom.minWidth': column.minWidth,
        ...(column.unit ? { unit: column.unit } : {}),
        ...(column.decimals !== undefined ? { decimals: column.decimals } : {}),
      }),
    ),
    ...layout.hidden.map((field) => hiddenColumn(field)),
  ];
}

const isTableName = (id: string): id is TableName => Object.hasOwn(TABLE_LAYOUTS, id);

/**
 * A table; laid out as `layout` (default: its query's shared layout, when there is one). The
 * layout's overrides come after `overrides`, whose matchers may use the query's column names.
 */
export function table(
  o: PanelOptions & { sortBy?: { displayName: string; desc: boolean }[]; layout?: TableName },
): PanelDraft {
  const layout =
    o.layout ?? (isTableName(o.queries[0] as string) ? (o.queries[0] as TableName) : undefined);
  return panel('table', {
    ...o,
    overrides: [...(o.overrides ?? []), ...(layout ? tableLayoutOverrides(layout) : [])],
    custom: { align: 'auto', cellOptions: { type: 'auto' }, filterable: false, ...o.custom },
    options: {
      showHeader: true,
      cellHeight: 'sm',
      ...(o.sortBy ? { sortBy: o.sortBy } : {}),
      ...o.options,
    },
  });
}

/**
 * A pie of column `field` per value of column `label` (the query's other columns, `others`, are
 * left out so that each slice is named by its label alone), with the options the app shares.
 */
export function piechart(
  o: PanelOptions & { field: string; label: string; others: string[] },
): PanelDraft {
  const draft = panel('piechart', {
    ...o,
    options: {
      reduceOptions: { calcs: ['lastNotNull'], fields: `/^${o.field}$/`, values: true },
      ...structuredClone(PIE_OPTIONS),
    },
    custom: {},
    transformations: [keepOnlyFields([o.label, o.field], [o.label, o.field, ...o.others])],
  });
  const fieldConfig = draft.panel.fieldConfig as { defaults: Json };
  // A colour per slice, as Grafana's pie chart does by default.
  fieldConfig.defaults.color = { mode: 'palette-classic' };
  return draft;
}

/**
 * A bar chart of one bar per value of column `xField` (after `transformations`), in the AI accent
 * colour, with the figure's value on each bar.
 */
export function barchart(o: PanelOptions & { xField: string }): PanelDraft {
  return panel('barchart', {
    ...o,
    options: {
      xField: o.xField,
      orientation: 'auto',
      showValue: 'auto',
      legend: { displayMode: 'list', placement: 'bottom', showLegend: false },
      tooltip: { mode: 'single', sort: 'none' },
      ...o.options,
    },
    custom: { fillOpacity: 80, ...o.custom },
  });
}

/** Firing alerts (docs/features.md D3), from Grafana's own alerting: no datasource query. */
export function firingAlerts(w: number, h: number): PanelDraft {
  return {
    w,
    h,
    panel: {
      type: 'alertlist',
      title: 'Firing alerts',
      description: 'Tokenmeter alert rules currently firing.',
      options: {
        viewMode: 'list',
        groupMode: 'default',
        maxItems: 10,
        sortOrder: 1,
        dashboardAlerts: false,
        alertName: '',
        // Every Tokenmeter rule carries product=tokenmeter. A folder filter would need the folder's
        // uid, which Grafana generates when alerting provisioning creates the folder.
        alertInstanceLabelFilter: '{product="tokenmeter"}',
        stateFilter: { firing: true, pending: true, noData: false, normal: false, error: true },
      },
    },
  };
}

export function rowHeader(title: string): PanelDraft {
  return { w: 24, h: 1, panel: { type: 'row', title, collapsed: false, panels: [] } };
}

/** Places rows of drafts left to right, top to bottom, and numbers the panels. */
export function layoutRows(rows: PanelDraft[][]): Json[] {
  const placed: Json[] = [];
  let y = 0;
  for (const row of rows) {
    let x = 0;
    let height = 0;
    for (const draft of row) {
      if (x + draft.w > 24)
        throw new Error(`Row overflows 24 columns at panel "${String(draft.panel.title)}"`);
      placed.push({
        ...draft.panel,
        id: placed.length + 1,
        gridPos: { h: draft.h, w: draft.w, x, y },
      });
      x += draft.w;
      height = Math.max(height, draft.h);
    }
    y += height;
  }
  return placed;
}

export const PROMETHEUS_DATASOURCE = { type: DATASOURCE_TYPES.promql, uid: DATASOURCES.prometheus };
export const POSTGRES_DATASOURCE = { type: DATASOURCE_TYPES.sql, uid: DATASOURCES.postgres };

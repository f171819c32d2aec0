import { FieldColorModeId, MappingType, type DataLink, type ThresholdsConfig, type ValueMapping } from '@grafana/data';
import { PanelBuilders, SceneDataTransformer, type SceneDataProvider, type VizPanel } from '@grafana/scenes';
import {
  AxisPlacement,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueTextMode,
  GraphDrawStyle,
} from '@grafana/schema';
import { decimalsOf } from '@tokenmeter/provisioning/display';
import { AI_ACCENT, STATUS_COLORS, UP_DOWN_THRESHOLDS } from './colors';

export interface FieldSpec {
  /** Column (SQL) or series (PromQL) name. */
  field: string;
  displayName: string;
  unit?: string;
  decimals?: number;
  thresholds?: ThresholdsConfig;
}

const escapeRegex = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/**
 * Only the named columns. Grafana matches this against display names, which the overrides have
 * already set, so the regex lists the display names.
 */
export function fieldsRegex(fields: FieldSpec[]): string {
  return `/^(${fields.map((spec) => escapeRegex(spec.displayName)).join('|')})$/`;
}

/**
 * A figure card: one or more numbers of the first row (primary figure first, then the secondary
 * ones). Coloured by thresholds when given, otherwise in the AI accent colour.
 */
export function statCard(title: string, data: SceneDataProvider, fields: FieldSpec[], description?: string): VizPanel {
  const builder = PanelBuilders.stat()
    .setTitle(title)
    .setDescription(description ?? '')
    .setData(data)
    .setOption('reduceOptions', { values: false, calcs: ['lastNotNull'], fields: fieldsRegex(fields) })
    .setOption('colorMode', BigValueColorMode.Value)
    .setOption('graphMode', BigValueGraphMode.None)
    .setOption('textMode', fields.length > 1 ? BigValueTextMode.ValueAndName : BigValueTextMode.Value)
    .setOption('wideLayout', true)
    .setColor({ mode: FieldColorModeId.Fixed, fixedColor: AI_ACCENT })
    .setNoValue('0');
  builder.setOverrides((overrides) => {
    for (const spec of fields) {
      const override = overrides.matchFieldsWithName(spec.field).overrideDisplayName(spec.displayName);
      if (spec.unit) {
        override.overrideUnit(spec.unit);
      }
      const decimals = spec.decimals ?? decimalsOf(spec.unit);
      if (decimals !== undefined) {
        override.overrideDecimals(decimals);
      }
      if (spec.thresholds) {
        override.overrideThresholds(spec.thresholds).overrideColor({ mode: FieldColorModeId.Thresholds });
      }
    }
  });
  return builder.build();
}

/** Value mappings of a 1 up / 0 down gauge. */
export const UP_DOWN_MAPPINGS: ValueMapping[] = [
  {
    type: MappingType.ValueToText,
    options: { '0': { text: 'DOWN', color: STATUS_COLORS.critical }, '1': { text: 'UP', color: STATUS_COLORS.ok } },
  },
];

/** A grid of up/down tiles, one per series (named by the catalog's legend), or one status tile. */
export function healthTiles(title: string, data: SceneDataProvider, options: { single?: boolean; description?: string } = {}): VizPanel {
  return PanelBuilders.stat()
    .setTitle(title)
    .setDescription(options.description ?? '')
    .setData(data)
    .setOption('reduceOptions', { values: false, calcs: ['lastNotNull'], fields: '' })
    .setOption('colorMode', BigValueColorMode.Background)
    .setOption('graphMode', BigValueGraphMode.None)
    .setOption('textMode', options.single ? BigValueTextMode.Value : BigValueTextMode.ValueAndName)
    .setUnit('none')
    .setThresholds(UP_DOWN_THRESHOLDS)
    .setColor({ mode: FieldColorModeId.Thresholds })
    .setMappings(UP_DOWN_MAPPINGS)
    .setNoValue('no reports')
    .build();
}

/**
 * docs/features.md B5: requests on the left axis, cost in USD on the right axis. `leftField` and `rightField`
 * are the query's column names.
 */
export function dualAxisTimeseries(
  title: string,
  data: SceneDataProvider,
  left: { field: string; displayName: string; unit: string },
  right: { field: string; displayName: string; unit: string }
): VizPanel {
  return PanelBuilders.timeseries()
    .setTitle(title)
    .setData(data)
    .setCustomFieldConfig('drawStyle', GraphDrawStyle.Bars)
    .setCustomFieldConfig('fillOpacity', 60)
    .setOption('tooltip', { mode: 'multi' as never, sort: 'none' as never })
    .setOverrides((overrides) => {
      overrides
        .matchFieldsWithName(left.field)
        .overrideDisplayName(left.displayName)
        .overrideUnit(left.unit)
        .overrideDecimals(decimalsOf(left.unit))
        .overrideColor({ mode: FieldColorModeId.Fixed, fixedColor: AI_ACCENT })
        .overrideCustomFieldConfig('axisPlacement', AxisPlacement.Left)
        .overrideCustomFieldConfig('axisLabel', left.displayName);
      overrides
        .matchFieldsWithName(right.field)
        .overrideDisplayName(right.displayName)
        .overrideUnit(right.unit)
        .overrideColor({ mode: FieldColorModeId.Fixed, fixedColor: STATUS_COLORS.watch })
        .overrideCustomFieldConfig('axisPlacement', AxisPlacement.Right)
        .overrideCustomFieldConfig('axisLabel', right.displayName)
        .overrideCustomFieldConfig('drawStyle', GraphDrawStyle.Line)
        .overrideCustomFieldConfig('lineWidth', 2)
        .overrideCustomFieldConfig('fillOpacity', 0);
    })
    .build();
}

/** Instant PromQL series turned into rows (name, value) for bar charts and tables. */
export function seriesToRows(data: SceneDataProvider): SceneDataTransformer {
  return new SceneDataTransformer({
    $data: data,
    transformations: [{ id: 'reduce', options: { reducers: ['lastNotNull'], mode: 'seriesToRows' } }],
  });
}

/** Merges the tables of several instant queries on their shared label columns. */
export function mergeTables(data: SceneDataProvider, renameByName: Record<string, string>): SceneDataTransformer {
  return new SceneDataTransformer({
    $data: data,
    transformations: [
      { id: 'merge', options: {} },
      { id: 'organize', options: { excludeByName: { Time: true }, renameByName } },
    ],
  });
}

/** Table column hidden from view (kept in the data for links). */
export const HIDDEN = { viz: true, legend: true, tooltip: true };

/** Table column options: colour the cell background by the field's thresholds. */
export const COLORED_CELL = { type: 'color-background', mode: 'basic' } as const;

/** A link from a table row to the drill-down of the user in column `user_id`. */
export function userDrillDownLink(baseUrl: string): DataLink {
  return { title: 'Open user', url: `${baseUrl}/\${__data.fields.user_id}\${__url.params}` };
}

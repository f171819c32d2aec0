import { css } from '@emotion/css';
import { FieldMatcherID, type FieldConfigSource } from '@grafana/data';
import {
  PanelBuilders,
  SceneObjectBase,
  type SceneComponentProps,
  type SceneObjectState,
  type VizPanel,
} from '@grafana/scenes';
import {
  TABLE_LAYOUTS,
  fittedColumnWidths,
  type TableColumn,
  type TableLayout,
  type TableName,
} from '@tokenmeter/provisioning/display';
import React, { useLayoutEffect, useRef } from 'react';
import { HIDDEN } from './panels';

type TableOverrides = Parameters<Parameters<ReturnType<typeof PanelBuilders.table>['setOverrides']>[0]>[0];

/**
 * The shared layout of table `name` (provisioning/src/display/tables.ts) as field overrides: each
 * column's header, narrowest width, unit and decimals; the data-only columns hidden.
 */
export function applyTableLayout(overrides: TableOverrides, name: TableName): void {
  const layout: TableLayout = TABLE_LAYOUTS[name];
  for (const column of layout.columns) {
    const override = overrides
      .matchFieldsWithName(column.field)
      .overrideDisplayName(column.header)
      .overrideCustomFieldConfig('minWidth', column.minWidth);
    if (column.unit) {
      override.overrideUnit(column.unit);
    }
    if (column.decimals !== undefined) {
      override.overrideDecimals(column.decimals);
    }
  }
  for (const field of layout.hidden) {
    overrides.matchFieldsWithName(field).overrideCustomFieldConfig('hideFrom', HIDDEN);
  }
}

/**
 * Field overrides that give the columns of `layout` a table `width` px wide shows their widths and
 * hide the others.
 */
export function fittedColumnOverrides(layout: TableLayout, width: number): FieldConfigSource['overrides'] {
  const widths = fittedColumnWidths(layout, width);
  // By column name and by header: a column renamed by a transformation keeps its first name only as its header.
  const matcher = (column: TableColumn) => ({
    id: FieldMatcherID.byNames,
    options: { mode: 'include', names: [column.field, column.header] },
  });
  return layout.columns.map((column) => {
    const shown = widths.find((candidate) => candidate.column === column);
    return {
      matcher: matcher(column),
      properties: shown ? [{ id: 'custom.width', value: shown.width }] : [{ id: 'custom.hideFrom', value: HIDDEN }],
    };
  });
}

interface FittedTableState extends SceneObjectState {
  panel: VizPanel;
  layout: TableLayout;
  /** The column overrides of the last measured width. */
  fittedTo?: string;
}

/**
 * A table panel that shows as many of its columns, most important first, as its width holds whole
 * (docs/features.md E3), so no figure lies beyond the panel's edge or is cut: a desktop sees
 * every column, a phone the few that matter.
 */
export class FittedTable extends SceneObjectBase<FittedTableState> {
  static Component = FittedTableRenderer;
  private readonly ownOverrides: FieldConfigSource['overrides'];

  constructor(state: FittedTableState) {
    super(state);
    this.ownOverrides = state.panel.state.fieldConfig.overrides;
  }

  /** Shows the columns that fit `width` px (the panel's outer width), each as wide as it can be, and hides the others. */
  fit(width: number): void {
    if (width <= 0) {
      return;
    }
    const { panel, layout } = this.state;
    const overrides = fittedColumnOverrides(layout, width);
    const key = JSON.stringify(overrides);
    if (this.state.fittedTo === key) {
      return;
    }
    const fieldConfig = { ...panel.state.fieldConfig, overrides: [...this.ownOverrides, ...overrides] };
    if (panel.getPlugin()) {
      panel.onFieldConfigChange(fieldConfig, true);
    } else {
      // Not loaded yet: the panel applies its plugin's defaults to this config when it loads.
      panel.setState({ fieldConfig });
    }
    this.setState({ fittedTo: key });
  }
}

function FittedTableRenderer({ model }: SceneComponentProps<FittedTable>) {
  const { panel } = model.useState();
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) {
      return undefined;
    }
    model.fit(element.clientWidth);
    if (typeof ResizeObserver === 'undefined') {
      return undefined;
    }
    const observer = new ResizeObserver((entries) => model.fit(entries[0]?.contentRect.width ?? 0));
    observer.observe(element);
    return () => observer.disconnect();
  }, [model]);
  return (
    <div ref={ref} className={fill}>
      <panel.Component model={panel} />
    </div>
  );
}

const fill = css({ width: '100%', height: '100%', minWidth: 0 });

/** Table panel `panel`, laid out as table `name`, fitted to its width. */
export function fittedTable(panel: VizPanel, name: TableName): FittedTable {
  return new FittedTable({ panel, layout: TABLE_LAYOUTS[name] });
}

// The built-in panels Grafana would load, rendered with the visualizations @grafana/ui exports
// (BigValue, TimeSeries, Table, BarGauge, VizLegend). Pie and bar charts are not exported by
// @grafana/ui, so they are drawn as a value legend and as bar gauges.
import {
  EventBusSrv,
  FieldType,
  getFieldDisplayValues,
  PanelPlugin,
  type FieldDisplay,
  type PanelProps,
  type ReduceDataOptions,
} from '@grafana/data';
import {
  BarGauge,
  BigValue,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueJustifyMode,
  BigValueTextMode,
  LegendDisplayMode,
  PanelContextProvider,
  Table,
  TimeSeries,
  VizLegend,
  VizRepeater,
  useTheme2,
} from '@grafana/ui';
import { VizOrientation } from '@grafana/data';
import { BarGaugeDisplayMode } from '@grafana/schema';
import React from 'react';
import { builtInPanelMeta } from '../../src/test-support/grafanaRuntime';

interface StatLikeOptions {
  reduceOptions: ReduceDataOptions;
  colorMode?: BigValueColorMode;
  graphMode?: BigValueGraphMode;
  textMode?: BigValueTextMode;
}

function useDisplayValues(props: PanelProps<StatLikeOptions>): FieldDisplay[] {
  const theme = useTheme2();
  return getFieldDisplayValues({
    fieldConfig: props.fieldConfig,
    reduceOptions: props.options.reduceOptions ?? { calcs: ['lastNotNull'], values: false },
    replaceVariables: props.replaceVariables,
    theme,
    data: props.data.series,
    timeZone: props.timeZone,
  });
}

function StatPanel(props: PanelProps<StatLikeOptions>) {
  const theme = useTheme2();
  const values = useDisplayValues(props);
  return (
    <VizRepeater<FieldDisplay>
      source={props.data}
      getValues={() => values}
      renderCounter={props.renderCounter}
      width={props.width}
      height={props.height}
      autoGrid
      orientation={VizOrientation.Auto}
      renderValue={({ value, width, height }) => (
        <BigValue
          value={value.display}
          count={values.length}
          width={width}
          height={height}
          theme={theme}
          colorMode={props.options.colorMode ?? BigValueColorMode.Value}
          graphMode={BigValueGraphMode.None}
          textMode={props.options.textMode ?? BigValueTextMode.Auto}
          justifyMode={BigValueJustifyMode.Auto}
        />
      )}
    />
  );
}

function BarsOfValues(props: PanelProps<StatLikeOptions> & { values: FieldDisplay[] }) {
  const theme = useTheme2();
  const rowHeight = Math.max(24, Math.min(40, Math.floor(props.height / Math.max(props.values.length, 1))));
  return (
    <div style={{ width: props.width, height: props.height, overflow: 'auto' }}>
      {props.values.map((value, index) => (
        <BarGauge
          key={index}
          value={value.display}
          field={value.field}
          displayMode={BarGaugeDisplayMode.Basic}
          width={props.width}
          height={rowHeight}
          orientation={VizOrientation.Horizontal}
          theme={theme}
          text={{}}
          showUnfilled
          itemSpacing={2}
        />
      ))}
    </div>
  );
}

function BarGaugePanel(props: PanelProps<StatLikeOptions>) {
  return <BarsOfValues {...props} values={useDisplayValues(props)} />;
}

/** Bar chart: one bar per row of the frame, labelled by its first string column. */
function BarChartPanel(props: PanelProps<StatLikeOptions & { xField?: string }>) {
  const frame = props.data.series[0];
  const values: FieldDisplay[] = [];
  if (frame) {
    const labelField = frame.fields.find((field) => field.name === props.options.xField) ?? frame.fields.find((f) => f.type === FieldType.string);
    const numberField = frame.fields.find((field) => field.type === FieldType.number);
    if (labelField && numberField?.display) {
      for (let row = 0; row < frame.length; row++) {
        const display = numberField.display(numberField.values[row]);
        values.push({
          name: String(labelField.values[row]),
          field: numberField.config,
          display: { ...display, title: String(labelField.values[row]) },
          hasLinks: false,
        });
      }
    }
  }
  return <BarsOfValues {...props} values={values} />;
}

/** Pie chart: the share of each slice as a legend table with value and percent. */
function PieLegendPanel(props: PanelProps<StatLikeOptions>) {
  const values = useDisplayValues({ ...props, options: { ...props.options, reduceOptions: { ...props.options.reduceOptions } } });
  const total = values.reduce((sum, value) => sum + (value.display.numeric || 0), 0);
  return (
    <div style={{ width: props.width, height: props.height, overflow: 'auto' }}>
      <VizLegend
        displayMode={LegendDisplayMode.Table}
        placement="right"
        items={values.map((value, index) => ({
          label: value.display.title ?? value.name,
          color: value.display.color ?? 'purple',
          yAxis: 1,
          getItemKey: () => `${index}`,
          getDisplayValues: () => [
            { ...value.display, title: 'Value', description: '' },
            { numeric: total ? value.display.numeric / total : 0, text: total ? `${Math.round((value.display.numeric / total) * 100)}%` : '0%', title: 'Percent' },
          ],
        }))}
      />
    </div>
  );
}

function TimeSeriesPanel(props: PanelProps) {
  const frames = props.data.series.filter((frame) => frame.fields.some((field) => field.type === FieldType.time));
  if (frames.length === 0) {
    return <div>No data</div>;
  }
  return (
    <TimeSeries
      frames={frames}
      width={props.width}
      height={props.height}
      timeRange={props.timeRange}
      timeZone={props.timeZone}
      legend={{ showLegend: true, displayMode: LegendDisplayMode.List, placement: 'bottom', calcs: [] }}
    />
  );
}

function TablePanel(props: PanelProps) {
  const frame = props.data.series[0];
  if (!frame) {
    return <div>No data</div>;
  }
  return <Table data={frame} width={props.width} height={props.height} />;
}

/** Field properties the panels read from `custom` (passed through by Scenes' field-config step). */
const CUSTOM_PROPERTIES = [
  'axisPlacement',
  'axisLabel',
  'drawStyle',
  'lineWidth',
  'fillOpacity',
  'thresholdsStyle',
  'cellOptions',
  'hideFrom',
];

/** Grafana's panel renderer gives every panel a context with the dashboard's event bus (hover sync). */
const hostEventBus = new EventBusSrv();

function withPanelContext(Panel: React.ComponentType<PanelProps<any>>) {
  return function PanelInContext(props: PanelProps<any>) {
    return (
      <PanelContextProvider value={{ eventBus: props.eventBus ?? hostEventBus, eventsScope: 'global' }}>
        <Panel {...props} />
      </PanelContextProvider>
    );
  };
}

function panelPlugin(id: string, component: React.ComponentType<PanelProps<any>>): PanelPlugin {
  const plugin = new PanelPlugin(withPanelContext(component)).useFieldConfig({
    useCustomConfig: (builder) => {
      for (const property of CUSTOM_PROPERTIES) {
        builder.addCustomEditor({
          id: property,
          path: property,
          name: property,
          editor: () => null,
          override: () => null,
          process: (value) => value,
          shouldApply: () => true,
        });
      }
    },
  });
  plugin.meta = builtInPanelMeta(id);
  return plugin;
}

export function hostPanels(): Record<string, PanelPlugin> {
  return {
    stat: panelPlugin('stat', StatPanel),
    timeseries: panelPlugin('timeseries', TimeSeriesPanel),
    table: panelPlugin('table', TablePanel),
    bargauge: panelPlugin('bargauge', BarGaugePanel),
    barchart: panelPlugin('barchart', BarChartPanel),
    piechart: panelPlugin('piechart', PieLegendPanel),
  };
}

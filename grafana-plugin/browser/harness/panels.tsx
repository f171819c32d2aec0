// The built-in panels Grafana would load, rendered with the visualizations @grafana/ui exports
// (BigValue, TimeSeries, Table, BarGauge, VizLegend, VizLayout). Pie and bar charts are not
// exported by @grafana/ui: pies are drawn as SVG slices with a legend, bar charts as bar gauges.
import {
  EventBusSrv,
  FieldColorModeId,
  FieldConfigProperty,
  FieldType,
  getFieldDisplayValues,
  PanelPlugin,
  type FieldDisplay,
  type SetFieldConfigOptionsArgs,
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
  VizLayout,
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
    const labelField =
      frame.fields.find((field) => field.name === props.options.xField) ??
      frame.fields.find((f) => f.type === FieldType.string);
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

interface PieOptions extends StatLikeOptions {
  displayLabels?: string[];
  legend?: { showLegend?: boolean; values?: string[] };
}

/** The SVG path of the slice from angle `start` to `end` (radians, clockwise from 12 o'clock). */
function slicePath(radius: number, start: number, end: number): string {
  const point = (angle: number) => `${radius * Math.sin(angle)} ${-radius * Math.cos(angle)}`;
  if (end - start >= 2 * Math.PI - 1e-9) {
    return `M 0 ${-radius} A ${radius} ${radius} 0 1 1 0 ${radius} A ${radius} ${radius} 0 1 1 0 ${-radius} Z`;
  }
  return `M 0 0 L ${point(start)} A ${radius} ${radius} 0 ${end - start > Math.PI ? 1 : 0} 1 ${point(end)} Z`;
}

/**
 * Pie chart as Grafana's piechart panel draws it: one slice per value with its share printed on it,
 * and a legend (list, under the pie) of names with the share.
 */
function PiePanel(props: PanelProps<PieOptions>) {
  const theme = useTheme2();
  const values = useDisplayValues(props);
  const total = values.reduce((sum, value) => sum + Math.max(value.display.numeric || 0, 0), 0);
  const share = (value: FieldDisplay) => (total ? Math.max(value.display.numeric || 0, 0) / total : 0);
  const percent = (value: FieldDisplay) => `${Math.round(share(value) * 100)}%`;
  const color = (value: FieldDisplay) => theme.visualization.getColorByName(value.display.color ?? 'purple');
  const legend =
    props.options.legend?.showLegend === false ? undefined : (
      <VizLayout.Legend placement="bottom">
        <VizLegend
          displayMode={LegendDisplayMode.List}
          placement="bottom"
          items={values.map((value, index) => ({
            label: value.display.title ?? value.name,
            color: color(value),
            yAxis: 1,
            getItemKey: () => `${index}`,
            getDisplayValues: () =>
              (props.options.legend?.values ?? []).includes('percent')
                ? [{ numeric: share(value), text: percent(value), title: 'Percent' }]
                : [],
          }))}
        />
      </VizLayout.Legend>
    );
  return (
    <VizLayout width={props.width} height={props.height} legend={legend}>
      {(width: number, height: number) => {
        const radius = Math.max(Math.min(width, height) / 2 - 4, 0);
        let angle = 0;
        return (
          <svg width={width} height={height} role="img" aria-label="pie chart">
            <g transform={`translate(${width / 2} ${height / 2})`}>
              {values.map((value, index) => {
                const start = angle;
                angle += share(value) * 2 * Math.PI;
                const middle = (start + angle) / 2;
                const showPercent = (props.options.displayLabels ?? []).includes('percent') && share(value) >= 0.05;
                return (
                  <g key={index}>
                    <path
                      d={slicePath(radius, start, angle)}
                      fill={color(value)}
                      stroke={theme.colors.background.primary}
                    />
                    {showPercent && (
                      <text
                        x={0.65 * radius * Math.sin(middle)}
                        y={-0.65 * radius * Math.cos(middle)}
                        textAnchor="middle"
                        dominantBaseline="middle"
                        fill={theme.colors.text.maxContrast}
                        fontSize={12}
                      >
                        {percent(value)}
                      </text>
                    )}
                  </g>
                );
              })}
            </g>
          </svg>
        );
      }}
    </VizLayout>
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
  'minWidth',
  'width',
  'align',
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

function panelPlugin(
  id: string,
  component: React.ComponentType<PanelProps<any>>,
  standardOptions?: SetFieldConfigOptionsArgs['standardOptions']
): PanelPlugin {
  const plugin = new PanelPlugin(withPanelContext(component)).useFieldConfig({
    standardOptions,
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
    // Grafana's time series panel colours each series from the classic palette unless told otherwise.
    timeseries: panelPlugin('timeseries', TimeSeriesPanel, {
      [FieldConfigProperty.Color]: {
        settings: { byValueSupport: true, bySeriesSupport: true, preferThresholdsColor: false },
        defaultValue: { mode: FieldColorModeId.PaletteClassic },
      },
    }),
    table: panelPlugin('table', TablePanel),
    bargauge: panelPlugin('bargauge', BarGaugePanel),
    barchart: panelPlugin('barchart', BarChartPanel),
    piechart: panelPlugin('piechart', PiePanel),
  };
}

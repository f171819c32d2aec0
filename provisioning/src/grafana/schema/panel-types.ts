// The panel types Grafana ships and where @grafana/schema describes their options and custom
// field config. Plugin ids are Grafana's (public/app/plugins/panel/*/plugin.json); the folder names
// under @grafana/schema's raw/composable differ for some (state-timeline → statetimeline).
// A panel type missing here fails the dashboard schema check.

export interface PanelTypeSpec {
  /** module of @grafana/schema holding `Options` (and `FieldConfig`), or undefined when re-stated */
  module?: string;
  alias: string;
  /** TypeScript type of the panel's options */
  options: string;
  /** TypeScript type of fieldConfig.defaults.custom; undefined: the panel has none */
  fieldConfig?: string;
}

const fromSchema = (
  folder: string,
  prefix: string,
  alias: string,
  withFieldConfig: boolean,
): PanelTypeSpec => ({
  module: `@grafana/schema/dist/esm/raw/composable/${folder}/panelcfg/x/${prefix}PanelCfg_types.gen`,
  alias,
  options: `${alias}.Options`,
  fieldConfig: withFieldConfig ? `${alias}.FieldConfig` : undefined,
});

export const PANEL_TYPES: Record<string, PanelTypeSpec> = {
  timeseries: fromSchema('timeseries', 'TimeSeries', 'p_timeseries', true),
  stat: fromSchema('stat', 'Stat', 'p_stat', false),
  table: fromSchema('table', 'Table', 'p_table', true),
  piechart: fromSchema('piechart', 'PieChart', 'p_piechart', true),
  barchart: fromSchema('barchart', 'BarChart', 'p_barchart', true),
  bargauge: fromSchema('bargauge', 'BarGauge', 'p_bargauge', false),
  gauge: fromSchema('gauge', 'Gauge', 'p_gauge', false),
  text: fromSchema('text', 'Text', 'p_text', false),
  'state-timeline': fromSchema('statetimeline', 'StateTimeline', 'p_statetimeline', true),
  'status-history': fromSchema('statushistory', 'StatusHistory', 'p_statushistory', true),
  heatmap: fromSchema('heatmap', 'Heatmap', 'p_heatmap', true),
  histogram: fromSchema('histogram', 'Histogram', 'p_histogram', true),
  trend: fromSchema('trend', 'Trend', 'p_trend', true),
  xychart: fromSchema('xychart', 'XYChart', 'p_xychart', true),
  candlestick: fromSchema('candlestick', 'Candlestick', 'p_candlestick', true),
  canvas: fromSchema('canvas', 'Canvas', 'p_canvas', false),
  geomap: fromSchema('geomap', 'Geomap', 'p_geomap', false),
  logs: fromSchema('logs', 'Logs', 'p_logs', false),
  news: fromSchema('news', 'News', 'p_news', false),
  dashlist: fromSchema('dashboardlist', 'DashboardList', 'p_dashboardlist', false),
  annolist: fromSchema('annotationslist', 'AnnotationsList', 'p_annotationslist', false),
  nodeGraph: fromSchema('nodegraph', 'NodeGraph', 'p_nodegraph', false),
  // @grafana/schema 13.2.2 has no schema for the alert list panel: see alertlist-options.ts.
  alertlist: { alias: 'alertlist', options: 'AlertListOptions' },
};

// Query (target) fields of the two datasources the dashboards use, which @grafana/schema does not
// describe. Re-stated from Grafana's query editors (Prometheus: public/app/plugins/datasource/
// prometheus, PromQuery; PostgreSQL: the SQL datasources' SQLQuery), values as they appear in JSON.
interface DataQueryBase {
  refId: string;
  hide?: boolean;
  queryType?: string;
  key?: string;
}

export interface PrometheusTarget extends DataQueryBase {
  datasource: { type: 'prometheus'; uid: string };
  expr: string;
  legendFormat?: string;
  instant?: boolean;
  range?: boolean;
  exemplar?: boolean;
  format?: 'time_series' | 'table' | 'heatmap';
  interval?: string;
  intervalFactor?: number;
  editorMode?: 'code' | 'builder';
}

export interface PostgresTarget extends DataQueryBase {
  datasource: { type: 'grafana-postgresql-datasource'; uid: string };
  rawSql: string;
  format: 'time_series' | 'table';
  rawQuery?: boolean;
  editorMode?: 'code' | 'builder';
  dataset?: string;
  table?: string;
}

/** TypeScript type name of a target, by its datasource type. */
export const TARGET_TYPES: Record<string, string> = {
  prometheus: 'PrometheusTarget',
  'grafana-postgresql-datasource': 'PostgresTarget',
};

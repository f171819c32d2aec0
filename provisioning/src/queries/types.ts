/** One named query of the catalog: the single definition dashboards, the app plugin and the CLI report share. */
export interface CatalogQuery {
  id: string;
  title: string;
  description: string;
  language: 'sql' | 'promql';
  datasourceUid: string;
  /** SQL with Grafana's PostgreSQL macros and `${var:sqlstring}` variables, or PromQL with `$var` / `$__range`. */
  expr: string;
  /** SQL only: how Grafana shapes the rows (default table). */
  format?: 'table' | 'time_series';
  /** Grafana unit id of the main value (currencyUSD, ms, percentunit; a count: display/formats COUNT_UNIT). */
  unit?: string;
  /** PromQL only: series name template. */
  legendFormat?: string;
  /** PromQL only: evaluated once at the end of the range (true) or as a range query. */
  instant?: boolean;
}

export type QuerySpec = Omit<CatalogQuery, 'id'>;

/** Fills each query's id from its key, keeping the keys as a literal union. */
export function defineQueries<K extends string>(
  specs: Record<K, QuerySpec>,
): Record<K, CatalogQuery> {
  const out = {} as Record<K, CatalogQuery>;
  for (const id of Object.keys(specs) as K[]) out[id] = { id, ...specs[id] };
  return out;
}

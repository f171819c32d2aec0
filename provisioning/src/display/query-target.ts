import type { CatalogQuery } from '../queries/types';

/** Grafana's datasource plugin type for each catalog language. */
export const DATASOURCE_TYPES = {
  sql: 'grafana-postgresql-datasource',
  promql: 'prometheus',
} as const;

/** A catalog query as a Grafana panel target (the fields both the dashboards and the plugin write). */
export interface QueryTarget {
  refId: string;
  datasource: { type: string; uid: string };
  editorMode: 'code';
  rawSql?: string;
  rawQuery?: true;
  format?: 'table' | 'time_series';
  expr?: string;
  legendFormat?: string;
  instant?: boolean;
  range?: boolean;
}

/**
 * The target that runs `query` verbatim on the datasource `uid` (default: the catalog's own).
 * PromQL `promFormat`: `table` when a table panel shows the result (labels become columns).
 */
export function queryTarget(
  query: CatalogQuery,
  refId: string,
  options: { uid?: string; promFormat?: 'table' | 'time_series' } = {},
): QueryTarget {
  const datasource = { type: DATASOURCE_TYPES[query.language], uid: options.uid ?? query.datasourceUid };
  if (query.language === 'sql') {
    return {
      refId,
      datasource,
      editorMode: 'code',
      rawQuery: true,
      format: query.format ?? 'table',
      rawSql: query.expr,
    };
  }
  return {
    refId,
    datasource,
    editorMode: 'code',
    expr: query.expr,
    instant: query.instant === true,
    range: query.instant !== true,
    ...(query.legendFormat ? { legendFormat: query.legendFormat } : {}),
    ...(options.promFormat ? { format: options.promFormat } : {}),
  };
}

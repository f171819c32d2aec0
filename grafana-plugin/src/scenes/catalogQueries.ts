import type { DataQuery, DataSourceRef } from '@grafana/schema';
import { SceneQueryRunner } from '@grafana/scenes';
import { DATASOURCE_TYPES, queryTarget } from '@tokenmeter/provisioning/display';
import { DATASOURCES, getQuery, type CatalogQuery } from '@tokenmeter/provisioning/queries';
import type { TokenmeterSettings } from '../settings/settings';

export { DATASOURCE_TYPES };

export interface CatalogDataQuery extends DataQuery {
  /** Which catalog query this is (kept on the target so tests and the browser harness can trace it). */
  catalogId: string;
  rawSql?: string;
  rawQuery?: boolean;
  editorMode?: 'code';
  format?: 'table' | 'time_series';
  expr?: string;
  legendFormat?: string;
  instant?: boolean;
  range?: boolean;
}

/** The datasource a catalog query runs on, after the operator's choice on the Configuration page. */
export function datasourceFor(query: CatalogQuery, settings: TokenmeterSettings): DataSourceRef {
  const uid =
    query.datasourceUid === DATASOURCES.prometheus
      ? settings.prometheusUid
      : query.datasourceUid === DATASOURCES.postgres
        ? settings.postgresUid
        : query.datasourceUid;
  return { uid, type: DATASOURCE_TYPES[query.language] };
}

/** A catalog query as a Grafana query target, exactly as the provisioned dashboards write it. */
export function toDataQuery(
  query: CatalogQuery,
  refId: string,
  settings: TokenmeterSettings,
  /** PromQL only: `table` when a table panel shows the result (labels become columns). */
  promFormat: 'time_series' | 'table' = 'time_series'
): CatalogDataQuery {
  const { uid } = datasourceFor(query, settings);
  const target = queryTarget(query, refId, { uid, promFormat: query.language === 'promql' ? promFormat : undefined });
  return { ...target, catalogId: query.id };
}

/**
 * One query runner for one or more catalog queries of the same datasource (refIds A, B, ...).
 * Mixing datasources in one runner is refused: Grafana would need the mixed datasource for that.
 */
export function catalogQueryRunner(
  ids: string[],
  settings: TokenmeterSettings,
  options: { maxDataPoints?: number; promFormat?: 'time_series' | 'table' } = {}
): SceneQueryRunner {
  if (ids.length === 0) {
    throw new Error('catalogQueryRunner needs at least one catalog query id');
  }
  const queries = ids.map((id, index) => toDataQuery(getQuery(id), String.fromCharCode(65 + index), settings, options.promFormat));
  const datasource = queries[0].datasource!;
  const other = queries.find((query) => query.datasource?.uid !== datasource.uid);
  if (other) {
    throw new Error(`Catalog queries ${ids.join(', ')} mix datasources ${datasource.uid} and ${other.datasource?.uid}`);
  }
  return new SceneQueryRunner({ datasource, queries, maxDataPoints: options.maxDataPoints ?? 500 });
}

/** The Grafana unit a catalog query declares, so panels never re-state it. */
export function unitOf(id: string, fallback = 'short'): string {
  return getQuery(id).unit ?? fallback;
}

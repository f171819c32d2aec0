// The query catalog: every query Tokenmeter shows, named once. Dependency-free on purpose: the
// Grafana app plugin bundles it with webpack, the dashboards are generated from it and the
// command-line report runs its SQL through `renderSql`.
import { alertQueries } from './alert-queries';
import { promqlQueries } from './health-promql';
import { overviewSqlQueries } from './overview-sql';
import type { CatalogQuery } from './types';
import { userSqlQueries } from './users-sql';

export { DATASOURCES, type DatasourceUid } from './datasources';
export type { CatalogQuery } from './types';
export {
  TEMPLATE_VARIABLES,
  DEFAULT_FREE_QUOTA,
  ALL_VALUE,
  type TemplateVariable,
  type TemplateVariableName,
} from './variables';
export { PROM_METRICS, PROM_LABELS, SCRAPE_JOBS, RECORDED } from './prometheus-names';
export { RECOMMENDATION_EVENT_NAMES } from './health-promql';

export const queries = {
  ...overviewSqlQueries,
  ...userSqlQueries,
  ...promqlQueries,
  ...alertQueries,
} as const;

export type QueryId = keyof typeof queries;

export function isQueryId(id: string): id is QueryId {
  return Object.prototype.hasOwnProperty.call(queries, id);
}

/** The catalog query named `id`; throws on an unknown name. */
export function getQuery(id: QueryId | string): CatalogQuery {
  if (!isQueryId(id))
    throw new Error(`Unknown catalog query "${id}" (known: ${Object.keys(queries).join(', ')})`);
  return queries[id];
}

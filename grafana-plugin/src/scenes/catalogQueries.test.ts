import { DATASOURCES, getQuery } from '@tokenmeter/provisioning/queries';
import { DEFAULT_SETTINGS } from '../settings/defaults';
import { catalogQueryRunner, toDataQuery } from './catalogQueries';

describe('catalog queries as Grafana targets', () => {
  it('passes SQL verbatim to the PostgreSQL datasource in code mode', () => {
    const query = getQuery('daily_usage');
    expect(toDataQuery(query, 'A', DEFAULT_SETTINGS)).toEqual({
      refId: 'A',
      catalogId: 'daily_usage',
      datasource: { uid: DATASOURCES.postgres, type: 'grafana-postgresql-datasource' },
      rawSql: query.expr,
      rawQuery: true,
      editorMode: 'code',
      format: 'time_series',
    });
  });

  it('passes PromQL verbatim to the Prometheus datasource, instant when the catalog says so', () => {
    const query = getQuery('health_components');
    expect(toDataQuery(query, 'B', { ...DEFAULT_SETTINGS, prometheusUid: 'prom-2' }, 'table')).toMatchObject({
      refId: 'B',
      datasource: { uid: 'prom-2', type: 'prometheus' },
      expr: query.expr,
      legendFormat: query.legendFormat,
      instant: true,
      range: false,
      format: 'table',
    });
  });

  it('refuses unknown ids and runners that mix datasources', () => {
    expect(() => catalogQueryRunner(['no_such_query'], DEFAULT_SETTINGS)).toThrow('Unknown catalog query');
    expect(() => catalogQueryRunner(['daily_usage', 'health_overall'], DEFAULT_SETTINGS)).toThrow('mix datasources');
    expect(() => catalogQueryRunner([], DEFAULT_SETTINGS)).toThrow('at least one');
  });
});

import * as semconv from '@tokenmeter/conventions/semconv';
import {
  DATASOURCES,
  getQuery,
  PROM_LABELS,
  PROM_METRICS,
  queries,
  TEMPLATE_VARIABLES,
} from './index';
import { referencedVariables, renderSql } from '../render';

const all = Object.values(queries);

describe('query catalog', () => {
  it('keys every query by its own id and points it at a provisioned datasource', () => {
    for (const [key, query] of Object.entries(queries)) {
      expect(query.id).toBe(key);
      expect(Object.values(DATASOURCES)).toContain(query.datasourceUid);
      expect(query.datasourceUid).toBe(
        query.language === 'sql' ? DATASOURCES.postgres : DATASOURCES.prometheus,
      );
      expect(query.title.length).toBeGreaterThan(0);
      expect(query.description.length).toBeGreaterThan(0);
    }
  });

  it('leaves every SQL variable to the datasource\'s quoting (never sqlstring, which writes " as \\")', () => {
    for (const query of all.filter((q) => q.language === 'sql')) {
      for (const reference of referencedVariables(query.expr)) {
        expect({ query: query.id, ...reference }).toEqual({
          query: query.id,
          name: reference.name,
          format: undefined,
        });
        const variable = TEMPLATE_VARIABLES[reference.name as keyof typeof TEMPLATE_VARIABLES];
        expect(variable).toBeDefined();
        // A single-value (textbox) variable comes with its ' doubled but unquoted: the query quotes it.
        if (variable.type === 'textbox') {
          expect(query.expr).not.toMatch(
            new RegExp(`[^']\\$\\{${reference.name}\\}|\\$\\{${reference.name}\\}[^']`),
          );
        }
      }
    }
  });

  it('uses no dashboard variable in alert queries, which Grafana alerting cannot fill', () => {
    for (const query of all.filter((q) => q.id.startsWith('alert_'))) {
      expect(referencedVariables(query.expr)).toEqual([]);
      expect(query.expr).not.toMatch(/\$__range|\$__interval/);
    }
  });

  it('expands every SQL query completely, leaving no macro or variable behind', () => {
    const vars = {
      service: ['svc'],
      model: ['m'],
      billing_mode: ['system'],
      plan: ['pro'],
      free_quota: '3',
      user: 'u',
    };
    for (const query of all.filter((q) => q.language === 'sql')) {
      const sql = renderSql(query, {
        from: new Date('2026-11-01T00:00:00Z'),
        to: new Date('2026-11-23T10:30:00Z'),
        vars,
      });
      expect({ id: query.id, leftover: sql.match(/\$\w+|\[\[/g) }).toEqual({
        id: query.id,
        leftover: null,
      });
    }
  });

  it('names an unknown query in its error', () => {
    expect(() => getQuery('no_such_query')).toThrow(/Unknown catalog query "no_such_query"/);
    expect(getQuery('overview_cost').title).toBe('Total cost');
  });
});

describe('Prometheus names', () => {
  it('match the names the instrumentation documents for the Collector exporter', () => {
    const { PROMETHEUS_METRIC } = semconv;
    expect([
      PROMETHEUS_METRIC.operationDuration,
      PROMETHEUS_METRIC.costUsd,
      PROMETHEUS_METRIC.httpServerDuration,
    ]).toEqual([PROM_METRICS.llmDuration, PROM_METRICS.llmCost, PROM_METRICS.httpDuration]);
    expect(Object.values(PROMETHEUS_METRIC).sort()).toEqual(
      Object.values(PROM_METRICS)
        .filter((name) => name !== PROM_METRICS.sinkDatabaseUp)
        .sort(),
    );
    for (const attribute of Object.values(semconv.METRIC_LABELS).flat()) {
      if (
        attribute === 'signal' ||
        attribute === 'reason' ||
        attribute === semconv.ATTR_HTTP_REQUEST_METHOD
      )
        continue;
      expect(Object.values(PROM_LABELS)).toContain(attribute.replace(/\./g, '_'));
    }
  });
});

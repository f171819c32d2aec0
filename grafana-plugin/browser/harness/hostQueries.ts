// The host's side of a datasource query, as Grafana's frontend does it: template variables are
// interpolated in the browser (through the scene that asked, like Grafana's TemplateSrv), then the
// queries go to /api/ds/query, whose answer toDataQueryResponse turns into data frames.
import { rangeUtil, type DataQueryRequest, type DataQueryResponse, type DataSourceInstanceSettings, type ScopedVars } from '@grafana/data';
import { toDataQueryResponse, type TemplateSrv } from '@grafana/runtime';
import { sceneGraph, type SceneObject, type VariableCustomFormatterFn } from '@grafana/scenes';
import type { DataQuery } from '@grafana/schema';
import { from, type Observable } from 'rxjs';

type Formatter = string | VariableCustomFormatterFn | undefined;

/** Grafana's TemplateSrv for Scenes apps: interpolation goes through the scene object that asked. */
export const sceneTemplateSrv: TemplateSrv = {
  getVariables: () => [],
  containsTemplate: (target?: string) => Boolean(target && /\$|\[\[/.test(target)),
  updateTimeRange: () => undefined,
  replace(target?: string, scopedVars?: ScopedVars, format?: Formatter) {
    // Scenes wraps the object so that it survives serialisation; valueOf() unwraps it (as Grafana does).
    const sceneObject = (scopedVars?.__sceneObject?.value as { valueOf(): SceneObject } | undefined)?.valueOf();
    if (!target || !sceneObject) {
      return target ?? '';
    }
    return sceneGraph.interpolate(sceneObject, target, scopedVars, format as VariableCustomFormatterFn);
  },
};

/**
 * Prometheus datasource: multi-value variables as a regex alternation, values regex-escaped twice
 * over (once for the regex, once for the PromQL string literal), as Grafana's datasource does.
 */
const promFormat: VariableCustomFormatterFn = (value) => {
  const escape = (text: string) => text.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}[\]'+?.()|]/g, '\\\\$&');
  if (Array.isArray(value)) {
    return value.length === 1 ? escape(String(value[0])) : `(${value.map((v) => escape(String(v))).join('|')})`;
  }
  return escape(String(value));
};

/**
 * PostgreSQL datasource (its interpolateVariable): each value of a multi-value variable quoted as a
 * standard string (only ' doubled); a single-value one with ' doubled, unquoted. A custom all value
 * never reaches it: scenes substitutes that raw.
 */
const sqlFormat: VariableCustomFormatterFn = (value, variable) => {
  const quote = (v: unknown) => `'${String(v).replace(/'/g, "''")}'`;
  if (Array.isArray(value)) {
    return value.map(quote).join(',');
  }
  return variable?.multi || variable?.includeAll ? quote(value) : String(value).replace(/'/g, "''");
};

/** What the Prometheus datasource adds before interpolating: $__range and $__rate_interval. */
function rangeVars(request: DataQueryRequest): ScopedVars {
  const rangeMs = request.range.to.valueOf() - request.range.from.valueOf();
  const rangeS = Math.round(rangeMs / 1000);
  const rateInterval = Math.max(request.intervalMs + 15_000, 60_000);
  return {
    __range: { text: `${rangeS}s`, value: `${rangeS}s` },
    __range_s: { text: String(rangeS), value: rangeS },
    __range_ms: { text: String(rangeMs), value: rangeMs },
    __rate_interval: { text: rangeUtil.secondsToHms(rateInterval / 1000), value: rangeUtil.secondsToHms(rateInterval / 1000) },
  };
}

export function queryHost(request: DataQueryRequest<DataQuery>, settings: DataSourceInstanceSettings): Observable<DataQueryResponse> {
  const isProm = settings.type === 'prometheus';
  const scopedVars = isProm ? { ...request.scopedVars, ...rangeVars(request) } : request.scopedVars;
  const queries = request.targets.map((target) => {
    const query = target as DataQuery & { rawSql?: string; expr?: string };
    return {
      ...query,
      datasource: { uid: settings.uid, type: settings.type },
      rawSql: query.rawSql === undefined ? undefined : sceneTemplateSrv.replace(query.rawSql, scopedVars, sqlFormat),
      expr: query.expr === undefined ? undefined : sceneTemplateSrv.replace(query.expr, scopedVars, promFormat),
      intervalMs: request.intervalMs,
      maxDataPoints: request.maxDataPoints,
    };
  });
  const body = { queries, from: String(request.range.from.valueOf()), to: String(request.range.to.valueOf()) };
  return from(
    (async () => {
      const response = await fetch('/api/ds/query', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const data = await response.json();
      return toDataQueryResponse({ data, status: response.status }, request.targets);
    })()
  );
}

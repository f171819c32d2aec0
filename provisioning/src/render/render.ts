import type { CatalogQuery } from '../queries/types';
import { expandPostgresMacros, interpolateGlobals, type TimeRange } from './postgres-macros';
import { formatGrafanaInterval } from './go-time';
import { replaceVariables, type VariableValue, type VariableValues } from './template-variables';
import { TEMPLATE_VARIABLES } from '../queries/variables';

export interface RenderOptions extends TimeRange {
  /** Grafana's `$__interval` (panel resolution), ms. Default 60 000. */
  intervalMs?: number;
  /**
   * Dashboard variables by name; multi-value ones as arrays, or `ALL` for Grafana's "All" (its custom
   * all value, TEMPLATE_VARIABLES' `allValue`, is substituted raw as Grafana does).
   */
  vars?: VariableValues;
}

const DEFAULT_INTERVAL_MS = 60_000;

function checkRange(options: RenderOptions): void {
  const { from, to } = options;
  if (
    !(from instanceof Date) ||
    Number.isNaN(from.getTime()) ||
    !(to instanceof Date) ||
    Number.isNaN(to.getTime())
  ) {
    throw new Error('renderSql/renderPromql: `from` and `to` must be valid Dates');
  }
  if (from.getTime() > to.getTime())
    throw new Error('renderSql/renderPromql: `from` is after `to`');
}

const sqlOf = (query: CatalogQuery | string, language: CatalogQuery['language']): string => {
  if (typeof query === 'string') return query;
  if (query.language !== language)
    throw new Error(`Query "${query.id}" is ${query.language}, not ${language}`);
  return query.expr;
};

/** The custom all value of a catalog template variable, if it has one. */
function customAllValue(name: string): string | undefined {
  const variable = (TEMPLATE_VARIABLES as Record<string, { allValue?: string }>)[name];
  return variable?.allValue;
}

/** Whether Grafana treats `name` as a multi-value variable (multi or include-All). */
function isMultiValue(name: string, value: VariableValue): boolean {
  const variable = (TEMPLATE_VARIABLES as Record<string, { type: string }>)[name];
  return variable ? variable.type !== 'textbox' : typeof value !== 'string';
}

/** PostgreSQL's standard-string literal: `'` doubled, nothing else escaped (Grafana's quoteLiteral). */
const quoteLiteral = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/**
 * A variable without an explicit format, as Grafana's SQL datasources write it (interpolateVariable):
 * each value of a multi-value variable as a quoted literal, joined by commas; a single-value one
 * with `'` doubled but unquoted, so the query quotes it itself (`'${user}'`).
 */
function formatSqlDefault(name: string, value: VariableValue): string {
  if (typeof value !== 'string') return value.map(quoteLiteral).join(',');
  return isMultiValue(name, value) ? quoteLiteral(value) : value.replace(/'/g, "''");
}

/**
 * The SQL Grafana's PostgreSQL datasource would run for `query`: dashboard variables substituted
 * (a custom all value raw, other values by the datasource's quoting or the explicit format), then
 * `$__interval` & co., then the `$__timeFilter(...)` family of macros.
 */
export function renderSql(query: CatalogQuery | string, options: RenderOptions): string {
  checkRange(options);
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const rangeMs = options.to.getTime() - options.from.getTime();
  const withVariables = replaceVariables(
    sqlOf(query, 'sql'),
    options.vars ?? {},
    (name) => dashboardBuiltin(name, options, intervalMs, rangeMs),
    (reference, value) => formatSqlDefault(reference.name, value),
    customAllValue,
  );
  return expandPostgresMacros(interpolateGlobals(withVariables, options, intervalMs), options);
}

/** Grafana's frontend built-ins ($__range, $__from...) that are not datasource macros. */
function dashboardBuiltin(
  name: string,
  options: TimeRange,
  intervalMs: number,
  rangeMs: number,
): string | undefined {
  switch (name) {
    case '__interval':
      return formatGrafanaInterval(intervalMs);
    case '__interval_ms':
      return String(Math.trunc(intervalMs));
    case '__range':
      return `${Math.round(rangeMs / 1000)}s`;
    case '__range_s':
      return String(Math.round(rangeMs / 1000));
    case '__range_ms':
      return String(rangeMs);
    case '__from':
      return String(options.from.getTime());
    case '__to':
      return String(options.to.getTime());
    default:
      return undefined;
  }
}

/**
 * Regex-escapes a label value inside a PromQL double-quoted string, as Grafana's Prometheus
 * datasource does with the `prometheusSpecialCharsInLabelValues` feature toggle, which compose
 * enables (docs/contracts.md, "Dashboard variables"): without it a `"` ends the string early.
 */
function promRegexEscape(value: string): string {
  return value
    .replace(/\\/g, '\\\\\\\\')
    .replace(/"/g, '\\\\\\"')
    .replace(/[$^*{}[\]'+?.()|]/g, '\\\\$&');
}

function formatPromVariable(value: VariableValue): string {
  const escaped = (typeof value === 'string' ? [value] : value).map(promRegexEscape);
  return escaped.length === 1 ? (escaped[0] as string) : `(${escaped.join('|')})`;
}

export interface PromRenderOptions extends RenderOptions {
  /** Prometheus scrape interval, for `$__rate_interval` (default 15 s, as provisioned). */
  scrapeIntervalMs?: number;
}

/** The PromQL Grafana's Prometheus datasource would send: multi-value variables as `(a|b)` regexes. */
export function renderPromql(query: CatalogQuery | string, options: PromRenderOptions): string {
  checkRange(options);
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const scrapeMs = options.scrapeIntervalMs ?? 15_000;
  const rangeMs = options.to.getTime() - options.from.getTime();
  return replaceVariables(
    sqlOf(query, 'promql'),
    options.vars ?? {},
    (name) =>
      name === '__rate_interval'
        ? formatGrafanaInterval(Math.max(intervalMs + scrapeMs, 4 * scrapeMs))
        : dashboardBuiltin(name, options, intervalMs, rangeMs),
    (_reference, value) => formatPromVariable(value),
    customAllValue,
  );
}

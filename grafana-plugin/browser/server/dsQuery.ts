// Grafana's /api/ds/query for the two provisioned datasources, played by the harness server: the
// backend half of the PostgreSQL datasource (macros, then SQL on a real PostgreSQL) and of the
// Prometheus datasource (instant and range queries on a real Prometheus), answered as data frames.
import { expandPostgresMacros, interpolateGlobals } from '@tokenmeter/provisioning';
import type { Pool } from 'pg';

export interface DsQuery {
  refId: string;
  datasource: { uid: string; type: string };
  rawSql?: string;
  expr?: string;
  format?: 'table' | 'time_series';
  instant?: boolean;
  legendFormat?: string;
  intervalMs?: number;
  maxDataPoints?: number;
}

interface FieldSchema {
  name: string;
  type: 'time' | 'number' | 'string' | 'boolean' | 'other';
  labels?: Record<string, string>;
  config?: Record<string, unknown>;
}

export interface FrameJson {
  schema: { refId: string; name?: string; fields: FieldSchema[]; meta?: Record<string, unknown> };
  data: { values: unknown[][] };
}

export type QueryResult = { frames: FrameJson[]; status: number } | { error: string; status: number };

// PostgreSQL type oids (pg_type): how Grafana's datasource types each column.
const TIME_OIDS = new Set([1082, 1114, 1184]);
const NUMBER_OIDS = new Set([20, 21, 23, 700, 701, 1700]);
const BOOL_OIDS = new Set([16]);

export async function runSql(pool: Pool, query: DsQuery, from: Date, to: Date): Promise<FrameJson> {
  const sql = expandPostgresMacros(interpolateGlobals(query.rawSql ?? '', { from, to }, query.intervalMs ?? 60_000), { from, to });
  const result = await pool.query({ text: sql, rowMode: 'array' });
  const fields: FieldSchema[] = result.fields.map((field) => ({
    name: field.name,
    type: TIME_OIDS.has(field.dataTypeID)
      ? 'time'
      : NUMBER_OIDS.has(field.dataTypeID)
        ? 'number'
        : BOOL_OIDS.has(field.dataTypeID)
          ? 'boolean'
          : 'string',
  }));
  const values = fields.map((field, column) =>
    (result.rows as unknown[][]).map((row) => {
      const value = row[column];
      if (value === null || value === undefined) {
        return null;
      }
      if (field.type === 'time') {
        return new Date(value as string).getTime();
      }
      if (field.type === 'number') {
        return Number(value);
      }
      return value;
    })
  );
  return { schema: { refId: query.refId, fields, meta: { executedQueryString: sql } }, data: { values } };
}

interface PromSeries {
  metric: Record<string, string>;
  value?: [number, string];
  values?: Array<[number, string]>;
}

function legend(format: string | undefined, labels: Record<string, string>): string | undefined {
  if (!format || format === '__auto') {
    return undefined;
  }
  return format.replace(/\{\{\s*(\w+)\s*\}\}/g, (_match, name: string) => labels[name] ?? '');
}

export async function runPromql(prometheusUrl: string, query: DsQuery, from: Date, to: Date, targetCount: number): Promise<FrameJson[]> {
  const expr = query.expr ?? '';
  let url: string;
  if (query.instant) {
    url = `${prometheusUrl}/api/v1/query?${new URLSearchParams({ query: expr, time: String(to.getTime() / 1000) })}`;
  } else {
    const rangeS = (to.getTime() - from.getTime()) / 1000;
    const step = Math.max(15, Math.ceil(rangeS / (query.maxDataPoints ?? 500)), Math.floor((query.intervalMs ?? 0) / 1000));
    url = `${prometheusUrl}/api/v1/query_range?${new URLSearchParams({
      query: expr,
      start: String(Math.floor(from.getTime() / 1000 / step) * step),
      end: String(to.getTime() / 1000),
      step: String(step),
    })}`;
  }
  const response = await fetch(url);
  const body = (await response.json()) as { status: string; error?: string; data?: { result: PromSeries[] } };
  if (body.status !== 'success') {
    throw new Error(`Prometheus: ${body.error ?? response.status}`);
  }
  const series = body.data?.result ?? [];
  const points = (item: PromSeries) => (item.values ?? (item.value ? [item.value] : [])).map(([t, v]) => [t * 1000, Number(v)] as const);

  if (query.format === 'table') {
    const labelNames = [...new Set(series.flatMap((item) => Object.keys(item.metric).filter((name) => name !== '__name__')))].sort();
    const rows = series.flatMap((item) => points(item).map(([t, v]) => ({ t, v, labels: item.metric })));
    const valueName = targetCount > 1 ? `Value #${query.refId}` : 'Value';
    return [
      {
        schema: {
          refId: query.refId,
          fields: [
            { name: 'Time', type: 'time' },
            ...labelNames.map((name): FieldSchema => ({ name, type: 'string' })),
            { name: valueName, type: 'number' },
          ],
        },
        data: {
          values: [rows.map((row) => row.t), ...labelNames.map((name) => rows.map((row) => row.labels[name] ?? '')), rows.map((row) => row.v)],
        },
      },
    ];
  }
  return series.map((item) => {
    const labels = Object.fromEntries(Object.entries(item.metric).filter(([name]) => name !== '__name__'));
    const displayName = legend(query.legendFormat, item.metric);
    const data = points(item);
    return {
      schema: {
        refId: query.refId,
        fields: [
          { name: 'Time', type: 'time' },
          { name: 'Value', type: 'number', labels, config: displayName ? { displayNameFromDS: displayName } : {} },
        ],
      },
      data: { values: [data.map(([t]) => t), data.map(([, v]) => v)] },
    };
  });
}

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { renderSql } from '../render';
import type { PromSample } from '@tokenmeter/test-support';

// Evaluates a provisioned Grafana-managed rule the way Grafana does — query A on the real backend,
// then the server-side expressions: reduce (B) and threshold (C) — reading everything (query,
// window, reducer, mode, threshold) from provisioning/grafana/alerting/rules.yaml itself.

type Node = Record<string, unknown>;
export interface ProvisionedRule {
  uid: string;
  title: string;
  condition: string;
  noDataState: string;
  data: {
    refId: string;
    datasourceUid: string;
    relativeTimeRange?: { from: number; to: number };
    model: Node;
  }[];
}

export interface Backends {
  sql(sql: string): Promise<Record<string, unknown>[]>;
  promql(expr: string, time: Date): Promise<PromSample[]>;
}

export interface AlertInstance {
  labels: Record<string, string>;
  value: number;
  firing: boolean;
}

export function provisionedRules(): ProvisionedRule[] {
  const file = parse(
    readFileSync(resolve(__dirname, '../../grafana/alerting/rules.yaml'), 'utf8'),
  ) as Node;
  return (file.groups as Node[]).flatMap((group) => group.rules as ProvisionedRule[]);
}

export function provisionedRule(uid: string): ProvisionedRule {
  const rule = provisionedRules().find((r) => r.uid === uid);
  if (!rule) throw new Error(`no provisioned rule ${uid}`);
  return rule;
}

type Series = { labels: Record<string, string>; values: number[] };

/** Grafana's SQL → alerting conversion: string columns become labels, the numeric column the value. */
function sqlSeries(rows: Record<string, unknown>[]): Series[] {
  return rows.map((row) => {
    const labels: Record<string, string> = {};
    const values: number[] = [];
    for (const [column, cell] of Object.entries(row)) {
      if (cell === null) values.push(Number.NaN);
      else if (
        typeof cell === 'number' ||
        (typeof cell === 'string' && cell.trim() !== '' && !Number.isNaN(Number(cell)))
      ) {
        values.push(Number(cell));
      } else labels[column] = String(cell);
    }
    if (values.length !== 1)
      throw new Error(`alert SQL must return one numeric column, got ${values.length}`);
    return { labels, values };
  });
}

const REDUCERS: Record<string, (values: number[]) => number> = {
  last: (v) => (v.length ? (v[v.length - 1] as number) : Number.NaN),
  mean: (v) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : Number.NaN),
  sum: (v) => v.reduce((a, b) => a + b, 0),
  min: (v) => (v.length ? Math.min(...v) : Number.NaN),
  max: (v) => (v.length ? Math.max(...v) : Number.NaN),
  count: (v) => v.length,
};

/** The reduce expression: `strict` keeps NaN (any NaN gives NaN), `dropNN` drops non-numbers, `replaceNN` replaces them. */
function reduce(values: number[], model: Node): number {
  const reducer = REDUCERS[String(model.reducer)];
  if (!reducer) throw new Error(`unsupported reducer ${String(model.reducer)}`);
  const settings = (model.settings ?? {}) as Node;
  const mode = String(settings.mode ?? 'strict');
  if (mode === 'dropNN') return reducer(values.filter((v) => Number.isFinite(v)));
  if (mode === 'replaceNN')
    return reducer(values.map((v) => (Number.isFinite(v) ? v : Number(settings.replaceWithValue))));
  return values.some((v) => Number.isNaN(v)) ? Number.NaN : reducer(values);
}

/** The threshold expression: 1 when the condition holds, 0 otherwise (NaN never holds). */
function threshold(value: number, model: Node): boolean {
  const evaluator = ((model.conditions as Node[])[0] as Node).evaluator as {
    type: string;
    params: number[];
  };
  const [a = Number.NaN, b = Number.NaN] = evaluator.params;
  switch (evaluator.type) {
    case 'gt':
      return value > a;
    case 'lt':
      return value < a;
    case 'within_range':
      return value > a && value < b;
    case 'outside_range':
      return value < a || value > b;
    default:
      throw new Error(`unsupported threshold ${evaluator.type}`);
  }
}

export async function evaluateRule(
  rule: ProvisionedRule,
  backends: Backends,
  now: Date,
): Promise<AlertInstance[]> {
  const [query, reduceStep, thresholdStep] = ['A', 'B', 'C'].map((refId) =>
    rule.data.find((d) => d.refId === refId),
  );
  if (!query || !reduceStep || !thresholdStep || rule.condition !== 'C')
    throw new Error(`${rule.uid}: not a query → reduce → threshold rule`);
  if (reduceStep.model.expression !== 'A' || thresholdStep.model.expression !== 'B')
    throw new Error(`${rule.uid}: unexpected expression chain`);
  const range = query.relativeTimeRange ?? { from: 600, to: 0 };
  const from = new Date(now.getTime() - range.from * 1000);
  const to = new Date(now.getTime() - range.to * 1000);
  let series: Series[];
  if (query.model.rawSql !== undefined) {
    series = sqlSeries(await backends.sql(renderSql(String(query.model.rawSql), { from, to })));
  } else {
    const samples = await backends.promql(String(query.model.expr), to);
    series = samples.map((s) => ({ labels: s.labels, values: [s.value] }));
  }
  if (series.length === 0 && rule.noDataState !== 'OK')
    throw new Error(`${rule.uid}: no data, state ${rule.noDataState}`);
  return series.map((s) => {
    const value = reduce(s.values, reduceStep.model);
    return { labels: s.labels, value, firing: threshold(value, thresholdStep.model) };
  });
}

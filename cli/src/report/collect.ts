// Reads the report's figures from PostgreSQL through the shared query catalog, rendered exactly as
// Grafana would run it (dashboard variables set to "All").
import type { ClientBase } from 'pg';
import {
  DEFAULT_FREE_QUOTA,
  getQuery,
  TEMPLATE_VARIABLES,
  type QueryId,
} from '@tokenmeter/provisioning/queries';
import { ALL, renderSql, type VariableValues } from '@tokenmeter/provisioning/render';
import type { Period } from './period';

type Row = Record<string, unknown>;

export interface Report {
  period: { from: string; to: string; label: string };
  generatedAt: string;
  /** True when no model call was recorded in the period. */
  empty: boolean;
  services: string[];
  cost: {
    totalUsd: number;
    unpricedCalls: number;
    monthToDateUsd: number;
    projectedMonthUsd: number;
    byBillingMode: { billingMode: string; requests: number; costUsd: number }[];
  };
  requests: { total: number; errors: number; errorRate: number; avgTokensPerRequest: number };
  tokens: { prompt: number; completion: number; cachedPrompt: number; total: number };
  activeUsers: number;
  allTime: {
    totalCostUsd: number;
    monthCostUsd: number;
    totalTokens: number;
    monthTokens: number;
    distinctPrompts: number;
    executions: number;
    avgLatencyMs: number;
    mostUsedModel: string | null;
  };
  modelMix: { model: string; requests: number; share: number; costUsd: number }[];
  /** Models called in the period without a price: their calls are left out of every cost. */
  unpricedModels: {
    provider: string;
    model: string;
    unpricedCalls: number;
    calls: number;
    reason: string;
  }[];
  topUsers: { userId: string; requests: number; tokens: number; costUsd: number }[];
  topPrompts: {
    prompt: string;
    requests: number;
    tokens: number;
    promptTokens: number;
    completionTokens: number;
    costUsd: number;
    costPerRequestUsd: number;
  }[];
  recentActivity: {
    time: string;
    operation: string;
    prompt: string;
    model: string;
    userId: string;
    status: string;
    errorType: string;
    durationMs: number;
    totalTokens: number;
    costUsd: number | null;
    billingMode: string;
    plan: string;
  }[];
  freeQuota: number;
  quotaOverruns: { day: string; userId: string; executions: number; overBy: number }[];
}

export interface CollectOptions {
  period: Period;
  freeQuota?: number;
  /** Called after each query with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
const text = (value: unknown): string =>
  value === null || value === undefined ? '' : String(value);
const iso = (value: unknown): string => (value instanceof Date ? value.toISOString() : text(value));

/** The queries the report runs, in order (the variable queries come first). */
const REPORT_QUERIES = [
  'overview_cost',
  'overview_month_projection',
  'overview_requests',
  'overview_tokens',
  'overview_active_users',
  'overview_billing_modes',
  'overview_all_time',
  'model_mix',
  'unpriced_models',
  'top_users',
  'top_prompts_by_cost',
  'recent_activity',
  'free_quota_overruns',
] as const satisfies readonly QueryId[];
type ReportQuery = (typeof REPORT_QUERIES)[number];

export async function collectReport(client: ClientBase, options: CollectOptions): Promise<Report> {
  const { period } = options;
  const freeQuota = options.freeQuota ?? DEFAULT_FREE_QUOTA;
  const total = REPORT_QUERIES.length + 1;
  let done = 0;
  const progress = (): void => options.onProgress?.(++done, total);
  const range = { from: period.from, to: period.to };

  // The services seen in the period, as the dashboards' service variable lists them.
  const optionsOf = async (expr: string): Promise<string[]> => {
    const { rows } = await client.query<Row>(renderSql(expr, range));
    progress();
    return rows.map((row) => text(Object.values(row)[0]));
  };
  const services = await optionsOf(TEMPLATE_VARIABLES.service.expr);
  // "All" everywhere, as the dashboards open: every call ever recorded, not only the period's.
  const vars: VariableValues = {
    service: ALL,
    model: ALL,
    billing_mode: ALL,
    plan: ALL,
    free_quota: String(freeQuota),
  };

  const results = {} as Record<ReportQuery, Row[]>;
  for (const id of REPORT_QUERIES) {
    results[id] = (await client.query<Row>(renderSql(getQuery(id), { ...range, vars }))).rows;
    progress();
  }
  const first = (id: ReportQuery): Row => results[id][0] ?? {};

  const requestsRow = first('overview_requests');
  const requests = num(requestsRow.requests);
  const modelRows = results.model_mix;
  return {
    period: { from: period.from.toISOString(), to: period.to.toISOString(), label: period.label },
    generatedAt: new Date().toISOString(),
    empty: requests === 0,
    services,
    cost: {
      totalUsd: num(first('overview_cost').cost_usd),
      unpricedCalls: num(first('overview_cost').unpriced_calls),
      monthToDateUsd: num(first('overview_month_projection').month_to_date_usd),
      projectedMonthUsd: num(first('overview_month_projection').projected_month_usd),
      byBillingMode: results.overview_billing_modes.map((row) => ({
        billingMode: text(row.billing_mode),
        requests: num(row.requests),
        costUsd: num(row.cost_usd),
      })),
    },
    requests: {
      total: requests,
      errors: num(requestsRow.errors),
      errorRate: requests === 0 ? 0 : num(requestsRow.errors) / requests,
      avgTokensPerRequest: num(requestsRow.avg_tokens_per_request),
    },
    tokens: {
      prompt: num(first('overview_tokens').prompt_tokens),
      completion: num(first('overview_tokens').completion_tokens),
      cachedPrompt: num(first('overview_tokens').cached_prompt_tokens),
      total: num(first('overview_tokens').total_tokens),
    },
    activeUsers: num(first('overview_active_users').active_users),
    allTime: {
      totalCostUsd: num(first('overview_all_time').total_cost_usd),
      monthCostUsd: num(first('overview_all_time').month_cost_usd),
      totalTokens: num(first('overview_all_time').total_tokens),
      monthTokens: num(first('overview_all_time').month_tokens),
      distinctPrompts: num(first('overview_all_time').distinct_prompts),
      executions: num(first('overview_all_time').executions),
      avgLatencyMs: num(first('overview_all_time').avg_latency_ms),
      mostUsedModel:
        (first('overview_all_time').most_used_model as string | null | undefined) ?? null,
    },
    modelMix: modelRows.map((row) => ({
      model: text(row.model),
      requests: num(row.requests),
      share: requests === 0 ? 0 : num(row.requests) / requests,
      costUsd: num(row.cost_usd),
    })),
    unpricedModels: results.unpriced_models.map((row) => ({
      provider: text(row.provider),
      model: text(row.model),
      unpricedCalls: num(row.unpriced_calls),
      calls: num(row.calls),
      reason: text(row.reason),
    })),
    topUsers: results.top_users.map((row) => ({
      userId: text(row.user_id),
      requests: num(row.requests),
      tokens: num(row.tokens),
      costUsd: num(row.cost_usd),
    })),
    topPrompts: results.top_prompts_by_cost.map((row) => ({
      prompt: text(row.prompt),
      requests: num(row.requests),
      tokens: num(row.tokens),
      promptTokens: num(row.prompt_tokens),
      completionTokens: num(row.completion_tokens),
      costUsd: num(row.cost_usd),
      costPerRequestUsd: num(row.cost_per_request_usd),
    })),
    recentActivity: results.recent_activity.map((row) => ({
      time: iso(row.time),
      operation: text(row.operation),
      prompt: text(row.prompt),
      model: text(row.model),
      userId: text(row.user_id),
      status: text(row.status),
      errorType: text(row.error_type),
      durationMs: num(row.duration_ms),
      totalTokens: num(row.total_tokens),
      costUsd: row.cost_usd === null || row.cost_usd === undefined ? null : num(row.cost_usd),
      billingMode: text(row.billing_mode),
      plan: text(row.plan),
    })),
    freeQuota,
    quotaOverruns: results.free_quota_overruns.map((row) => ({
      day: iso(row.time).slice(0, 10),
      userId: text(row.user_id),
      executions: num(row.executions),
      overBy: num(row.over_by),
    })),
  };
}

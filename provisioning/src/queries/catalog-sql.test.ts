import { Client } from 'pg';
import { rebuildRollups } from '@tokenmeter/collector';
import { HOURLY_USERS_ROLLUP } from '@tokenmeter/conventions/ledger-schema';
import { getQuery, queries, TEMPLATE_VARIABLES, type QueryId } from './index';
import { renderSql, type RenderOptions } from '../render';
import { createMigratedTestDatabase, type TestDatabase } from '@tokenmeter/test-support';
import { insertCalls } from '../test-support/ledger-fixture';
import {
  ALICE,
  ALL_VARS,
  BOB,
  CAROL,
  D0,
  KNOWN_CALLS,
  PERIOD,
  at,
  dayOf,
} from '../test-support/known-usage';

// Every SQL query of the catalog, expanded as Grafana would, against real PostgreSQL holding the
// known data set. The session runs in a far-off time zone: every day boundary must still be UTC.

let db: TestDatabase;
let client: Client;

beforeAll(async () => {
  db = await createMigratedTestDatabase('catalog');
  client = new Client({ connectionString: db.url });
  await client.connect();
  await client.query("SET TIME ZONE 'Pacific/Kiritimati'");
  await insertCalls(client, KNOWN_CALLS);
  await rebuildRollups(client);
  await client.query(`INSERT INTO tokenmeter.model_prices (provider, model, effective_from, input_per_mtok,
      output_per_mtok, cached_input_per_mtok, reasoning_per_mtok, source, catalog_version, price_source, service_tier,
      cache_write_per_mtok, cache_write_1h_per_mtok, tiers, first_used_at) VALUES
    ('openai', 'gpt-4o', '2024-05-13', 5, 15, 2.5, NULL, 'old', 'v1', 'catalog', 'standard', NULL, NULL, NULL, now()),
    ('openai', 'gpt-4o', '2024-10-01', 2.5, 10, 1.25, NULL, 'current', 'v2', 'catalog', 'standard', NULL, NULL, NULL, now()),
    ('openai', 'gpt-4o', '2999-01-01', 1, 2, 0.5, NULL, 'future', 'v3', 'catalog', 'standard', NULL, NULL, NULL, now()),
    ('openai', 'gpt-4o', '2024-01-01', 2, 8, 1, NULL, 'contract', 'v2+acme', 'override', 'flex', NULL, NULL, NULL, now()),
    ('openai', 'gpt-4.1', '2025-01-01', 2, 8, 0.5, NULL, 'never used', 'v2', 'catalog', 'standard', NULL, NULL, NULL, NULL),
    ('anthropic', 'claude-sonnet-4', '2025-05-22', 3, 15, 0.3, 20, 'current', 'v2', 'catalog', 'standard', 3.75, 6, NULL, now()),
    ('anthropic', 'claude-sonnet-4', '2025-06-01', 2.5, 12, 0.25, 20, 'contract', 'v2+acme', 'override', 'standard', NULL, NULL, NULL, now()),
    ('google', 'gemini-2.5-pro', '-infinity', 1.25, 10, NULL, NULL, 'catalog page', 'v2', 'catalog', 'standard', NULL, NULL,
      '[{"aboveInputTokens": 200000, "inputPerMTok": 2.5, "outputPerMTok": 15}]', now())`);
});

afterAll(async () => {
  await client?.end();
  await db?.drop();
});

type Row = Record<string, unknown>;
const ran = new Set<string>();
async function run(id: QueryId, options: Partial<RenderOptions> = {}): Promise<Row[]> {
  ran.add(id);
  const sql = renderSql(getQuery(id), {
    ...PERIOD,
    ...options,
    vars: { ...ALL_VARS, ...options.vars },
  });
  return (await client.query(sql)).rows as Row[];
}
async function one(id: QueryId, options: Partial<RenderOptions> = {}): Promise<Row> {
  const rows = await run(id, options);
  expect(rows).toHaveLength(1);
  return rows[0] as Row;
}
const n = (value: unknown): number => Number(value);
const iso = (value: unknown): string => (value as Date).toISOString();

describe('Overview SQL over the period (partial edge days from the ledger, whole days from the rollup)', () => {
  it('totals the cost to the micro-dollar and counts unpriced calls apart', async () => {
    const row = await one('overview_cost');
    expect(n(row.cost_usd)).toBeCloseTo(0.08378, 6);
    expect(n(row.unpriced_calls)).toBe(1);
  });

  it('counts requests, errors and average tokens per request', async () => {
    const row = await one('overview_requests');
    expect([n(row.requests), n(row.errors), n(row.avg_tokens_per_request)]).toEqual([12, 1, 1900]);
  });

  it('splits tokens into prompt and completion', async () => {
    const row = await one('overview_tokens');
    expect(
      [row.prompt_tokens, row.completion_tokens, row.cached_prompt_tokens, row.total_tokens].map(n),
    ).toEqual([19750, 3050, 500, 22800]);
  });

  it('counts distinct active users', async () => {
    expect(n((await one('overview_active_users')).active_users)).toBe(3);
  });

  it('splits requests and cost by billing mode', async () => {
    const rows = await run('overview_billing_modes');
    expect(rows.map((r) => [r.billing_mode, n(r.requests)])).toEqual([
      ['byok', 3],
      ['system', 9],
    ]);
    expect(n(rows[0]?.cost_usd)).toBeCloseTo(0.027, 6);
    expect(n(rows[1]?.cost_usd)).toBeCloseTo(0.05678, 6);
  });

  it('buckets daily usage by UTC day, days without calls at 0 (no line bridges them)', async () => {
    const rows = await run('daily_usage');
    expect(
      rows.map((r) => [iso(r.time).slice(0, 10), n(r.requests), Number(n(r.cost_usd).toFixed(6))]),
    ).toEqual([
      [dayOf(9), 2, 0.026],
      [dayOf(8), 5, 0.00053],
      [dayOf(7), 0, 0],
      [dayOf(6), 0, 0],
      [dayOf(5), 2, 0.035],
      [dayOf(4), 0, 0],
      [dayOf(3), 1, 0.0105],
      [dayOf(2), 2, 0.01175],
    ]);
  });

  it('mixes models by requests (ties by name) and cost', async () => {
    const rows = await run('model_mix');
    expect(rows.map((r) => [r.model, n(r.requests), Number(n(r.cost_usd).toFixed(6))])).toEqual([
      ['gpt-4o', 4, 0.0565],
      ['mistral-small', 4, 0.00028],
      ['claude-sonnet-4', 3, 0.027],
      ['unpriced-model', 1, 0],
    ]);
  });

  it('ranks top users by cost', async () => {
    const rows = await run('top_users');
    expect(
      rows.map((r) => [r.user_id, n(r.requests), n(r.tokens), Number(n(r.cost_usd).toFixed(6))]),
    ).toEqual([
      [ALICE, 4, 15300, 0.0565],
      [BOB, 3, 5400, 0.027],
      [CAROL, 4, 2000, 0.00028],
    ]);
  });

  it('lists the 10 most recent calls of the period, newest first', async () => {
    const rows = await run('recent_activity');
    expect(rows.map((r) => iso(r.time))).toEqual(
      [
        at(2, '18:00'),
        at(2, '17:00'),
        at(3, '23:59:59.999'),
        at(5, '09:30'),
        at(5, '09:00'),
        at(8, '11:30'),
        at(8, '11:20'),
        at(8, '11:10'),
        at(8, '11:00'),
        at(8, '10:00'),
      ].map((d) => d.toISOString()),
    );
    expect(rows[0]).toMatchObject({
      prompt: 'chat',
      model: 'claude-sonnet-4',
      user_id: BOB,
      status: 'success',
      duration_ms: 700,
    });
    expect(rows[9]).toMatchObject({ status: 'error', error_type: 'timeout' });
    expect(rows[3]).toMatchObject({ user_id: '', prompt: '', cost_usd: null });
  });

  it('ranks prompts by cost and by tokens', async () => {
    const byCost = await run('top_prompts_by_cost');
    expect(
      byCost.map((r) => [r.prompt, n(r.requests), n(r.tokens), Number(n(r.cost_usd).toFixed(6))]),
    ).toEqual([
      ['summarize', 3, 14700, 0.058],
      ['chat', 4, 6000, 0.0255],
      ['recommend', 4, 2000, 0.00028],
      ['(none)', 1, 100, 0],
    ]);
    const byTokens = await run('top_prompts_by_tokens');
    expect(byTokens.map((r) => r.prompt)).toEqual(['summarize', 'chat', 'recommend', '(none)']);
  });

  it('gives each prompt its average and slowest latency and its error rate', async () => {
    const rows = await run('prompt_performance');
    expect(
      rows.map((r) => [
        r.prompt,
        n(r.requests),
        Number(n(r.avg_duration_ms).toFixed(3)),
        n(r.max_duration_ms),
        n(r.errors),
        n(r.error_rate),
      ]),
    ).toEqual([
      ['chat', 4, 1375, 3000, 1, 0.25],
      ['summarize', 3, 1233.333, 2000, 0, 0],
      ['recommend', 4, 300, 300, 0, 0],
      ['(none)', 1, 100, 100, 0, 0],
    ]);
  });

  it('lists FREE-plan quota overruns on the days of the period', async () => {
    const rows = await run('free_quota_overruns');
    expect(
      rows.map((r) => [iso(r.time).slice(0, 10), r.user_id, n(r.executions), n(r.over_by)]),
    ).toEqual([[dayOf(8), CAROL, 4, 1]]);
    expect(await run('free_quota_overruns', { vars: { free_quota: '4' } })).toEqual([]);
  });

  it('lists an overrun on the day the period starts, though the day began before it', async () => {
    const rows = await run('free_quota_overruns', { from: at(8, '23:00'), to: at(8, '23:30') });
    expect(rows.map((r) => [iso(r.time).slice(0, 10), r.user_id])).toEqual([[dayOf(8), CAROL]]);
  });
});

describe('period edges', () => {
  it('reads a period inside one day from the ledger only', async () => {
    const row = await one('overview_requests', { from: at(8, '11:05'), to: at(8, '11:25') });
    expect(n(row.requests)).toBe(2);
  });

  it('includes both ends, as BETWEEN does, and starts whole days at midnight', async () => {
    expect(
      n((await one('overview_requests', { from: at(8, '00:00'), to: at(5, '00:00') })).requests),
    ).toBe(5);
    expect(
      n(
        (await one('overview_requests', { from: at(3, '23:59:59.999'), to: at(2, '18:00') }))
          .requests,
      ),
    ).toBe(3);
  });
});

// The per-user and monthly rollups hold closed UTC days in tables and add the open days from the
// hourly rollups (collector migrations 0005, 0011): the figures must not depend on where that line
// is. The hourly per-user rollup is kept 35 days before the first open day (ledger-schema
// keptDays); a watermark 27 days ahead keeps it from 8 days back only, and user figures must read
// the older hours from the ledger.
describe.each([
  ['every day closed', undefined],
  // as the sink leaves it: today open; the closed part of the week holding `to` is one weekly row
  ['today still open', dayOf(0)],
  ['the last 2 days still open', dayOf(2)],
  ['the last 12 days still open', dayOf(12)],
  ['per-user hours kept from 8 days back only', dayOf(8 - HOURLY_USERS_ROLLUP.keptDays!)],
])('rollup and ledger parts add up to the ledger, with %s', (_state, closedBefore) => {
  beforeAll(async () => {
    await rebuildRollups(client, closedBefore);
  });
  afterAll(async () => {
    await rebuildRollups(client);
  });

  // The ledger itself, filtered as the variables filter: what every period query must equal.
  async function ledger(
    from: Date,
    to: Date,
    vars: Partial<typeof ALL_VARS> = {},
  ): Promise<{ requests: number; cost: number; users: Row[] }> {
    const v = { ...ALL_VARS, ...vars };
    const filter = `ts BETWEEN $1 AND $2 AND service = ANY($3) AND request_model = ANY($4)
      AND billing_mode = ANY($5) AND plan = ANY($6)`;
    const values = [from, to, v.service, v.model, v.billing_mode, v.plan];
    const totals = await client.query(
      `SELECT count(*) AS requests, coalesce(sum(cost_usd), 0) AS cost FROM tokenmeter.llm_calls WHERE ${filter}`,
      values,
    );
    const users = await client.query(
      `SELECT user_id, count(*)::int AS requests, sum(total_tokens)::int AS tokens,
         round(coalesce(sum(cost_usd), 0), 6)::float8 AS cost_usd
       FROM tokenmeter.llm_calls WHERE ${filter} AND user_id IS NOT NULL
       GROUP BY user_id ORDER BY sum(cost_usd) DESC NULLS LAST, count(*) DESC, user_id`,
      values,
    );
    return {
      requests: n(totals.rows[0].requests),
      cost: n(totals.rows[0].cost),
      users: users.rows,
    };
  }

  const periods: [string, Date, Date][] = [
    ['the test period', PERIOD.from, PERIOD.to],
    ['edges inside hours', at(9, '05:30'), at(2, '18:30')],
    ['a call after the end in its hour', at(8, '10:00'), at(8, '11:15')],
    ['a start inside the hour of its only call', at(8, '11:25'), at(8, '12:25')],
    ['a call after the end in its day', at(8, '00:00'), at(2, '17:30')],
    ['whole days', at(9, '00:00'), at(1, '00:00')],
    ['up to now', at(10, '00:00'), new Date()],
    // a closed first day's whole hours come from the rest-of-day per-user rollup, one row per user
    ['a start between two calls of its first day', at(9, '11:10'), at(2, '18:30')],
    ['a start in the last hour of its first day', at(3, '23:00'), at(2, '18:30')],
    ['a start after the last call of its first day', at(9, '12:30'), at(2, '18:30')],
    // whole ISO weeks come from the weekly per-user rollup
    ['three weeks up to now', at(20, '07:00'), new Date()],
    ['two weeks to a past evening', at(17, '13:00'), at(2, '18:30')],
  ];

  it.each(periods)('totals, active users and top users over %s', async (_name, from, to) => {
    const expected = await ledger(from, to);
    const totals = await one('overview_cost', { from, to });
    expect(n(totals.cost_usd)).toBeCloseTo(expected.cost, 6);
    expect(n((await one('overview_requests', { from, to })).requests)).toBe(expected.requests);
    expect(n((await one('overview_active_users', { from, to })).active_users)).toBe(
      expected.users.length,
    );
    const top = await run('top_users', { from, to });
    expect(
      top.map((r) => ({
        user_id: r.user_id,
        requests: n(r.requests),
        tokens: n(r.tokens),
        cost_usd: Number(n(r.cost_usd).toFixed(6)),
      })),
    ).toEqual(expected.users);
  });

  it('gives all-time figures equal to the ledger', async () => {
    const row = await one('overview_all_time');
    const { rows } =
      await client.query(`SELECT coalesce(sum(cost_usd), 0) AS cost, count(*) AS calls,
      sum(total_tokens) AS tokens, count(DISTINCT prompt_name) AS prompts FROM tokenmeter.llm_calls`);
    const ledgerRow = rows[0] as Row;
    expect(n(row.total_cost_usd)).toBeCloseTo(n(ledgerRow.cost), 6);
    expect([row.executions, row.total_tokens, row.distinct_prompts].map(n)).toEqual(
      [ledgerRow.calls, ledgerRow.tokens, ledgerRow.prompts].map(n),
    );
  });

  const filters: Partial<typeof ALL_VARS>[] = [
    { service: ['batch'] },
    { model: ['gpt-4o', 'mistral-small'] },
    { plan: ['free'] },
    { billing_mode: ['byok'] },
  ];

  it.each(periods)(
    'lists as variable options every service and model of %s',
    async (_name, from, to) => {
      const distinct = async (column: string): Promise<string[]> =>
        (
          await client.query(
            `SELECT DISTINCT ${column} AS v FROM tokenmeter.llm_calls WHERE ts BETWEEN $1 AND $2 ORDER BY 1`,
            [from, to],
          )
        ).rows.map((r) => r.v);
      const options = async (expr: string): Promise<string[]> =>
        (await client.query(renderSql(expr, { from, to }))).rows.map(
          (r) => Object.values(r)[0] as string,
        );
      // The hour holding `from` may list a name whose calls all precede `from`: never one that is missing.
      expect(await options(TEMPLATE_VARIABLES.service.expr)).toEqual(
        expect.arrayContaining(await distinct('service')),
      );
      expect(await options(TEMPLATE_VARIABLES.model.expr)).toEqual(
        expect.arrayContaining(await distinct('request_model')),
      );
    },
  );

  it.each(filters)('active and top users follow the filter %j', async (vars) => {
    const expected = await ledger(PERIOD.from, PERIOD.to, vars);
    expect(n((await one('overview_active_users', { vars })).active_users)).toBe(
      expected.users.length,
    );
    const top = await run('top_users', { vars });
    expect(top.map((r) => [r.user_id, n(r.requests)])).toEqual(
      expected.users.map((r) => [r.user_id, r.requests]),
    );
  });
});

describe('template variables', () => {
  it('filters by service, model, billing mode and plan', async () => {
    expect(n((await one('overview_cost', { vars: { service: ['batch'] } })).cost_usd)).toBeCloseTo(
      0.035,
      6,
    );
    expect(
      n(
        (
          await one('overview_cost', {
            vars: { model: ['claude-sonnet-4'], billing_mode: ['byok'] },
          })
        ).cost_usd,
      ),
    ).toBeCloseTo(0.027, 6);
    expect(n((await one('overview_cost', { vars: { plan: ['free'] } })).cost_usd)).toBeCloseTo(
      0.00028,
      6,
    );
  });

  it('treats a typed user id as a value, never as SQL', async () => {
    const row = await one('user_summary', { vars: { user: "x' OR '1'='1" } });
    expect(n(row.requests)).toBe(0);
  });
});

describe('user drill-down', () => {
  const bob = { vars: { user: BOB } };

  it('summarises one user', async () => {
    const row = await one('user_summary', bob);
    expect([n(row.requests), n(row.errors), n(row.tokens), row.plans, row.billing_modes]).toEqual([
      3,
      0,
      5400,
      'pro',
      'byok',
    ]);
    expect(n(row.cost_usd)).toBeCloseTo(0.027, 6);
    expect([iso(row.first_day).slice(0, 10), iso(row.last_day).slice(0, 10)]).toEqual([
      dayOf(9),
      dayOf(2),
    ]);
  });

  it('charts the user per day and per interval', async () => {
    const daily = await run('user_daily_usage', bob);
    expect(daily.map((r) => [iso(r.time).slice(0, 10), n(r.requests)])).toEqual([
      [dayOf(9), 1],
      [dayOf(3), 1],
      [dayOf(2), 1],
    ]);
    const perDay = await run('user_request_rate', { ...bob, intervalMs: 86_400_000 });
    expect(
      perDay.map((r) => [new Date(n(r.time) * 1000).toISOString().slice(0, 10), n(r.requests)]),
    ).toEqual([
      [dayOf(9), 1],
      [dayOf(3), 1],
      [dayOf(2), 1],
    ]);
  });

  it("breaks the user's use down by model and prompt, and lists the user's calls", async () => {
    const models = await run('user_models', bob);
    expect(
      models.map((r) => [
        r.model,
        r.prompt,
        n(r.requests),
        n(r.tokens),
        Number(n(r.cost_usd).toFixed(6)),
      ]),
    ).toEqual([
      ['claude-sonnet-4', 'chat', 2, 3900, 0.0165],
      ['claude-sonnet-4', 'summarize', 1, 1500, 0.0105],
    ]);
    const recent = await run('user_recent_activity', bob);
    expect(recent.map((r) => iso(r.time))).toEqual(
      [at(2, '18:00'), at(3, '23:59:59.999'), at(9, '12:00')].map((d) => d.toISOString()),
    );
  });
});

describe('figures anchored on now', () => {
  const monthStart = Date.UTC(D0.getUTCFullYear(), D0.getUTCMonth(), 1);
  const thisMonth = KNOWN_CALLS.filter((c) => c.ts.getTime() >= monthStart);
  const monthCost = thisMonth.reduce((sum, c) => sum + Number(c.costUsd ?? 0), 0);

  it('gives all-time figures and those of the current month', async () => {
    const row = await one('overview_all_time');
    expect(n(row.total_cost_usd)).toBeCloseTo(3.08432, 6);
    expect(n(row.month_cost_usd)).toBeCloseTo(monthCost, 6);
    expect(n(row.total_tokens)).toBe(25548);
    expect(n(row.month_tokens)).toBe(
      thisMonth.reduce((sum, c) => sum + c.inputTokens + c.outputTokens, 0),
    );
    expect([n(row.distinct_prompts), n(row.executions), row.most_used_model]).toEqual([
      3,
      19,
      'mistral-small',
    ]);
    expect(n(row.avg_latency_ms)).toBeCloseTo(11650 / 19, 6);
  });

  it('projects the month-to-date cost linearly to the end of the UTC month', async () => {
    await client.query('BEGIN');
    try {
      const now = (
        (await client.query('SELECT now() AS now')).rows[0] as { now: Date }
      ).now.getTime();
      const row = await one('overview_month_projection');
      const monthEnd = Date.UTC(D0.getUTCFullYear(), D0.getUTCMonth() + 1, 1);
      expect(n(row.month_to_date_usd)).toBeCloseTo(monthCost, 6);
      expect(n(row.projected_month_usd)).toBeCloseTo(
        (monthCost * (monthEnd - monthStart)) / Math.max(now - monthStart, 1000),
        6,
      );
      const alert = await one('alert_month_projection');
      expect(n(alert.projected_month_usd)).toBeCloseTo(n(row.projected_month_usd), 9);
    } finally {
      await client.query('COMMIT');
    }
  });

  it('counts executions of each of the last 7 days, zero-filled', async () => {
    const rows = await run('executions_last_7_days');
    expect(rows.map((r) => [iso(r.time).slice(0, 10), n(r.executions)])).toEqual(
      [6, 5, 4, 3, 2, 1, 0].map((d) => [dayOf(d), { 5: 2, 3: 1, 2: 3, 0: 5 }[d] ?? 0]),
    );
  });

  it("shows today's FREE quota use and the largest use to the alert", async () => {
    const rows = await run('free_quota_today');
    expect(rows).toEqual([
      {
        user_id: CAROL,
        executions: '4',
        quota: 3,
        remaining: '0',
        over_quota: true,
      },
    ]);
    expect(n((await one('alert_free_quota_max')).max_executions)).toBe(4);
  });

  it('lists the price in force for each model seen and tier, an override winning over the catalog', async () => {
    const rows = await run('price_list');
    expect(
      rows.map((r) => [
        r.provider,
        r.model,
        r.service_tier,
        r.price_source,
        r.effective_from === null ? null : (r.effective_from as Date).toISOString().slice(0, 10),
        n(r.input_per_mtok),
        n(r.output_per_mtok),
        n(r.cached_input_per_mtok),
        n(r.cache_write_per_mtok),
        n(r.cache_write_1h_per_mtok),
        n(r.reasoning_per_mtok),
        r.long_context_above_tokens === null ? null : n(r.long_context_above_tokens),
        r.long_context_input_per_mtok === null ? null : n(r.long_context_input_per_mtok),
        r.source,
      ]),
    ).toEqual([
      [
        'anthropic',
        'claude-sonnet-4',
        'standard',
        'override',
        '2025-06-01',
        2.5,
        12,
        0.25,
        2.5,
        2.5,
        20,
        null,
        null,
        'contract',
      ],
      [
        'google',
        'gemini-2.5-pro',
        'standard',
        'catalog',
        null,
        1.25,
        10,
        1.25,
        1.25,
        1.25,
        10,
        200000,
        2.5,
        'catalog page',
      ],
      [
        'openai',
        'gpt-4o',
        'flex',
        'override',
        '2024-01-01',
        2,
        8,
        1,
        2,
        2,
        8,
        null,
        null,
        'contract',
      ],
      [
        'openai',
        'gpt-4o',
        'standard',
        'catalog',
        '2024-10-01',
        2.5,
        10,
        1.25,
        2.5,
        2.5,
        10,
        null,
        null,
        'current',
      ],
    ]);
  });

  it('lists the models without a price in the period, with their calls and why', async () => {
    const rows = await run('unpriced_models');
    expect(
      rows.map((r) => [r.provider, r.model, n(r.unpriced_calls), n(r.calls), r.reason]),
    ).toEqual([['openai', 'unpriced-model', 1, 1, 'unknown model: no price in the test catalog']]);
  });
});

describe('alert SQL', () => {
  it('sums the cost of every service over the rule window', async () => {
    const row = await one('alert_cost_period');
    expect(Object.keys(row)).toEqual(['cost_usd']);
    expect(n(row.cost_usd)).toBeCloseTo(0.08378, 6);
  });
});

describe('coverage', () => {
  it('has run every SQL query of the catalog', () => {
    const sql = Object.values(queries).filter((q) => q.language === 'sql');
    expect(sql.map((q) => q.id).filter((id) => !ran.has(id))).toEqual([]);
  });
});

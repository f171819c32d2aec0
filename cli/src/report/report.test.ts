import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import { createTestDatabase } from '@tokenmeter/test-support';
import { ledgerOf, type FixtureCall, type FixtureLedger } from '../test-support/ledger-fixture';
import { readReport, runReport } from './run-report';
import { periodSince } from './period';
import { ReportError } from './report-error';

const HOUR = 3_600_000;
const now = Date.now();
const ago = (ms: number): Date => new Date(now - ms);

function call(overrides: Partial<FixtureCall>): FixtureCall {
  return {
    at: ago(2 * HOUR),
    model: 'gpt-4o-mini',
    userId: 'user-pro-alice',
    prompt: 'assistant_chat',
    plan: 'pro',
    billingMode: 'system',
    inputTokens: 1000,
    outputTokens: 200,
    costUsd: 0.001,
    ...overrides,
  };
}

// Today's FREE-plan calls of one user: in the last minutes, yet never before today's UTC midnight.
const sinceMidnight = now - new Date(now).setUTCHours(0, 0, 0, 0);
const todayAgo = (step: number): Date => ago(Math.min(step * 60_000, (sinceMidnight * step) / 6));
const calls: FixtureCall[] = [
  call({
    at: ago(3 * 24 * HOUR),
    model: 'gpt-4o',
    userId: 'user-pro-alice',
    inputTokens: 4000,
    outputTokens: 800,
    cachedInputTokens: 1024,
    costUsd: 0.0123456789,
  }),
  call({
    at: ago(5 * 24 * HOUR),
    model: 'gpt-4o',
    userId: 'user-pro-bob',
    billingMode: 'byok',
    prompt: 'fee_advice',
    costUsd: 0.02,
  }),
  call({
    at: ago(6 * HOUR),
    userId: 'user-pro-bob',
    error: 'RateLimitError',
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
  }),
  ...[1, 2, 3, 4, 5].map((minute) =>
    call({
      at: todayAgo(minute),
      userId: 'user-free-carol',
      plan: 'free',
      prompt: 'node_priorities',
      inputTokens: 500,
      outputTokens: 100,
      costUsd: 0.0002,
    }),
  ),
  // outside the default 30 days
  call({ at: ago(40 * 24 * HOUR), userId: 'user-old', costUsd: 5 }),
];

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  return {
    stream: new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    }),
    text: () => chunks.join(''),
  };
}

describe('tokenmeter report', () => {
  let database: FixtureLedger;

  beforeAll(async () => {
    database = await ledgerOf('report', calls);
  });

  afterAll(async () => {
    await database?.close();
  });

  it('reports the period exactly as the ledger holds it', async () => {
    const report = await readReport(database.url, { since: '30d' });
    const inPeriod = calls.filter((c) => c.at.getTime() > now - 30 * 24 * HOUR);
    expect(report.empty).toBe(false);
    expect(report.services).toEqual(['cli-test-service']);
    expect(report.requests.total).toBe(inPeriod.length);
    expect(report.requests.errors).toBe(1);
    expect(report.tokens.prompt).toBe(inPeriod.reduce((sum, c) => sum + c.inputTokens, 0));
    expect(report.tokens.completion).toBe(inPeriod.reduce((sum, c) => sum + c.outputTokens, 0));
    expect(report.tokens.cachedPrompt).toBe(1024);
    expect(report.cost.totalUsd).toBeCloseTo(
      inPeriod.reduce((sum, c) => sum + (c.costUsd ?? 0), 0),
      9,
    );
    expect(report.activeUsers).toBe(3);
    expect(report.topUsers.map((u) => u.userId)).toEqual([
      'user-pro-bob',
      'user-pro-alice',
      'user-free-carol',
    ]);
    expect(report.unpricedModels).toEqual([]);
    expect(report.modelMix).toEqual([
      expect.objectContaining({ model: 'gpt-4o-mini', requests: 6 }),
      expect.objectContaining({ model: 'gpt-4o', requests: 2 }),
    ]);
    expect(report.topPrompts[0]).toEqual(
      expect.objectContaining({ prompt: 'fee_advice', requests: 1 }),
    );
    expect(report.recentActivity).toHaveLength(8);
    expect(report.recentActivity[0]).toEqual(
      expect.objectContaining({
        userId: 'user-free-carol',
        status: 'success',
        model: 'gpt-4o-mini',
      }),
    );
    expect(report.quotaOverruns).toEqual([
      expect.objectContaining({ userId: 'user-free-carol', executions: 5, overBy: 2 }),
    ]);
    expect(report.allTime.executions).toBe(calls.length);
    expect(report.cost.projectedMonthUsd).toBeGreaterThanOrEqual(report.cost.monthToDateUsd);
  });

  it.each(['1h', '1d', '7d', '30d'])(
    "prints the ledger's all-time and month-to-date figures whatever the period (--since %s)",
    async (since) => {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        const { rows } = await client.query(`SELECT sum(cost_usd) AS cost, count(*) AS calls,
            sum(total_tokens) AS tokens,
            sum(cost_usd) FILTER (WHERE ts >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS month
          FROM tokenmeter.llm_calls`);
        const ledger = rows[0] as Record<string, string>;
        const report = await readReport(database.url, { since });
        expect(report.allTime.totalCostUsd).toBeCloseTo(Number(ledger.cost), 9);
        expect(report.allTime.executions).toBe(Number(ledger.calls));
        expect(report.allTime.totalTokens).toBe(Number(ledger.tokens));
        expect(report.allTime.monthCostUsd).toBeCloseTo(Number(ledger.month ?? 0), 9);
        expect(report.cost.monthToDateUsd).toBeCloseTo(Number(ledger.month ?? 0), 9);
      } finally {
        await client.end();
      }
    },
  );

  it('narrows to a shorter period', async () => {
    const report = await readReport(database.url, { since: '1h' });
    expect(report.requests.total).toBe(5);
    expect(report.activeUsers).toBe(1);
  });

  it('prints terminal tables with every section', async () => {
    const out = sink();
    await runReport({ databaseUrl: database.url, since: '30d', json: false, out: out.stream });
    for (const heading of [
      'Overview',
      'Month-end projection',
      'Model mix',
      'Top users',
      'Top prompts by cost',
      'Recent activity',
      'FREE plan quota overruns',
    ]) {
      expect(out.text()).toContain(heading);
    }
    expect(out.text()).toContain('user-free-car…');
  });

  it('prints JSON for machines', async () => {
    const out = sink();
    await runReport({ databaseUrl: database.url, since: '30d', json: true, out: out.stream });
    const parsed = JSON.parse(out.text());
    expect(parsed.requests.total).toBe(8);
    expect(parsed.freeQuota).toBe(3);
  });

  it('runs as the tokenmeter command: JSON on stdout, exit code 2 and a clear message on failure', () => {
    const bin = resolve(__dirname, '../../bin/tokenmeter.js');
    const ok = spawnSync(
      process.execPath,
      [bin, 'report', '--since', '30d', '--json', '--database-url', database.url],
      { encoding: 'utf8' },
    );
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).requests.total).toBe(8);
    const down = spawnSync(
      process.execPath,
      [bin, 'report', '--database-url', 'postgres://tm@127.0.0.1:1/none'],
      { encoding: 'utf8' },
    );
    expect(down.status).toBe(2);
    expect(down.stderr).toMatch(/^tokenmeter: Cannot reach PostgreSQL/);
    const bad = spawnSync(
      process.execPath,
      [bin, 'report', '--since', 'soon', '--database-url', database.url],
      { encoding: 'utf8' },
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^tokenmeter: --since soon: expected a duration/);
  });

  it('says so when the period holds no call', async () => {
    const empty = await ledgerOf('empty', []);
    try {
      const out = sink();
      const report = await runReport({
        databaseUrl: empty.url,
        since: '7d',
        json: false,
        out: out.stream,
      });
      expect(report.empty).toBe(true);
      expect(out.text()).toMatch(/No model calls were recorded in this period/);
    } finally {
      await empty.close();
    }
  });

  it('lists the models without a price and why, apart from the priced ones', async () => {
    const ledger = await ledgerOf('unpriced', [
      call({ model: 'in-house-model', costUsd: undefined }),
      call({ model: 'in-house-model', costUsd: undefined, userId: 'user-pro-bob' }),
      call({ model: 'gpt-4o-mini', costUsd: undefined }),
    ]);
    try {
      const out = sink();
      const report = await runReport({
        databaseUrl: ledger.url,
        since: '7d',
        json: false,
        out: out.stream,
      });
      expect(report.unpricedModels).toEqual([
        {
          provider: 'openai',
          model: 'in-house-model',
          unpricedCalls: 2,
          calls: 2,
          reason:
            'unknown model: no price for openai model in-house-model in pricing genai-prices@0.1.8',
        },
      ]);
      expect(report.cost.unpricedCalls).toBe(2);
      // gpt-4o-mini, priced by the sink: 1 000 × 0.15 + 200 × 0.60 per million
      expect(report.cost.totalUsd).toBeCloseTo(0.00027, 12);
      expect(out.text()).toContain('Unpriced models');
      expect(out.text()).toContain('in-house-model');
    } finally {
      await ledger.close();
    }
  });

  it('explains a database without the Tokenmeter schema', async () => {
    const bare = await createTestDatabase('bare');
    try {
      await expect(readReport(bare.url, { since: '30d' })).rejects.toThrow(
        /no Tokenmeter schema yet/,
      );
    } finally {
      await bare.drop();
    }
  });

  it('explains an unreachable database without leaking its password', async () => {
    const error = await readReport('postgres://tm:secret@127.0.0.1:1/none', { since: '30d' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ReportError);
    expect((error as Error).message).toMatch(
      /Cannot reach PostgreSQL at postgres:\/\/tm:\*\*\*@127\.0\.0\.1:1\/none/,
    );
  });

  /** Runs `use` with the database variables set as given (undefined: unset), then restores them. */
  async function withDatabaseEnv<T>(
    values: { TOKENMETER_DATABASE_URL?: string; DATABASE_URL?: string },
    use: () => Promise<T>,
  ): Promise<T> {
    const names = ['TOKENMETER_DATABASE_URL', 'DATABASE_URL'] as const;
    const saved = names.map((name) => process.env[name]);
    for (const name of names) {
      if (values[name] === undefined) delete process.env[name];
      else process.env[name] = values[name];
    }
    try {
      return await use();
    } finally {
      names.forEach((name, i) => {
        if (saved[i] === undefined) delete process.env[name];
        else process.env[name] = saved[i];
      });
    }
  }

  it('asks for a database when none is given', async () => {
    await withDatabaseEnv({}, () =>
      expect(runReport({ since: '30d', json: true })).rejects.toThrow(/--database-url/),
    );
  });

  it('reads the ledger of TOKENMETER_DATABASE_URL before DATABASE_URL', async () => {
    const out = sink();
    await withDatabaseEnv(
      { TOKENMETER_DATABASE_URL: database.url, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
      () => runReport({ since: '30d', json: true, out: out.stream }),
    );
    expect(JSON.parse(out.text()).requests.total).toBe(8);
  });
});

describe('report period', () => {
  const at = new Date('2026-11-23T10:00:00Z');

  it('reads durations, the current month and dates', () => {
    expect(periodSince('30d', at).from.toISOString()).toBe('2026-10-24T10:00:00.000Z');
    expect(periodSince('1h', at).from.toISOString()).toBe('2026-11-23T09:00:00.000Z');
    expect(periodSince('month', at).from.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(periodSince('2026-11-20', at).from.toISOString()).toBe('2026-11-20T00:00:00.000Z');
  });

  it('refuses what it cannot read', () => {
    expect(() => periodSince('yesterday', at)).toThrow(/expected a duration/);
    expect(() => periodSince('2027-01-01', at)).toThrow(/in the future/);
  });
});

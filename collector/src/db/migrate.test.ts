import { migrate } from './migrate';
import { DAILY_ROLLUP } from '@tokenmeter/conventions';
import { rollupUpsert } from '../ledger/rollups';
import { rollupMismatches } from '../test-support/ledger-checks';
import { createTestDatabase, testPool, withClient, type TestDatabase } from '@tokenmeter/test-support';
import { copyRows } from '../ledger/copy-text';
import { LedgerWriter } from '../ledger/ledger-writer';
import { testCall } from '../test-support/llm-calls';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('migrate');
});

afterAll(async () => {
  await database?.drop();
});

// Tables and views.
const tables = (): Promise<string[]> =>
  withClient(database.url, async (client) =>
    (await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'tokenmeter' ORDER BY 1`,
    )).rows.map((row) => row.name),
  );

const SCHEMA = [
  'llm_calls',
  'llm_usage_daily',
  'llm_usage_daily_users',
  'llm_usage_hourly',
  'llm_usage_hourly_users',
  'llm_usage_monthly',
  'llm_usage_monthly_closed',
  'llm_usage_users_rest_of_day',
  'llm_usage_weekly_users',
  'llm_usage_weekly_users_closed',
  'model_prices',
  'rollup_watermark',
  'schema_migrations',
];

describe('migrate', () => {
  it('creates the ledger schema, is idempotent, and reverts and re-applies cleanly', async () => {
    expect((await migrate(database.url)).length).toBeGreaterThan(0);
    expect(await tables()).toEqual(SCHEMA);
    expect(await migrate(database.url)).toEqual([]);
    await migrate(database.url, { direction: 'down' });
    expect(await tables()).toEqual(['schema_migrations']);
    await migrate(database.url);
    expect(await tables()).toEqual(SCHEMA);
  });

  it('runs concurrently from several processes without failing (a lock serialises them)', async () => {
    const results = await Promise.all([migrate(database.url), migrate(database.url), migrate(database.url)]);
    expect(results.flat()).toEqual([]);
  });
});

describe('the overview rollups migration', () => {
  let older: TestDatabase;

  beforeAll(async () => {
    older = await createTestDatabase('migrate_rollups');
  });

  afterAll(async () => {
    await older?.drop();
  });

  it('fills the hourly and per-user rollups from existing data, keeping days retention already dropped', async () => {
    await migrate(older.url, { count: 2 });
    const daysAgo = (days: number, hour: number): string => {
      const date = new Date(Date.now() - days * 86_400_000);
      date.setUTCHours(hour, 15, 0, 0);
      return date.toISOString();
    };
    await withClient(older.url, async (client) => {
      for (const days of [40, 3]) await client.query('SELECT tokenmeter.ensure_llm_calls_partition($1::date)', [daysAgo(days, 0).slice(0, 10)]);
      const calls = [
        [daysAgo(40, 9), 'u1', 'pro', '0.5'],
        [daysAgo(3, 9), 'u1', 'pro', '0.25'],
        [daysAgo(3, 9), 'u2', 'free', null],
        [daysAgo(3, 17), 'u1', 'pro', '0.125'],
      ];
      for (const [i, [ts, user, plan, cost]] of calls.entries()) {
        await client.query(
          `INSERT INTO tokenmeter.llm_calls (ts, duration_ms, trace_id, span_id, service, provider, operation, request_model,
             user_id, plan, status, input_tokens, output_tokens, total_tokens, cost_usd)
           VALUES ($1, 100, $2, $2, 'api', 'openai', 'chat', 'gpt-4o', $3, $4, 'success', 10, 5, 15, $5)`,
          [ts, `span${i}`, user, plan, cost],
        );
      }
      await client.query(`${rollupUpsert(DAILY_ROLLUP, 'tokenmeter.llm_calls')}`);
      await client.query('SELECT tokenmeter.drop_llm_calls_partitions_before($1::date)', [daysAgo(10, 0).slice(0, 10)]);
    });

    // The later migrations follow these four.
    expect((await migrate(older.url)).slice(0, 4)).toEqual([
      '1763856000002_overview-rollups',
      '1763856000003_monthly-rollup',
      '1763856000004_weekly-users-rollup',
      '1763856000005_closed-day-rollups',
    ]);

    const rows = await withClient(older.url, async (client) => ({
      hourly: (await client.query(`SELECT to_char(hour AT TIME ZONE 'UTC', 'HH24') AS hour, calls::int, cost_usd::text
        FROM tokenmeter.llm_usage_hourly ORDER BY 1, 3`)).rows,
      users: (await client.query(`SELECT user_id, plan, calls::int, cost_usd::text
        FROM tokenmeter.llm_usage_daily_users ORDER BY day, user_id`)).rows,
    }));
    // The dropped day keeps its total at its first hour; the ledger's day gets its hours.
    expect(rows.hourly).toEqual([
      { hour: '00', calls: 1, cost_usd: '0.5000000000' },
      { hour: '09', calls: 1, cost_usd: '0.0000000000' },
      { hour: '09', calls: 1, cost_usd: '0.2500000000' },
      { hour: '17', calls: 1, cost_usd: '0.1250000000' },
    ]);
    expect(rows.users).toEqual([
      { user_id: 'u1', plan: 'pro', calls: 1, cost_usd: '0.5000000000' },
      { user_id: 'u1', plan: 'pro', calls: 2, cost_usd: '0.3750000000' },
      { user_id: 'u2', plan: 'free', calls: 1, cost_usd: '0.0000000000' },
    ]);
    expect(await rollupMismatches(older.url)).toEqual([]);
    // Rows stored before cost_source existed: a cost is a computed one, no cost is unpriced.
    const sources = await withClient(older.url, async (client) =>
      (await client.query(`SELECT user_id, cost_source, cache_write_input_tokens::int AS writes FROM tokenmeter.llm_calls ORDER BY ts, user_id`)).rows,
    );
    expect(sources).toEqual([
      { user_id: 'u1', cost_source: 'computed', writes: 0 },
      { user_id: 'u2', cost_source: 'unpriced', writes: 0 },
      { user_id: 'u1', cost_source: 'computed', writes: 0 },
    ]);
  });
});

describe('the hourly and rest-of-day per-user rollup migrations', () => {
  let ledger: TestDatabase;

  beforeAll(async () => {
    ledger = await createTestDatabase('migrate_hourly_users');
  });

  afterAll(async () => {
    await ledger?.drop();
  });

  it('revert and re-apply, filling both per-user rollups with the closed days equal to the ledger', async () => {
    await migrate(ledger.url);
    const today = new Date().toISOString().slice(0, 10);
    const pool = testPool(ledger.url, 1);
    try {
      await pool.query('SELECT tokenmeter.set_rollup_watermark($1::date)', [today]);
      const calls = [3, 1, 0].flatMap((daysAgo) =>
        ['u1', 'u2'].map((userId, i) =>
          testCall({ ts: new Date(Date.now() - daysAgo * 86_400_000 - i * 1000), userId }),
        ),
      );
      await new LedgerWriter(pool).write([copyRows(calls)]);
    } finally {
      await pool.end();
    }
    expect(await rollupMismatches(ledger.url)).toEqual([]);

    // 0012 (the rest-of-day per-user rollup) is filled from 0011's table: both are reverted and re-applied.
    const hourlyUsersMigrations = ['1763856000012_rest-of-day-users-rollup', '1763856000011_hourly-users-rollup'];
    expect(await migrate(ledger.url, { direction: 'down', count: 2 })).toEqual(hourlyUsersMigrations);

    expect(await migrate(ledger.url)).toEqual([...hourlyUsersMigrations].reverse());
    const closedHourCalls = await withClient(ledger.url, async (client) =>
      Number((await client.query('SELECT sum(calls) AS n FROM tokenmeter.llm_usage_hourly_users')).rows[0].n),
    );
    expect(closedHourCalls).toBe(4); // the calls of 3 and 1 days ago; today is open
    expect(await rollupMismatches(ledger.url)).toEqual([]);
  });
});

import type { Pool } from 'pg';
import { rollupMismatches } from '../test-support/ledger-checks';
import { testCall } from '../test-support/llm-calls';
import {
  createMigratedTestDatabase,
  testPool,
  withClient,
  type TestDatabase,
} from '@tokenmeter/test-support';
import { HOURLY_USERS_ROLLUP } from '@tokenmeter/conventions';
import { copyRows } from './copy-text';
import { closeRollupDays, utcToday } from './day-closing';
import { LedgerWriter } from './ledger-writer';

const DAY_MS = 86_400_000;
const dayBefore = (day: string, days: number): string =>
  new Date(Date.parse(day) - days * DAY_MS).toISOString().slice(0, 10);
/** A call at `hour` UTC on `day`, of one of three users. */
const callOn = (day: string, hour: number, user: number) =>
  testCall({
    ts: new Date(Date.parse(day) + hour * 3_600_000 + Math.random() * 1000),
    userId: `user-${user}`,
  });

let database: TestDatabase;
let pool: Pool;
let writer: LedgerWriter;
const today = utcToday();

beforeAll(async () => {
  database = await createMigratedTestDatabase('closing');
  pool = testPool(database.url, 4);
  writer = new LedgerWriter(pool);
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

const query = <T extends object>(sql: string, values: unknown[] = []): Promise<T[]> =>
  withClient(database.url, async (client) => (await client.query(sql, values)).rows as T[]);
const watermark = async (): Promise<string> =>
  (
    await query<{ day: string }>(
      'SELECT closed_before::text AS day FROM tokenmeter.rollup_watermark',
    )
  )[0]!.day;
/** Calls counted by the closed-days tables (monthly, weekly per user, hourly per user). */
const closedCalls = async (): Promise<number[]> => {
  const [row] = await query<{ monthly: string | null; weekly: string | null; hourly: string | null }>(
    `SELECT (SELECT sum(calls) FROM tokenmeter.llm_usage_monthly_closed) AS monthly,
       (SELECT sum(calls) FROM tokenmeter.llm_usage_weekly_users_closed) AS weekly,
       (SELECT sum(calls) FROM tokenmeter.llm_usage_hourly_users) AS hourly`,
  );
  return [Number(row!.monthly ?? 0), Number(row!.weekly ?? 0), Number(row!.hourly ?? 0)];
};

describe('closing UTC days', () => {
  beforeAll(async () => {
    await query('SELECT tokenmeter.set_rollup_watermark($1)', [dayBefore(today, 4)]);
  });

  it('folds the days before today into the closed-days tables, leaves today open, and every view still equals the ledger', async () => {
    const calls = [4, 3, 2, 1, 0].flatMap((ago) =>
      [0, 1, 2].map((user) => callOn(dayBefore(today, ago), 1 + user, user)),
    );
    await writer.write([copyRows(calls)]);
    expect(await closedCalls()).toEqual([0, 0, 0]);
    expect(await rollupMismatches(database.url)).toEqual([]);

    expect(await closeRollupDays(pool, today)).toEqual({
      from: dayBefore(today, 4),
      to: dayBefore(today, 1),
    });
    expect(await watermark()).toBe(today);
    expect(await closedCalls()).toEqual([12, 12, 12]);
    expect(await rollupMismatches(database.url)).toEqual([]);

    expect(await closeRollupDays(pool, today)).toBeUndefined();
    expect(await rollupMismatches(database.url)).toEqual([]);
  });

  it('adds a late span of a closed day to the closed-days tables in the insert itself', async () => {
    await writer.write([copyRows([callOn(dayBefore(today, 2), 20, 7)])]);
    expect(await closedCalls()).toEqual([13, 13, 13]);
    expect(await rollupMismatches(database.url)).toEqual([]);
  });

  it('drops the per-user hours older than the hourly per-user rollup is kept, and only those', async () => {
    const hoursPerDay = async (): Promise<string[]> =>
      (
        await query<{ day: string }>(
          `SELECT DISTINCT (hour AT TIME ZONE 'UTC')::date::text AS day
           FROM ${HOURLY_USERS_ROLLUP.table} ORDER BY 1`,
        )
      ).map((row) => row.day);
    expect(await hoursPerDay()).toEqual([4, 3, 2, 1].map((ago) => dayBefore(today, ago)));
    // The day closing that moves the watermark 33 days ahead keeps the hours from 2 days back.
    const kept = HOURLY_USERS_ROLLUP.keptDays!;
    await closeRollupDays(pool, dayBefore(today, 2 - kept));
    expect(await hoursPerDay()).toEqual([2, 1, 0].map((ago) => dayBefore(today, ago)));
    expect(await closedCalls()).toEqual([16, 16, 10]); // 3 + 1 late + 3 + 3 calls from 2 days back
    expect(await rollupMismatches(database.url)).toEqual([]);
  });
});

describe('closing UTC days while writers insert spans of those days', () => {
  let own: TestDatabase;
  let ownPool: Pool;

  beforeAll(async () => {
    own = await createMigratedTestDatabase('closing_race');
    ownPool = testPool(own.url, 5);
  });

  afterAll(async () => {
    await ownPool?.end();
    await own?.drop();
  });

  it('counts every span once when days close while writers insert spans of those days', async () => {
    // Nine days still open, closed one at a time while four writers send spans over all of them.
    const first = dayBefore(today, 30);
    await withClient(own.url, (client) =>
      client.query('SELECT tokenmeter.set_rollup_watermark($1)', [first]),
    );
    const ownWriter = new LedgerWriter(ownPool);
    const days = Array.from({ length: 10 }, (_, i) => dayBefore(today, 30 - i));
    const writes = Array.from({ length: 4 }, async (_, w) => {
      for (let round = 0; round < 8; round++) {
        const calls = days.flatMap((day, i) =>
          Array.from({ length: 40 }, (_, user) => callOn(day, (w * 5 + i + user) % 24, user)),
        );
        await ownWriter.write([copyRows(calls)]);
      }
    });
    const closing = (async () => {
      for (const day of days.slice(1)) {
        await new Promise((resolve) => setTimeout(resolve, 15));
        await closeRollupDays(ownPool, day);
      }
    })();
    await Promise.all([...writes, closing]);
    const [mark] = await withClient(
      own.url,
      async (client) =>
        (await client.query('SELECT closed_before::text AS day FROM tokenmeter.rollup_watermark'))
          .rows,
    );
    expect(mark.day).toBe(days.at(-1));
    expect(await rollupMismatches(own.url)).toEqual([]);
  });
});

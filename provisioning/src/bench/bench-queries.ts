// `npm run bench:queries`: times every SQL query of the LLM Overview dashboard on a generated
// ledger (5 million calls, 10 000 users), median of several runs, for the default period (7 days)
// and a 30-day one, at each density: 1 spreads the calls over 90 days, 10 over 9 days (ten times
// the calls per day: the density of 50 million calls over 90 days). `--density 1,10` (the default)
// or TOKENMETER_BENCH_DENSITY chooses. Last line: {"rows", "densities": {density: {"slowest_query",
// "slowest_ms"}}}. Target: < 100 ms at density 10.
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { getQuery, isQueryId, queries } from '../queries';
import { renderSql } from '../render';
import { overviewDashboard } from '../grafana/dashboards/overview';
import { createMigratedTestDatabase } from '@tokenmeter/test-support';
import { generateLedger } from './generate-ledger';

const ROWS = Number(process.env.TOKENMETER_BENCH_ROWS ?? 5_000_000);
const USERS = 10_000;
const DAYS = 90;
const RUNS = 5;
const TARGET_MS = 100;

/** The densities to time, from `--density 1,10` or TOKENMETER_BENCH_DENSITY (default both). */
function densities(): number[] {
  const flag = process.argv.indexOf('--density');
  const text = flag >= 0 ? process.argv[flag + 1] : process.env.TOKENMETER_BENCH_DENSITY;
  const values = (text ?? '1,10').split(',').map(Number);
  if (values.some((value) => !Number.isInteger(value) || value < 1 || DAYS % value !== 0)) {
    throw new Error(
      `--density takes divisors of ${DAYS} (calls per day × n), comma-separated: got ${text}`,
    );
  }
  return values;
}

function overviewSqlQueryIds(): string[] {
  const ids = new Set<string>();
  const texts = new Map<string, string>();
  for (const query of Object.values(queries)) texts.set(query.expr, query.id);
  for (const panel of overviewDashboard().panels as { targets?: { rawSql?: string }[] }[]) {
    for (const target of panel.targets ?? []) {
      const id = target.rawSql ? texts.get(target.rawSql) : undefined;
      if (id && isQueryId(id)) ids.add(id);
    }
  }
  return [...ids];
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

/** An already generated database to time again (kept), instead of a new one (dropped at the end). */
const REUSE_URL = process.env.TOKENMETER_BENCH_DATABASE_URL;

type Slowest = { slowest_query: string; slowest_ms: number };

async function timeDensity(density: number): Promise<Slowest> {
  const days = DAYS / density;
  const db = REUSE_URL
    ? { url: REUSE_URL, drop: async () => undefined }
    : await createMigratedTestDatabase('bench');
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    const started = performance.now();
    if (!REUSE_URL) await generateLedger(client, { rows: ROWS, days, users: USERS });
    // As docker-compose runs PostgreSQL: JIT compilation costs more than it saves on dashboard queries.
    await client.query('SET jit = off');
    const rollupRows = Number(
      (await client.query('SELECT count(*) AS n FROM tokenmeter.llm_usage_daily')).rows[0].n,
    );
    console.log(
      `density ${density}: ${REUSE_URL ? 'reused' : 'generated'} ${ROWS} ledger rows over ${days} days (${rollupRows} rollup rows) in ${((performance.now() - started) / 1000).toFixed(1)} s; load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} CPUs`,
    );

    const services = (
      await client.query('SELECT DISTINCT service FROM tokenmeter.llm_usage_daily')
    ).rows.map((r) => r.service as string);
    const models = (
      await client.query('SELECT DISTINCT model FROM tokenmeter.llm_usage_daily')
    ).rows.map((r) => r.model as string);
    const vars = {
      service: services,
      model: models,
      billing_mode: ['system', 'byok'],
      plan: ['free', 'pro'],
      free_quota: '3',
    };
    const now = Date.now();
    const periods = { '7d': 7, '30d': 30 };

    let slowest = { query: '', ms: 0 };
    for (const [label, periodDays] of Object.entries(periods)) {
      const range = {
        from: new Date(now - periodDays * 86_400_000),
        to: new Date(now),
        vars,
        intervalMs: 3_600_000,
      };
      for (const id of overviewSqlQueryIds()) {
        const sql = renderSql(getQuery(id), range);
        await client.query(sql); // warm-up
        const times: number[] = [];
        for (let run = 0; run < RUNS; run++) {
          const t0 = performance.now();
          await client.query(sql);
          times.push(performance.now() - t0);
        }
        const ms = Number(median(times).toFixed(1));
        console.log(
          `x${String(density).padEnd(3)} ${label.padEnd(4)} ${id.padEnd(28)} ${String(ms).padStart(8)} ms${ms >= TARGET_MS ? `  (over the ${TARGET_MS} ms target)` : ''}`,
        );
        if (ms > slowest.ms) slowest = { query: `${id} (${label})`, ms };
      }
    }
    return { slowest_query: slowest.query, slowest_ms: slowest.ms };
  } finally {
    await client.end();
    await db.drop();
  }
}

async function main(): Promise<void> {
  const results: Record<string, Slowest> = {};
  for (const density of densities()) results[density] = await timeDensity(density);
  console.log(JSON.stringify({ rows: ROWS, densities: results }));
}

main().catch((error: Error) => {
  console.error(`bench:queries failed: ${error.message}`);
  process.exit(1);
});

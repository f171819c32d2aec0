// `npm run bench:queries`: times every SQL query of the LLM Overview dashboard on a generated
// ledger (5 million calls, 90 days, 10 000 users), median of several runs, for the default period
// (7 days) and a 30-day one. Last line: {"rows", "slowest_query", "slowest_ms"}. Target: < 200 ms.
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

async function main(): Promise<void> {
  const db = REUSE_URL
    ? { url: REUSE_URL, drop: async () => undefined }
    : await createMigratedTestDatabase('bench');
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    const started = performance.now();
    if (!REUSE_URL) await generateLedger(client, { rows: ROWS, days: DAYS, users: USERS });
    // As docker-compose runs PostgreSQL: JIT compilation costs more than it saves on dashboard queries.
    await client.query('SET jit = off');
    const rollupRows = Number(
      (await client.query('SELECT count(*) AS n FROM tokenmeter.llm_usage_daily')).rows[0].n,
    );
    console.log(
      `${REUSE_URL ? 'reused' : 'generated'} ${ROWS} ledger rows (${rollupRows} rollup rows) in ${((performance.now() - started) / 1000).toFixed(1)} s; load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} CPUs`,
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
    for (const [label, days] of Object.entries(periods)) {
      const range = {
        from: new Date(now - days * 86_400_000),
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
          `${label.padEnd(4)} ${id.padEnd(28)} ${String(ms).padStart(8)} ms${ms >= 200 ? '  (over the 200 ms target)' : ''}`,
        );
        if (ms > slowest.ms) slowest = { query: `${id} (${label})`, ms };
      }
    }
    console.log(
      JSON.stringify({ rows: ROWS, slowest_query: slowest.query, slowest_ms: slowest.ms }),
    );
  } finally {
    await client.end();
    await db.drop();
  }
}

main().catch((error: Error) => {
  console.error(`bench:queries failed: ${error.message}`);
  process.exit(1);
});

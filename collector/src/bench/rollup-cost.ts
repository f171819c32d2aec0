// `npm run bench:rollups -w collector`: where PostgreSQL's time goes in the sink's write statement,
// per rollup. The same realistic rows (./realistic-calls, live traffic) are written in the sink's
// transactions — COPY into the staging table, then one INSERT … SELECT into the ledger — once with
// no rollup, once with each rollup alone and once with all of them (as the sink writes), each time
// on emptied tables after a CHECKPOINT. Prints the PostgreSQL backend's CPU per row (read from
// /proc: the server runs on this machine) and each rollup's share beside the ledger-only insert.
//   TOKENMETER_BENCH_DATABASE_URL (or TOKENMETER_TEST_DATABASE_URL): server to create a scratch database on
//   TOKENMETER_BENCH_SPANS (default 80000), TOKENMETER_BENCH_BATCH (rows per transaction, default 4000)
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, Pool } from 'pg';
import { PricingCatalog, ROLLUPS, ROLLUP_SOURCE_COLUMNS } from '@tokenmeter/conventions';
import { migrate } from '../db/migrate';
import { copyRows } from '../ledger/copy-text';
import { NO_JIT } from '../ledger/ledger-writer';
import { LLM_CALL_COLUMNS, type LlmCall } from '../ledger/llm-call';
import { COPY_STAGING, INCOMING } from '../ledger/row-staging';
import { SET_ROLLUP_WATERMARK, rollupUpkeep, storedIn } from '../ledger/rollups';
import { serviceOf, spanToCall } from '../ledger/span-to-call';
import { readProtobufRequest } from '../otlp/protobuf-request';
import { traceRequestJson, traceRequestProtobuf } from '../test-support/genai-spans';
import { realisticCalls } from './realistic-calls';

const SPANS = Number(process.env.TOKENMETER_BENCH_SPANS ?? 80_000);
const BATCH = Number(process.env.TOKENMETER_BENCH_BATCH ?? 4000);
const COLUMNS = LLM_CALL_COLUMNS.map((c) => c.name).join(', ');

/** The sink's write statement (collector/src/ledger/ledger-writer.ts) with only the rollups `kept`. */
function writeStatement(kept: (name: string) => boolean): string {
  const upkeep = rollupUpkeep('inserted').filter(({ name }) => kept(name));
  return `WITH inserted AS (
  INSERT INTO tokenmeter.llm_calls (${COLUMNS}) SELECT ${COLUMNS} FROM ${INCOMING}
  RETURNING ${ROLLUP_SOURCE_COLUMNS.join(', ')}
)${upkeep.map(({ name, sql }) => `, ${name} AS (\n  ${sql}\n)`).join('')}
SELECT count(*) FROM inserted`;
}

const CLOSED_DAY_ROWS = 'rows_of_closed_days';
const VARIANTS: { label: string; statement: string }[] = [
  { label: 'llm_calls only', statement: writeStatement(() => false) },
  ...ROLLUPS.map((rollup, i) => ({
    label: `+ ${storedIn(rollup)}${rollup.closedDays ? ' (closed days only)' : ''}`,
    statement: writeStatement((name) => name === `rollup_${i}` || name === CLOSED_DAY_ROWS),
  })),
  { label: 'all rollups (the sink)', statement: writeStatement(() => true) },
];

function callsOf(count: number): LlmCall[] {
  const catalog = PricingCatalog.load();
  const calls: LlmCall[] = [];
  const specs = realisticCalls(count);
  for (let i = 0; i < specs.length; i += BATCH) {
    const protobuf = traceRequestProtobuf(traceRequestJson(specs.slice(i, i + BATCH)));
    const request = readProtobufRequest(protobuf);
    for (let resource = 0; resource < request.resourceCount; resource++) {
      const service = serviceOf(request.resourceAttributes(resource));
      for (let index = 0; index < request.spanCount(resource); index++) {
        const span = request.span(resource, index);
        const verdict = spanToCall(span, {
          service,
          catalog,
          oldestAcceptedMs: 0,
          newestAcceptedMs: Infinity,
        });
        if (verdict.kind === 'call') calls.push(verdict.call);
      }
    }
  }
  return calls;
}

/** utime + stime of a process on this machine, in seconds (100 clock ticks per second on Linux). */
function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function main(): Promise<void> {
  const serverUrl =
    process.env.TOKENMETER_BENCH_DATABASE_URL ?? process.env.TOKENMETER_TEST_DATABASE_URL;
  if (!serverUrl)
    throw new Error('Set TOKENMETER_BENCH_DATABASE_URL (or TOKENMETER_TEST_DATABASE_URL)');
  const name = `tm_rollupcost_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const pool = new Pool({ connectionString: url.toString(), max: 1 });
  try {
    await migrate(url.toString());
    const calls = callsOf(SPANS);
    const batches = [];
    for (let i = 0; i < calls.length; i += BATCH) batches.push(copyRows(calls.slice(i, i + BATCH)));
    const client = await pool.connect();
    try {
      const today = new Date().toISOString().slice(0, 10);
      await client.query(SET_ROLLUP_WATERMARK, [today]); // as the sink's day closing leaves it
      for (const day of new Set(batches.flatMap((batch) => [...batch.days]))) {
        await client.query('SELECT tokenmeter.ensure_llm_calls_partition($1::date)', [
          new Date(day * 86_400_000).toISOString().slice(0, 10),
        ]);
      }
      await client.query(`CREATE TEMP TABLE llm_calls_incoming
        (LIKE tokenmeter.llm_calls INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`);
      const backend = Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
      console.log(
        `${calls.length} rows in transactions of ${BATCH}; PostgreSQL backend CPU per row written:`,
      );
      let ledgerOnly = 0;
      for (const { label, statement } of VARIANTS) {
        await client.query(`TRUNCATE tokenmeter.llm_calls, ${ROLLUPS.map(storedIn).join(', ')}`);
        await client.query('CHECKPOINT');
        const cpuBefore = processCpuSeconds(backend);
        const started = process.hrtime.bigint();
        for (const batch of batches) {
          await client.query('BEGIN');
          await client.query(NO_JIT);
          await COPY_STAGING.stage(client, [batch.text]);
          await client.query(statement);
          await client.query('COMMIT');
        }
        const wallUs = Number(process.hrtime.bigint() - started) / 1e3 / calls.length;
        const cpuUs = ((processCpuSeconds(backend) - cpuBefore) * 1e6) / calls.length;
        if (label === VARIANTS[0]!.label) ledgerOnly = cpuUs;
        const share =
          label === VARIANTS[0]!.label ? '' : `  (+${(cpuUs - ledgerOnly).toFixed(1)} µs)`;
        console.log(
          `${label.padEnd(62)} ${cpuUs.toFixed(1).padStart(6)} µs CPU  ${wallUs.toFixed(1).padStart(6)} µs wall${share}`,
        );
      }
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: Error) => {
  console.error(`bench:rollups failed: ${error.stack ?? error.message}`);
  process.exit(1);
});

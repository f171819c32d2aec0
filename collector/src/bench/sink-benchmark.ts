// `npm run bench -w collector`: sustained ingest of the usage sink into PostgreSQL, next to a raw COPY
// of the same rows into the same table. Prints figures; asserts nothing about time.
//   TOKENMETER_BENCH_DATABASE_URL (or TOKENMETER_TEST_DATABASE_URL): server to create a scratch database on
//   TOKENMETER_BENCH_SPANS (default 200000), TOKENMETER_BENCH_BATCH (2000), TOKENMETER_BENCH_CONCURRENCY (4)
//   TOKENMETER_BENCH_SPREAD_HOURS: start times over that many hours back, for late spans of closed days
//   (default: live traffic, the last hour of today)
//   TOKENMETER_BENCH_LOCALE: the scratch database's locale (e.g. en_US.utf8, the official postgres
//   image's default; default: the server's)
//   TOKENMETER_BENCH_RUNS (3): sink and COPY phases, in alternating order (sink first in odd runs),
//   each on an empty ledger after a CHECKPOINT, so that neither pays for the other's dirty pages;
//   the ratio printed last is the median of the runs' ratios.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { PricingCatalog, ROLLUPS } from '@tokenmeter/conventions';
import { migrate } from '../db/migrate';
import { LLM_CALL_COLUMNS, type LlmCall } from '../ledger/llm-call';
import { storedIn } from '../ledger/rollups';
import { serviceOf, spanToCall } from '../ledger/span-to-call';
import { readProtobufRequest } from '../otlp/protobuf-request';
import { traceRequestJson, traceRequestProtobuf } from '../test-support/genai-spans';
import { freePort } from '@tokenmeter/test-support';
import { liveSpreadMs, realisticCalls } from './realistic-calls';

const SPANS = Number(process.env.TOKENMETER_BENCH_SPANS ?? 200_000);
const BATCH = Number(process.env.TOKENMETER_BENCH_BATCH ?? 2000);
const CONCURRENCY = Number(process.env.TOKENMETER_BENCH_CONCURRENCY ?? 4);
const RUNS = Number(process.env.TOKENMETER_BENCH_RUNS ?? 3);
const SPREAD_MS = process.env.TOKENMETER_BENCH_SPREAD_HOURS ? Number(process.env.TOKENMETER_BENCH_SPREAD_HOURS) * 3_600_000 : undefined;

const log = (message: string): void => console.log(message);

async function main(): Promise<void> {
  const serverUrl = process.env.TOKENMETER_BENCH_DATABASE_URL ?? process.env.TOKENMETER_TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('Set TOKENMETER_BENCH_DATABASE_URL (or TOKENMETER_TEST_DATABASE_URL) to a PostgreSQL server URL');
  const name = `tm_sinkbench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  const locale = process.env.TOKENMETER_BENCH_LOCALE;
  await admin.query(`CREATE DATABASE ${name}${locale ? ` TEMPLATE template0 LOCALE '${locale.replace(/'/g, "''")}'` : ''}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  try {
    await migrate(databaseUrl);
    await run(databaseUrl);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

interface SinkPhase {
  spansPerS: number;
  p99: number;
  sinkCpuSeconds: number;
  backendSeconds: number;
  transactions: number;
}

interface CopyPhase {
  rowsPerS: number;
  cpuSeconds: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function run(databaseUrl: string): Promise<void> {
  const now = Date.now();
  const spreadMs = SPREAD_MS ?? liveSpreadMs(now);
  log(`preparing ${SPANS} spans started over the last ${(spreadMs / 60_000).toFixed(0)} min, in batches of ${BATCH} (gzip protobuf, as the Collector sends them)`);
  const calls = realisticCalls(SPANS, 42, now, spreadMs);
  const bodies: Buffer[] = [];
  const rows: LlmCall[] = [];
  const catalog = PricingCatalog.load();
  for (let i = 0; i < calls.length; i += BATCH) {
    const protobuf = traceRequestProtobuf(traceRequestJson(calls.slice(i, i + BATCH)));
    bodies.push(gzipSync(protobuf));
    rows.push(...callsOf(protobuf, catalog));
  }
  const copyText = rows.map(csvLine).join('');

  const sink = await startSinkProcess(databaseUrl);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    log(`sink pid ${sink.pid} on port ${sink.port}; sending with ${CONCURRENCY} concurrent requests; ${RUNS} runs, sink and COPY in alternating order, each phase on empty tables after a CHECKPOINT`);
    const sinkPhases: SinkPhase[] = [];
    const copyPhases: CopyPhase[] = [];
    const ratios: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const order = run % 2 === 0 ? (['sink', 'copy'] as const) : (['copy', 'sink'] as const);
      for (const phase of order) {
        await emptyLedger(client);
        if (phase === 'sink') sinkPhases.push(await sinkPhase(sink, bodies, client));
        else copyPhases.push(await copyPhase(client, copyText));
      }
      const ratio = sinkPhases.at(-1)!.spansPerS / copyPhases.at(-1)!.rowsPerS;
      ratios.push(ratio);
      log(`run ${run + 1} (${order.join(' then ')}): ratio ${ratio.toFixed(3)}`);
    }
    const peakRssMb = sink.peakRssMb();
    console.log(
      JSON.stringify({
        spans_per_s: Math.round(median(sinkPhases.map((p) => p.spansPerS))),
        copy_rows_per_s: Math.round(median(copyPhases.map((p) => p.rowsPerS))),
        ratio: Number(median(ratios).toFixed(3)),
        ratios: ratios.map((r) => Number(r.toFixed(3))),
        p99_ms: Number(median(sinkPhases.map((p) => p.p99)).toFixed(1)),
        peak_rss_mb: Number(peakRssMb.toFixed(1)),
      }),
    );
  } finally {
    await client.end();
    sink.stop();
  }
}

/** Empties the ledger and every rollup, then writes every dirty page out: each phase starts alike. */
async function emptyLedger(client: Client): Promise<void> {
  await client.query(`TRUNCATE tokenmeter.llm_calls, ${ROLLUPS.map(storedIn).join(', ')}`);
  await client.query('CHECKPOINT');
}

async function sinkPhase(sink: RunningSink, bodies: Buffer[], client: Client): Promise<SinkPhase> {
  const latencies: number[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let next = 0;
  const backendsBefore = await sinkBackendCpu(client);
  const cpuBefore = sink.cpuSeconds();
  const writesBefore = await batchDurations(sink.port);
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const t0 = process.hrtime.bigint();
        const status = await post(agent, sink.port, body);
        if (status !== 200) throw new Error(`sink answered ${status}`);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const sinkSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  const sinkCpuSeconds = sink.cpuSeconds() - cpuBefore;
  const backendSeconds = (await sinkBackendCpu(client)) - backendsBefore;
  const writesAfter = await batchDurations(sink.port);
  const writes = { count: writesAfter.count - writesBefore.count, sum: writesAfter.sum - writesBefore.sum };
  const stored = Number((await client.query('SELECT count(*) AS n FROM tokenmeter.llm_calls')).rows[0].n);
  if (stored !== SPANS) throw new Error(`expected ${SPANS} rows after the sink run, found ${stored}`);
  const spansPerS = SPANS / sinkSeconds;
  latencies.sort((a, b) => a - b);
  const p99 = latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)]!;
  const p50 = latencies[Math.floor(latencies.length / 2)]!;
  log(`  sink: ${SPANS} spans in ${sinkSeconds.toFixed(2)} s = ${Math.round(spansPerS)} spans/s; request p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms; ` +
    `sink process CPU ${sinkCpuSeconds.toFixed(2)} s; ${writes.count} transactions, ${writes.sum.toFixed(2)} s inside them; PostgreSQL CPU ${backendSeconds.toFixed(2)} s`);
  return { spansPerS, p99, sinkCpuSeconds, backendSeconds, transactions: writes.count };
}

async function copyPhase(client: Client, copyText: string): Promise<CopyPhase> {
  const copyBackend = Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  const copyCpuBefore = processCpuSeconds(copyBackend);
  const copyStarted = process.hrtime.bigint();
  await pipeline(
    Readable.from([copyText]),
    client.query(copyFrom(`COPY tokenmeter.llm_calls (${LLM_CALL_COLUMNS.map((c) => c.name).join(', ')}) FROM STDIN WITH (FORMAT csv)`)),
  );
  const copySeconds = Number(process.hrtime.bigint() - copyStarted) / 1e9;
  const cpuSeconds = processCpuSeconds(copyBackend) - copyCpuBefore;
  const copied = Number((await client.query('SELECT count(*) AS n FROM tokenmeter.llm_calls')).rows[0].n);
  if (copied !== SPANS) throw new Error(`expected ${SPANS} rows after COPY, found ${copied}`);
  const rowsPerS = SPANS / copySeconds;
  log(`  raw COPY of the same rows into the same table: ${copySeconds.toFixed(2)} s = ${Math.round(rowsPerS)} rows/s; PostgreSQL CPU ${cpuSeconds.toFixed(2)} s`);
  return { rowsPerS, cpuSeconds };
}

function callsOf(protobuf: Buffer, catalog: PricingCatalog): LlmCall[] {
  const request = readProtobufRequest(protobuf);
  const calls: LlmCall[] = [];
  for (let resource = 0; resource < request.resourceCount; resource++) {
    const service = serviceOf(request.resourceAttributes(resource));
    for (let index = 0; index < request.spanCount(resource); index++) {
      const span = request.span(resource, index);
      const verdict = spanToCall(span, { service, catalog, oldestAcceptedMs: 0, newestAcceptedMs: Infinity });
      if (verdict.kind !== 'call') throw new Error(`benchmark span not stored: ${JSON.stringify(verdict)}`);
      calls.push(verdict.call);
    }
  }
  return calls;
}

function csvLine(call: LlmCall): string {
  return `${LLM_CALL_COLUMNS.map((column) => csvField(column.value(call))).join(',')}\n`;
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  return `"${String(value).replace(/"/g, '""')}"`;
}

function post(agent: Agent, port: number, body: Buffer): Promise<number> {
  return new Promise((resolvePost, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path: '/v1/traces',
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip', 'content-length': body.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolvePost(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The sink as its own process (node dist/main.js), so its memory is measured apart from the load generator. */
interface RunningSink {
  pid: number;
  port: number;
  peakRssMb(): number;
  cpuSeconds(): number;
  stop(): void;
}

async function startSinkProcess(databaseUrl: string): Promise<RunningSink> {
  const port = await freePort();
  const nodeArgs = (process.env.TOKENMETER_BENCH_SINK_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, resolve(__dirname, '../../dist/main.js')], {
    env: { ...process.env, TOKENMETER_DATABASE_URL: databaseUrl, TOKENMETER_SINK_HOST: '127.0.0.1', TOKENMETER_SINK_PORT: String(port), TOKENMETER_SINK_MIGRATE: 'false' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sink exited with ${child.exitCode}`);
    const healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (healthy) break;
    if (Date.now() > deadline) throw new Error('sink did not become healthy within 30 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    pid: child.pid!,
    port,
    // VmHWM: the highest resident set size the process has had.
    peakRssMb: () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024,
    cpuSeconds: () => processCpuSeconds(child.pid!),
    stop: () => child.kill('SIGTERM'),
  };
}

/** utime + stime of a process on this machine, in clock ticks (100 per second on Linux). */
function processCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0; // the process has ended
  }
}

/** CPU used so far by the PostgreSQL backends serving the sink (the server runs on this machine). */
async function sinkBackendCpu(monitor: Client): Promise<number> {
  const { rows } = await monitor.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = 'tokenmeter-sink'");
  return rows.reduce((sum, { pid }) => sum + processCpuSeconds(pid), 0);
}

async function batchDurations(port: number): Promise<{ count: number; sum: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const read = (name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { count: read('tokenmeter_sink_batch_duration_seconds_count'), sum: read('tokenmeter_sink_batch_duration_seconds_sum') };
}

main().catch((error: Error) => {
  console.error(`benchmark failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
